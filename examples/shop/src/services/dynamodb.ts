/**
 * A DynamoDB-compatible endpoint (the JSON 1.0 protocol of DynamoDB_20120810) holding the shop's
 * `products` table in memory; catalog talks to it with the real `@aws-sdk/client-dynamodb`. It is
 * not instrumented, as AWS is not: the map shows it as the node X-Ray infers from catalog's calls.
 * Chaos can make it slow.
 */
import { randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { onControl } from '../runtime/control.js';
import { servePlain } from '../runtime/plain-server.js';
import { PRODUCTS, toItem } from '../dynamodb/products.js';
import { DynamoError, TableStore } from '../dynamodb/table-store.js';
import { PRODUCTS_TABLE } from '../topology.js';

const store = new TableStore('us-east-1');
store.createTable(PRODUCTS_TABLE, 'id', PRODUCTS.map(toItem));

let latency = { minMs: 0, maxMs: 0 };
onControl((msg) => {
  if (msg.type === 'dynamodb-latency') latency = { minMs: msg.minMs, maxMs: msg.maxMs };
});

servePlain('dynamodb', async (req, raw, res) => {
  const target = String(req.headers['x-amz-target'] ?? '');
  const [prefix, operation] = target.split('.');
  let status = 200;
  let body: unknown;
  try {
    if (req.method !== 'POST' || prefix !== 'DynamoDB_20120810' || !operation)
      throw new DynamoError('UnknownOperationException', `unknown target "${target}"`);
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(raw.toString() || '{}') as Record<string, unknown>;
    } catch {
      throw new DynamoError('SerializationException', 'the request body is not JSON');
    }
    body = store.run(operation, input);
  } catch (err) {
    if (!(err instanceof DynamoError)) throw err;
    status = 400;
    body = { __type: `com.amazonaws.dynamodb.v20120810#${err.type}`, message: err.message };
  }
  const delay = latency.maxMs > 0 ? latency.minMs + Math.random() * (latency.maxMs - latency.minMs) : 0;
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': payload.length,
    'x-amzn-requestid': randomUUID().replace(/-/g, '').toUpperCase().slice(0, 52),
    'x-amz-crc32': String(crc32(payload)),
  });
  res.end(payload);
});

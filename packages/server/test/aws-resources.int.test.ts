import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAddress } from '../src/config/address.js';
import { startTestFluoro, waitFor, xray, type TestFluoro } from './helpers.js';

type Json = Record<string, any>;
const run = promisify(execFile);
const NODE_APP = new URL('./apps/xray-dynamodb-calls.cjs', import.meta.url).pathname;
const PYTHON_APP = new URL('./apps/xray-python-dynamodb.py', import.meta.url).pathname;

/**
 * Issue 12 #3: the Python SDK names its DynamoDB subsegments `dynamodb`, the Node SDK `DynamoDB`;
 * X-Ray draws one node per table either way. Both SDKs, for real, call two tables of a DynamoDB
 * endpoint (a stand-in answering every GetItem with no item, as DynamoDB does for a missing key).
 */
describe('AWS resources on the map, from the Node and the Python X-Ray SDK', () => {
  let f: TestFluoro;
  let dynamodb: Server;
  const start = Date.now() / 1000 - 5;

  beforeAll(async () => {
    f = await startTestFluoro();
    dynamodb = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'R1' });
        res.end('{}');
      });
    });
    await new Promise<void>((r) => dynamodb.listen(0, '127.0.0.1', r));
    const env = {
      ...process.env,
      AWS_XRAY_DAEMON_ADDRESS: `udp:${formatAddress(f.udp)} tcp:${formatAddress(f.fluoro.http!)}`,
      DYNAMODB_ENDPOINT: `http://127.0.0.1:${(dynamodb.address() as AddressInfo).port}`,
    };
    await Promise.all([
      run(process.execPath, [NODE_APP, 'carts', 'orders'], { env, timeout: 20_000 }),
      run('python3', [PYTHON_APP, 'carts', 'orders'], { env, timeout: 20_000 }),
    ]);
  });
  afterAll(async () => {
    await new Promise((r) => dynamodb?.close(r));
    await f?.stop();
  });

  it('draws one AWS::DynamoDB::Table node per table, called by both services', async () => {
    const services = await waitFor(async () => {
      const graph = await xray(f.url, '/ServiceGraph', { StartTime: start, EndTime: Date.now() / 1000 + 5 });
      const s = graph.body['Services'] as Json[];
      const callers = s.filter((x) => x['Type'] === 'service' && (x['Name'] === 'node-dynamo' || x['Name'] === 'python-dynamo'));
      return callers.length === 2 && callers.every((c) => (c['Edges'] ?? []).length === 2) ? s : null;
    }, 'both services and their calls');
    const byRef = new Map(services.map((s) => [s['ReferenceId'], s]));
    const tables = services.filter((s) => s['Type'].startsWith('AWS::'));
    expect(tables.map((t) => `${t['Name']}|${t['Type']}`).sort()).toEqual(['carts|AWS::DynamoDB::Table', 'orders|AWS::DynamoDB::Table']);
    for (const name of ['node-dynamo', 'python-dynamo']) {
      const caller = services.find((s) => s['Name'] === name && s['Type'] === 'service')!;
      expect((caller['Edges'] as Json[]).map((e) => byRef.get(e['ReferenceId'])!['Name']).sort(), name).toEqual(['carts', 'orders']);
    }
  });
});

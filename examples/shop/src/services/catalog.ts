/**
 * catalog (X-Ray SDK): the products, read from the `products` DynamoDB table with the real
 * `@aws-sdk/client-dynamodb`, captured with `captureAWSv3Client` so each call is an `aws`
 * subsegment naming its table: the map shows an inferred `AWS::DynamoDB::Table` node.
 */
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { fromItem, type Product } from '../dynamodb/products.js';
import { customerOf } from '../runtime/customer.js';
import { portOf } from '../runtime/env.js';
import { HttpError } from '../runtime/http-error.js';
import { AWSXRay, recordCustomer, requestSegment, startXRayService } from '../runtime/xray.js';
import { PRODUCTS_TABLE } from '../topology.js';

const dynamodb = AWSXRay.captureAWSv3Client(
  new DynamoDBClient({
    endpoint: `http://127.0.0.1:${portOf('dynamodb')}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' },
    maxAttempts: 2,
  }),
);

startXRayService('catalog', { captureHttp: false }, (app) => {
  app.get('/products', async (req, res) => {
    recordCustomer(customerOf(req.headers));
    const category = typeof req.query['category'] === 'string' ? req.query['category'] : undefined;
    if (category) requestSegment()?.addAnnotation('category', category);
    const out = await dynamodb.send(new ScanCommand({ TableName: PRODUCTS_TABLE, Limit: 100 }));
    const products = (out.Items ?? []).map((i) => fromItem(i as never)).filter((p) => !category || p.category === category);
    res.json({ products });
  });

  app.get('/products/:id', async (req, res) => {
    recordCustomer(customerOf(req.headers));
    const out = await dynamodb.send(new GetItemCommand({ TableName: PRODUCTS_TABLE, Key: { id: { S: req.params.id } } }));
    if (!out.Item) throw new HttpError(404, `no product ${req.params.id}`);
    res.json(fromItem(out.Item as never));
  });

  // Current prices of several products at once, for checkout.
  app.post('/products/batch', async (req, res) => {
    recordCustomer(customerOf(req.headers));
    const ids = (req.body as { ids?: unknown }).ids;
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 100 || !ids.every((id) => typeof id === 'string'))
      throw new HttpError(400, 'ids must be 1 to 100 product IDs');
    const unique = [...new Set(ids as string[])];
    const out = await dynamodb.send(
      new BatchGetItemCommand({ RequestItems: { [PRODUCTS_TABLE]: { Keys: unique.map((id) => ({ id: { S: id } })) } } }),
    );
    const products: Product[] = (out.Responses?.[PRODUCTS_TABLE] ?? []).map((i) => fromItem(i as never));
    const missing = unique.filter((id) => !products.some((p) => p.id === id));
    if (missing.length) throw new HttpError(404, `no product ${missing.join(', ')}`);
    res.json({ products });
  });
});

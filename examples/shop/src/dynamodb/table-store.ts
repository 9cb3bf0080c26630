/**
 * The tables behind the demo's DynamoDB-compatible endpoint: items kept in memory in DynamoDB's
 * wire format (`{"S": "…"}`, `{"N": "…"}`), keyed by a string hash key. Just the operations the
 * shop uses, with DynamoDB's answers and error names, so the real AWS SDK works against it.
 */
export type AttributeValue = Record<string, unknown>;
export type Item = Record<string, AttributeValue>;

/** An error DynamoDB would answer with HTTP 400 and this `__type`. */
export class DynamoError extends Error {
  constructor(
    readonly type: 'ResourceNotFoundException' | 'ValidationException' | 'UnknownOperationException' | 'SerializationException',
    message: string,
  ) {
    super(message);
  }
}

interface Table {
  readonly name: string;
  readonly hashKey: string;
  readonly created: number;
  readonly items: Map<string, Item>;
}

type Input = Record<string, unknown>;

export class TableStore {
  private readonly tables = new Map<string, Table>();

  constructor(private readonly region: string) {}

  createTable(name: string, hashKey: string, items: readonly Item[] = []): void {
    const table: Table = { name, hashKey, created: Date.now() / 1000, items: new Map() };
    for (const item of items) table.items.set(keyOf(table, item), item);
    this.tables.set(name, table);
  }

  /** Runs one operation (the part of `X-Amz-Target` after the dot) on a parsed request body. */
  run(operation: string, input: Input): unknown {
    switch (operation) {
      case 'GetItem': {
        const table = this.table(input['TableName']);
        const item = table.items.get(keyOf(table, input['Key'] as Item));
        return item ? { Item: item } : {};
      }
      case 'BatchGetItem': {
        const requests = (input['RequestItems'] ?? {}) as Record<string, { Keys?: Item[] }>;
        const responses: Record<string, Item[]> = {};
        let keys = 0;
        for (const [name, request] of Object.entries(requests)) {
          const table = this.table(name);
          keys += request.Keys?.length ?? 0;
          responses[name] = (request.Keys ?? []).map((k) => table.items.get(keyOf(table, k))).filter((i): i is Item => !!i);
        }
        if (keys > 100) throw new DynamoError('ValidationException', 'Too many items requested for the BatchGetItem call');
        return { Responses: responses, UnprocessedKeys: {} };
      }
      case 'Scan': {
        const table = this.table(input['TableName']);
        const all = [...table.items.values()];
        const startKey = input['ExclusiveStartKey'] as Item | undefined;
        const from = startKey ? all.findIndex((i) => keyOf(table, i) === keyOf(table, startKey)) + 1 : 0;
        const limit = typeof input['Limit'] === 'number' ? input['Limit'] : all.length;
        const page = all.slice(from, from + limit);
        const more = from + limit < all.length;
        return {
          Items: page,
          Count: page.length,
          ScannedCount: page.length,
          ...(more ? { LastEvaluatedKey: { [table.hashKey]: page[page.length - 1]![table.hashKey] } } : {}),
        };
      }
      case 'PutItem': {
        const table = this.table(input['TableName']);
        const item = input['Item'] as Item;
        table.items.set(keyOf(table, item), item);
        return {};
      }
      case 'DescribeTable': {
        const table = this.table(input['TableName']);
        return {
          Table: {
            TableName: table.name,
            TableStatus: 'ACTIVE',
            KeySchema: [{ AttributeName: table.hashKey, KeyType: 'HASH' }],
            AttributeDefinitions: [{ AttributeName: table.hashKey, AttributeType: 'S' }],
            ItemCount: table.items.size,
            CreationDateTime: table.created,
            TableArn: `arn:aws:dynamodb:${this.region}:000000000000:table/${table.name}`,
            BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
          },
        };
      }
      case 'ListTables':
        return { TableNames: [...this.tables.keys()].sort() };
      default:
        throw new DynamoError('UnknownOperationException', `the demo's DynamoDB endpoint does not implement ${operation}`);
    }
  }

  private table(name: unknown): Table {
    if (typeof name !== 'string' || !name) throw new DynamoError('ValidationException', 'TableName is required');
    const table = this.tables.get(name);
    if (!table) throw new DynamoError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`);
    return table;
  }
}

function keyOf(table: Table, item: Item | undefined): string {
  const key = item?.[table.hashKey]?.['S'];
  if (typeof key !== 'string')
    throw new DynamoError('ValidationException', `The provided key element does not match the schema: ${table.hashKey} (S) is required`);
  return key;
}

/**
 * The demo shop's processes: who they are, how each is instrumented and whom each calls. Shared by
 * the parent (which starts them) and by the services (which find each other through it).
 */

/** The shop's own services, each a Node process of its own, each sending traces to Fluoro. */
export const SERVICES = ['frontend', 'catalog', 'cart', 'orders', 'payments', 'notifications', 'fulfillment'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** What the shop depends on but does not own: they send no traces, so the map infers them. */
export const DEPENDENCIES = ['dynamodb', 'paystream'] as const;
export type DependencyName = (typeof DEPENDENCIES)[number];

export type ProcessName = ServiceName | DependencyName;

/**
 * `xray`: aws-xray-sdk-core + aws-xray-sdk-express, segments over UDP.
 * `otel`: the OpenTelemetry Node SDK, OTLP/HTTP protobuf, the AWS X-Ray propagator and ID generator.
 * `none`: not instrumented (stands for something outside the shop).
 */
export type Instrumentation = 'xray' | 'otel' | 'none';

export interface ProcessSpec {
  readonly name: ProcessName;
  readonly instrumentation: Instrumentation;
  /** The built entry point, relative to `dist/`. */
  readonly script: string;
  /** Services it calls (synchronously, or for notifications by delivery). */
  readonly calls: readonly ServiceName[];
  readonly description: string;
}

export const PROCESSES: readonly ProcessSpec[] = [
  {
    name: 'frontend',
    instrumentation: 'xray',
    script: 'services/frontend.js',
    calls: ['catalog', 'cart', 'orders'],
    description: 'HTTP API: browse, cart, checkout',
  },
  {
    name: 'catalog',
    instrumentation: 'xray',
    script: 'services/catalog.js',
    calls: [],
    description: 'products, read from DynamoDB with @aws-sdk/client-dynamodb',
  },
  { name: 'cart', instrumentation: 'otel', script: 'services/cart.js', calls: [], description: 'carts, in memory' },
  {
    name: 'orders',
    instrumentation: 'otel',
    script: 'services/orders.js',
    calls: ['payments', 'notifications'],
    description: 'orders in SQLite (sql.js); charges payments; publishes order events',
  },
  {
    name: 'payments',
    instrumentation: 'xray',
    script: 'services/payments.js',
    calls: [],
    description: 'charges cards through the PayStream API',
  },
  {
    name: 'notifications',
    instrumentation: 'otel',
    script: 'services/notifications.js',
    calls: ['fulfillment'],
    description: 'topics: accepts a message at once, delivers it to subscribers later',
  },
  {
    name: 'fulfillment',
    instrumentation: 'otel',
    script: 'services/fulfillment.js',
    calls: [],
    description: 'worker subscribed to order events',
  },
  {
    name: 'dynamodb',
    instrumentation: 'none',
    script: 'services/dynamodb.js',
    calls: [],
    description: 'a DynamoDB-compatible endpoint (JSON 1.0 protocol, in memory)',
  },
  {
    name: 'paystream',
    instrumentation: 'none',
    script: 'services/paystream.js',
    calls: [],
    description: 'a stub of a third-party payment API, called as api.paystream.example',
  },
];

export function spec(name: ProcessName): ProcessSpec {
  const s = PROCESSES.find((p) => p.name === name);
  if (!s) throw new Error(`no process ${name}`);
  return s;
}

/** The host name payments uses for the third-party payment API; it is the map's remote node. */
export const PAYMENT_API_HOST = 'api.paystream.example';
/** PayStream's test cards: one that is charged, one that is declined (402). */
export const GOOD_CARD = '4242424242424242';
export const DECLINED_CARD = '4000000000000002';
/** The DynamoDB table catalog reads. */
export const PRODUCTS_TABLE = 'products';
/** The SQL database orders writes: the name of its `Database::SQL` node. */
export const ORDERS_DATABASE = 'orders.sqlite';
/** The notifications topic orders publishes to and fulfillment is subscribed to. */
export const ORDER_TOPIC = 'order-events';

/** Handed to every process in `SHOP_WIRING`: where everything listens. */
export interface Wiring {
  readonly ports: Readonly<Record<ProcessName, number>>;
}

export { startShop, type Shop, type ShopProcess } from './shop.js';
export { DEFAULTS, type FluoroAddress, type ShopOptions } from './options.js';
export { CHAOS_KINDS, formatChaosEvent, type ChaosEvent, type ChaosKind } from './chaos/events.js';
export type { LoadStats } from './load/generator.js';
export {
  PROCESSES,
  SERVICES,
  PAYMENT_API_HOST,
  PRODUCTS_TABLE,
  ORDERS_DATABASE,
  ORDER_TOPIC,
  type ServiceName,
  type ProcessName,
  type Instrumentation,
} from './topology.js';
export { runDemo } from './bin/run-demo.js';

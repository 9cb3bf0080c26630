/**
 * fulfillment (OpenTelemetry): a worker subscribed to `order-events`. It receives each placed
 * order from notifications — in the trace of the checkout that placed it — and reserves stock and
 * books a shipment (local work, as spans of its own). A message delivered twice is done once.
 */
import { trace } from '@opentelemetry/api';
import { customerOf } from '../runtime/customer.js';
import { HttpError } from '../runtime/http-error.js';
import { annotate, inSpan, recordCustomer, SpanKind, startOtelService } from '../runtime/otel.js';

const MAX_REMEMBERED = 10_000;
const done = new Set<string>();

const work = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms * (0.5 + Math.random())));

startOtelService('fulfillment', (app) => {
  app.post('/events/order-placed', async (req, res) => {
    recordCustomer(customerOf(req.headers));
    const { orderId, lines } = req.body as { orderId?: unknown; lines?: unknown };
    if (typeof orderId !== 'string' || !Array.isArray(lines)) throw new HttpError(400, 'orderId and lines are required');
    annotate(trace.getActiveSpan(), { order_id: orderId });
    const messageId = String(req.headers['x-message-id'] ?? orderId);
    if (done.has(messageId)) {
      res.json({ orderId, duplicate: true });
      return;
    }
    await inSpan('reserve stock', { kind: SpanKind.INTERNAL, attributes: { 'order.lines': lines.length } }, () => work(20));
    await inSpan('book shipment', { kind: SpanKind.INTERNAL }, () => work(10));
    done.add(messageId);
    if (done.size > MAX_REMEMBERED) done.delete(done.values().next().value!);
    res.json({ orderId, status: 'fulfilling' });
  });
});

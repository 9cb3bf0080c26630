/**
 * orders (OpenTelemetry): takes an order, records it in SQL, charges it through payments (an X-Ray
 * SDK service: the trace crosses back), and publishes an `order-events` message to notifications,
 * which delivers it to fulfillment later. Answers 201, or relays the payment's refusal: 402
 * declined, 429 throttled; a payments failure is a 502.
 */
import { randomBytes } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { customerHeaders, customerOf } from '../runtime/customer.js';
import { callJson } from '../runtime/http-client.js';
import { downstreamFault, HttpError } from '../runtime/http-error.js';
import { annotate, recordCustomer, startOtelService } from '../runtime/otel.js';
import { OrderStore, type OrderLine } from '../orders/order-store.js';
import { ORDER_TOPIC } from '../topology.js';

const store = await OrderStore.open();

function validLines(lines: unknown): lines is OrderLine[] {
  return (
    Array.isArray(lines) &&
    lines.length > 0 &&
    lines.every(
      (l: Partial<OrderLine>) =>
        typeof l.productId === 'string' && Number.isInteger(l.quantity) && (l.quantity ?? 0) > 0 && typeof l.unitPrice === 'number',
    )
  );
}

startOtelService('orders', (app) => {
  app.post('/orders', async (req, res) => {
    const customer = customerOf(req.headers);
    if (!customer) throw new HttpError(400, 'x-customer-id is required');
    recordCustomer(customer);
    const { lines, card } = req.body as { lines?: unknown; card?: unknown };
    if (!validLines(lines) || typeof card !== 'string') throw new HttpError(400, 'lines and card are required');
    const orderId = `ord-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    annotate(trace.getActiveSpan(), { order_id: orderId });
    const total = store.insert(orderId, customer.id, customer.tier, lines);

    let payment;
    try {
      payment = await callJson<{ chargeId?: string; error?: string }>('payments', '/charges', {
        body: { orderId, amount: total, card },
        headers: customerHeaders(customer),
      });
    } catch (err) {
      store.setStatus(orderId, 'payment_failed');
      throw downstreamFault('payments', err);
    }
    if (payment.status === 402) {
      store.setStatus(orderId, 'declined');
      throw new HttpError(402, payment.body.error ?? 'card declined', { orderId });
    }
    if (payment.status === 429) {
      store.setStatus(orderId, 'payment_throttled');
      res.setHeader('retry-after', payment.headers['retry-after'] ?? '1');
      throw new HttpError(429, payment.body.error ?? 'payments is busy: retry later', { orderId });
    }
    if (payment.status !== 201) {
      store.setStatus(orderId, 'payment_failed');
      throw downstreamFault('payments', payment.status);
    }
    store.setStatus(orderId, 'paid', payment.body.chargeId ?? null);

    // The order is paid whatever happens next: a failed publish is recorded on its span (and so
    // on the map), not returned to the customer.
    await callJson('notifications', `/topics/${ORDER_TOPIC}/messages`, {
      body: { orderId, customer: customer.id, total, lines },
      headers: customerHeaders(customer),
    }).catch(() => {});
    res.status(201).json({ orderId, total, chargeId: payment.body.chargeId });
  });

  app.get('/orders/:id', (req, res) => {
    recordCustomer(customerOf(req.headers));
    const order = store.find(req.params.id);
    if (!order) throw new HttpError(404, `no order ${req.params.id}`);
    res.json(order);
  });
});

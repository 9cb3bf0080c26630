/**
 * notifications (OpenTelemetry): a topic service, like SNS with an HTTP subscription. A publish
 * is answered 202 at once; the message is delivered to the topic's subscribers afterwards, each
 * delivery in the context of the publish request, so the trace goes on through the message: the
 * delivery's POST carries the trace header (X-Ray propagator) and the subscriber's segment joins
 * the trace of the checkout that caused it. A failed delivery is retried (0.5, 2, 8, 20 s).
 */
import { randomUUID } from 'node:crypto';
import { context, SpanKind, type Context } from '@opentelemetry/api';
import { customerHeaders, customerOf, type Customer } from '../runtime/customer.js';
import { callJson } from '../runtime/http-client.js';
import { HttpError } from '../runtime/http-error.js';
import { inSpan, recordCustomer, startOtelService } from '../runtime/otel.js';
import { ORDER_TOPIC, type ServiceName } from '../topology.js';

/** Subscriptions: topic → subscriber endpoints. */
const SUBSCRIPTIONS: Record<string, ReadonlyArray<{ service: ServiceName; path: string }>> = {
  [ORDER_TOPIC]: [{ service: 'fulfillment', path: '/events/order-placed' }],
};
const RETRY_DELAYS_MS = [500, 2_000, 8_000, 20_000];
/** Deliveries waiting at most; a publish beyond that is refused with 503, as a full queue is. */
const MAX_PENDING = 2_000;

interface Delivery {
  readonly id: string;
  readonly topic: string;
  readonly to: { service: ServiceName; path: string };
  readonly body: unknown;
  readonly customer: Customer | null;
  /** The publish request's context: the delivery continues its trace. */
  readonly context: Context;
  attempt: number;
}

let pending = 0;

function schedule(d: Delivery, delayMs: number): void {
  pending++;
  setTimeout(() => {
    pending--;
    void deliver(d);
  }, delayMs);
}

async function deliver(d: Delivery): Promise<void> {
  d.attempt++;
  const ok = await context.with(d.context, () =>
    inSpan(
      `${d.topic} deliver`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          'messaging.system': 'fluoro-demo-notifications',
          'messaging.destination.name': d.topic,
          'messaging.message.id': d.id,
          'messaging.operation': 'deliver',
          'delivery.attempt': d.attempt,
        },
      },
      async () => {
        const res = await callJson(d.to.service, d.to.path, {
          body: d.body,
          headers: { 'x-message-id': d.id, 'x-topic': d.topic, ...(d.customer ? customerHeaders(d.customer) : {}) },
        }).catch(() => null);
        return res !== null && res.status < 300;
      },
    ),
  );
  const retryIn = RETRY_DELAYS_MS[d.attempt - 1];
  if (!ok && retryIn !== undefined) schedule(d, retryIn);
  else if (!ok) console.error(`[notifications] gave up delivering message ${d.id} to ${d.to.service} after ${d.attempt} attempts`);
}

startOtelService('notifications', (app) => {
  app.post('/topics/:topic/messages', (req, res) => {
    const customer = customerOf(req.headers);
    recordCustomer(customer);
    const subscribers = SUBSCRIPTIONS[req.params.topic];
    if (!subscribers) throw new HttpError(404, `no topic ${req.params.topic}`);
    if (pending + subscribers.length > MAX_PENDING) throw new HttpError(503, `${pending} deliveries are waiting: try later`);
    const id = randomUUID();
    // SNS-like: accepted now, delivered a moment later.
    for (const to of subscribers)
      schedule(
        { id, topic: req.params.topic, to, body: req.body, customer, context: context.active(), attempt: 0 },
        50 + Math.random() * 150,
      );
    res.status(202).json({ messageId: id });
  });
});

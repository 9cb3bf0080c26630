/**
 * payments (X-Ray SDK): charges an order's card through the third-party PayStream API, called as
 * api.paystream.example (`captureHTTPsGlobal` makes it a remote node on the map). Chaos can make
 * it fail on its own — a share of charges answered 503 with the exception recorded (a fault whose
 * root cause is payments) or 429 (throttled) — for a while.
 */
import { customerOf } from '../runtime/customer.js';
import { onControl } from '../runtime/control.js';
import { callJson } from '../runtime/http-client.js';
import { downstreamFault, HttpError } from '../runtime/http-error.js';
import { recordCustomer, requestSegment, startXRayService } from '../runtime/xray.js';
import { PAYMENT_API_HOST } from '../topology.js';

let chaos: { mode: 'normal' | 'fault' | 'throttle'; ratio: number } = { mode: 'normal', ratio: 0 };
onControl((msg) => {
  if (msg.type === 'payments-mode') chaos = { mode: msg.mode, ratio: msg.ratio };
});

/** What a payments incident looks like from inside: the ledger database stops taking writes. */
function injectedFailure(): HttpError | null {
  if (chaos.mode === 'normal' || Math.random() >= chaos.ratio) return null;
  if (chaos.mode === 'throttle') return new HttpError(429, 'payments is rate limiting charges: retry later');
  return Object.assign(new HttpError(503, 'payment ledger unavailable: connection pool exhausted (30 of 30 in use)'), {
    name: 'LedgerUnavailableError',
  });
}

startXRayService('payments', { captureHttp: true }, (app) => {
  app.post('/charges', async (req, res) => {
    recordCustomer(customerOf(req.headers));
    const { orderId, amount, card } = req.body as { orderId?: unknown; amount?: unknown; card?: unknown };
    if (typeof orderId !== 'string' || typeof amount !== 'number' || typeof card !== 'string')
      throw new HttpError(400, 'orderId, amount and card are required');
    requestSegment()?.addAnnotation('order_id', orderId);
    const failure = injectedFailure();
    if (failure) {
      if (failure.status === 429) res.setHeader('retry-after', '1');
      throw failure;
    }
    let charge;
    try {
      charge = await callJson<{ id?: string; error?: { message?: string } }>('paystream', '/v1/charges', {
        host: PAYMENT_API_HOST,
        body: { amount, currency: 'usd', card, reference: orderId },
      });
    } catch (err) {
      throw downstreamFault(PAYMENT_API_HOST, err);
    }
    if (charge.status === 402) throw new HttpError(402, charge.body.error?.message ?? 'card declined');
    if (charge.status !== 200) throw downstreamFault(PAYMENT_API_HOST, charge.status);
    res.status(201).json({ chargeId: charge.body.id });
  });
});

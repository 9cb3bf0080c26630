/**
 * A stand-in for a third-party payment API ("PayStream", called as api.paystream.example): it is
 * someone else's service, so it sends no traces and the map shows it as a remote node. Charges
 * take 40–120 ms; the test card 4000 0000 0000 0002 is declined (402), as with real providers.
 */
import { randomBytes } from 'node:crypto';
import { servePlain } from '../runtime/plain-server.js';
import { DECLINED_CARD } from '../topology.js';

servePlain('paystream', async (req, raw, res) => {
  const answer = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'POST' || req.url !== '/v1/charges')
    return answer(404, { error: { type: 'invalid_request_error', message: `no route ${req.method} ${req.url}` } });
  let charge: { amount?: unknown; currency?: unknown; card?: unknown; reference?: unknown };
  try {
    charge = JSON.parse(raw.toString()) as typeof charge;
  } catch {
    return answer(400, { error: { type: 'invalid_request_error', message: 'body is not JSON' } });
  }
  await new Promise((r) => setTimeout(r, 40 + Math.random() * 80));
  if (typeof charge.amount !== 'number' || charge.amount <= 0 || typeof charge.card !== 'string')
    return answer(400, { error: { type: 'invalid_request_error', message: 'amount and card are required' } });
  if (charge.card === DECLINED_CARD)
    return answer(402, { error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' } });
  answer(200, {
    id: `ch_${randomBytes(12).toString('hex')}`,
    object: 'charge',
    status: 'succeeded',
    amount: charge.amount,
    currency: charge.currency ?? 'usd',
    reference: charge.reference,
  });
});

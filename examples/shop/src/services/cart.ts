/**
 * cart (OpenTelemetry): each customer's cart, in memory (at most 10,000 carts; the oldest goes
 * first). Refuses quantities outside 1–10 with 400, one of the client errors the load makes.
 */
import { trace } from '@opentelemetry/api';
import { customerOf } from '../runtime/customer.js';
import { HttpError } from '../runtime/http-error.js';
import { recordCustomer, startOtelService } from '../runtime/otel.js';

interface Line {
  productId: string;
  quantity: number;
  unitPrice: number;
}

const MAX_CARTS = 10_000;
const carts = new Map<string, Line[]>();

function cartOf(customer: string): Line[] {
  const cart = carts.get(customer) ?? [];
  carts.delete(customer); // re-inserted last: the Map's order is least recently used first
  carts.set(customer, cart);
  if (carts.size > MAX_CARTS) carts.delete(carts.keys().next().value!);
  return cart;
}

startOtelService('cart', (app) => {
  app.get('/carts/:customer', (req, res) => {
    recordCustomer(customerOf(req.headers));
    const items = cartOf(req.params.customer);
    trace.getActiveSpan()?.setAttribute('cart.items', items.length);
    res.json({ customer: req.params.customer, items });
  });

  app.post('/carts/:customer/items', (req, res) => {
    recordCustomer(customerOf(req.headers));
    const { productId, quantity, unitPrice } = req.body as Partial<Line>;
    if (typeof productId !== 'string' || typeof unitPrice !== 'number') throw new HttpError(400, 'productId and unitPrice are required');
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1 || quantity > 10)
      throw new HttpError(400, `quantity must be an integer from 1 to 10, not ${JSON.stringify(quantity)}`);
    const items = cartOf(req.params.customer);
    const line = items.find((l) => l.productId === productId);
    if (line) line.quantity = Math.min(10, line.quantity + quantity);
    else if (items.length < 20) items.push({ productId, quantity, unitPrice });
    else throw new HttpError(400, 'a cart holds at most 20 products');
    res.status(201).json({ customer: req.params.customer, items });
  });

  app.delete('/carts/:customer', (req, res) => {
    recordCustomer(customerOf(req.headers));
    carts.delete(req.params.customer);
    res.status(204).end();
  });
});

/**
 * frontend (X-Ray SDK): the shop's HTTP API, the entry point of every trace. It calls catalog,
 * cart and orders; `captureHTTPsGlobal` records each call, and the X-Ray trace header it adds
 * carries the trace into the OpenTelemetry services.
 */
import type { Request } from 'express';
import { customerOf, type Customer } from '../runtime/customer.js';
import { callService } from '../runtime/downstream.js';
import { HttpError } from '../runtime/http-error.js';
import { recordCustomer, requestSegment, startXRayService } from '../runtime/xray.js';

interface Product {
  id: string;
  name: string;
  price: number;
}
interface Cart {
  items: Array<{ productId: string; quantity: number }>;
}
interface Order {
  orderId: string;
  total: number;
}

/** The customer the auth gateway vouched for; cart and checkout need one. */
function customer(req: Request, required: boolean): Customer | null {
  const c = customerOf(req.headers);
  if (!c && required) throw new HttpError(401, 'x-customer-id is required');
  recordCustomer(c);
  return c;
}

startXRayService('frontend', { captureHttp: true, downstreamTraced: true }, (app) => {
  app.get('/api/products', async (req, res) => {
    const c = customer(req, false);
    const category = typeof req.query['category'] === 'string' ? `?category=${encodeURIComponent(req.query['category'])}` : '';
    res.json(await callService('catalog', `/products${category}`, c));
  });

  app.get('/api/products/:id', async (req, res) => {
    const c = customer(req, false);
    res.json(await callService('catalog', `/products/${encodeURIComponent(req.params.id)}`, c));
  });

  app.get('/api/cart', async (req, res) => {
    const c = customer(req, true)!;
    res.json(await callService('cart', `/carts/${c.id}`, c));
  });

  app.post('/api/cart/items', async (req, res) => {
    const c = customer(req, true)!;
    const { productId, quantity } = req.body as { productId?: unknown; quantity?: unknown };
    if (typeof productId !== 'string') throw new HttpError(400, 'productId is required');
    const product = await callService<Product>('catalog', `/products/${encodeURIComponent(productId)}`, c);
    res.status(201).json(await callService('cart', `/carts/${c.id}/items`, c, { body: { productId, quantity, unitPrice: product.price } }));
  });

  app.post('/api/checkout', async (req, res) => {
    const c = customer(req, true)!;
    const { card } = req.body as { card?: unknown };
    if (typeof card !== 'string' || !/^\d{16}$/.test(card)) throw new HttpError(400, 'card must be 16 digits');
    const cart = await callService<Cart>('cart', `/carts/${c.id}`, c);
    if (cart.items.length === 0) throw new HttpError(400, 'the cart is empty');
    const { products } = await callService<{ products: Product[] }>('catalog', '/products/batch', c, {
      body: { ids: cart.items.map((i) => i.productId) },
    });
    const lines = cart.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
      unitPrice: products.find((p) => p.id === i.productId)!.price,
    }));
    const order = await callService<Order>('orders', '/orders', c, { body: { lines, card } });
    requestSegment()?.addAnnotation('order_id', order.orderId);
    await callService('cart', `/carts/${c.id}`, c, { method: 'DELETE' });
    res.status(201).json(order);
  });
});

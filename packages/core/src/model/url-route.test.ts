import { describe, expect, it } from 'vitest';
import { urlRoute } from './url-route.js';

describe('urlRoute', () => {
  it.each([
    ['http://127.0.0.1:41575/api/products/p-914', '/api/products/{id}'],
    ['http://shop:8001/api/products/p-1?ref=home#top', '/api/products/{id}'],
    ['https://api.example.com/v1/orders/42/items', '/v1/orders/{id}/items'],
    ['http://h/users/0b9c6a1e-5d2f-4c3e-9a7b-1f2e3d4c5b6a', '/users/{id}'],
    ['http://h', '/'],
    ['http://h/', '/'],
    ['/api/cart/', '/api/cart/'],
    ['/api//x/7', '/api//x/{id}'],
    ['', '/'],
    ['?q=1', '/'],
    ['shop:8080/api', '{id}/api'],
  ])('%s → %s', (url, route) => expect(urlRoute(url)).toBe(route));
});

import { parseFilter } from '@fluoro/core';
import { describe, expect, it } from 'vitest';
import { groupFilter } from './traces.js';

describe('a group’s filter', () => {
  it.each([
    [{ kind: 'http.status' }, { value: 500 }, 'http.status = 500'],
    [{ kind: 'http.status' }, { value: null }, '!http.status'],
    [{ kind: 'http.url' }, { value: 'http://shop/cart?q="x"' }, 'http.url = "http://shop/cart?q=\\"x\\""'],
    [{ kind: 'http.method' }, { value: 'GET' }, 'http.method = "GET"'],
    [{ kind: 'user' }, { value: null }, '!user'],
    [{ kind: 'user' }, { value: 'u1' }, 'user = "u1"'],
    [{ kind: 'service' }, { value: 'cart', type: 'service' }, 'service(id(name: "cart", type: "service"))'],
    [{ kind: 'service' }, { value: 'cart' }, 'service("cart")'],
    // Traces that touch no node: no segment, no call to an inferred one.
    [{ kind: 'service' }, { value: null }, '!service()'],
    [{ kind: 'annotation', key: 'tier' }, { value: 'gold' }, 'annotation.tier = "gold"'],
    [{ kind: 'annotation', key: 'items' }, { value: 2 }, 'annotation.items = 2'],
    [{ kind: 'annotation', key: 'vip' }, { value: true }, 'annotation.vip = true'],
    [{ kind: 'annotation', key: 'aws.local.service' }, { value: null }, '!annotation[aws.local.service]'],
    [{ kind: 'annotation', key: '2fa' }, { value: false }, 'annotation[2fa] = false'],
  ] as const)('%j %j: %s', (by, group, expected) => {
    const text = groupFilter(by, group);
    expect(text).toBe(expected);
    expect(parseFilter(text).ok).toBe(true);
  });
});

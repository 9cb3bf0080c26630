import { describe, expect, it } from 'vitest';
import { processed, three } from '../../test/support/documents';
import { buildSearchIndex, findSpans, parseSearch, stepMatch } from './span-search';
import { buildTimeline } from './timeline-model';

const model = buildTimeline(processed(three.documents));
const index = buildSearchIndex(model);
/** What a query finds, as `name/kind` in the timeline's order. */
const find = (q: string) =>
  findSpans(index, q).map((id) => {
    const s = model.spans.get(id)!;
    return `${s.name}/${s.kind}`;
  });

describe('span search in a trace', () => {
  it('finds spans by status, in the timeline’s order', () => {
    expect(find('fault')).toEqual(['inventory/subsegment', 'inventory/segment', 'reserve/subsegment', 'write/subsegment']);
    expect(find('FAULT')).toEqual(find('fault'));
    expect(find('status=fault')).toEqual(find('fault'));
    expect(find('status=ok').length).toBe(12);
  });

  it('matches annotation and metadata keys and values', () => {
    expect(find('gold')).toEqual(['frontend/segment']);
    expect(find('tier')).toEqual(['frontend/segment']);
    expect(find('tier=gold')).toEqual(['frontend/segment']);
    expect(find('annotation.tier=gold')).toEqual(['frontend/segment']);
    expect(find('tier=silver')).toEqual([]);
    expect(find('cart')).toEqual(['frontend/segment']); // metadata.default.cart
    expect(find('sku=b-7')).toEqual(['frontend/segment']); // metadata.default.cart.items.1.sku
    expect(find('ord-1842')).toEqual(['orders/segment']);
    expect(find('order_id=')).toEqual(['orders/segment']);
  });

  it('matches HTTP, SQL, AWS, exceptions, origin and service, every word at once', () => {
    expect(find('http.status=500')).toEqual(['inventory/subsegment', 'inventory/segment']);
    expect(find('http.method=post')).toEqual(['orders/subsegment', 'orders/segment', 'inventory/subsegment', 'inventory/segment']);
    expect(find('url=inventory.internal')).toEqual(['inventory/subsegment', 'inventory/segment']);
    expect(find('StockConflictError')).toEqual(['write/subsegment']);
    expect(find('"SKU B-7: reserved"')).toEqual(['write/subsegment']);
    expect(find('SKU reserved')).toEqual(['write/subsegment']);
    // The DynamoDB call by its name, its inferred node by its origin.
    expect(find('dynamodb')).toEqual(['DynamoDB/subsegment', 'stock/inferred']);
    expect(find('getitem')).toEqual(['DynamoDB/subsegment', 'stock/inferred']);
    expect(find('postgres insert')).toEqual(['postgres@db.internal/subsegment', 'postgres@db.internal/inferred']);
    // "orders" is the service of the faulted call to inventory.
    expect(find('orders fault')).toEqual(['inventory/subsegment']);
    expect(find('service=inventory').length).toBe(4);
    expect(find('0b00000000000004')).toEqual(['write/subsegment']);
    expect(find('')).toEqual([]);
    expect(find('   ')).toEqual([]);
    expect(find('nothing-like-this')).toEqual([]);
  });

  it('reads OpenTelemetry attributes where the conversion keeps them', () => {
    const m = buildTimeline([
      {
        name: 'users',
        id: 'c000000000000001',
        start_time: 1,
        end_time: 2,
        metadata: { default: { 'http.route': '/api/users/{id}', 'app.retries': 2 }, otel: { kind: 'SERVER' } },
      },
      { name: 'other', id: 'c000000000000002', start_time: 1, end_time: 2 },
    ]);
    const i = buildSearchIndex(m);
    expect(findSpans(i, 'http.route=/api/users')).toEqual(['c000000000000001']);
    expect(findSpans(i, 'route=/api')).toEqual(['c000000000000001']);
    expect(findSpans(i, 'app.retries=2')).toEqual(['c000000000000001']);
    // A namespace is not a key a person chose.
    expect(findSpans(i, 'default')).toEqual([]);
    expect(findSpans(i, 'kind=server')).toEqual(['c000000000000001']);
  });

  it('finds a span still in progress by its status', () => {
    const i = buildSearchIndex(
      buildTimeline([
        { name: 'done', id: 'd000000000000001', start_time: 1, end_time: 2 },
        { name: 'running', id: 'd000000000000002', start_time: 1, in_progress: true },
      ]),
    );
    expect(findSpans(i, 'in progress')).toEqual(['d000000000000002']);
    expect(findSpans(i, 'status=partial')).toEqual(['d000000000000002']);
    expect(findSpans(i, 'status="in progress"')).toEqual(['d000000000000002']);
  });

  it('splits words, phrases and key=value', () => {
    expect(parseSearch('a "b c"  k=v k2="x y" k3=')).toEqual([
      { value: 'a' },
      { value: 'b c' },
      { key: 'k', value: 'v' },
      { key: 'k2', value: 'x y' },
      { key: 'k3', value: '' },
    ]);
    expect(parseSearch('"unclosed phrase')).toEqual([{ value: 'unclosed phrase' }]);
  });

  it('steps through matches, wrapping, and from a span that is not one', () => {
    const order = ['a', 'b', 'c', 'd', 'e'];
    const matches = ['b', 'd'];
    expect(stepMatch(matches, order, 'b', 1)).toBe('d');
    expect(stepMatch(matches, order, 'd', 1)).toBe('b');
    expect(stepMatch(matches, order, 'b', -1)).toBe('d');
    expect(stepMatch(matches, order, 'c', 1)).toBe('d');
    expect(stepMatch(matches, order, 'c', -1)).toBe('b');
    expect(stepMatch(matches, order, 'e', 1)).toBe('b');
    expect(stepMatch(matches, order, 'a', -1)).toBe('d');
    expect(stepMatch(matches, order, null, 1)).toBe('b');
    expect(stepMatch([], order, 'a', 1)).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { firstByPosition, nearestInDirection, type Box } from './spatial-focus';

const box = (x: number, y: number): Box => ({ x, y, width: 100, height: 60 });

describe('arrow keys across the map', () => {
  // client → frontend → cart (top) / catalog (below) → DynamoDB (right of cart)
  const client = box(0, 100);
  const frontend = box(250, 100);
  const cart = box(500, 0);
  const catalog = box(500, 200);
  const dynamo = box(750, 0);
  const all = [client, frontend, cart, catalog, dynamo];
  const from = (b: Box, dir: Parameters<typeof nearestInDirection>[2]) => nearestInDirection(b, all, dir);

  it('goes to the nearest element that way, along the row before across it', () => {
    expect(from(client, 'right')).toBe(1);
    expect(from(frontend, 'left')).toBe(0);
    expect(from(cart, 'right')).toBe(4);
    expect(from(cart, 'down')).toBe(3);
    expect(from(catalog, 'up')).toBe(2);
    // From catalog, → has only DynamoDB ahead (up and right): within the cone, so it goes there.
    expect(from(catalog, 'right')).toBe(4);
  });

  it('stays put where nothing lies that way', () => {
    expect(from(client, 'left')).toBe(-1);
    expect(from(dynamo, 'right')).toBe(-1);
    expect(from(client, 'up')).toBe(-1);
  });

  it('starts the map at its leftmost node, the topmost of a column', () => {
    expect(firstByPosition(['b', 'a', 'c'], { a: { x: 0, y: 50 }, b: { x: 200, y: 0 }, c: { x: 0, y: 10 } })).toBe('c');
    expect(firstByPosition(['x'], {})).toBeNull();
  });
});

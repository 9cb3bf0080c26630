import { describe, expect, it } from 'vitest';
import { carryOver, newNodes, structureKey, wantsFresh, withRemembered, type Point, type Shape } from './steady-layout';

const box = { width: 150, height: 100, gap: 30 };
const shape = (nodes: string[], edges: Array<[string, string]>): Shape => ({
  nodes: nodes.map((id) => ({ id })),
  edges: edges.map(([source, target]) => ({ source, target })),
});
const overlapping = (ps: Record<string, Point>) => {
  const list = Object.entries(ps);
  const out: string[] = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const [a, p] = list[i]!;
      const [b, q] = list[j]!;
      if (Math.abs(p.x - q.x) < box.width + box.gap && Math.abs(p.y - q.y) < box.height + box.gap) out.push(`${a}/${b}`);
    }
  return out;
};

describe('keeping the map still between refreshes', () => {
  it('knows a graph with the same nodes and edges, in any order, has nothing to lay out', () => {
    const a = shape(
      ['client', 'front', 'db'],
      [
        ['client', 'front'],
        ['front', 'db'],
      ],
    );
    const b = shape(
      ['db', 'client', 'front'],
      [
        ['front', 'db'],
        ['client', 'front'],
      ],
    );
    expect(structureKey(a)).toBe(structureKey(b));
    expect(structureKey(shape(['client', 'front', 'db'], [['client', 'front']]))).not.toBe(structureKey(a));
    expect(
      structureKey(
        shape(
          ['client', 'front', 'db', 'x'],
          [
            ['client', 'front'],
            ['front', 'db'],
          ],
        ),
      ),
    ).not.toBe(structureKey(a));
  });

  it('keeps every node it drew where it was and puts a new one beside its neighbour, as the fresh layout has it', () => {
    const g = shape(
      ['client', 'front', 'cart', 'pay'],
      [
        ['client', 'front'],
        ['front', 'cart'],
        ['front', 'pay'],
      ],
    );
    const previous = { client: { x: 0, y: 100 }, front: { x: 300, y: 100 }, cart: { x: 600, y: 100 } };
    // A fresh layout moved everything (front re-centred between its two callees).
    const fresh = { client: { x: 0, y: 65 }, front: { x: 300, y: 65 }, cart: { x: 600, y: 0 }, pay: { x: 600, y: 130 } };
    expect(newNodes(g, previous)).toEqual(['pay']);
    expect(wantsFresh(g, previous)).toBe(false);
    const at = carryOver(g, previous, fresh, box);
    expect(at.client).toEqual(previous.client);
    expect(at.front).toEqual(previous.front);
    expect(at.cart).toEqual(previous.cart);
    // Relative to front, as fresh has it: (+300, +65) → (600, 165), which covers cart: just below it.
    expect(at.pay).toEqual({ x: 600, y: 100 + 130 });
    expect(overlapping(at)).toEqual([]);
  });

  it('places a new node by all its placed neighbours, and a chain of new nodes one after the other', () => {
    const g = shape(
      ['a', 'b', 'n1', 'n2'],
      [
        ['a', 'n1'],
        ['b', 'n1'],
        ['n1', 'n2'],
      ],
    );
    const previous = { a: { x: 0, y: 0 }, b: { x: 0, y: 400 } };
    const fresh = { a: { x: 0, y: 0 }, b: { x: 0, y: 200 }, n1: { x: 300, y: 100 }, n2: { x: 600, y: 100 } };
    const at = carryOver(g, previous, fresh, box);
    // The mean of (0,0)+(300,100) and (0,400)+(300,-100).
    expect(at.n1).toEqual({ x: 300, y: 200 });
    expect(at.n2).toEqual({ x: 600, y: 200 });
  });

  it('moves a new node to the nearest free place, past several nodes if need be', () => {
    const g = shape(['a', 'b', 'c', 'n'], [['a', 'n']]);
    // b and c stacked where n wants to go; the nearest free place is above b.
    const previous = { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 300, y: 130 } };
    const at = carryOver(g, previous, { a: { x: 0, y: 0 }, n: { x: 300, y: 60 } }, box);
    expect(at.n).toEqual({ x: 300, y: -130 });
    expect(overlapping(at)).toEqual([]);
  });

  it('puts a new group of services, connected to nothing drawn, below the drawing', () => {
    const g = shape(
      ['a', 'b', 'x', 'y'],
      [
        ['a', 'b'],
        ['x', 'y'],
      ],
    );
    const previous = { a: { x: 50, y: 0 }, b: { x: 350, y: 20 } };
    const fresh = { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, x: { x: 0, y: 200 }, y: { x: 300, y: 200 } };
    const at = carryOver(g, previous, fresh, box);
    expect(at.x).toEqual({ x: 50, y: 20 + 100 + 60 });
    expect(at.y).toEqual({ x: 350, y: 20 + 100 + 60 });
    expect(overlapping(at)).toEqual([]);
  });

  it('lays out afresh when most nodes are new', () => {
    const g = shape(['a', 'b', 'c', 'd', 'e'], []);
    expect(wantsFresh(g, {})).toBe(true);
    expect(wantsFresh(g, { a: { x: 0, y: 0 }, b: { x: 0, y: 0 } })).toBe(true);
    expect(wantsFresh(g, { a: { x: 0, y: 0 }, b: { x: 0, y: 0 }, c: { x: 0, y: 0 } })).toBe(false);
  });

  it('puts a node that comes back where it was, unless another took the place', () => {
    const g = shape(['a', 'b', 'c'], []);
    const drawn = { a: { x: 0, y: 0 }, b: { x: 0, y: 200 } };
    expect(withRemembered(g, drawn, { c: { x: 300, y: 0 } }, box)).toEqual({ ...drawn, c: { x: 300, y: 0 } });
    expect(withRemembered(g, drawn, { c: { x: 10, y: 190 } }, box)).toEqual(drawn);
    // Only nodes of the graph.
    expect(withRemembered(shape(['a'], []), drawn, {}, box)).toEqual({ a: drawn.a });
  });
});

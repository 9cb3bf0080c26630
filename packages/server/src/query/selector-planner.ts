import type { CheckedFilter, Expr, Selector } from '@fluoro/core';
import type { NodeMatch, SelectorPlan } from './plan.js';

/** A selector outside the entity-selector subset (the checker refuses these first; this keeps the planner total). */
export class InvalidSelector extends Error {}

/**
 * Plans an entity selector (the service / edge / id subset, spec §4.4; the core checker holds
 * expressions to it) as the graph events it picks. No selector means the client edges: every
 * request that entered the system.
 */
export function planSelector(e: CheckedFilter | null): SelectorPlan {
  if (!e) return { kind: 'client' };
  return plan(e);
}

function plan(e: Expr): Exclude<SelectorPlan, { kind: 'client' }> {
  switch (e.kind) {
    case 'service':
      if (e.filter) throw new InvalidSelector('an entity selector takes no { filter }');
      return { kind: 'service', nodes: [match(e.selector)] };
    case 'edge':
      if (e.filter) throw new InvalidSelector('an entity selector takes no { filter }');
      return { kind: 'edge', edges: [{ from: match(e.from), to: match(e.to) }] };
    case 'or': {
      const a = plan(e.left);
      const b = plan(e.right);
      if (a.kind === 'service' && b.kind === 'service') return { kind: 'service', nodes: [...a.nodes, ...b.nodes] };
      if (a.kind === 'edge' && b.kind === 'edge') return { kind: 'edge', edges: [...a.edges, ...b.edges] };
      throw new InvalidSelector('an entity selector cannot mix service(...) and edge(...)');
    }
    default:
      throw new InvalidSelector('an entity selector is service(...), edge(...), or several of one kind joined with OR');
  }
}

function match(sel: Selector | null): NodeMatch {
  if (!sel) return {};
  if (sel.kind === 'name') return { name: sel.name };
  return {
    ...(sel.name !== undefined ? { name: sel.name } : {}),
    ...(sel.type !== undefined ? { type: sel.type } : {}),
    ...(sel.accountId !== undefined ? { accountId: sel.accountId } : {}),
  };
}

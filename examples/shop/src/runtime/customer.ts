import type { IncomingHttpHeaders } from 'node:http';

export const TIERS = ['gold', 'silver', 'bronze'] as const;
export type Tier = (typeof TIERS)[number];

/**
 * Who a request is for. The frontend takes it from the headers an (imaginary) auth gateway puts in
 * front of it, and passes it on to every service, each of which records it: the customer as the
 * trace's user, the tier as the `customer_tier` annotation.
 */
export interface Customer {
  readonly id: string;
  readonly tier: Tier;
}

export function customerOf(headers: IncomingHttpHeaders): Customer | null {
  const id = headers['x-customer-id'];
  const tier = headers['x-customer-tier'];
  if (typeof id !== 'string' || !/^[\w.-]{1,64}$/.test(id)) return null;
  return { id, tier: TIERS.includes(tier as Tier) ? (tier as Tier) : 'bronze' };
}

export function customerHeaders(c: Customer): Record<string, string> {
  return { 'x-customer-id': c.id, 'x-customer-tier': c.tier };
}

import { TIERS, type Tier } from '../runtime/customer.js';

/** A simulated shopper, with what the load generator remembers of their cart. */
export interface SimCustomer {
  readonly id: string;
  readonly tier: Tier;
  cartItems: number;
}

/** `count` customers: a fifth gold, three tenths silver, half bronze. */
export function customers(count: number): SimCustomer[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `customer-${String(i + 1).padStart(3, '0')}`,
    tier: (i % 10 < 2 ? TIERS[0] : i % 10 < 5 ? TIERS[1] : TIERS[2]) as Tier,
    cartItems: 0,
  }));
}

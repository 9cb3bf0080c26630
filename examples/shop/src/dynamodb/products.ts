import type { Item } from './table-store.js';

/** The shop's catalog, as catalog reads it from the `products` table. */
export interface Product {
  readonly id: string;
  readonly name: string;
  readonly category: string;
  readonly price: number;
}

const NAMES: Record<string, readonly string[]> = {
  coffee: ['Ethiopia Yirgacheffe', 'Colombia Huila', 'Kenya Nyeri', 'Espresso Blend', 'Decaf Sumatra', 'Guatemala Antigua'],
  gear: ['Pour-over Kettle', 'Burr Grinder', 'Glass Dripper', 'Scale 0.1 g', 'Paper Filters x100', 'Milk Jug'],
  cups: ['Stoneware Mug', 'Double-wall Glass', 'Travel Tumbler', 'Espresso Cup Pair', 'Latte Bowl', 'Enamel Camp Cup'],
  tea: ['Sencha', 'Earl Grey', 'Assam Breakfast', 'Jasmine Pearls', 'Rooibos', 'Oolong Tieguanyin'],
};

export const PRODUCTS: readonly Product[] = Object.entries(NAMES).flatMap(([category, names], c) =>
  names.map((name, i) => ({
    id: `p-${String(c * 100 + i + 1).padStart(3, '0')}`,
    name,
    category,
    price: Math.round((6 + ((c * 7 + i * 13) % 40) + i * 0.5) * 100) / 100,
  })),
);

export function toItem(p: Product): Item {
  return { id: { S: p.id }, name: { S: p.name }, category: { S: p.category }, price: { N: String(p.price) } };
}

export function fromItem(item: Item): Product {
  return {
    id: String(item['id']?.['S']),
    name: String(item['name']?.['S']),
    category: String(item['category']?.['S']),
    price: Number(item['price']?.['N']),
  };
}

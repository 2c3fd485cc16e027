export interface Price {
  sku: string;
  cents: number;
}

const TABLE: Record<string, number> = { apple: 120, pear: 95 };

export function priceOf(sku: string): Price {
  const cents = TABLE[sku];
  if (cents === undefined) {
    throw new RangeError(`no price for ${sku}`);
  }
  return { sku, cents };
}

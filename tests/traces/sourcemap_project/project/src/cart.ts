import { priceOf } from "./pricing";

interface Line {
  sku: string;
  qty: number;
  cents: number;
}

export class Cart {
  private lines: Line[] = [];

  add(sku: string, qty = 1): this {
    const price = priceOf(sku);
    this.lines.push({ sku, qty, cents: price.cents * qty });
    return this;
  }

  total(): number {
    return this.lines.reduce((sum, line) => sum + line.cents, 0);
  }
}

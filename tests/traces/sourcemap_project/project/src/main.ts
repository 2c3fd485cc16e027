import { Cart } from "./cart";

declare const process: { argv: string[] };
declare const console: { log(...args: unknown[]): void };

export function checkout(skus: string[]): number {
  const cart = new Cart();
  for (const sku of skus) {
    cart.add(sku);
  }
  return cart.total();
}

const wanted = process.argv.slice(2);
console.log(checkout(wanted.length ? wanted : ["apple", "kiwi"]));

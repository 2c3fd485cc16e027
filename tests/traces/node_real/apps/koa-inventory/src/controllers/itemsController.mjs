import { Inventory, StockError } from '../services/inventory.mjs';

const inventory = new Inventory();

export async function show(ctx) {
  const item = await inventory.load(ctx.params.id);
  ctx.body = item;
}

export async function create(ctx) {
  ctx.status = 201;
  ctx.body = inventory.add({ name: ctx.query.name });
}

export function restock(ctx) {
  const count = Number(ctx.query.count);
  if (Number.isNaN(count)) {
    throw new StockError(`bad count ${ctx.query.count}`);
  }
  ctx.body = inventory.restock(ctx.params.id, count);
}

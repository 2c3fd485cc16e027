import { Inventory } from '../services/inventory.mjs';

const inventory = new Inventory();

export async function showStats(ctx) {
  ctx.body = { value: await inventory.totalValue() };
}

export function flushCache(ctx) {
  inventory.forget(ctx.params.key, (err) => {
    if (err) {
      ctx.app.emit('error', err, ctx);
    }
  });
  ctx.status = 202;
}

export class StockError extends Error {
  constructor(message) {
    super(message);
    this.name = 'StockError';
    this.status = 400;
  }
}

export class Inventory {
  constructor() {
    this.items = new Map([['1', { id: '1', name: 'bolt', price: 2, stock: 10 }]]);
  }

  async load(id) {
    await null;
    const item = this.items.get(id);
    return { ...item, label: item.name.toUpperCase() };
  }

  add(fields) {
    const id = String(this.items.size + 1);
    this.items.set(id, { id, name: fields.name.trim(), price: 0, stock: 0 });
    return this.items.get(id);
  }

  restock(id, count) {
    const item = this.items.get(id);
    item.stock += count;
    return item;
  }

  async totalValue() {
    let total = 0;
    for (const item of this.items.values()) {
      total += item.price.toFixed(2) * item.stock;
    }
    return this.round(total);
  }

  round(value) {
    return value.toPrecision(-1);
  }

  forget(key, done) {
    setImmediate(() => {
      done(key === 'all' ? null : new Error(`no cache entry ${key}`));
    });
  }
}

'use strict';
const { Store, fetchAll } = require('./lib/store');

async function main() {
  try {
    await fetchAll(new Store(), ['1', '{bad']);
  } catch (err) {
    throw new Error('loading failed', { cause: err });
  }
}

console.trace('starting');
main();

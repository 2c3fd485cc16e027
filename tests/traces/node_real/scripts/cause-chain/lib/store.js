'use strict';
class Store {
  load(key) {
    return JSON.parse(key);
  }
}
async function fetchAll(store, keys) {
  return Promise.all(keys.map(async (k) => store.load(k)));
}
module.exports = { Store, fetchAll };

'use strict';

const routes = {
  handler: function listItems(query) {
    return query.limit.toFixed(0);
  },
};

exports.show = function renderShow(query) {
  return routes.handler(query);
};

setTimeout(() => {
  exports.show({});
}, 1);

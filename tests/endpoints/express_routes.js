// Dump the route table an Express 4 application builds at run time, as JSON.
// Usage: node express_routes.js APP_MODULE   (the module exports the app)
// Each route: {method, route, name, source}: `source` is the handler's own
// text, so the test can find where it is declared.
'use strict';
const path = require('path');

const app = require(path.resolve(process.argv[2]));

function mountPath(layer) {
  // Express 4 keeps only the mount regexp: /^\/users\/?(?=\/|$)/i
  if (layer.regexp.fast_slash) return '';
  let src = layer.regexp.source
    .replace('\\/?(?=\\/|$)', '')
    .replace(/^\^/, '')
    .replace(/\\\//g, '/');
  let i = 0;
  src = src.replace(/\(\?:\(\[\^\\\/\]\+\?\)\)/g, () => ':' + (layer.keys[i++] || {}).name);
  return src;
}

function walk(stack, prefix, out) {
  for (const layer of stack) {
    if (layer.route) {
      const route = layer.route;
      const paths = Array.isArray(route.path) ? route.path : [route.path];
      for (const p of paths) {
        for (const method of Object.keys(route.methods)) {
          const handlers = route.stack.filter((l) => l.method === method || method === '_all');
          const last = handlers[handlers.length - 1];
          out.push({
            method: method === '_all' ? '*' : method.toUpperCase(),
            route: prefix + p,
            name: last.handle.name,
            source: last.handle.toString().slice(0, 300),
          });
        }
      }
    } else if (layer.name === 'router' && layer.handle && layer.handle.stack) {
      walk(layer.handle.stack, prefix + mountPath(layer), out);
    }
  }
}

const out = [];
walk(app._router.stack, '', out);
process.stdout.write(JSON.stringify({ routes: out }));

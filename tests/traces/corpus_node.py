"""A small Node.js project (CommonJS and ES modules) that throws in many ways.

Lines that can appear in a frame end with ``// @sym: X`` (see corpus_python).
"""

from __future__ import annotations

FILES: dict[str, str] = {}

FILES["package.json"] = '{"name": "shop", "private": true}\n'

FILES["src/repo.js"] = """\
'use strict';

class Repo {
  constructor(db) {
    if (!db) throw new TypeError('no database'); // @sym: Repo.constructor
    this.db = db;
  }

  find(id) {
    return this.db[id].name; // @sym: Repo.find
  }

  static open(db) {
    return new Repo(db); // @sym: Repo.open
  }

  get size() {
    return this.db.items.length; // @sym: Repo.size
  }
}

module.exports = { Repo };
"""

FILES["src/service.js"] = """\
'use strict';
const { Repo } = require('./repo');

const pick = (o, k) => o[k].name; // @sym: pick

const helpers = {
  load(repo, id) {
    return repo.find(id); // @sym: helpers.load
  },
};

async function fetchUser(db, id) {
  await null; // @sym: fetchUser
  return helpers.load(Repo.open(db), id); // @sym: fetchUser
}

function withCause(db) {
  try {
    return helpers.load(new Repo(db), 7); // @sym: withCause
  } catch (err) {
    throw new Error('lookup failed', { cause: err }); // @sym: withCause
  }
}

function each(list, fn) {
  list.forEach((x) => fn(x)); // @sym: each
}

module.exports = { pick, helpers, fetchUser, withCause, each };
"""

FILES["src/main.js"] = """\
'use strict';
const service = require('./service');
const { Repo } = require('./repo');

async function run(name) {
  if (name === 'sync') return service.helpers.load(new Repo([]), 3); // @sym: run
  if (name === 'async') return await service.fetchUser([], 5); // @sym: run
  if (name === 'ctor') return new Repo(null); // @sym: run
  if (name === 'cause') return service.withCause([]); // @sym: run
  if (name === 'arrow') return service.pick({}, 'x'); // @sym: run
  if (name === 'callback') return service.each([1], (x) => service.pick({}, x)); // @sym: run
  if (name === 'getter') return new Repo({}).size; // @sym: run
  throw new Error('unknown scenario ' + name); // @sym: run
}

run(process.argv[2]).catch((err) => { // @sym: <module>
  console.error(err);
  process.exitCode = 1;
});
"""

FILES["src/crash.js"] = """\
'use strict';
const { Repo } = require('./repo');

function main() {
  return new Repo({}).find(1); // @sym: main
}

main(); // @sym: <module>
"""

FILES["src/esm/widget.mjs"] = """\
export class Widget {
  render(items) {
    return items.map((i) => i.label.toUpperCase()); // @sym: Widget.render
  }
}

export function boom() {
  throw new Error('esm boom'); // @sym: boom
}
"""

FILES["src/esm/main.mjs"] = """\
import { Widget, boom } from './widget.mjs';

const which = process.argv[2];
if (which === 'render') new Widget().render([{}]); // @sym: <module>
else boom(); // @sym: <module>
"""

RUNS: tuple[tuple[str, ...], ...] = (
    ("src/main.js", "sync"), ("src/main.js", "async"), ("src/main.js", "ctor"),
    ("src/main.js", "cause"), ("src/main.js", "arrow"), ("src/main.js", "callback"),
    ("src/main.js", "getter"), ("src/crash.js",), ("src/esm/main.mjs", "render"),
    ("src/esm/main.mjs", "boom"),
)

"""JavaScript / TypeScript call resolution: ES modules, CommonJS, classes, object literals."""

from __future__ import annotations

FILES = {
    "src/lib/base.js": (
        "export class Base {\n"
        "  constructor(opts) { this.opts = opts; this.init(); }\n"
        "  init() {}\n"
        "  run() { return this.step(); }\n"
        "  step() {}\n"
        "}\n"
        "export default function makeBase() { return new Base({}); }\n"
    ),
    "src/lib/util.js": (
        "function helper(x) { return x; }\n"
        "function other() { return helper(1); }\n"
        "module.exports = { helper, renamed: other };\n"
    ),
    "src/lib/index.js": "export * from './base';\nexport { default as makeBase } from './base';\n",
    "src/app.js": (
        "import makeBase, { Base } from './lib/base';\n"
        "import * as lib from './lib';\n"
        "const util = require('./lib/util');\n"
        "const { helper } = require('./lib/util');\n"
        "\n"
        "class App extends Base {\n"
        "  constructor() {\n"
        "    super({ a: 1 });\n"
        "    this.store = new Store();\n"
        "  }\n"
        "  step() {\n"
        "    this.store.save();\n"
        "    helper(2);\n"
        "    util.renamed();\n"
        "  }\n"
        "}\n"
        "class Store {\n"
        "  save() { return format(this); }\n"
        "}\n"
        "function format(x) { return x; }\n"
        "\n"
        "const api = {\n"
        "  start() { this.stop(); return new App(); },\n"
        "  stop() {},\n"
        "};\n"
        "\n"
        "export function main() {\n"
        "  const app = new App();\n"
        "  app.run();\n"
        "  makeBase();\n"
        "  new lib.Base({});\n"
        "  api.start();\n"
        "  lib.makeBase();\n"
        "}\n"
    ),
    "src/types.ts": (
        "import { Base } from './lib/base';\n"
        "export class Svc {\n"
        "  go(b: Base): void { b.run(); }\n"
        "}\n"
        "export function build(): Svc { return new Svc(); }\n"
        "export function use() {\n"
        "  const s = build();\n"
        "  s.go(null);\n"
        "}\n"
    ),
}


def test_imports_and_exports(build_graph) -> None:
    edges = build_graph(FILES)
    assert edges[("src/app.js:main", "src/lib/base.js:makeBase")] == "exact"  # default import
    assert ("src/app.js:main", "src/lib/base.js:Base.constructor") in edges  # export * from
    assert edges[("src/app.js:App.step", "src/lib/util.js:helper")] == "exact"  # require
    assert edges[("src/app.js:App.step", "src/lib/util.js:other")] == "exact"  # renamed export
    assert edges[("src/lib/util.js:other", "src/lib/util.js:helper")] == "exact"


def test_classes_and_object_literals(build_graph) -> None:
    edges = build_graph(FILES)
    assert edges[("src/app.js:App.constructor", "src/lib/base.js:Base.constructor")] == "exact"
    assert edges[("src/lib/base.js:Base.run", "src/lib/base.js:Base.step")] == "exact"
    assert edges[("src/lib/base.js:Base.run", "src/app.js:App.step")] == "likely"  # extends
    assert ("src/app.js:App.step", "src/app.js:Store.save") in edges  # this.store = new Store()
    assert edges[("src/app.js:api.start", "src/app.js:api.stop")] == "exact"  # object literal
    assert edges[("src/app.js:api.start", "src/app.js:App.constructor")] == "exact"  # new X()
    assert edges[("src/app.js:main", "src/app.js:api.start")] == "exact"
    assert ("src/app.js:main", "src/lib/base.js:Base.run") in edges  # const app = new App()


def test_typescript_annotations(build_graph) -> None:
    edges = build_graph(FILES)
    assert ("src/types.ts:Svc.go", "src/lib/base.js:Base.run") in edges  # b: Base
    assert ("src/types.ts:use", "src/types.ts:Svc.go") in edges  # build(): Svc


def test_commonjs_class_exports_and_getters(build_graph) -> None:
    edges = build_graph({
        "lib/cache.js": (
            "class LRU {\n"
            "  get size() { return this.count(); }\n"
            "  count() { return 0; }\n"
            "  get(k) { return k; }\n"
            "}\n"
            "module.exports = LRU;\n"
        ),
        "lib/range.js": (
            "const LRU = require('./cache');\n"
            "const cache = new LRU();\n"
            "function lookup(k) {\n"
            "  let r;\n"
            "  r = new LRU();\n"
            "  return cache.get(k) + r.size;\n"
            "}\n"
            "module.exports = lookup;\n"
        ),
        "lib/main.ts": (
            "import lookup = require('./range');\n"
            "export function run(): number { return lookup(1); }\n"
        ),
    })
    assert edges[("lib/range.js:lookup", "lib/cache.js:LRU.get")] in ("exact", "likely")
    assert ("lib/range.js:lookup", "lib/cache.js:LRU.size") in edges  # a getter read
    assert edges[("lib/cache.js:LRU.size", "lib/cache.js:LRU.count")] == "exact"
    assert edges[("lib/main.ts:run", "lib/range.js:lookup")] == "exact"


def test_a_barrel_of_star_exports_finds_the_module_that_defines_a_name(build_graph) -> None:
    # immer's layout: src/internal.ts re-exports every module; a module listed before the
    # one defining Immer imports Immer from the barrel itself (a cycle, outside nothing),
    # and the public module exports a method of an instance as a function
    edges = build_graph({
        "src/internal.ts": ("export * from './utils'\nexport * from './scope'\n"
                            "export * from './immerClass'\n"),
        "src/utils.ts": "export function die(msg: string) { throw new Error(msg) }\n",
        "src/scope.ts": ("import {Immer, die} from './internal'\n"
                         "export function getScope(immer: Immer) { die('x'); return immer }\n"),
        "src/immerClass.ts": (
            "import {die} from './internal'\n"
            "export class Immer {\n"
            "  produce = (base: any, recipe: any) => { die('y'); return recipe(base) }\n"
            "}\n"),
        "src/immer.ts": ("import {Immer} from './internal'\n"
                         "const immer = new Immer()\n"
                         "export const produce = immer.produce\n"),
        "src/app/cart.ts": ("import {produce} from '../immer'\n"
                            "export function add(cart: any) {\n"
                            "  return produce(cart, (d: any) => d)\n"
                            "}\n"),
    })
    assert ("src/app/cart.ts:add", "src/immerClass.ts:Immer.produce") in edges
    assert edges[("src/immerClass.ts:Immer.produce", "src/utils.ts:die")] == "exact"


CHAINED_PROTOTYPE = {
    "lib/router.js": (
        "function Router() { this.stack = []; }\n"
        "Router.prototype.match = function (p) { return p === 'x'; };\n"
        "Router.prototype.routes = Router.prototype.middleware = function () {\n"
        "  return this.match('x');\n"
        "};\n"
        "Router.prototype.direct = function (p) { return this.routes(p); };\n"
        "Router.prototype.other = function (p) { return this.middleware(p); };\n"
        "module.exports = Router;\n"
    ),
}


def test_a_function_assigned_to_two_prototype_names_is_a_method_under_both(
        build_graph, git_repo) -> None:
    """``Router.prototype.routes = Router.prototype.middleware = function () {}`` (koa-router):
    both names are methods of Router; the function's lines belong to the inner name, as
    V8 names its frames (Router.middleware)."""
    edges = build_graph(CHAINED_PROTOTYPE)
    assert ("lib/router.js:Router.direct", "lib/router.js:Router.routes") in edges
    assert ("lib/router.js:Router.other", "lib/router.js:Router.middleware") in edges
    assert ("lib/router.js:Router.middleware", "lib/router.js:Router.match") in edges
    from codemap.index.service import open_index
    from codemap.repo import find_repo

    reader = open_index(find_repo(str(git_repo.root)))
    innermost = reader.symbol_at("lib/router.js", 4)
    assert innermost is not None and innermost.qualname == "lib/router.js:Router.middleware"

"""Endpoints: HTTP routes found statically, composed across files, matched to requests.

The pipeline, one module each: :mod:`~codemap.endpoints.facts` runs a
language's ``routes.scm`` over a file (values through
:mod:`~codemap.endpoints.syntax`, node types from
:mod:`~codemap.endpoints.grammars`); the index workers keep each file's role
(:mod:`~codemap.endpoints.anchors`) and an anchor's facts in the index
(:mod:`~codemap.endpoints.indexing`), :mod:`~codemap.endpoints.store` the
facts of the references read and the composed answer, kept while nothing it
read changes (:mod:`~codemap.endpoints.freshness`);
:mod:`~codemap.endpoints.linker` follows names across
files; :mod:`~codemap.endpoints.routers` and :mod:`~codemap.endpoints.compose`
apply the framework tables (:mod:`~codemap.endpoints.frameworks`,
:mod:`~codemap.endpoints.secondwave`, vocabulary in
:mod:`~codemap.endpoints.rules`) and compose prefixes, with
:mod:`~codemap.endpoints.declarations` (routes and mounts),
:mod:`~codemap.endpoints.scopes` (block-structured DSLs: Rails, Ktor, Laravel
groups), :mod:`~codemap.endpoints.resources` (RESTful resources),
:mod:`~codemap.endpoints.attributes` (ASP.NET templates, actix functions,
JAX-RS paths with the module roots :mod:`~codemap.endpoints.configs` reads from
``application.properties``), :mod:`~codemap.endpoints.autoload` (Fastify's
directory loader),
:mod:`~codemap.endpoints.methodrouters` (axum / actix method routers) and
:mod:`~codemap.endpoints.urllists`; :mod:`~codemap.endpoints.handlers` finds
handler symbols in the index (controller actions through
:mod:`~codemap.endpoints.actions`, a JAX-RS interface's implementations through
:mod:`~codemap.endpoints.implementations`) and
:mod:`~codemap.endpoints.dependencies` what runs before them (FastAPI
``Depends``); :mod:`~codemap.endpoints.request`,
:mod:`~codemap.endpoints.patterns` and :mod:`~codemap.endpoints.matching`
read and match requests; :mod:`~codemap.endpoints.service` is what
:mod:`codemap.api` calls.

``routes.scm`` capture vocabulary (``lang/queries/<language>/routes.scm``);
the extractor keys only on these names:

=======================  =====================================================
``@route.call``          a call; ``@call.object`` what it is called on (absent
                         for a bare call), ``@call.verb`` the called name,
                         ``@call.args`` its argument list, ``@call.callee`` a
                         callee that is itself a call (``require('x')(app)``)
``@route.decorator``     a decorator / annotation, same sub-captures; the
                         definition it sits on is found from the node
``@route.assign``        ``@assign.name`` = ``@assign.value``;
                         ``@assign.augment`` marks ``+=``
``@route.export``        a module export: ``@export.value`` under
                         ``@export.name`` (absent: the default export)
``@route.import``        ``@import.module``, ``@import.name``,
                         ``@import.alias``, ``@import.wildcard``
``@route.scope``         a function or block: ``@scope.name``, ``@scope.params``
                         (its parameters can be routers handed in by callers);
                         ``@scope.receiver`` the type of an extension
                         function's receiver (Kotlin ``fun Route.x()``),
                         recorded as a first parameter named ``this``
``@route.class``         a class: ``@class.name``, ``@class.base``
``@route.return``        ``@return.value``: what a function returns (a Rust
                         tail expression ``Router::new().route(...)``)
=======================  =====================================================

A call's trailing block (Ruby ``do ... end``, a Kotlin trailing lambda) is
its last argument; calls without a receiver inside a block a ``scope`` rule
opened register on that block's scope (see :mod:`~codemap.endpoints.scopes`).
"""

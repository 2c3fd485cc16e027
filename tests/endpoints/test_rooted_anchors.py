"""Express, Koa and Fastify paths start at the root: only such a verb call anchors a file.

A vendored bundle full of ``options.get('multiple')`` (select2 in Django's
admin) or ``Promise.all([a, b])`` declares no route and is not parsed for
routes up front, while route files whose only declarations are verb calls
on a router handed in (``module.exports = (router) => {...}``) still are,
whatever form their literal path takes: a string, a template, a regex or an
array of those.
"""

from __future__ import annotations

from codemap import api
from codemap.endpoints.anchors import ANCHOR, REFERENCE, file_role
from tests.endpoints.test_anchors import roles

# excerpts of django/contrib/admin/static/admin/js/vendor/select2/select2.full.js
# (select2 4.0.13 as vendored by Django 5.1.4), as it is shipped
SELECT2 = '''/*!
 * Select2 4.0.13
 * https://select2.github.io
 */
;(function (factory) {
  if (typeof define === 'function' && define.amd) {
    define(['jquery'], factory);
  }
} (function (jQuery) {
  MultipleSelection.prototype.bind = function (container, $container) {
    var self = this;
    MultipleSelection.__super__.bind.apply(this, arguments);
    this.$selection.on('click', function (evt) {
      self.trigger('toggle', {
        originalEvent: evt
      });
    });
  };

  SelectAdapter.prototype.select = function (data) {
    var self = this;
    data.selected = true;
    if (this.$element.prop('multiple')) {
      this.current(function (currentData) {
        var val = [];
        data = [data];
        data.push.apply(data, currentData);
      });
      return;
    }
  };

  Search.prototype.update = function (decorated, data) {
    var searchHadFocus = this.$search[0] == document.activeElement;
    this.$search.attr('placeholder', '');
    decorated.call(this, data);
    if (this.options.get('multiple')) {
      this.$search.trigger('focus');
    }
    var lang = this.options.get('translations').get('noResults');
    return Promise.all([searchHadFocus, lang]);
  };
}));
'''


def test_vendored_code_does_not_anchor_and_route_forms_do():
    assert file_role(SELECT2.encode(), "javascript") == REFERENCE
    forms = {
        b"router.get('/users/:id', show)\n": ANCHOR,
        b"router.get('*', notFound)\n": ANCHOR,
        b"app.get(`${API}/health`, health)\n": ANCHOR,
        b"app.post(`/users/${id}`, create)\n": ANCHOR,
        b"app.get(/^\\/commits\\/(\\w+)$/, show)\n": ANCHOR,
        b"app.get(['/a', '/b'], both)\n": ANCHOR,
        b"app.get([ /^\\/x/ ], x)\n": ANCHOR,
        b"fastify.get<{ Querystring: Q }>('/auth', handler)\n": ANCHOR,
        b"router.prefix('/v1')\n": ANCHOR,
        b"router.del('/users/:id', remove)\n": ANCHOR,
        b"const v = this.options.get('multiple');\n": REFERENCE,
        b"await Promise.all([a, b]);\n": REFERENCE,
        b"cache.delete('key');\n": REFERENCE,
        b"x.get(/* a comment */ 'x');\n": REFERENCE,
        b"headers.get(`content-type`);\n": REFERENCE,
    }
    assert {src: file_role(src, "typescript") for src in forms} == forms
    # Nest's global prefix is written without a slash: frameworks without rooted paths
    # keep the plain literal shape
    assert file_role(b"app.setGlobalPrefix('api');\n", "typescript") == ANCHOR


def test_route_files_still_declare_and_vendored_files_stay_references(git_repo):
    git_repo.write("static/vendor/select2/select2.full.js", SELECT2)
    git_repo.write("routes/extra.js", '''const API = '/api';

module.exports = function (router) {
  router.get(`${API}/health`, (req, res) => res.send('ok'));
  router.get(['/a', '/b'], (req, res) => res.send('ab'));
  router.get(/^\\/commits\\/(\\w+)$/, (req, res) => res.send('c'));
  router.get('*', (req, res) => res.sendStatus(404));
};
''')
    git_repo.write("app.js", '''const express = require('express');

const app = express();
require('./routes/extra')(app);
module.exports = app;
''')
    git_repo.commit("express with vendored select2")
    routes = [(e.method, e.route, e.path) for e in api.endpoints(str(git_repo.root)).endpoints]
    assert routes == [("GET", "/api/health", "routes/extra.js"),
                      ("GET", "/a", "routes/extra.js"), ("GET", "/b", "routes/extra.js"),
                      ("GET", "{?}", "routes/extra.js"),  # a regex: declared, unknown
                      ("GET", "/*", "routes/extra.js")]
    found = roles(git_repo)
    assert found["routes/extra.js"][0] == ANCHOR and found["app.js"][0] == ANCHOR
    assert found["static/vendor/select2/select2.full.js"] == (REFERENCE, False)

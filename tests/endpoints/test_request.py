"""Reading requests and route patterns: every accepted form, bad input, and fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from codemap.endpoints.model import Request
from codemap.endpoints.patterns import compile_route, has_parameters, tokens
from codemap.endpoints.request import MAX_PATH, parse_request


@pytest.mark.parametrize("text, method, path, query", [
    ("GET /users/42?x=1", "GET", "/users/42", "x=1"),
    ("get /users/42", "GET", "/users/42", ""),
    ("POST /checkout HTTP/1.1", "POST", "/checkout", ""),
    ("https://api.example.com:8443/users/42?x=1#frag", None, "/users/42", "x=1"),
    ("DELETE https://api.example.com/items/7", "DELETE", "/items/7", ""),
    ("/health", None, "/health", ""),
    ("api.example.com/users/1", None, "/users/1", ""),
    ('10.0.0.1 - - [10/Oct/2000:13:55:36 -0700] "POST /checkout HTTP/1.1" 500 2326',
     "POST", "/checkout", ""),
    ('{"msg": "x", "request": "PUT /a/b?c=d HTTP/2.0", "status": 502}', "PUT", "/a/b", "c=d"),
    ("2026-01-01T00:00:00Z app GET /users/7 HTTP/1.1 took 30ms", "GET", "/users/7", ""),
    ("curl -X PATCH 'https://h/items/9'", "PATCH", "/items/9", ""),
    ("curl -d 'a=1' https://h/forms", "POST", "/forms", ""),
    ("PURGE /cache/x", "PURGE", "/cache/x", ""),
    ("OPTIONS *", "OPTIONS", "*", ""),
])
def test_accepted_forms(text, method, path, query):
    got = parse_request(text)
    assert isinstance(got, Request), got
    assert (got.method, got.path, got.query) == (method, path, query)


@pytest.mark.parametrize("text", [
    "", "   ", "GARBAGE", "GET", "GET users/42", "hello world how are you",
    "GET http://[::1/users", "\x00\x1b[31m", "GET /" + "a" * (MAX_PATH + 1),
])
def test_bad_input_is_a_one_line_reason(text):
    got = parse_request(text)
    assert isinstance(got, str) and got and "\n" not in got


def test_patterns_are_recognised_in_every_syntax():
    for text in ("/users/<int:id>", "/users/{id}", "/users/{id:int}", "/users/:id",
                 "/files/*", "/u/<id>"):
        req = parse_request(f"GET {text}")
        assert isinstance(req, Request) and req.pattern, text
    assert not parse_request("GET /users/42").pattern
    assert all(compile_route(((t, "any"),)).shape == "/users/{}"
               for t in ("/users/<int:id>", "/users/{id}", "/users/:id"))


def test_percent_encoding_and_long_urls_are_kept_verbatim():
    req = parse_request("GET /files/a%20b%2Fc?q=%E2%9C%93")
    assert isinstance(req, Request)
    assert req.path == "/files/a%20b%2Fc" and req.query == "q=%E2%9C%93"
    long_path = "/x" * (MAX_PATH // 2)
    assert isinstance(parse_request(f"GET {long_path}"), Request)


SYNTAXES = ["werkzeug", "starlette", "django", "regex", "express", "spring", "gohttp", "gin",
            "echo", "chi", "any", "unknown-syntax"]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_request_parser_never_raises(text):
    got = parse_request(text)
    assert isinstance(got, (Request, str))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200), st.sampled_from(SYNTAXES))
def test_route_pattern_parser_never_raises(text, syntax):
    toks = tokens(text, syntax)
    assert isinstance(toks, tuple)
    compiled = compile_route(((text, syntax),))
    compiled.regex.match("/users/42")
    has_parameters(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["/", "users", "<int:id>", "{id}", ":id", "*", "(", ")", "[",
                                 "\\", "^", "$", "(?P<x>", "[0-9]+", "{", "}", "?", "."]),
                max_size=12), st.sampled_from(SYNTAXES))
def test_route_pattern_parser_never_raises_on_syntax_soup(pieces, syntax):
    text = "".join(pieces)
    compile_route((("/", "lit"), (text, syntax))).regex.match("/users/1")

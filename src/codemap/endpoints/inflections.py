"""English inflections for resource routes: ``photos`` <-> ``photo``, ``users`` -> ``Users``.

Rails and Laravel name a resource's parameters and controllers from its
name: ``resources :categories`` nests ``/categories/:category_id``, a
singular ``resource :profile`` is served by ``ProfilesController``,
``Route::resource('photos', ...)`` binds ``{photo}``. Both follow the same
English rules (ActiveSupport's ``inflections.rb``; Laravel's ``Str::singular``
uses Doctrine's inflector, which agrees on regular and common irregular
words). The rules are data: tried in order, first match wins.
"""

from __future__ import annotations

import re
from functools import lru_cache

_UNCOUNTABLE = frozenset(
    "equipment information rice money species series fish sheep jeans police news data "
    "feedback metadata".split())
_IRREGULAR = {"person": "people", "man": "men", "child": "children", "sex": "sexes",
              "move": "moves", "zombie": "zombies", "ox": "oxen", "mouse": "mice",
              "foot": "feet", "tooth": "teeth", "goose": "geese"}
_IRREGULAR_SINGULAR = {v: k for k, v in _IRREGULAR.items()}

# (pattern, replacement): ActiveSupport's rules, most specific first
_PLURAL: tuple[tuple[str, str], ...] = (
    (r"(quiz)$", r"\1zes"), (r"^(oxen)$", r"\1"), (r"^(m|l)ice$", r"\1ice"),
    (r"^(m|l)ouse$", r"\1ice"), (r"(matr|vert|ind)(?:ix|ex)$", r"\1ices"),
    (r"(x|ch|ss|sh)$", r"\1es"), (r"([^aeiouy]|qu)y$", r"\1ies"), (r"(hive)$", r"\1s"),
    (r"(?:([^f])fe|([lr])f)$", r"\1\2ves"), (r"sis$", "ses"), (r"([ti])a$", r"\1a"),
    (r"([ti])um$", r"\1a"), (r"(buffal|tomat)o$", r"\1oes"), (r"(bu)s$", r"\1ses"),
    (r"(alias|status)$", r"\1es"), (r"(octop|vir)i$", r"\1i"), (r"(octop|vir)us$", r"\1i"),
    (r"^(ax|test)is$", r"\1es"), (r"s$", "s"), (r"$", "s"),
)
_SINGULAR: tuple[tuple[str, str], ...] = (
    (r"(database)s$", r"\1"), (r"(quiz)zes$", r"\1"), (r"(matr)ices$", r"\1ix"),
    (r"(vert|ind)ices$", r"\1ex"), (r"^(ox)en", r"\1"), (r"(alias|status)(es)?$", r"\1"),
    (r"(octop|vir)(us|i)$", r"\1us"), (r"^(a)x[ie]s$", r"\1xis"), (r"(cris|test)(is|es)$", r"\1is"),
    (r"(shoe)s$", r"\1"), (r"(o)es$", r"\1"), (r"(bus)(es)?$", r"\1"), (r"^(m|l)ice$", r"\1ouse"),
    (r"(x|ch|ss|sh)es$", r"\1"), (r"(m)ovies$", r"\1ovie"), (r"(s)eries$", r"\1eries"),
    (r"([^aeiouy]|qu)ies$", r"\1y"), (r"([lr])ves$", r"\1f"), (r"(tive)s$", r"\1"),
    (r"(hive)s$", r"\1"), (r"([^f])ves$", r"\1fe"), (r"(^analy)(sis|ses)$", r"\1sis"),
    (r"((a)naly|(b)a|(d)iagno|(p)arenthe|(p)rogno|(s)ynop|(t)he)(sis|ses)$", r"\1sis"),
    (r"([ti])a$", r"\1um"), (r"(n)ews$", r"\1ews"), (r"(ss)$", r"\1"), (r"s$", ""),
)


def _inflect(word: str, rules: tuple[tuple[str, str], ...], irregular: dict[str, str]) -> str:
    head, sep, last = word.rpartition("_")  # inflect the last word: user_profiles
    lower = last.lower()
    if not last or lower in _UNCOUNTABLE:
        return word
    if lower in irregular:
        out = irregular[lower]
        out = out[0].upper() + out[1:] if last[0].isupper() else out
        return head + sep + out
    for pattern, repl in rules:
        if re.search(pattern, last, flags=re.IGNORECASE):
            return head + sep + re.sub(pattern, repl, last, count=1, flags=re.IGNORECASE)
    return word


@lru_cache(maxsize=1024)
def singularize(word: str) -> str:
    """``photos`` -> ``photo``, ``categories`` -> ``category``, ``people`` -> ``person``."""
    if word.lower() in _IRREGULAR:
        return word  # already singular
    return _inflect(word, _SINGULAR, _IRREGULAR_SINGULAR)


@lru_cache(maxsize=1024)
def pluralize(word: str) -> str:
    """``profile`` -> ``profiles``, ``category`` -> ``categories``, ``person`` -> ``people``."""
    if word.lower() in _IRREGULAR_SINGULAR:
        return word  # already plural
    return _inflect(word, _PLURAL, _IRREGULAR)


def camelize(path: str, separator: str = "::") -> str:
    """``admin/user_profiles`` -> ``Admin::UserProfiles`` (Rails' controller constant)."""
    return separator.join("".join(w[:1].upper() + w[1:] for w in seg.split("_"))
                          for seg in path.strip("/").split("/") if seg)

"""Fuzzy symbol search (``codemap find``) that does not read every symbol per query.

A big repository has hundreds of thousands of symbols but far fewer distinct
names. The names, lower-cased and sorted by (length, text), are kept in the
index's cache directory (rebuilt when the index changes), so a query:

1. scores the distinct names: exact and prefix matches by bisection within
   each length, fuzzy matches with rapidfuzz on the length bands where each
   scorer applies (see :func:`_fuzzy`);
2. reads, best name first, only the symbols of the names that can still
   reach the top ``limit`` (the ``symbols_name`` index, one query per name).

Scores: an exact name scores 100 (99.5 when only the case differs), a name
prefix 90-95, a fuzzy match rapidfuzz's ``WRatio``. A query with a
separator (``.``, ``:``, ``/``, ``#``, ``\\``) matches its last part against
names (scaled by 0.9) and the whole query against the qualnames of those
candidates (``partial_ratio``, or ``ratio`` for a qualname shorter than the
query, so that ``f`` does not match ``QuerySet.filter`` perfectly); a
qualname ending in the query scores 100.
Ties: non-module symbols first, then the shortest qualname.

A JVM binary name copied from a trace is searched in its source spelling
(:func:`codemap.targets.source_query`): ``Outer$Inner`` as ``Outer.Inner``,
``Account.<init>`` as the constructors ``Account.Account``.
"""

from __future__ import annotations

import bisect
import hashlib
import marshal
import os
import sqlite3
from pathlib import Path
from typing import Any

from codemap.index.store import IndexReader, row_symbol
from codemap.model import Symbol, SymbolMatch

CACHE_NAME = "names.cache"
_MAGIC = b"codemap-names-1\n"
MAX_FUZZY_QUERY = 256  # longer queries match exactly or by prefix only (no name is that long)
QUALIFIED_NAME_POOL = 4  # x the pool: candidate names whose qualnames a dotted query scores
_SEPARATORS = ".:/#\\"

_SYMBOL_SQL = ("SELECT s.name, s.qualname, s.kind, f.language, f.path, s.start_line, s.end_line, "
               "s.id FROM symbols s JOIN files f ON f.id = s.file_id WHERE s.name = ? "
               "ORDER BY (s.kind = 'module'), length(s.qualname), s.id")


class Names:
    """The distinct symbol names of an index, lower-cased and sorted by (length, text)."""

    def __init__(self, names: list[str], originals: list[Any], bands: dict[int, list[int]]) -> None:
        self.names = names
        self.originals = originals  # per name: None (the name as is), a str, or a list of str
        self.bands = bands  # length -> [start, end) in names

    @classmethod
    def build(cls, conn: sqlite3.Connection) -> Names:
        by_lower: dict[str, Any] = {}  # lower-cased -> the one spelling, or a list of them
        for (name,) in conn.execute("SELECT DISTINCT name FROM symbols"):
            low = name.lower()
            seen = by_lower.get(low)
            if seen is None:
                by_lower[low] = name
            elif isinstance(seen, list):
                seen.append(name)
            else:
                by_lower[low] = [seen, name]
        names = sorted(by_lower)
        names.sort(key=len)  # stable: by length, then text
        originals = [None if (orig := by_lower[low]) == low else orig for low in names]
        bands: dict[int, list[int]] = {}
        start = 0
        while start < len(names):
            length = len(names[start])
            end = bisect.bisect_right(names, length, start, key=len)
            bands[length] = [start, end]
            start = end
        return cls(names, originals, bands)

    def spellings(self, index: int) -> list[str]:
        orig = self.originals[index]
        if orig is None:
            return [self.names[index]]
        return [orig] if isinstance(orig, str) else list(orig)

    def exact(self, low: str) -> int | None:
        band = self.bands.get(len(low))
        if band is None:
            return None
        i = bisect.bisect_left(self.names, low, band[0], band[1])
        return i if i < band[1] and self.names[i] == low else None

    def prefixed(self, low: str) -> list[int]:
        """Indexes of the names longer than ``low`` that start with it."""
        out: list[int] = []
        names = self.names
        for length, (start, end) in self.bands.items():
            if length <= len(low):
                continue
            i = bisect.bisect_left(names, low, start, end)
            while i < end and names[i].startswith(low):
                out.append(i)
                i += 1
        return out

    def span(self, lo: int, hi: int) -> tuple[int, int]:
        """[start, end) of the names whose length is in [lo, hi]."""
        start = end = None
        for length, (s, e) in self.bands.items():
            if lo <= length <= hi:
                start = s if start is None else min(start, s)
                end = e if end is None else max(end, e)
        return (start, end) if start is not None and end is not None else (0, 0)


def _token(conn: sqlite3.Connection) -> tuple[Any, ...]:
    """Identifies one generation of the index (changes with every write)."""
    row = conn.execute("SELECT value FROM meta WHERE key = 'indexed_at'").fetchone()
    db_file = next((f for _s, name, f in conn.execute("PRAGMA database_list") if name == "main"),
                   "")
    try:
        ino = os.stat(db_file).st_ino if db_file else None
    except OSError:
        ino = None
    return (row[0] if row else None, db_file, ino)


def load_names(conn: sqlite3.Connection) -> Names:
    """The :class:`Names` of the index behind ``conn``, from the cache file when current."""
    token = _token(conn)
    cache = Path(token[1]).parent / CACHE_NAME if token[1] else None
    if cache is not None:
        try:
            data = cache.read_bytes()
            head = len(_MAGIC)
            if data.startswith(_MAGIC):
                digest, payload = data[head:head + 16], data[head + 16:]
                if hashlib.blake2b(payload, digest_size=16).digest() == digest:
                    stored = marshal.loads(payload)
                    if tuple(stored["token"]) == token:
                        return Names(stored["names"], stored["originals"],
                                     {int(k): v for k, v in stored["bands"].items()})
        except (OSError, EOFError, ValueError, TypeError, KeyError):
            pass
    names = Names.build(conn)
    if cache is not None and _token(conn) == token:  # no writer committed meanwhile
        payload = marshal.dumps({"token": token, "names": names.names,
                                 "originals": names.originals, "bands": names.bands})
        tmp = cache.with_name(f"{CACHE_NAME}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(_MAGIC + hashlib.blake2b(payload, digest_size=16).digest() + payload)
            os.replace(tmp, cache)
        except OSError:
            tmp.unlink(missing_ok=True)
    return names


def _fuzzy(names: Names, low: str, pool: int) -> dict[int, float]:
    """The best ``pool`` names by ``WRatio`` (at least 50), computed band by band.

    For strings without whitespace, rapidfuzz's WRatio is ``ratio`` when the
    lengths differ by less than 1.5x, else the larger of ``ratio`` and
    ``partial_ratio`` scaled by 0.9 (by 0.6 beyond 8x); its token variants
    never score higher. So ``ratio`` runs on the names of similar length and
    ``partial_ratio`` only where it counts, instead of WRatio on every name.
    One departure from WRatio: a name much shorter than the query is scored by
    ``ratio`` alone, so ``a`` is not a 90% match for ``beta``.
    """
    from rapidfuzz import fuzz, process

    m = len(low)
    scores: dict[int, float] = {}
    if any(c.isspace() for c in low):  # token scorers matter: plain WRatio on every name
        for _, score, idx in process.extract(low, names.names, scorer=fuzz.WRatio, limit=pool,
                                             score_cutoff=50, processor=None):
            scores[idx] = score
        return scores

    def run(start: int, end: int, scorer: Any, scale: float) -> None:
        if start >= end:
            return
        cutoff = 50 / scale
        if cutoff > 100:
            return
        choices = names.names[start:end]
        for _, score, idx in process.extract(low, choices, scorer=scorer, limit=pool,
                                             score_cutoff=cutoff, processor=None):
            value = score * scale
            if value > scores.get(start + idx, 0.0):
                scores[start + idx] = value

    lengths = sorted(n for n in names.bands if n > 0)  # WRatio scores empty strings 0
    similar = [n for n in lengths if max(n, m) / min(n, m) < 1.5]
    mid = [n for n in lengths if 1.5 <= max(n, m) / min(n, m) <= 8.0]
    far = [n for n in lengths if max(n, m) / min(n, m) > 8.0]
    # A longer name holding the query scores 90 (partial_ratio 100, scaled), more than any
    # other name of those bands can. When ``pool`` of them exist, nothing below 90 can make
    # the pool: the expensive partial_ratio pass is skipped.
    inside: list[int] = []
    for lo, hi in _runs([n for n in mid if n > m]):
        start, end = names.span(lo, hi)
        inside.extend(i for i in range(start, end) if low in names.names[i])
    if len(inside) >= pool:
        scores = dict.fromkeys(inside, 90.0)
        mid, far = [], []
    for group, scale in ((mid, 0.9), (far, 0.6)):
        for lo, hi in _runs(group):
            start, end = names.span(lo, hi)
            if scale > 0.6:  # beyond 8x apart, ratio is below 2/9: under the cut-off
                run(start, end, fuzz.ratio, 1.0)
            if lo > m:  # the query inside a longer name; never a short name inside the query
                run(start, end, fuzz.partial_ratio, scale)
    for lo, hi in _runs(similar):
        run(*names.span(lo, hi), fuzz.ratio, 1.0)
    # the union of each band's best ``pool`` holds the overall best ``pool``
    if len(scores) > pool:
        keep = sorted(scores.items(), key=lambda kv: -kv[1])[:pool]
        floor = keep[-1][1]
        scores = {k: v for k, v in scores.items() if v >= floor}
    return scores


def _runs(lengths: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of a sorted list of lengths, as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for n in lengths:
        if runs and n == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], n)
        else:
            runs.append((n, n))
    return runs


def search(reader: IndexReader, query: str, limit: int) -> list[SymbolMatch]:
    """The best ``limit`` symbols for ``query`` (already stripped and non-empty)."""
    names = load_names(reader.conn)
    if not names.names:
        return []
    if "$" in query or "<" in query:
        from codemap.targets import source_query

        query = source_query(query)
    ql = query.lower()
    pool = max(limit * 5, 50)
    qualified = any(sep in query for sep in _SEPARATORS)
    last = ql
    for sep in ("::", "#", ":", "/", "\\"):
        last = last.replace(sep, ".")
    last = last.rsplit(".", 1)[-1] if qualified else ql
    # name-level scores
    scores: dict[int, float] = {}
    if last and len(last) <= MAX_FUZZY_QUERY:
        name_pool = pool * QUALIFIED_NAME_POOL if qualified else pool
        scale = 0.9 if qualified else 1.0
        scores = {i: s * scale for i, s in _fuzzy(names, last, name_pool).items()}
    exact = names.exact(ql)
    prefix: dict[int, float] = {}
    if len(ql) >= 2:
        for i in names.prefixed(ql):
            prefix[i] = 90.0 + 5.0 * len(ql) / len(names.names[i])
    if qualified:
        return _qualified(reader, names, query, ql, scores, exact, prefix, limit)
    for i, value in prefix.items():
        scores[i] = max(scores.get(i, 0.0), value)
    if exact is not None:
        scores[exact] = 100.0
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    found: list[tuple[tuple[Any, ...], Symbol, float]] = []
    for i, score in ranked:
        if len(found) >= limit and score < -found[limit - 1][0][0]:
            break
        for spelling in names.spellings(i):
            value = (100.0 if spelling == query else 99.5) if i == exact else score
            for row in reader.conn.execute(_SYMBOL_SQL + " LIMIT ?", (spelling, limit)):
                found.append(((-value, row[2] == "module", len(row[1]), row[7]),
                              row_symbol(row), value))
        found.sort(key=lambda f: f[0])
        del found[limit:]
    return [SymbolMatch(sym, round(float(value), 1)) for _key, sym, value in found]


def _qualified(reader: IndexReader, names: Names, query: str, ql: str, scores: dict[int, float],
               exact: int | None, prefix: dict[int, float], limit: int) -> list[SymbolMatch]:
    """A dotted query: the candidate names' symbols, scored on their qualnames too."""
    from rapidfuzz import fuzz

    candidates = set(scores) | set(prefix) | ({exact} if exact is not None else set())
    found: list[tuple[tuple[Any, ...], Symbol, float]] = []
    for i in candidates:
        for spelling in names.spellings(i):
            for row in reader.conn.execute(_SYMBOL_SQL, (spelling,)):
                qual = row[1].lower()
                value = scores.get(i, 0.0)
                # the query inside the qualname, not a short qualname inside the query
                scorer = fuzz.partial_ratio if len(qual) >= len(ql) else fuzz.ratio
                value = max(value, scorer(ql, qual, score_cutoff=max(60.0, value)))
                if qual == ql or qual.endswith("." + ql) or qual.endswith(":" + ql):
                    value = 100.0
                if i == exact:
                    value = 100.0 if spelling == query else 99.5
                elif i in prefix:
                    value = max(value, prefix[i])
                if value <= 0:
                    continue
                found.append(((-value, row[2] == "module", len(row[1]), row[7]),
                              row_symbol(row), value))
    found.sort(key=lambda f: f[0])
    return [SymbolMatch(sym, round(float(value), 1)) for _key, sym, value in found[:limit]]

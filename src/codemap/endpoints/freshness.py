"""When the composed endpoints are still right although the index changed.

The composed answer is cached under a digest of the whole index, but it reads
only part of it: every anchor (:mod:`codemap.endpoints.anchors`), the files a
name led to (references, and files whose classes a handler inherits from),
the symbols of the files handlers were looked up in, and the module table
(which files exist, in which language, under which module name: imports and
Go packages resolve through it), and the frameworks' configuration files
(:mod:`codemap.endpoints.configs`: a Quarkus ``application.properties``),
which are part of the module table's digest. Those reads are saved with the answer
(:class:`Reads`); when the index digest changes, an answer none of whose reads
changed is kept and filed under the new digest, so an edit elsewhere (most
edits: a model, a test, a helper) costs neither ``codemap index`` nor the
next ``codemap endpoints`` a composition.

A handler looked up by name over every file (Rails controllers, a Rust path
the linker cannot follow: ``index_lookup``) reads the whole index: after such
an answer any change recomposes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from codemap.index.store import IndexReader

Row = tuple[str, str, str, str]  # (path, language, content hash, module)


class IndexState(NamedTuple):
    """What the endpoints of an index can depend on, as read from it."""

    files: list[Row]  # every parsed file, in path order
    extractors: str  # how each language was read (fingerprints, route facts included)
    # (path, text) of the frameworks' configuration files (codemap.endpoints.configs):
    # not parsed files, so read from the working tree each time; part of every digest
    configs: tuple[tuple[str, str], ...] = ()

    @staticmethod
    def read(reader: IndexReader) -> IndexState:
        from codemap.endpoints.configs import read_configs

        files = reader.conn.execute(
            "SELECT path, language, hash, COALESCE(module, '') FROM files "
            "WHERE status IN ('parsed', 'partial') AND language IS NOT NULL "
            "AND hash IS NOT NULL ORDER BY path").fetchall()
        extractors = ";".join(f"{k}={v}" for k, v in reader.conn.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'lang:%' ORDER BY key"))
        return IndexState(files, extractors, read_configs(reader))

    def digest(self, version: str) -> str:
        """A digest of the whole state (and of ``version``, the endpoint code's)."""
        h = hashlib.blake2b(f"{version}\0{self.extractors}".encode(), digest_size=16)
        for path, lang, digest, module in self.files:
            h.update(f"{path}\0{lang}\0{digest}\0{module}\n".encode("utf-8", "surrogateescape"))
        _hash_configs(h, self.configs)
        return h.hexdigest()


@dataclass
class Reads:
    """What one composition read, with the content hash each file had."""

    anchors: dict[str, str]  # every file whose role is anchor
    files: dict[str, str | None] = field(default_factory=dict)  # files read beyond them
    modules: str = ""  # :func:`module_digest` of the index
    everywhere: bool = False  # a symbol lookup over every file

    def to_json(self) -> str:
        return json.dumps({"anchors": self.anchors, "files": self.files,
                           "modules": self.modules, "everywhere": self.everywhere},
                          separators=(",", ":"))

    @staticmethod
    def from_json(text: str | None) -> Reads | None:
        try:
            data = json.loads(text or "")
            return Reads(dict(data["anchors"]), dict(data["files"]), str(data["modules"]),
                         bool(data["everywhere"]))
        except (ValueError, KeyError, TypeError):
            return None


def module_digest(state: IndexState) -> str:
    """A hash of the module table (every parsed file's path, language and module name)
    and of the extractors."""
    h = hashlib.blake2b(state.extractors.encode(), digest_size=16)
    for path, lang, _hash, module in state.files:
        h.update(f"{path}\0{lang}\0{module}\n".encode("utf-8", "surrogateescape"))
    _hash_configs(h, state.configs)
    return h.hexdigest()


def _hash_configs(h: Any, configs: tuple[tuple[str, str], ...]) -> None:
    """Configuration files are inputs of every composition: a changed one recomposes."""
    for path, text in configs:
        h.update(f"config\0{path}\0{text}\n".encode("utf-8", "surrogateescape"))


def anchor_hashes(reader: IndexReader) -> dict[str, str]:
    """path -> content hash of every anchor of the index."""
    return dict(reader.conn.execute(
        "SELECT f.path, f.hash FROM routes r JOIN files f ON f.id = r.file_id "
        "WHERE r.role = 'anchor' AND f.status IN ('parsed', 'partial') "
        "AND f.language IS NOT NULL AND f.hash IS NOT NULL"))


def still_valid(reads: Reads | None, state: IndexState, reader: IndexReader) -> bool:
    """Would composing the index in ``state`` give the answer that made ``reads``?"""
    if reads is None or reads.everywhere:
        return False
    if module_digest(state) != reads.modules:
        return False
    hashes = {path: digest for path, _lang, digest, _module in state.files}
    if any(hashes.get(path) != digest for path, digest in reads.files.items()):
        return False
    return anchor_hashes(reader) == reads.anchors

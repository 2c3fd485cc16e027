"""Declared owners from CODEOWNERS, shown beside blame-based ownership.

GitHub reads the first of ``.github/CODEOWNERS``, ``CODEOWNERS`` and
``docs/CODEOWNERS``; each line is a gitignore-style pattern followed by
owners (``@user``, ``@org/team``, e-mail addresses); the **last** matching
pattern wins, and a pattern with no owners makes the path unowned. Patterns
are matched with pathspec's gitignore rules (a CODEOWNERS pattern cannot be
negated with ``!``; such lines are skipped, as GitHub does).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from codemap.repo import Repo

LOCATIONS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")


@dataclass(frozen=True)
class OwnerRule:
    pattern: str
    owners: tuple[str, ...]
    line: int
    spec: Any  # pathspec.PathSpec


@dataclass(frozen=True)
class CodeOwners:
    """A parsed CODEOWNERS file."""

    file: str
    rules: tuple[OwnerRule, ...]

    def rule_for(self, path: str, *, is_dir: bool = False) -> OwnerRule | None:
        """The last rule matching ``path`` (a directory is matched as ``path/``)."""
        probe = path.rstrip("/") + "/" if is_dir else path
        for rule in reversed(self.rules):
            if rule.spec.match_file(probe) and not _deeper_than_star(rule, probe):
                return rule
        return None

    def owners_of(self, path: str, *, is_dir: bool = False) -> list[str]:
        rule = self.rule_for(path, is_dir=is_dir)
        return list(rule.owners) if rule else []


def _deeper_than_star(rule: OwnerRule, path: str) -> bool:
    """``docs/*`` owns ``docs/a.md`` but not ``docs/x/a.md`` (GitHub's rule; in
    gitignore the pattern would also cover the subdirectory's files)."""
    if not rule.pattern.endswith("/*") or rule.pattern.endswith("**/*"):
        return False
    parts = path.rstrip("/").split("/")
    return any(rule.spec.match_file("/".join(parts[:i])) for i in range(1, len(parts)))


def _split(line: str) -> list[str]:
    """Whitespace-separated fields, honouring ``\\ `` escapes in the pattern."""
    fields: list[str] = []
    current = ""
    escaped = False
    for ch in line:
        if escaped:
            current += ch
            escaped = False
        elif ch == "\\":
            current += ch
            escaped = True
        elif ch in " \t":
            if current:
                fields.append(current)
                current = ""
        else:
            current += ch
    if current:
        fields.append(current)
    return fields


def parse_codeowners(text: str, file: str = "CODEOWNERS") -> CodeOwners:
    import pathspec

    rules: list[OwnerRule] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#") or line.startswith("!"):
            continue
        if " #" in line:  # trailing comment
            line = line[: line.index(" #")].rstrip()
        fields = _split(line)
        if not fields or fields[0].startswith("["):  # GitLab section headers
            continue
        pattern, owners = fields[0], tuple(o for o in fields[1:] if not o.startswith("#"))
        try:
            spec = pathspec.GitIgnoreSpec.from_lines([pattern])
        except Exception:  # pathspec raises several types for bad patterns
            continue
        rules.append(OwnerRule(pattern, owners, number, spec))
    return CodeOwners(file, tuple(rules))


@lru_cache(maxsize=8)
def _load(path: str, mtime: int, size: int, rel: str) -> CodeOwners:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return parse_codeowners(fh.read(), rel)


def load_codeowners(repo: Repo) -> CodeOwners | None:
    """The repository's CODEOWNERS (working tree), or None when it has none."""
    for rel in LOCATIONS:
        full = repo.abspath(rel)
        try:
            st = full.stat()
        except OSError:
            continue
        if full.is_file():
            return _load(str(full), st.st_mtime_ns, st.st_size, rel)
    return None

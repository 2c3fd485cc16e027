"""Messages that thread workers post back to screens (past tense: what happened).

Widgets nest their own messages (``FrameList.FrameSelected``); the ones here
carry the answers of :mod:`codemap.tui.loaders` calls. ``IndexProgressed``
coalesces (``can_replace``) so a fast index build cannot flood the queue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:  # pragma: no cover
    from codemap.history.blame import BlameLine, ParentBlame
    from codemap.history.commits import CommitDetail
    from codemap.index.store import IndexReader
    from codemap.traces.report import TraceReport
    from codemap.tui.loaders import SourceText


class IndexProgressed(Message):
    """The index build made progress."""

    def __init__(self, stage: str, done: int, total: int) -> None:
        super().__init__()
        self.stage = stage
        self.done = done
        self.total = total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, IndexProgressed)


class IndexOpened(Message):
    """A reader over the index is available (``fresh``: it was refreshed first)."""

    def __init__(self, reader: IndexReader, fresh: bool, counts: dict[str, int] | None = None
                 ) -> None:
        super().__init__()
        self.reader = reader
        self.fresh = fresh
        self.counts = counts or {}


class TraceMapped(Message):
    """A trace was parsed and mapped (``with_symbols`` False: the cold-start mapping)."""

    def __init__(self, report: TraceReport, with_symbols: bool) -> None:
        super().__init__()
        self.report = report
        self.with_symbols = with_symbols


class TraceEnriched(Message):
    """The mapped trace with last commits, coverage and suspects added; ``mapped`` is
    the mapping it enriched (a later mapping, with symbols, makes it stale)."""

    def __init__(self, report: TraceReport, mapped: TraceReport | None = None) -> None:
        super().__init__()
        self.report = report
        self.mapped = mapped


class SourceLoaded(Message):
    def __init__(self, source: SourceText, line: int) -> None:
        super().__init__()
        self.source = source
        self.line = line


class BlameLoaded(Message):
    """Blame of a file, and whether it is generated (the gutter's facts)."""

    def __init__(self, path: str, rev: str | None, lines: list[BlameLine],
                 generated: bool = False) -> None:
        super().__init__()
        self.path = path
        self.rev = rev
        self.lines = lines
        self.generated = generated


class ParentBlamed(Message):
    """Blame re-run from the parent of a line's commit (None: the commit made the file)."""

    def __init__(self, result: ParentBlame | None, source: SourceText | None) -> None:
        super().__init__()
        self.result = result
        self.source = source


class CoverageLoaded(Message):
    def __init__(self, coverage: Any) -> None:
        super().__init__()
        self.coverage = coverage


class OwnersLoaded(Message):
    def __init__(self, key: str, who: Any) -> None:
        super().__init__()
        self.key = key
        self.who = who


class CommitLoaded(Message):
    def __init__(self, detail: CommitDetail) -> None:
        super().__init__()
        self.detail = detail


class EndpointMatched(Message):
    def __init__(self, request: str, result: Any) -> None:
        super().__init__()
        self.request = request
        self.result = result


class FilesListed(Message):
    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths


class SymbolFound(Message):
    """The symbol at a place of ``path`` (None: no symbol there)."""

    def __init__(self, path: str | None, symbol: Any) -> None:
        super().__init__()
        self.path = path
        self.symbol = symbol


class DefinitionsFound(Message):
    def __init__(self, word: str | None, symbols: list[Any]) -> None:
        super().__init__()
        self.word = word
        self.symbols = symbols


class SymbolCoverageLoaded(Message):
    """The coverage row of ``symbol`` (None: no data for its file)."""

    def __init__(self, symbol: Any, row: Any) -> None:
        super().__init__()
        self.symbol = symbol
        self.row = row


class HistoryLoaded(Message):
    def __init__(self, title: str, result: Any) -> None:
        super().__init__()
        self.title = title
        self.result = result

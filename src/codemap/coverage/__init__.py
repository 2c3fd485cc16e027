"""Coverage: which lines, and which tests, cover each function.

One reader per data format (``coveragepy``, ``cobertura``, ``lcov``,
``gocover``, ``jacoco``) turns a data file into a format-neutral
:class:`~codemap.coverage.recording.Recording`; :mod:`.loaded` maps its
measured files onto repository files and answers per-line questions;
:mod:`.rollup` rolls lines up per symbol; :mod:`.service` is what the
façade calls. Nothing here imports coverage.py at module import time.
"""

import threading as _threading

_IMPORTING = _threading.Lock()


def import_coveragepy() -> None:
    """Import coverage.py whole, once, one thread at a time; call it before any
    ``from coverage.x import ...`` that may run in a worker thread.

    Python takes a submodule's import lock before its package's: one thread doing
    ``from coverage.regions import code_regions`` while another runs ``import coverage``
    (whose ``__init__`` imports ``coverage.regions`` too) makes one of them fail with
    "cannot import name ... from partially initialized module" (29 times in 30 in a
    two-thread trial). The TUI loads coverage data and rolls up per-symbol figures in
    different threads at once; a failed region import fell back to whole-range
    regions and showed wrong percentages now and then.
    """
    import sys

    module = sys.modules.get("coverage")
    if module is not None and not getattr(getattr(module, "__spec__", None), "_initializing",
                                          False):
        return
    with _IMPORTING:
        import coverage  # noqa: F401

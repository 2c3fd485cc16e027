"""Coverage: which lines, and which tests, cover each function.

One reader per data format (``coveragepy``, ``cobertura``, ``lcov``,
``gocover``, ``jacoco``) turns a data file into a format-neutral
:class:`~codemap.coverage.recording.Recording`; :mod:`.loaded` maps its
measured files onto repository files and answers per-line questions;
:mod:`.rollup` rolls lines up per symbol; :mod:`.service` is what the
façade calls. Nothing here imports coverage.py at module import time.
"""

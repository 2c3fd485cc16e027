"""The one table of trace formats. Adding a runtime means adding a line here.

Order matters only when two formats' ``start`` match at the same place of a
line: the earlier one is asked first, so the stricter formats come first
(a JVM frame ``at a.B.c(B.java:1)`` before V8's ``at fn (file:1:2)`` before
.NET's looser ``at N.C.M(args)``).
"""

from __future__ import annotations

from codemap.traces import (
    dotnet,
    firefox,
    go,
    javascript,
    jvm,
    nodetest,
    php,
    pytest_tb,
    python,
    ruby,
    rust,
)
from codemap.traces.base import TraceFormat

FORMATS: tuple[TraceFormat, ...] = (
    python.FORMAT,
    pytest_tb.FORMAT,
    jvm.FORMAT,
    javascript.FORMAT,
    nodetest.FORMAT,
    dotnet.FORMAT,
    go.FORMAT,
    ruby.FORMAT,
    rust.FORMAT,
    php.FORMAT,
    firefox.FORMAT,
)

BY_NAME: dict[str, TraceFormat] = {fmt.name: fmt for fmt in FORMATS}

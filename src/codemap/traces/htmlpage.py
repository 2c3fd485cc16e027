"""Traces pasted from HTML: error pages and HTML-escaped log viewers.

Web frameworks show a crash as an HTML page: bottle's debug 500 page puts the
traceback in a ``<pre>``, Werkzeug's debugger in a ``<textarea>`` (and again,
raw, in a comment), Django's technical 500 page in the ``<textarea>`` of its
copy-and-paste view. Their text is HTML-escaped (``File &quot;app.py&quot;``,
``in &lt;module&gt;``, ``&#x27;key&#x27;``), and log viewers that render to HTML
escape it the same way, sometimes joining lines with ``<br>``. No parser
matches that, so :func:`looks_escaped` spots such input and :func:`to_text`
turns it back into the text the runtime printed.

Only input that is an HTML document, or whose trace lines are themselves
escaped, is converted: a plain trace whose message happens to hold ``&amp;``
or ``<div>`` keeps it. Only known HTML tag names are removed, so a runtime's
``<module>``, ``<lambda>`` or ``<init>`` left unescaped survives.
"""

from __future__ import annotations

import html
import re

# An HTML document (what "view source" or saving an error page gives).
_DOCUMENT = re.compile(r"\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>\n]{0,200}>\s*<html)",
                       re.IGNORECASE)
# Trace syntax that only escaping produces: Python's quoted frame paths and the
# pseudo-names runtimes print in angle brackets (Python, V8, the JVM).
_ESCAPED = re.compile(
    r"File &(?:quot|#34|#x22);|&(?:quot|#34|#x22);, line \d"
    r"|&lt;(?:module|lambda|genexpr|listcomp|dictcomp|setcomp|string|stdin|frozen |anonymous"
    r"|init|clinit|unknown)[^&\n]{0,200}&gt;",
    re.IGNORECASE)
_TAGS = ("a|abbr|b|big|blockquote|body|br|caption|center|cite|code|col|dd|del|details|dfn|div"
         "|dl|dt|em|font|form|h[1-6]|head|hr|html|i|img|input|ins|kbd|label|li|link|mark|meta"
         "|noscript|ol|option|p|pre|q|s|samp|script|select|small|span|strike|strong|style|sub"
         "|summary|sup|table|tbody|td|textarea|tfoot|th|thead|title|tr|tt|u|ul|var|wbr")
_BREAK = re.compile(r"<br\b[^<>\n]*>\n?", re.IGNORECASE)
# the end of a block element ends a line (log viewers put each line in its own <div>)
_BLOCK_END = re.compile(
    r"</(?:blockquote|dd|div|dt|h[1-6]|li|p|pre|textarea|tr)\s*>(?P<nl>\n?)", re.IGNORECASE)
_TAG = re.compile(rf"</?(?:{_TAGS})\b[^<>\n]*>|<!doctype[^<>\n]*>|<!--|-->", re.IGNORECASE)

SEARCH_LIMIT = 2_000_000  # characters searched for escaped trace syntax


def looks_escaped(text: str) -> bool:
    """Whether ``text`` is an HTML page or holds an HTML-escaped trace."""
    return bool(_DOCUMENT.match(text, 0, 4096) or _ESCAPED.search(text, 0, SEARCH_LIMIT))


def to_text(text: str) -> str:
    """The text an HTML page or an escaped log shows: tags removed (``<br>`` and the
    ends of blocks become line breaks), entities decoded, no-break spaces made spaces."""
    text = _BREAK.sub("\n", text)
    text = _BLOCK_END.sub(lambda m: m.group("nl") or "\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text).replace("\xa0", " ")

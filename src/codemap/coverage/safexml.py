"""Streaming XML parsing that refuses entity tricks.

Coverage XML comes from CI artifacts and pull requests, so it is untrusted.
We parse it with the stdlib expat parser directly (the same hardening
defusedxml applies, without the dependency): any entity declaration
(billion laughs, quadratic blow-up, external entities) is refused, external
DTDs and parameter entities are never loaded, and the document is streamed
to callbacks instead of building a tree, so a large report costs little
memory. A DOCTYPE that only names an external DTD (JaCoCo's
``report.dtd``) is fine: it is not fetched.
"""

from __future__ import annotations

from collections.abc import Callable
from xml.parsers import expat

from codemap.errors import InputError

StartHandler = Callable[[str, dict[str, str]], None]
EndHandler = Callable[[str], None]
TextHandler = Callable[[str], None]


class _Refused(Exception):
    pass


def parse_xml(data: bytes, *, name: str, start: StartHandler, end: EndHandler | None = None,
              text: TextHandler | None = None,
              comment: Callable[[str], None] | None = None) -> None:
    """Feed ``data`` to the callbacks; raise :class:`InputError` on bad or hostile XML.

    Exceptions raised by the callbacks (an :class:`InputError` saying the
    document is not the expected kind) propagate unchanged.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entity(*_args: object) -> None:
        raise _Refused("declares XML entities")

    def refuse_external(*_args: object) -> int:
        raise _Refused("references an external entity")

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if text is not None:
        parser.buffer_text = True
        parser.CharacterDataHandler = text
    if comment is not None:
        parser.CommentHandler = comment
    try:
        parser.Parse(data, True)
    except _Refused as exc:
        raise InputError(f"{name}: refusing XML that {exc}") from None
    except expat.ExpatError as exc:
        raise InputError(f"{name}: not well-formed XML ({expat.errors.messages.get(exc.code, exc)}"
                         f" at line {exc.lineno})") from None
    except RecursionError:
        raise InputError(f"{name}: XML nested too deeply") from None
    except (ValueError, OverflowError) as exc:  # e.g. odd encodings declared by the document
        raise InputError(f"{name}: unreadable XML ({exc})") from None


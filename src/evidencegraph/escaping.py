"""Escaping for each medium a string from data or an endpoint can reach.

A terminal must never receive control characters (ESC starts CSI and OSC
sequences that move the cursor, retitle the window or forge hyperlinks; CR
overwrites a line), so every text format writes C0/C1 controls, DEL and the
bidirectional overrides as visible ``\\uXXXX``. CSV cells that a spreadsheet
would run as a formula get a leading ``'`` (OWASP's advice), and XML outputs
drop the characters XML 1.0 forbids. HTML is escaped where it is written
(``html.escape`` and JSON inside ``<script>``, see :mod:`evidencegraph.viz.page`).
"""

from __future__ import annotations

import re

_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NOT_XML = "[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"  # compiled when used
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def terminal_safe(text: str) -> str:
    """``text`` with every control character but LF and TAB written as ``\\uXXXX``."""
    return _CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def cell_safe(text: str) -> str:
    """One table or Markdown cell: line breaks and tabs as spaces, controls escaped."""
    return terminal_safe(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " "))


def csv_safe(text: str) -> str:
    """A CSV cell a spreadsheet shows as text: formulas quoted, controls escaped."""
    text = terminal_safe(text)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.match(text):
        return "'" + text
    return text


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (each becomes U+FFFD)."""
    return re.sub(_NOT_XML, "\ufffd", text)


def dot_escape(text: str) -> str:
    """Text inside a Graphviz double-quoted string: backslashes doubled (no ``\\N``
    or ``\\G`` expansion), line breaks as ``\\n``, no character XML forbids (the SVG
    Graphviz writes must stay well-formed). Quotes are left to the writer: the
    ``graphviz`` package escapes them itself; :func:`dot_quoted` does it by hand."""
    return xml_safe(text).replace("\\", "\\\\").replace("\n", "\\n")


def dot_quoted(text: str) -> str:
    """A complete DOT double-quoted string, for DOT written by hand."""
    return '"' + dot_escape(text).replace('"', '\\"') + '"'

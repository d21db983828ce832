r"""Characters from the data that a file format or a terminal cannot take as they are.

Ids never hold control, zero-width or bidirectional characters (the checks refuse them,
:data:`handover.io.checks.UNUSABLE_IN_IDS`), but names, professions and other free text may:
they are read as written and made safe where they are written.

- XML 1.0 (GEXF, the parts of an ``.xlsx``) cannot hold most C0 control characters, nor
  U+FFFE and U+FFFF: :func:`xml_safe` replaces them with U+FFFD (the replacement
  character), where a parser would otherwise refuse the whole file.
- HTML calls every control character but tab and the line breaks a parse error:
  :func:`html_safe` replaces C0, DEL and C1 the same way.
- A terminal runs escape sequences (``\x1b[31m`` turns the text red, others move the cursor
  or retitle the window): :func:`terminal_safe` shows control characters escaped, as
  messages show ids (``\x1b``).
"""

from __future__ import annotations

import re

__all__ = ["xml_safe", "html_safe", "terminal_safe", "XML_ILLEGAL"]

REPLACEMENT = "\ufffd"

#: What XML 1.0 cannot hold (what openpyxl calls ILLEGAL_CHARACTERS_RE, and U+FFFE, U+FFFF).
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_HTML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_TERMINAL_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def xml_safe(text: str) -> str:
    r"""``text`` with the characters XML 1.0 cannot hold replaced by U+FFFD.

    Examples
    --------
    >>> xml_safe("NAV\x01Sentrum\x0b"), xml_safe("tab\tand\nline")
    ('NAV\ufffdSentrum\ufffd', 'tab\tand\nline')
    """
    return XML_ILLEGAL.sub(REPLACEMENT, text)


def html_safe(text: str) -> str:
    r"""``text`` with the control characters HTML refuses (all but tab and line breaks) replaced by U+FFFD.

    Examples
    --------
    >>> html_safe("TSB\x01Helse\x85"), html_safe("to\nlines")
    ('TSB\ufffdHelse\ufffd', 'to\nlines')
    """
    return _HTML_UNSAFE.sub(REPLACEMENT, text)


def terminal_safe(text: str) -> str:
    r"""``text`` with control characters and bidirectional controls escaped, so a terminal shows them.

    Examples
    --------
    >>> terminal_safe("NAV\x1b[31mSentrum"), terminal_safe("a\tb\u202e")
    ('NAV\\x1b[31mSentrum', 'a\\tb\\u202e')
    >>> terminal_safe("Bodø")
    'Bodø'
    """
    if not _TERMINAL_UNSAFE.search(text):
        return text
    return _TERMINAL_UNSAFE.sub(lambda found: repr(found.group())[1:-1], text)

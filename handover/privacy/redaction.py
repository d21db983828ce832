"""Text from elsewhere (a server's error, an exception's message) made safe to print.

handover's own messages are written not to carry data; a driver's or a library's text is
not, and may quote the value a row held (``property `user_id` = '15038511499'``), a URI
with its password, or an id that looks like a national identity number. :func:`redacted`
hides all three kinds before such text reaches a terminal, a log or a debug traceback.
"""

from __future__ import annotations

import re

__all__ = ["redacted", "HIDDEN"]

#: What stands where a value was.
HIDDEN = "…"

# user:password@ (or user@) in any URI.
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)[^/@\s'\"]*@")
# A value in quotes, as Python's reprs, Neo4j's and pandas' messages quote them.
_QUOTED = re.compile(r"'[^'\n]*'|\"[^\"\n]*\"")
# Eleven digits, maybe with a space after the sixth (a national identity number or
# D-number as written), in any script's digits.
_ELEVEN_DIGITS = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")


def redacted(text: str) -> str:
    """``text`` with quoted values, URI passwords and national-id-like numbers hidden.

    Names of labels and properties in back-quotes stay, values after them go; the
    structure of a message ("already exists with label ... and property ...") stays
    readable.

    Parameters
    ----------
    text : str
        A message from outside handover's own code.

    Returns
    -------
    str

    Examples
    --------
    >>> redacted("Node(7) already exists with label `ServiceUser` and property `user_id` = '15038511499'")
    "Node(7) already exists with label `ServiceUser` and property `user_id` = '…'"
    >>> redacted("cannot open bolt://neo4j:TopSecret@db:7687")
    'cannot open bolt://***@db:7687'
    >>> redacted("no row for 150385 11499 (nor 15038511499)")
    'no row for … (nor …)'
    """
    text = _USERINFO.sub(lambda m: m.group("scheme") + "***@", text)
    text = _QUOTED.sub(lambda m: m.group(0)[0] + HIDDEN + m.group(0)[-1], text)
    return _ELEVEN_DIGITS.sub(HIDDEN, text)

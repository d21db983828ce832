"""Putting things into an HTML page safely: text, data for a script, and the pages' own CSS and JS.

Names and ids come from agency systems, so every piece of text a page shows goes through
:func:`escape`, and data a script reads goes through :func:`json_for_script`, which no
value can break out of. The stylesheets and scripts of the pages live as files in
``handover/render/assets/`` (shipped in the wheel); :func:`asset` reads one, once, to be
inlined, since the pages must open offline and fetch nothing.
"""

from __future__ import annotations

import functools
import html
import json
from importlib import resources

from handover.errors import HandoverError
from handover.render.characters import html_safe

__all__ = ["escape", "json_for_script", "asset"]


def escape(value) -> str:
    r"""``value`` as text for an HTML element or a quoted attribute: ``& < > " '`` escaped.

    Control characters, which HTML refuses, become U+FFFD (:func:`handover.render.characters.html_safe`).

    Examples
    --------
    >>> escape('<a href="x">Tom & Jerry\'s</a>')
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#x27;s&lt;/a&gt;'
    >>> escape(3), escape("NAV\x01Sentrum")
    ('3', 'NAV\ufffdSentrum')
    """
    return html.escape(html_safe(str(value)), quote=True)


def json_for_script(value) -> str:
    r"""``value`` as JSON that can sit inside ``<script>``: no ``<``, ``>`` or ``&``, so no ``</script>``.

    The characters are written as JSON escapes (``\u003c``), which a JSON parser reads back
    unchanged.

    Examples
    --------
    >>> json_for_script({"name": "</script><b>&"})
    '{"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}'
    >>> json.loads(json_for_script({"name": "</script>"}))
    {'name': '</script>'}
    """
    text = json.dumps(value, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@functools.cache
def asset(name: str) -> str:
    """The text of ``handover/render/assets/<name>``, a stylesheet or script a page inlines.

    Read from the installed package (so it works from a wheel), once per process.

    Raises
    ------
    FileNotFoundError
        When the package has no such asset.
    HandoverError
        When the asset contains ``</style`` or ``</script``: inlined, it would end the
        element it sits in.

    Examples
    --------
    >>> asset("report.css").splitlines()[0][:20]
    'body{font-family:sys'
    """
    text = (resources.files("handover.render") / "assets" / name).read_text(encoding="utf-8")
    for closing in ("</style", "</script"):
        if closing in text.lower():
            raise HandoverError(f"handover/render/assets/{name} contains {closing}, so it cannot be inlined")
    return text

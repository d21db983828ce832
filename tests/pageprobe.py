"""Open a page in headless Chromium (network off) with probes, and read what happened.

:func:`probe` opens a copy of the page with a small script first in ``<head>`` that records
script errors, failed loads, ``console.error``/``console.warn`` and any call of ``alert``,
and a script at the end of ``<body>`` that, once the page has loaded, runs the test's own
JavaScript and writes everything into an attribute that ``--dump-dom`` prints. The page
itself is never changed. The Chromium flags (no network, fresh profile) are those of
``tests/audit/test_browser.py``, whose helpers this reuses.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from tests.audit.test_browser import run_chromium

_HEAD = r"""<script>
window.__probe = {errors: [], alerts: 0, result: null};
window.alert = window.confirm = window.prompt = function () { window.__probe.alerts += 1; };
window.addEventListener('error', function (event) {
  var target = event.target || {};
  window.__probe.errors.push(event.message || ('failed to load ' + (target.src || target.href || target.tagName)));
}, true);
['error', 'warn'].forEach(function (level) {
  var original = console[level];
  console[level] = function () {
    window.__probe.errors.push(level + ': ' + Array.prototype.join.call(arguments, ' '));
    original.apply(console, arguments);
  };
});
</script>"""

_TAIL = r"""<script>
window.addEventListener('load', function () {
  setTimeout(function () {
    try { (function () { %(script)s })(); } catch (error) { window.__probe.errors.push('probe: ' + error); }
    setTimeout(function () {
      var out = {errors: window.__probe.errors, alerts: window.__probe.alerts, result: window.__probe.result,
        resources: performance.getEntriesByType('resource').map(function (r) { return r.name; }),
        images: document.getElementsByTagName('img').length,
        drawn: document.body.getAttribute('data-drawn'), title: document.title};
      document.documentElement.setAttribute('data-probe', JSON.stringify(out));
    }, %(wait)d);
  }, 50);
});
</script>"""


def instrumented(page: Path, script: str = "", *, wait_ms: int = 600, name: str = "probed") -> Path:
    """A copy of ``page`` beside it, with the probes and ``script`` (run after load)."""
    text = page.read_text(encoding="utf-8")
    assert text.count("<head>") == 1 and text.count("</body>") == 1
    text = text.replace("<head>", "<head>" + _HEAD, 1)
    text = text.replace("</body>", _TAIL % {"script": script, "wait": wait_ms} + "</body>", 1)
    copy = page.with_name(f"{name}-{page.name}")
    copy.write_text(text, encoding="utf-8")
    return copy


def probe(page: Path, script: str = "", *, wait_ms: int = 600, budget_ms: int = 8000,
          window: str = "1280,900") -> dict:
    """Run ``script`` in ``page`` (it may set ``window.__probe.result``) and return the record.

    The record holds ``errors`` (script errors, failed loads, console errors and warnings),
    ``alerts`` (calls of alert/confirm/prompt), ``resources`` (every URL the page fetched),
    ``images`` (``<img>`` elements in the DOM), ``drawn`` (the page's ``data-drawn``),
    ``title`` and ``result``.
    """
    copy = instrumented(page, script, wait_ms=wait_ms)
    done = run_chromium(copy, f"--virtual-time-budget={budget_ms}", f"--window-size={window}", "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-probe="([^"]*)"', done.stdout)
    assert found, "the probe did not report: the page did not finish loading"
    return json.loads(html.unescape(found.group(1)))


def screenshot(page: Path, out: Path, script: str = "", *, window: str = "1280,900",
               budget_ms: int = 5000) -> Path:
    """A screenshot of ``page`` (after ``script`` has run, when given), network off."""
    target = instrumented(page, script, wait_ms=50, name="shot") if script else page
    done = run_chromium(target, f"--screenshot={out}", f"--window-size={window}", f"--virtual-time-budget={budget_ms}")
    assert done.returncode == 0 and out.exists(), done.stderr[-2000:]
    return out

"""The audit page in a real browser: headless Chromium, network off, charts drawn.

Chromium must be installed (``apt-get install -y chromium``; ``scripts/test.sh`` does
it). Without it these tests fail, since a page nobody has seen rendered is not tested.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from pathlib import Path

import numpy as np
import pytest

from handover.reports.audit import write_audit
from handover.engines import MemoryEngine
from handover.io import read_dataset

OSLO = Path(__file__).resolve().parents[2] / "fixtures" / "oslo-nav-district"
HISTOGRAM_BLUE = (0x0B, 0x4F, 0x8A)     # charts.PALETTE[0]: histogram bars, the 7-day line
COVERAGE_TEAL = (0x0F, 0x76, 0x6E)      # charts.PALETTE[2]: coordinator coverage bars
THIRTY_DAY_ORANGE = (0xC2, 0x57, 0x0C)  # charts.PALETTE[1]: the 30-day line


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.fail("Chromium is missing: install it with `apt-get update && apt-get install -y chromium` "
                    "(scripts/test.sh installs it when run as root)", pytrace=False)
    return found


def run_chromium(page: Path, *args: str) -> subprocess.CompletedProcess:
    """Chromium headless on ``page`` with every network path closed."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profile}", "--proxy-server=127.0.0.1:9",
             "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars", *args, page.as_uri()],
            capture_output=True, text=True, timeout=120, check=False)


def png_pixels(path: Path) -> np.ndarray:
    """The RGB pixels of an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium writes)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, []
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and colour in (2, 6) and interlace == 0, "only 8-bit RGB(A) PNGs"
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    bpp = 3 if colour == 2 else 4
    stride = width * bpp
    raw = np.frombuffer(zlib.decompress(b"".join(idat)), dtype=np.uint8).reshape(height, stride + 1)
    out = np.zeros((height, stride), dtype=np.uint8)
    prior = np.zeros(stride, dtype=np.uint8)
    for y in range(height):   # undo the PNG row filters: none, sub, up, average, paeth
        kind, line = raw[y, 0], raw[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:
            row = (np.cumsum(line.reshape(width, bpp).astype(np.int64), axis=0) % 256).astype(np.uint8).ravel()
        elif kind == 2:
            row = line + prior
        else:
            values, up = bytearray(line.tobytes()), prior.tobytes()
            for i in range(stride):
                a = values[i - bpp] if i >= bpp else 0
                b = up[i]
                if kind == 3:
                    predictor = (a + b) >> 1
                else:
                    c = up[i - bpp] if i >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    predictor = a if pa <= pb and pa <= pc else b if pb <= pc else c
                values[i] = (values[i] + predictor) & 255
            row = np.frombuffer(bytes(values), dtype=np.uint8)
        out[y] = row
        prior = row
    return out.reshape(height, width, bpp)[:, :, :3]


def count_colour(pixels: np.ndarray, rgb: tuple[int, int, int]) -> int:
    return int((pixels == np.array(rgb, dtype=np.uint8)).all(axis=2).sum())


def svg_of(dom: str, ident: str) -> str:
    match = re.search(rf'<svg[^>]*aria-labelledby="{ident}-t[^>]*>.*?</svg>', dom, re.S)
    assert match, f"chart {ident} is not on the rendered page"
    return match.group(0).replace("&nbsp;", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    engine = MemoryEngine(read_dataset(OSLO))
    return {
        mode: write_audit(engine, tmp_path_factory.mktemp(mode), suppress=mode == "suppressed",
                          source="oslo-nav-district")
        for mode in ("suppressed", "internal")
    }


def test_chromium_draws_the_charts_offline(pages, tmp_path):
    shot = tmp_path / "audit.png"
    done = run_chromium(pages["internal"], f"--screenshot={shot}", "--window-size=1280,2400")
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    pixels = png_pixels(shot)
    assert pixels.shape == (2400, 1280, 3)
    # 14 follow-ups in the histogram (about 20,000 px of bar) and 3 agencies' coverage bars.
    assert count_colour(pixels, HISTOGRAM_BLUE) > 10_000
    assert count_colour(pixels, COVERAGE_TEAL) > 10_000
    assert count_colour(pixels, THIRTY_DAY_ORANGE) > 300


def test_the_rendered_dom_holds_one_mark_per_value(pages):
    done = run_chromium(pages["internal"], "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "Follow-up after discharge" in dom
    histogram = svg_of(dom, "days-to-follow-up")
    assert len(re.findall(r'<rect class="bar"', histogram)) == 30          # one bar per day 1..30
    assert re.search(r"<title>4 days: 3</title>", histogram)              # three were seen on day 4
    coverage = svg_of(dom, "coordinator-by-agency")
    assert len(re.findall(r'<rect class="bar"', coverage)) == 3            # dps-lov, tsb-ous, tyrili
    assert "38.5 % (5 of 13)" in coverage
    rates = svg_of(dom, "rates-by-month")
    assert len(re.findall(r'<circle class="point"', rates)) == 2 * 12     # 12 months with discharges


def test_suppressed_page_draws_small_numbers_as_hidden_marks(pages, tmp_path):
    done = run_chromium(pages["suppressed"], "--dump-dom")
    assert done.returncode == 0, done.stderr[-2000:]
    histogram = svg_of(done.stdout, "days-to-follow-up")
    # Oslo's 14 follow-ups fall on 11 different days, none with 5 or more.
    assert len(re.findall(r'<rect class="bar hidden"', histogram)) == 11
    assert len(re.findall(r'<rect class="bar"', histogram)) == 19
    assert not re.search(r"<title>\d+ days: [1-4]</title>", histogram)
    coverage = svg_of(done.stdout, "coordinator-by-agency")
    assert len(re.findall(r'<rect class="bar hidden"', coverage)) == 2 and "38.5 %" in coverage
    shot = tmp_path / "audit.png"
    run_chromium(pages["suppressed"], f"--screenshot={shot}", "--window-size=1280,2400")
    assert count_colour(png_pixels(shot), COVERAGE_TEAL) > 3_000           # tsb-ous's bar is drawn

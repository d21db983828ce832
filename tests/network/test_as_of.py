"""``--as-of`` on ``network`` and ``metrics``: the network of the data as they stood on the day."""

from __future__ import annotations

import csv
import io

from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

runner = CliRunner()
TINY = FIXTURES / "tiny"


def invoke(*args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_a_handover_whose_next_episode_was_not_yet_there_is_not_seen():
    """By hand, fixtures/tiny on 2024-05-01: u03 left the DPS on 2024-04-30 and u05 TSB on
    2024-04-15, but their next episodes (NAV from 2024-05-06, the municipality from 2024-05-15)
    were not recorded yet, so on that day they were no handovers. --until counts them: it cuts
    the handover dates, not what was known."""
    as_it_stood = invoke("network", "handover-flows", TINY, "--as-of", "2024-05-01").stdout.splitlines()
    until = invoke("network", "handover-flows", TINY, "--until", "2024-05-01").stdout.splitlines()
    assert until == ["source,target,count,weight", "a-dps,a-nav,1,1", "a-nav,a-tsb,1,1", "a-tsb,a-mh,4,4"]
    assert as_it_stood == ["source,target,count,weight", "a-nav,a-tsb,1,1", "a-tsb,a-mh,3,3"]


def test_metrics_measure_the_network_as_it_stood(tmp_path):
    invoke("metrics", TINY, "--as-of", "2024-05-01", "--out", tmp_path / "m")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "m" / "agency_metrics.csv").read_text(encoding="utf-8"))))
    flows = {r["agency_id"]: float(r["out_strength"]) for r in rows if r["network"] == "handover-flows"}
    assert flows.get("a-dps", 0) == 0 and flows["a-tsb"] == 3 and flows["a-nav"] == 1

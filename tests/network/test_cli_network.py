"""`handover network`, `handover metrics` and `handover caseload` as a user meets them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from handover.cli import app
from tests.datasets import FIXTURES

TINY = FIXTURES / "tiny"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.mark.parametrize("kind", ["handover-flows", "shared-users", "handover-of-work"])
def test_network_csv_is_the_hand_worked_file(kind):
    result = invoke("network", kind, TINY)
    assert result.exit_code == 0, result.output
    expected = TINY / "expected" / f"network_{kind.replace('-', '_')}.csv"
    assert result.stdout == expected.read_text(encoding="utf-8")


def test_network_options_change_the_answer():
    result = invoke("network", "handover-of-work", TINY, "--role", "caseworker", "--role", "caseworker")
    assert result.exit_code == 0, result.output
    assert "s11,s12,5,0.192308" in result.stdout.splitlines()
    period = invoke("network", "shared-users", TINY, "--since", "2024-03-05", "--until", "2024-03-05")
    assert period.stdout.splitlines() == ["source,target,count,weight", "a-mh,a-nav,1,1", "a-mh,a-tsb,1,1",
                                          "a-nav,a-tsb,4,4"]
    window = invoke("network", "handover-flows", TINY, "--window-days", "29")
    assert "a-tsb,a-mh,4,4" in window.stdout.splitlines()


def test_network_gexf_opens_in_networkx(tmp_path):
    out = tmp_path / "flows.gexf"
    result = invoke("network", "handover-flows", TINY, "--format", "gexf", "--out", out)
    assert result.exit_code == 0, result.output
    ET.parse(out)  # well-formed XML
    graph = nx.read_gexf(out)
    assert graph.is_directed()
    assert graph.nodes["a-tsb"]["label"] == "Testby helseforetak TSB"
    assert graph.nodes["a-tsb"]["level"] == "specialist"
    assert graph.edges["a-tsb", "a-mh"]["count"] == 5


def test_network_writes_csv_to_a_file(tmp_path):
    out = tmp_path / "deep" / "edges.csv"
    result = invoke("network", "shared-users", TINY, "--out", out)
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("source,target,count,weight\n")
    assert "5 edges" in result.stderr


@pytest.mark.parametrize("args, message", [
    (("network", "handover-flows", TINY, "--role", "caseworker"), "--role applies to handover-of-work only"),
    (("network", "handover-of-work", TINY, "--since", "2024-01-01"), "do not apply to handover-of-work"),
    (("network", "handover-of-work", TINY, "--role", "boss"), "--role: boss is not one of: coordinator"),
    (("network", "shared-users", TINY, "--since", "2024-05-01", "--until", "2024-04-01"),
     "--since 2024-05-01 is after --until 2024-04-01"),
    (("network", "handover-flows", TINY, "--window-days", "-1"), "--window-days: -1 must not be negative"),
    (("network", "shared-users", TINY, "--until", "1.4.2024"), "--until: 1.4.2024 is not a date"),
    (("caseload", TINY, "--max-users", "0"), "--max-users: 0 must be at least 1"),
])
def test_bad_options_exit_2_with_a_message(args, message):
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_unknown_kind_is_a_usage_error():
    result = invoke("network", "friendships", TINY)
    assert result.exit_code == 2


def test_metrics_writes_both_files(tmp_path):
    result = invoke("metrics", TINY, "--out", tmp_path / "m")
    assert result.exit_code == 0, result.output
    metrics = (tmp_path / "m" / "agency_metrics.csv").read_text(encoding="utf-8").splitlines()
    assert metrics[0] == ("network,agency_id,name,kind,level,users_served,neighbours,strength,"
                          "in_strength,out_strength,betweenness,community")
    assert len(metrics) == 1 + 2 * 4  # four agencies in each of the two networks
    # a-nav in the shared-users network: 3 + 7 + 20 = 30 shared users with its three neighbours.
    assert metrics[3].startswith("shared-users,a-nav,NAV Testby,nav_office,municipal,43,3,30,,,")
    density = (tmp_path / "m" / "care_density.csv").read_text(encoding="utf-8").splitlines()
    assert density[0] == "user_id,agencies,agency_pairs,shared_users,care_density"
    # u05 is at a-mh, a-nav and a-tsb: (7 + 11 + 20) / 3 = 12.6667.
    assert "u05,3,3,38,12.6667" in density


def test_caseload_prints_both_tables():
    result = invoke("caseload", TINY, "--as-of", "2024-06-15", "--max-users", "2")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "# caseload per staff and role on 2024-06-15"
    assert lines[1] == "staff_id,profession,role,users,over_limit"
    # s05 is coordinator on 06-15 for u25, u49, u50, u52 and u53 (u12's and u13's ended earlier,
    # u09's starts 07-09): 5 users, more than 2. s04 is coordinator for u02, u13 and u51.
    assert "s05,substance-use consultant,coordinator,5,true" in lines
    assert "s04,psychiatric nurse,coordinator,3,true" in lines
    assert any(line.startswith("# users without a responsible person, per agency") for line in lines)


def test_caseload_writes_files(tmp_path):
    result = invoke("caseload", TINY, "--out", tmp_path / "c")
    assert result.exit_code == 0, result.output
    staff = (tmp_path / "c" / "caseload_staff.csv").read_text(encoding="utf-8").splitlines()
    agencies = (tmp_path / "c" / "caseload_agencies.csv").read_text(encoding="utf-8").splitlines()
    assert staff[0] == "staff_id,profession,role,users,over_limit"
    assert agencies[0] == "agency_id,name,users,users_without_responsible,share_without_responsible"


def test_caseload_format_csv_is_the_text_scripts_read():
    default = invoke("caseload", TINY, "--as-of", "2024-06-15", "--max-users", "2")
    explicit = invoke("caseload", TINY, "--as-of", "2024-06-15", "--max-users", "2", "--format", "csv")
    assert explicit.exit_code == 0, explicit.output
    assert explicit.stdout == default.stdout     # a pipe or a file gets the CSV text, as before


def test_caseload_prints_tables_like_find():
    result = runner.invoke(app, ["caseload", str(TINY), "--as-of", "2024-06-15", "--max-users", "2",
                                 "--format", "table"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].strip().startswith("caseload per staff and role on 2024-06-15 — ")
    assert any(line.strip().startswith("users without a responsible person, per agency, on 2024-06-15 — ")
               for line in lines)
    assert "# " not in result.stdout and all(len(line) <= 80 for line in lines)
    s05 = next(line for line in lines if "│ s05 " in line)
    assert [cell.strip() for cell in s05.strip("│").split("│")] == [
        "s05", "substance-use consultant", "coordinator", "5", "true"]
    csv_text = invoke("caseload", TINY, "--as-of", "2024-06-15", "--format", "csv").stdout
    staff_ids = {line.split(",")[0] for line in csv_text.split("\n\n")[0].splitlines()[2:]}
    assert all(any(f"│ {staff} " in line for line in lines) for staff in staff_ids)   # no id cut


def test_caseload_tables_on_a_terminal_csv_elsewhere():
    import io

    from handover.cli.network import caseload_format

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    assert caseload_format(None, None, None, Terminal()) == "table"
    assert caseload_format(None, None, None, io.StringIO()) == "csv"
    assert caseload_format(None, "excel-nb", None, Terminal()) == "csv"   # a dialect asks for CSV
    assert caseload_format("csv", None, None, Terminal()) == "csv"


def test_caseload_refuses_a_table_into_files(tmp_path):
    result = invoke("caseload", TINY, "--format", "table", "--out", tmp_path / "c")
    assert result.exit_code == 2
    assert "with --out, caseload writes CSV files" in result.stderr
    result = invoke("caseload", TINY, "--format", "table", "--csv-dialect", "excel-nb")
    assert result.exit_code == 2 and "--csv-dialect applies to csv output, not to table" in result.stderr


def test_caseload_and_metrics_write_csv_for_norwegian_excel(tmp_path):
    assert invoke("caseload", TINY, "--as-of", "2024-06-15", "--csv-dialect", "excel-nb",
                  "--out", tmp_path / "c").exit_code == 0
    agencies = (tmp_path / "c" / "caseload_agencies.csv").read_bytes()
    assert agencies.startswith(b"\xef\xbb\xbfagency_id;name;users;users_without_responsible;"
                               b"share_without_responsible\r\n")
    standard = invoke("caseload", TINY, "--as-of", "2024-06-15", "--out", tmp_path / "s")
    assert standard.exit_code == 0
    plain = (tmp_path / "s" / "caseload_agencies.csv").read_text(encoding="utf-8")
    assert b"\r\n".join(line.replace(",", ";").replace(".", ",").encode() for line in plain.splitlines()) + \
        b"\r\n" == agencies[3:]                                      # the same cells, decimal commas
    assert "a-nav,NAV Testby,19,6,0.3158" in plain.splitlines()
    assert b"a-nav;NAV Testby;19;6;0,3158\r\n" in agencies
    printed = invoke("caseload", TINY, "--as-of", "2024-06-15", "--csv-dialect", "excel-nb")
    assert printed.stdout_bytes.startswith(b"\xef\xbb\xbf# caseload per staff and role on 2024-06-15\r\n")
    assert invoke("metrics", TINY, "--csv-dialect", "excel-nb", "--out", tmp_path / "m").exit_code == 0
    density = (tmp_path / "m" / "care_density.csv").read_bytes().decode("utf-8-sig").split("\r\n")
    assert density[0] == "user_id;agencies;agency_pairs;shared_users;care_density"
    assert "u05;3;3;38;12,6667" in density


def test_network_csv_stays_for_scripts():
    result = invoke("network", "shared-users", TINY, "--csv-dialect", "excel-nb")
    assert result.exit_code == 2 and "No such option" in result.output


def test_help_explains_each_command():
    for command in ("network", "metrics", "caseload"):
        result = invoke(command, "--help")
        assert result.exit_code == 0
        assert len(result.output.strip().splitlines()) > 10


def test_every_format_has_a_renderer():
    from handover.cli.network import NetworkFormat
    from handover.reports.networks import RENDERERS

    assert [f.value for f in NetworkFormat] == list(RENDERERS)


def test_readme_documents_the_commands():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for command in ("handover network", "handover metrics", "handover caseload"):
        assert command in readme

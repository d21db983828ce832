"""The README's install runs what the README shows: a fresh venv, ``pip install -e .``, no extras.

The test suite's own environment has the test extras (pm4py among them), which pull in
packages the plain install may lack; a command needing one of them would pass here and
fail for a new user ("unexpected failure (ModuleNotFoundError)": scipy, once). So this
test makes a new virtual environment, installs handover as the README says, and runs
in it, from a folder of its own, every ``handover`` command of the README's code blocks
exactly as written (the Neo4j block on a server of its own), plus every finding, all
three networks in every format and as a timeline, and every other analysis command on
a bundled fixture: each must exit 0. Then it installs the ``[notebooks]`` extra the
README names for the notebooks and executes both notebooks with Jupyter.

pip may use its cache (``~/.cache/pip``); the environment is new on every run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handover.findings import FINDINGS
from tests.conftest import CLASSPATH_CACHE

pytestmark = pytest.mark.neo4j  # the README's Neo4j block runs on a local server of its own

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"
FIXTURE = "fixtures/oslo-nav-district"
NETWORKS = ("handover-flows", "shared-users", "handover-of-work")
INSTALL_TIMEOUT = 900
COMMAND_TIMEOUT = 300


def readme_commands() -> list[str]:
    """Every ``handover ...`` command in the README's fenced code blocks, as written."""
    commands, fenced = [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            continue
        text = line.strip().removeprefix("$ ")
        for part in text.split("&&"):
            part = part.split("  #")[0].strip()
            if part.startswith(".venv/bin/handover "):
                part = part.removeprefix(".venv/bin/")
            if part.startswith("handover "):
                commands.append(part)
    return commands


def analysis_commands() -> list[str]:
    """Every analysis command on a bundled fixture: each finding, network, format and output."""
    commands = [f"handover find {f.cli_name} {FIXTURE}" for f in FINDINGS.values()]
    commands += [f"handover find {f.cli_name} {FIXTURE} --format csv --out find/{f.name}.csv"
                 for f in FINDINGS.values()]
    commands += [f"handover network {kind} {FIXTURE} --format {fmt} --out net/{kind}.{fmt}"
                 for kind in NETWORKS for fmt in ("csv", "html", "gexf")]
    commands += [f"handover network {kind} {FIXTURE} --timeline --out net/{kind}-timeline.html" for kind in NETWORKS]
    commands += [
        "handover --version",
        "handover --help",
        f"handover validate {FIXTURE}",
        f"handover report {FIXTURE} --out all/report",
        f"handover report {FIXTURE} --out all/report-nb --lang nb --by month --compare 2023 2024-01-01:2024-06-30",
        f"handover find parallel-plans {FIXTURE} --format xlsx --out find/parallel_plans.xlsx",
        f"handover find dormant-plans {FIXTURE} --out find/dormant.csv --csv-dialect excel-nb",
        "handover vocabulary role --lang nb",
        f"handover audit {FIXTURE} --out all/audit",
        f"handover metrics {FIXTURE} --out all/metrics",
        f"handover caseload {FIXTURE}",
        f"handover caseload {FIXTURE} --out all/caseload",
        f"handover user u09 {FIXTURE} --out all/u09.html",
        "handover generate all/region --users 200 --seed 1",
        f"handover pseudonymize {FIXTURE} all/pseudonymised --key-file keys/handover.key",
        "handover vocabulary",
        "handover import tables fixtures/norwegian-export/eksport.xlsx all/imported "
        "--mapping fixtures/norwegian-export/mapping.toml",
        "handover validate fixtures/norwegian-export/csv --mapping fixtures/norwegian-export/mapping.toml "
        "--sep ';' --encoding cp1252",
    ]
    return commands


def _is_neo4j(command: str) -> bool:
    words = shlex.split(command)
    return words[1] in ("neo4j", "load", "cypher") or "neo4j" in words[2:] and "--engine" in words


@pytest.fixture(scope="module")
def plain(tmp_path_factory) -> Path:
    """A new virtual environment with ``pip install -e .`` and no extras: its bin folder."""
    venv = tmp_path_factory.mktemp("plain-install") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=INSTALL_TIMEOUT)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = subprocess.run([*pip, "-e", str(REPO)], capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    return venv / "bin"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    """A folder of its own to run the commands in, with the repository's fixtures and the Cypher
    examples (cypher/examples/), as a user who cloned the repository has them."""
    folder = tmp_path_factory.mktemp("plain-run")
    (folder / "fixtures").symlink_to(REPO / "fixtures")
    (folder / "cypher").symlink_to(REPO / "cypher")
    return folder


def _environment(bin_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def _run(command: str, bin_dir: Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    words = shlex.split(command)
    words[0] = str(bin_dir / words[0])
    return subprocess.run(words, cwd=cwd, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)


def test_the_readme_shows_commands_and_names_every_command_it_documents():
    shown = readme_commands()
    assert shown[0] == f"handover report {FIXTURE} --out report"  # the first command of the first screen
    documented = set(re.findall(r"`handover ([a-z0-9-]+)", README.read_text(encoding="utf-8")))
    exercised = {shlex.split(c)[1] for c in shown + analysis_commands()}
    assert documented <= exercised, f"README commands not run by this test: {sorted(documented - exercised)}"


def test_every_command_runs_after_the_plain_install(plain, workdir):
    env = _environment(plain)
    failed = []
    for command in [c for c in readme_commands() if not _is_neo4j(c)] + analysis_commands():
        done = _run(command, plain, workdir, env)
        if done.returncode != 0:
            failed.append(f"{command}\n  exit {done.returncode}: {done.stderr.strip()[-500:]}")
    assert not failed, "\n".join(failed)
    assert (workdir / "report" / "index.html").is_file()
    assert (workdir / "all" / "audit" / "audit.html").is_file()
    for kind in NETWORKS:
        assert "vis-network" in (workdir / "net" / f"{kind}.html").read_text(encoding="utf-8")
        assert (workdir / "net" / f"{kind}.gexf").read_text(encoding="utf-8").startswith("<?xml")


def test_the_readme_neo4j_block_runs_after_the_plain_install(plain, workdir, neo4j_server, tmp_path):
    # neo4j_server: the session's server has resolved the classpath once (.handover/test-classpath),
    # so this server of its own starts without Maven. The README's commands then run as written.
    state = tmp_path / "state"
    state.mkdir()
    for cached in CLASSPATH_CACHE.glob("classpath-*.txt"):
        shutil.copy(cached, state)
    env = _environment(plain, HANDOVER_STATE_DIR=str(state))
    block = [c for c in readme_commands() if _is_neo4j(c)]
    assert [shlex.split(c)[1:3] for c in block][0] == ["neo4j", "start"] and block[-1] == "handover neo4j stop"
    try:
        for command in block:
            done = _run(command, plain, workdir, env)
            assert done.returncode == 0, f"{command}: exit {done.returncode}: {done.stderr.strip()[-800:]}"
            if command == "handover find parallel-plans --engine neo4j":
                assert "parallel_plans" in done.stdout and "rows" in done.stdout
            if command.startswith("handover cypher "):
                assert "staff_with_most_users" in done.stdout and "rows" in done.stdout
    finally:
        subprocess.run([str(plain / "handover"), "neo4j", "stop"], env=env, capture_output=True, timeout=120)


def test_the_notebooks_run_with_the_notebooks_extra(plain, workdir):
    pip = [str(plain / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    done = subprocess.run([*pip, "-e", f"{REPO}[notebooks]"], capture_output=True, text=True,
                          timeout=INSTALL_TIMEOUT)
    assert done.returncode == 0, done.stdout + done.stderr
    out = workdir / "executed"
    notebooks = sorted(str(p) for p in (REPO / "notebooks").glob("*.ipynb"))
    ran = subprocess.run([str(plain / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                          "--ExecutePreprocessor.timeout=600", "--output-dir", str(out), *notebooks],
                         cwd=workdir, env=_environment(plain), capture_output=True, text=True, timeout=1200)
    assert ran.returncode == 0, ran.stderr[-2000:]
    assert sorted(p.name for p in out.glob("*.ipynb")) == sorted(Path(n).name for n in notebooks)

"""`handover find NAME ...`: one subcommand per finding, built from one template.

Each finding declares only its own options; the shared ones (engine, as-of,
format, output) are added by :func:`finding_command`, so they are declared once.
"""

from __future__ import annotations

import inspect
import sys
from pathlib import Path
from typing import Annotated, Callable, List, Optional

import typer

from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, EncodingOpt, EngineName, EngineOpt, FormatOpt, Neo4jUriOpt,
    OptionalDataDirArg, OutOpt, OutputFormat, SepOpt, SinceOpt, UntilOpt,
)
from handover.findings import FINDINGS, find
from handover.io.atomic import write_text_atomic
from handover.render.results import render
from handover.engines.session import open_engine

__all__ = ["app"]

app = typer.Typer(
    help="Run one finding and print or save its rows (columns as in docs/findings.md).",
    no_args_is_help=True,
)

_SHARED = [
    ("data_dir", OptionalDataDirArg, None),
    ("engine", EngineOpt, EngineName.memory),
    ("neo4j_uri", Neo4jUriOpt, None),
    ("as_of", AsOfOpt, None),
    ("fmt", FormatOpt, OutputFormat.table),
    ("out", OutOpt, None),
    ("sep", SepOpt, ","),
    ("encoding", EncodingOpt, "utf-8"),
    ("allow_identifiers", AllowIdentifiersOpt, False),
]


def finding_command(name: str) -> Callable:
    """Register ``options_of`` as the ``handover find <name>`` command.

    The decorated function takes the finding's own CLI options and returns them as
    the keyword options of :func:`handover.findings.find`.
    """
    finding = FINDINGS[name]

    def decorate(options_of: Callable) -> Callable:
        own = list(inspect.signature(options_of, eval_str=True).parameters.values())
        shared = [
            inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY, annotation=a, default=d)
            for p, a, d in _SHARED
        ]

        def command(**kwargs):
            common = {p: kwargs.pop(p) for p, _, _ in _SHARED}
            options = options_of(**kwargs)
            with open_engine(common["engine"].value, common["data_dir"], neo4j_uri=common["neo4j_uri"],
                             sep=common["sep"], encoding=common["encoding"],
                             allow_identifiers=common["allow_identifiers"]) as engine:
                rows = find(engine, name, as_of=_date(common["as_of"], "--as-of"), **options)
            text = render(rows, finding.schema, common["fmt"].value)
            if common["out"] is None:
                sys.stdout.write(text)
            else:
                write_text_atomic(Path(common["out"]), text)
                typer.echo(f"{len(rows)} rows written to {common['out']}", err=True)

        params = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own] + shared
        command.__signature__ = inspect.Signature(params)
        command.__annotations__ = {p.name: p.annotation for p in params}
        command.__name__ = name
        command.__doc__ = f"{finding.title}.\n\n{finding.explanation}\n\n{inspect.cleandoc(options_of.__doc__ or '')}"
        app.command(finding.cli_name)(command)
        return options_of

    return decorate


@finding_command("handover_without_coordinator")
def _handover_without_coordinator(
    window_days: Annotated[int, typer.Option(help="Days after a discharge in which the next episode may start.")] = 30,
    role: Annotated[str, typer.Option(help="The role whose absence on the handover day is flagged.")] = "coordinator",
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> dict:
    """Columns: user_id, from_episode_id, from_agency_id, to_episode_id, to_agency_id,
    handover_date, next_start_date, gap_days."""
    return {"window_days": window_days, "role": role, "since": _date(since, "--since"),
            "until": _date(until, "--until")}


@finding_command("caseworker_turnover")
def _caseworker_turnover(
    role: Annotated[Optional[List[str]], typer.Option(
        help="Role to examine; repeat for several (default: caseworker).")] = None,
    window_days: Annotated[int, typer.Option(help="Length of the sliding window in days.")] = 365,
    min_changes: Annotated[int, typer.Option(help="Flag when a window holds at least this many changes.")] = 3,
) -> dict:
    """Columns: user_id, role, changes, window_start, window_end, distinct_staff."""
    return {"roles": role or None, "window_days": window_days, "min_changes": min_changes}


@finding_command("parallel_plans")
def _parallel_plans(
    kind: Annotated[Optional[List[str]], typer.Option(
        help="Keep pairs where both plans are of these kinds; repeatable (default: all).")] = None,
    min_overlap_days: Annotated[int, typer.Option(help="Keep pairs overlapping at least this many days.")] = 1,
) -> dict:
    """Columns: user_id, plan_a_id, agency_a_id, kind_a, plan_b_id, agency_b_id, kind_b,
    overlap_start, overlap_end, overlap_days."""
    return {"kinds": kind or None, "min_overlap_days": min_overlap_days}


@finding_command("discharge_follow_up")
def _discharge_follow_up(
    follow_up_by: Annotated[str, typer.Option(
        help="Whose contacts and episode starts count as follow-up: municipal (agencies of level "
             "municipal), other-agency (any but the discharging one) or any.")] = "municipal",
    max_days: Annotated[int, typer.Option(help="Follow-up counts on days 1 to this after discharge.")] = 30,
    stay_kind: Annotated[Optional[List[str]], typer.Option(
        help="Service kind whose episodes are stays; repeatable (default: inpatient, residential, detox).")] = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> dict:
    """Columns: user_id, episode_id, agency_id, discharge_date, discharge_kind,
    coordinator_staff_id, first_follow_up_date, days_to_follow_up, follow_up_7d, follow_up_30d,
    readmitted_30d."""
    return {"follow_up_by": follow_up_by, "max_days": max_days, "stay_kinds": stay_kind or None,
            "since": _date(since, "--since"), "until": _date(until, "--until")}


@finding_command("coordinator_gaps")
def _coordinator_gaps(
    min_gap_days: Annotated[int, typer.Option(help="Report gaps of at least this many days.")] = 14,
) -> dict:
    """Columns: user_id, plan_id, agency_id, gap_start, gap_end, gap_days."""
    return {"min_gap_days": min_gap_days}


@finding_command("dormant_plans")
def _dormant_plans(
    max_age_days: Annotated[int, typer.Option(help="Flag plans not revised for more than this many days.")] = 365,
) -> dict:
    """Columns: user_id, plan_id, agency_id, last_revised, days_since_revision."""
    return {"max_age_days": max_age_days}


@finding_command("continuity_of_care")
def _continuity_of_care(
    provider: Annotated[str, typer.Option(
        help="Who a contact is with: agency (the contact's agency) or staff (its staff "
             "member; contacts without staff are left out).")] = "agency",
    since: SinceOpt = None,
    until: UntilOpt = None,
) -> dict:
    """Columns: user_id, contacts, providers, upc, coc, secon, hhi. Counts the contacts
    dated from --since to --until (both included); coc and secon are empty for a user with
    one contact. Values are rounded half up to 4 decimals."""
    return {"provider": provider, "since": _date(since, "--since"), "until": _date(until, "--until")}


def _date(text: str | None, option: str):
    from handover.timeline import parse_option_date

    return parse_option_date(text, option)

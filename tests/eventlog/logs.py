"""Event logs for the tests: the textbook running example, synthetic logs, writers, and a loop oracle.

Nothing here is copied from pm4py's repository (its files may not be committed here):

- :data:`RUNNING_EXAMPLE` is the running example of van der Aalst's *Process Mining*
  (the request-for-compensation log: 6 cases, 42 events, resources Pete, Mike, Ellen,
  Sue, Sean and Sara), re-typed from the book's published table; pm4py ships the same log
  as ``running-example.xes``, times at +01:00.
- :func:`receipt_like` and :func:`reviewing_like` generate, deterministically, logs with
  the attribute layout of pm4py's ``receipt.xes`` (a municipal permit-intake log:
  ``org:resource``, ``org:group``, ``lifecycle:transition``, ``concept:name``) and
  ``reviewing.xes`` (paper reviewing: start/complete pairs, reviewer results), so the
  tests run the same code paths without those files.
- :func:`simple_runs` is the rule of ``handover import event-log`` written as plainly as
  possible, one event at a time: the oracle the vectorised import is compared with.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pandas as pd


@dataclass(frozen=True)
class Event:
    case: str
    resource: str | None
    timestamp: str  # as written in the log
    activity: str = "task"
    agency: str | None = None
    lifecycle: str = "complete"


# The running example: case, activity, resource, local time (the log writes +01:00), costs.
_RUNNING = """
1 register-request Pete 2010-12-30T11:02 50
1 examine-thoroughly Sue 2010-12-31T10:06 400
1 check-ticket Mike 2011-01-05T15:12 100
1 decide Sara 2011-01-06T11:18 200
1 reject-request Pete 2011-01-07T14:24 200
2 register-request Mike 2010-12-30T11:32 50
2 check-ticket Mike 2010-12-30T12:12 100
2 examine-casually Sean 2010-12-30T14:16 400
2 decide Sara 2011-01-05T11:22 200
2 pay-compensation Ellen 2011-01-08T12:05 200
3 register-request Pete 2010-12-30T14:32 50
3 examine-casually Mike 2010-12-30T15:06 400
3 check-ticket Ellen 2010-12-30T16:34 100
3 decide Sara 2011-01-06T09:18 200
3 reinitiate-request Sara 2011-01-06T12:18 200
3 examine-thoroughly Sean 2011-01-06T13:06 400
3 check-ticket Pete 2011-01-08T11:43 100
3 decide Sara 2011-01-09T09:55 200
3 pay-compensation Ellen 2011-01-15T10:45 200
4 register-request Pete 2011-01-06T15:02 50
4 check-ticket Mike 2011-01-07T12:06 100
4 examine-thoroughly Sean 2011-01-08T14:43 400
4 decide Sara 2011-01-09T12:02 200
4 reject-request Ellen 2011-01-12T15:44 200
5 register-request Ellen 2011-01-06T09:02 50
5 examine-casually Mike 2011-01-07T10:16 400
5 check-ticket Pete 2011-01-08T11:22 100
5 decide Sara 2011-01-10T13:28 200
5 reinitiate-request Sara 2011-01-11T16:18 200
5 check-ticket Ellen 2011-01-14T14:33 100
5 examine-casually Mike 2011-01-16T15:50 400
5 decide Sara 2011-01-19T11:18 200
5 reinitiate-request Sara 2011-01-20T12:48 200
5 examine-casually Sue 2011-01-21T09:06 400
5 check-ticket Pete 2011-01-21T11:34 100
5 decide Sara 2011-01-23T13:12 200
5 reject-request Mike 2011-01-24T14:56 200
6 register-request Mike 2011-01-06T15:02 50
6 examine-casually Ellen 2011-01-06T16:06 400
6 check-ticket Mike 2011-01-07T16:22 100
6 decide Sara 2011-01-07T16:52 200
6 pay-compensation Mike 2011-01-16T11:47 200
"""

#: The running example's 42 events, case by case, times as XES writes them.
RUNNING_EXAMPLE = tuple(
    Event(case, resource, f"{when}:00.000+01:00", activity.replace("-", " "))
    for case, activity, resource, when, _ in (line.split() for line in _RUNNING.strip().splitlines())
)


# --- writers ---------------------------------------------------------------------------


def _by_case(events) -> dict[str, list[Event]]:
    cases: dict[str, list[Event]] = {}
    for event in events:
        cases.setdefault(event.case, []).append(event)
    return cases


def in_traces(events) -> list[Event]:
    """The events in the order an XES file lists them: trace by trace."""
    return [e for trace in _by_case(events).values() for e in trace]


def xes_text(events, *, agency_key: str = "org:group", namespace: bool = False,
             trace_name_last: bool = False) -> str:
    """The events as an XES document, one trace per case (in order of first appearance)."""
    xmlns = ' xmlns="http://www.xes-standard.org/"' if namespace else ""
    lines = ["<?xml version='1.0' encoding='UTF-8'?>", f'<log xes.version="1.0"{xmlns}>',
             '  <extension name="Concept" prefix="concept" uri="http://www.xes-standard.org/concept.xesext"/>',
             '  <global scope="event"><string key="concept:name" value="__INVALID__"/></global>',
             '  <classifier name="Activity" keys="concept:name"/>']
    for case, trace in _by_case(events).items():
        lines.append("  <trace>")
        name = f"    <string key=\"concept:name\" value={quoteattr(case)}/>"
        if not trace_name_last:
            lines.append(name)
        for e in trace:
            lines.append("    <event>")
            if e.resource is not None:
                lines.append(f"      <string key=\"org:resource\" value={quoteattr(e.resource)}/>")
            lines.append(f"      <date key=\"time:timestamp\" value={quoteattr(e.timestamp)}/>")
            lines.append(f"      <string key=\"concept:name\" value={quoteattr(e.activity)}/>")
            lines.append(f"      <string key=\"lifecycle:transition\" value={quoteattr(e.lifecycle)}/>")
            if e.agency is not None:
                lines.append(f"      <string key={quoteattr(agency_key)} value={quoteattr(e.agency)}/>")
            lines.append("      <list key=\"nested\"><string key=\"org:resource\" value=\"not-me\"/></list>")
            lines.append("    </event>")
        if trace_name_last:
            lines.append(name)
        lines.append("  </trace>")
    lines.append("</log>")
    return "\n".join(lines) + "\n"


def write_xes(path: Path, events, **options) -> Path:
    return write_xes_text(path, xes_text(events, **options))


def write_xes_text(path: Path, text: str) -> Path:
    """``text`` into ``path``, gzip-compressed when its name ends in ``.gz``."""
    if path.name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def log_frame(events, *, space: bool = False) -> pd.DataFrame:
    """The events as pm4py's flat table (column names of XES), in the order given."""
    return pd.DataFrame({
        "case:concept:name": [e.case for e in events],
        "concept:name": [e.activity for e in events],
        "org:resource": [e.resource for e in events],
        "org:group": [e.agency for e in events],
        "lifecycle:transition": [e.lifecycle for e in events],
        "time:timestamp": [e.timestamp.replace("T", " ") if space else e.timestamp for e in events],
    })


def write_csv(path: Path, events, *, sep: str = ",", encoding: str = "utf-8", space: bool = True) -> Path:
    log_frame(events, space=space).to_csv(path, index=False, sep=sep, encoding=encoding)
    return path


def write_parquet(path: Path, events) -> Path:
    log_frame(events).to_parquet(path, index=False)
    return path


def ocel_document(events, *, object_type: str = "request", resource_as_object: bool = False) -> dict:
    """The events as OCEL 2.0 JSON: each case an object of ``object_type``, plus an unrelated object."""
    objects = [{"id": case, "type": object_type, "attributes": [], "relationships": []}
               for case in _by_case(events)]
    objects.append({"id": "other-1", "type": "invoice", "attributes": [], "relationships": []})
    resources = sorted({e.resource for e in events if e.resource is not None})
    if resource_as_object:
        objects += [{"id": r, "type": "employee", "attributes": [], "relationships": []} for r in resources]
    out = []
    for k, e in enumerate(events):
        attributes = [] if e.agency is None else [{"name": "org:group", "value": e.agency}]
        relationships = [{"objectId": e.case, "qualifier": "case"}, {"objectId": "other-1", "qualifier": "x"}]
        if e.resource is not None:
            if resource_as_object:
                relationships.append({"objectId": e.resource, "qualifier": "done by"})
            else:
                attributes.append({"name": "org:resource", "value": e.resource})
        out.append({"id": f"e{k + 1}", "type": e.activity, "time": e.timestamp, "attributes": attributes,
                    "relationships": relationships})
    return {"objectTypes": [{"name": object_type, "attributes": []}, {"name": "invoice", "attributes": []}]
            + ([{"name": "employee", "attributes": []}] if resource_as_object else []),
            "eventTypes": [{"name": a, "attributes": []} for a in sorted({e.activity for e in events})],
            "objects": objects, "events": out}


def write_ocel(path: Path, events, **options) -> Path:
    path.write_text(json.dumps(ocel_document(events, **options), indent=1), encoding="utf-8")
    return path


# --- synthetic logs with the layout of pm4py's receipt and reviewing logs --------------


def _stamp(day: dt.date, minutes: int, offset: str = "+01:00") -> str:
    moment = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=minutes)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}" + offset


def receipt_like(seed: int = 7, cases: int = 120) -> list[Event]:
    """A permit-intake log: activities ``T01``..``T10``, resources ``Resource01``.., groups ``Group 1``..

    Each run of one resource starts on a day of its own (a handover never shares a day
    with the run before); within a run, events follow on the same day or later ones.
    Offsets are +01:00 in winter and +02:00 in summer, as Dutch municipal logs write them.
    """
    rng = random.Random(seed)
    resources = [f"Resource{i:02d}" for i in range(1, 31)]
    group_of = {r: f"Group {rng.randint(1, 6)}" for r in resources}
    events = []
    for number in range(cases):
        case = f"case-{10000 + number * 7}"
        day = dt.date(2011, 1, 3) + dt.timedelta(days=rng.randint(0, 330))
        resource = None
        for _ in range(rng.randint(1, 5)):
            choices = [r for r in resources if r != resource]
            resource = rng.choice(choices)
            minutes = rng.randint(8 * 60, 16 * 60)
            for _ in range(rng.randint(1, 4)):
                offset = "+02:00" if dt.date(day.year, 3, 27) <= day < dt.date(day.year, 10, 30) else "+01:00"
                group = group_of[resource] if rng.random() > 0.1 else "EMPTY"
                events.append(Event(case, resource, _stamp(day, minutes, offset),
                                    f"T{rng.randint(1, 10):02d} Check confirmation of receipt", group))
                if rng.random() < 0.4:
                    day += dt.timedelta(days=rng.randint(1, 3))
                else:
                    minutes += rng.randint(1, 60)
            day += dt.timedelta(days=rng.randint(1, 9))
    return events


def reviewing_like(seed: int = 11, cases: int = 60) -> list[Event]:
    """A reviewing log: start/complete pairs by one resource, reviews by several reviewers.

    Every event is on a day of its own, so no handover shares a day.
    """
    rng = random.Random(seed)
    reviewers = ["Anne", "Carol", "John", "Mike", "Pam", "Sam", "Sara", "Pete", "Wil", "Mary"]
    events = []
    for number in range(cases):
        case = str(number + 1)
        day = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randint(0, 60))
        steps = [("invite reviewers", "Mike")] + [(f"get review {i}", rng.choice(reviewers)) for i in (1, 2, 3)]
        steps += [("collect reviews", "Mike"), ("decide", "Sara")]
        if rng.random() < 0.3:
            steps.append(("invite additional reviewer", "Mike"))
            steps.append(("get review X", rng.choice(reviewers)))
        steps.append(("accept" if rng.random() < 0.5 else "reject", "Mike"))
        for activity, resource in steps:
            lifecycles = ["start", "complete"] if activity in ("invite reviewers", "decide") else ["complete"]
            for lifecycle in lifecycles:
                events.append(Event(case, resource, _stamp(day, 0), activity, lifecycle=lifecycle))
                day += dt.timedelta(days=rng.randint(1, 5))
    return events


# --- the loop oracle -------------------------------------------------------------------


def _instant(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text.strip().replace(" ", "T", 1) if len(text.strip()) > 10 else text.strip())
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment


def simple_runs(events, *, agency_id: str = "unknown", role: str = "caseworker"):
    """The rule, one event at a time: ``(users, staff, responsibilities)`` as lists.

    Responsibilities are ``(user_id, staff_id, agency_id, role, start, end)`` with dates as
    ``YYYY-MM-DD``; users and staff in order of first appearance in the log.
    """
    users, staff, rows = [], [], []
    for event in events:
        if event.case not in users:
            users.append(event.case)
        if event.resource is not None and event.resource not in staff:
            staff.append(event.resource)
    for case in users:
        mine = [(i, e) for i, e in enumerate(events) if e.case == case and e.resource is not None]
        mine.sort(key=lambda pair: (_instant(pair[1].timestamp), pair[0]))
        runs = []
        for _, event in mine:
            day = dt.date.fromisoformat(event.timestamp.strip()[:10])
            if runs and runs[-1]["resource"] == event.resource:
                runs[-1]["last"] = day
                continue
            runs.append({"resource": event.resource, "start": day, "last": day,
                         "agency": event.agency if event.agency is not None else agency_id})
        for k, run in enumerate(runs):
            if k + 1 < len(runs):
                end = max(runs[k + 1]["start"], run["start"])
            else:
                end = max(run["last"], run["start"]) + dt.timedelta(days=1)
            rows.append((case, run["resource"], run["agency"], role, run["start"].isoformat(), end.isoformat()))
    return users, staff, rows


def handovers_share_a_day(events) -> bool:
    """Whether some case has two runs of different resources starting on the same date."""
    _, _, rows = simple_runs(events)
    starts = [(case, start) for case, _, _, _, start, _ in rows]
    return len(starts) != len(set(starts))

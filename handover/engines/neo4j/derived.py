"""What a load derives from the tables: the graph's handover relationships, as rows.

The graph holds two answers of its own to "who handed over to whom" (docs/graph.md):

- ``(:Episode)-[:NEXT_EPISODE {gap_days}]->(:Episode)`` from each ended episode to its user's
  next one (:func:`handover.findings.events.next_episodes`);
- ``(:Staff)-[:HANDED_OVER_TO {user_id, role, date}]->(:Staff)`` between staff members who
  followed one another in a role (:func:`handover.findings.events.responsibility_changes`,
  every role).

They are worked out here from the dataset's frames, with the memory engine's own definitions, and
written by every way of loading (one transaction, ``--bulk``, ``--import``) as rows like a table's:
one definition of a handover, whichever engine answers. (They used to be derived by Cypher after
the tables, user by user: at 100,000 users that took 80 s of a 220 s import.)

The third thing a load derives, the ``end_key`` of responsibilities, plans and episodes (their
``end``, or :data:`OPEN_END_KEY` when open), is written with the rows themselves.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

import pandas as pd

from handover.findings.events import next_episodes, responsibility_changes
from handover.model import Dataset

__all__ = ["DERIVED", "DERIVED_LINKS", "DERIVED_PROGRESS", "OPEN_END_KEY", "derived_links", "link_batches"]

#: What a load derives, as its marker lists it: a graph whose marker lacks one is refused by the
#: engine (``end_keys`` is written with the rows, the others by :data:`DERIVED_LINKS`).
DERIVED = ("next_episodes", "handed_over", "end_keys")

#: The derived relationships: the query that writes a batch of them (``cypher/load/<name>.cypher``)
#: and their type, as progress names them.
DERIVED_LINKS = {"next_episodes": "NEXT_EPISODE", "handed_over": "HANDED_OVER_TO"}
#: What messages and progress call each of :data:`DERIVED`: what it writes.
DERIVED_PROGRESS = {**DERIVED_LINKS, "end_keys": "end_key"}

#: The ``end_key`` of an open interval: later than any date of a dataset (docs/graph.md), as the
#: Cypher of ``cypher/`` spells it, ``date('9999-12-31')``.
OPEN_END_KEY = dt.date(9999, 12, 31)


def derived_links(dataset: Dataset) -> dict[str, pd.DataFrame]:
    """The derived relationships of ``dataset``, one frame per :data:`DERIVED_LINKS` name.

    Returns
    -------
    dict of str to pandas.DataFrame
        ``next_episodes``: columns ``from_episode_id, to_episode_id, gap_days``;
        ``handed_over``: ``from_staff_id, to_staff_id, user_id, role, date``. Sorted, so that
        a load writes them in the same order every time.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> links = derived_links(tiny_dataset())
    >>> links["next_episodes"].values.tolist()
    [['e1', 'e2', 2]]
    >>> links["handed_over"][["from_staff_id", "to_staff_id"]].values.tolist()
    [['st1', 'st2'], ['st2', 'st3'], ['st3', 'st1']]
    """
    found = {}
    if dataset.has("episodes"):
        pairs = next_episodes(dataset).sort_values(["from_episode_id"], kind="stable")
        found["next_episodes"] = pairs[["from_episode_id", "to_episode_id", "gap_days"]].reset_index(drop=True)
    if dataset.has("responsibilities"):
        roles = sorted(dataset["responsibilities"]["role"].dropna().unique())
        changes = responsibility_changes(dataset, roles).rename(columns={"change_date": "date"})
        found["handed_over"] = changes[["from_staff_id", "to_staff_id", "user_id", "role", "date"]]
    return found


def link_batches(links: pd.DataFrame, batch_size: int) -> Iterator[tuple[int, list[dict]]]:
    """``(start, rows)`` for each batch of ``links`` as query parameters (dates as ``datetime.date``,
    counts as ``int``), made one batch at a time.

    Examples
    --------
    >>> frame = pd.DataFrame({"user_id": ["u1"], "date": pd.to_datetime(["2024-02-01"]), "gap_days": [3]})
    >>> next(link_batches(frame, 10))
    (0, [{'user_id': 'u1', 'date': datetime.date(2024, 2, 1), 'gap_days': 3}])
    """
    names = list(links.columns)
    for start in range(0, len(links), batch_size):
        part = links.iloc[start:start + batch_size]
        columns = [_parameters(part[name]) for name in names]
        yield start, [dict(zip(names, values)) for values in zip(*columns)]


def _parameters(values: pd.Series) -> list:
    if pd.api.types.is_datetime64_any_dtype(values):
        return [day.date() for day in values]
    if pd.api.types.is_integer_dtype(values):
        return [int(value) for value in values]
    return values.tolist()

"""A dataset focused on the users of some agencies (``--agency``).

Analysts in one municipality want to see their own agency's users, with everything
that happened to them, handovers to and from other agencies included. A user is **of**
an agency when any of the user's rows, in any table that names users, refers to it:

- directly, by its ``agency_id`` (responsibilities, plans, contacts);
- through a service of the agency (an episode's or a contact's ``service_id``);
- through a staff member employed at the agency while the row ran (a responsibility's
  or a contact's ``staff_id``, read against ``employments``): a day of a
  responsibility's ``[start, end)`` (its start day when the interval is empty), or a
  contact's date, lies in an employment ``[start, end)`` of that staff member there.

The focused dataset keeps **every** row of those users, also the rows at other
agencies, and the tables without users (agencies, services, staff, employments)
whole; every other user's rows are left out. Which users belong is decided on
everything the dataset records, before any ``--as-of`` snapshot, and the default
``as_of`` stays the latest date of the whole dataset, so a finding on the focused
dataset gives exactly the rows it gives on the whole one for those users.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.model import TABLES, Dataset

__all__ = ["focus_on_agencies", "users_of_agencies", "USER_TABLES"]

#: The tables whose rows belong to one user (their ``user_id`` names a row of ``users``).
USER_TABLES: tuple[str, ...] = ("users",) + tuple(
    t.name for t in TABLES.values() if any(c.name == "user_id" and c.references == "users" for c in t.columns))

_SHOWN_KNOWN = 5  # agency ids named in the message that refuses an unknown one
_DAY = pd.Timedelta(days=1)


def focus_on_agencies(dataset: Dataset, agencies: Iterable[str]) -> Dataset:
    """``dataset`` restricted to the users of ``agencies`` (see the module for "of").

    Parameters
    ----------
    dataset : Dataset
        A validated dataset.
    agencies : iterable of str
        Agency ids (``--agency``). Empty: the dataset is returned as it is.

    Returns
    -------
    Dataset
        Every row of the users of ``agencies`` in ``users``, ``responsibilities``,
        ``plans``, ``episodes`` and ``contacts`` (rows at other agencies included), the
        other tables whole; ``focus`` holds the agencies (sorted) and
        ``whole_latest_date`` the latest date of ``dataset``, which stays the default
        ``as_of``. (A focused dataset focused again keeps the users of both focuses;
        ``focus`` then names the last one's agencies.)

    Raises
    ------
    InputError
        When an agency id is not in ``agencies``, naming it and the known ids.

    See Also
    --------
    users_of_agencies : the users alone.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> ds = tiny_dataset()

    u1 was discharged from a TSB (a2) stay to NAV (a1); u2 has NAV caseworkers; u3 holds
    plans at NAV and TSB. Focused on TSB, u1 and u3 remain, with their rows at NAV:

    >>> tsb = focus_on_agencies(ds, ["a2"])
    >>> tsb["users"]["user_id"].tolist(), tsb["episodes"]["episode_id"].tolist()
    (['u1', 'u3'], ['e1', 'e2'])
    >>> len(tsb["responsibilities"]), len(tsb["agencies"]), tsb.focus
    (0, 2, ('a2',))
    >>> str(tsb.latest_date().date()) == str(ds.latest_date().date())
    True
    >>> focus_on_agencies(ds, ["a9"])
    Traceback (most recent call last):
    ...
    handover.errors.InputError: --agency: a9 is not an agency in agencies (known: a1, a2)
    """
    chosen = _checked(dataset, agencies)
    if not chosen:
        return dataset
    users = users_of_agencies(dataset, chosen)
    tables = {}
    for name, frame in dataset.tables.items():
        if name in USER_TABLES:
            keep = frame["user_id"].isin(users).to_numpy()
            frame = frame if keep.all() else frame[keep].reset_index(drop=True)
        tables[name] = frame
    return Dataset(tables, source=dataset.source, focus=chosen, whole_latest_date=dataset.latest_date())


def users_of_agencies(dataset: Dataset, agencies: Iterable[str]) -> pd.Index:
    """The ids of the users of ``agencies`` (see the module for "of"), sorted.

    Agency ids not in the dataset are not checked here (they have no users).

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> users_of_agencies(tiny_dataset(), ["a1"]).tolist()
    ['u1', 'u2', 'u3']
    >>> users_of_agencies(tiny_dataset(), []).tolist()
    []
    """
    chosen = pd.Index(sorted(set(agencies)), dtype=object)
    services = _services_of(dataset, chosen)
    employments = _employments_at(dataset, chosen)
    found = []
    for name in USER_TABLES:
        if not dataset.has(name):
            continue
        frame = dataset[name]
        linked = np.zeros(len(frame), dtype=bool)
        for column in TABLES[name].columns:
            if column.name not in frame:
                continue
            if column.references == "agencies":
                linked |= frame[column.name].isin(chosen).to_numpy()
            elif column.references == "services" and len(services):
                linked |= frame[column.name].isin(services).to_numpy()
        if "staff_id" in frame and len(employments):
            linked |= _through_staff(frame, name, employments, ~linked)
        found.append(frame["user_id"].to_numpy()[linked])
    users = np.concatenate(found) if found else np.array([], dtype=object)
    return pd.Index(sorted(set(users.tolist())), dtype=object)


def _checked(dataset: Dataset, agencies: Iterable[str]) -> tuple[str, ...]:
    """The agency ids, sorted and once each; refuses one the dataset does not have."""
    chosen = tuple(sorted(set(agencies)))
    known = dataset.get("agencies")["agency_id"]
    unknown = [a for a in chosen if a not in set(known)]
    if unknown:
        ids = sorted(known.astype(str))
        shown = ", ".join(ids[:_SHOWN_KNOWN])
        if len(ids) > _SHOWN_KNOWN:
            shown += f", … {len(ids)} agencies"
        what = (f"{unknown[0]} is not an agency" if len(unknown) == 1
                else f"{', '.join(unknown)} are not agencies")
        raise InputError(f"--agency: {what} in agencies (known: {shown or 'none'})")
    return chosen


def _services_of(dataset: Dataset, agencies: pd.Index) -> pd.Index:
    services = dataset.get("services")
    return pd.Index(services["service_id"][services["agency_id"].isin(agencies)].unique(), dtype=object)


def _employments_at(dataset: Dataset, agencies: pd.Index) -> pd.DataFrame:
    employments = dataset.get("employments")
    return employments.loc[employments["agency_id"].isin(agencies), ["staff_id", "start", "end"]]


def _through_staff(frame: pd.DataFrame, table: str, employments: pd.DataFrame,
                   candidates: np.ndarray) -> np.ndarray:
    """Which rows of ``frame`` name a staff member employed at the agencies while the row ran."""
    spec = TABLES[table]
    first, last = spec.interval if spec.interval else ("date", None)
    linked = np.zeros(len(frame), dtype=bool)
    candidates = candidates & frame["staff_id"].isin(employments["staff_id"]).to_numpy()
    if not candidates.any() or first not in frame:
        return linked
    rows = frame.loc[candidates, ["staff_id", first]].rename(columns={first: "row_start"})
    rows["row"] = np.flatnonzero(candidates)
    if last is not None and last in frame:
        # The row's days are [start, end); an empty interval is its start day.
        end = frame.loc[candidates, last]
        rows["row_end"] = end.where((end > rows["row_start"]) | end.isna(), rows["row_start"] + _DAY)
    else:
        rows["row_end"] = rows["row_start"] + _DAY
    both = rows.merge(employments, on="staff_id")
    overlap = ((both["start"] < both["row_end"]) | both["row_end"].isna()) & \
              ((both["row_start"] < both["end"]) | both["end"].isna())
    linked[both["row"].to_numpy()[overlap.to_numpy()]] = True
    return linked

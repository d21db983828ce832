"""Continuity of care: per-user fragmentation indices over contacts (docs/findings.md §5.7)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from handover.errors import InputError
from handover.findings.rounding import round_ratio
from handover.findings.indicators import Context, counted, tidy
from handover.findings.spec import Finding, Measure, choice, date
from handover.model import Dataset


__all__ = ["PROVIDERS", "continuity_of_care", "FINDING"]

#: What counts as the provider of a contact: its agency or its staff member.
PROVIDERS = ("agency", "staff")


def continuity_of_care(
    dataset: Dataset,
    *,
    provider: str = "agency",
    since: pd.Timestamp | None = None,
    until: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Usual-provider, Bice-Boxerman, sequential-continuity and concentration indices per user.

    Over each user's contacts dated in ``[since, until]``, ordered by ``(date, contact_id)``,
    with ``N`` contacts of which ``n_i`` are with provider ``i``:

    - ``upc = max n_i / N`` (usual provider of care),
    - ``coc = (sum n_i^2 - N) / (N (N - 1))`` (Bice-Boxerman continuity of care),
    - ``secon`` = share of the ``N - 1`` consecutive pairs with the same provider,
    - ``hhi = sum (n_i / N)^2`` (Herfindahl-Hirschman concentration).

    Parameters
    ----------
    dataset : Dataset
    provider : {"agency", "staff"}
        The contact's agency, or its staff member (contacts without staff are left out).
    since, until : Timestamp, optional
        Keep contacts with ``since <= date <= until``.

    Returns
    -------
    pandas.DataFrame
        Columns ``user_id, contacts, providers, upc, coc, secon, hhi``: one row per user
        with at least one counted contact. ``coc`` and ``secon`` are missing when ``N < 2``.
        Values are rounded half up to 4 decimals (see :func:`~handover.findings.rounding.round_ratio`).

    Raises
    ------
    InputError
        For a ``provider`` other than ``agency`` or ``staff``.

    Notes
    -----
    Every index is a fraction of two integers: ``upc = max n_i / N``,
    ``coc = (S - N) / (N (N - 1))``, ``secon = same / (N - 1)`` and ``hhi = S / N^2`` with
    ``S = sum n_i^2``. They are computed from those integers, so the Cypher query
    returns the very same floats.

    References
    ----------
    .. [1] Bice TW, Boxerman SB. A quantitative measure of continuity of care.
       Med Care 1977;15(4):347-9.
    .. [2] Pollack CE et al. Measuring care continuity: a comparison of claims-based methods.
       Med Care 2016;54(5):e30-4.

    Examples
    --------
    >>> from handover.model import Dataset
    >>> contacts = pd.DataFrame({"contact_id": ["c1", "c2", "c3"], "user_id": ["u1"] * 3,
    ...     "agency_id": ["A", "A", "B"], "date": pd.to_datetime(["2024-01-01", "2024-01-02",
    ...     "2024-01-03"]), "staff_id": [None, None, None]})
    >>> print(continuity_of_care(Dataset({"contacts": contacts})).to_string(index=False))
    user_id  contacts  providers    upc    coc  secon    hhi
         u1         3          2 0.6667 0.3333    0.5 0.5556
    """
    if provider not in PROVIDERS:
        raise InputError(f"--provider: {provider} is not one of: {', '.join(PROVIDERS)}")
    contacts = dataset.get("contacts")
    column = "agency_id" if provider == "agency" else "staff_id"
    keep = contacts[column].notna()
    if since is not None:
        keep &= contacts["date"] >= since
    if until is not None:
        keep &= contacts["date"] <= until
    visits = contacts.loc[keep, ["user_id", "date", "contact_id", column]]
    # Strings become integer codes once: sorting and counting integers is what makes this
    # linear in practice. Sorted user codes keep the users in id order.
    user_codes, user_ids = pd.factorize(visits["user_id"], sort=True)
    provider_codes, _ = pd.factorize(visits[column])
    days = visits["date"].to_numpy("datetime64[ns]").view(np.int64)
    order = _in_visit_order(user_codes, days, visits["contact_id"])
    user, provider = user_codes[order].astype(np.int64), provider_codes[order].astype(np.int64)

    # Contacts per (user, provider): runs of one sorted integer key.
    n_providers = int(provider.max(initial=0)) + 1
    keys, per_pair = np.unique(user * n_providers + provider, return_counts=True)
    pair_user = keys // n_providers
    firsts = np.flatnonzero(np.r_[True, pair_user[1:] != pair_user[:-1]]) if len(keys) else keys

    def per_user(reduce, values):
        return reduce.reduceat(values, firsts) if len(keys) else keys

    n = per_user(np.add, per_pair)
    squares = per_user(np.add, per_pair * per_pair)
    repeats = (user[1:] == user[:-1]) & (provider[1:] == provider[:-1])
    same = np.bincount(user[1:][repeats], minlength=len(user_ids))
    several = n >= 2
    pairs = np.where(several, n - 1, 1)  # a stand-in denominator where the index is missing
    return pd.DataFrame({
        "user_id": np.asarray(user_ids, dtype=object),
        "contacts": n,
        "providers": np.diff(np.r_[firsts, len(keys)]).astype(np.int64),
        "upc": round_ratio(per_user(np.maximum, per_pair), n),
        "coc": np.where(several, round_ratio(squares - n, n * pairs), np.nan),
        "secon": np.where(several, round_ratio(same, pairs), np.nan),
        "hhi": round_ratio(squares, n * n),
    })


def _in_visit_order(users: np.ndarray, days: np.ndarray, contact_ids: pd.Series) -> np.ndarray:
    """Positions ordered by ``(user, date, contact_id)``.

    Integers are sorted first; ids are compared as strings only within the few runs of
    contacts a user had on one day, and only those become Python strings.
    """
    order = np.lexsort((days, users))
    tie = (users[order][1:] == users[order][:-1]) & (days[order][1:] == days[order][:-1])
    if not tie.any():
        return order
    tied = np.zeros(len(order), dtype=bool)
    tied[1:] |= tie
    tied[:-1] |= tie
    positions = np.flatnonzero(tied)
    runs = np.cumsum(np.r_[True, ~tie])[positions]
    within = pd.DataFrame({"run": runs, "id": contact_ids.iloc[order[positions]].to_numpy(object)})
    permutation = within.sort_values(["run", "id"], kind="stable").index.to_numpy()
    order[positions] = order[positions][permutation]
    return order


def indicator(rows: pd.DataFrame, context: Context) -> pd.DataFrame:
    """docs/findings.md §6.7: the share of users with fragmented care (upc below 0.5), and the
    quartiles of upc and coc, among users with at least 2 contacts."""
    several = rows[rows["contacts"] >= 2]
    parts = [counted("fragmented", several.assign(fragmented=several["upc"] < 0.5), "fragmented")]
    for measure in ("upc", "coc"):
        values = several[measure].astype(float)
        for key, q in (("p25", 0.25), ("median", 0.5), ("p75", 0.75)):
            stat = tidy(measure, "distribution", [key], [len(values)], [len(values)])
            parts.append(stat.assign(value=round(float(values.quantile(q)), 4) if len(values) else np.nan))
    return pd.concat(parts, ignore_index=True)


FINDING = Finding(
    name="continuity_of_care",
    section="5.7",
    columns="user_id:str contacts:int providers:int upc:float coc:float secon:float hhi:float",
    sort_key="user_id",
    memory=continuity_of_care,
    options=(
        choice("provider", "agency", "Who a contact is with: agency (the contact's agency) or staff "
               "(its staff member; contacts without staff are left out).", PROVIDERS),
        date("since", "Count contacts dated on or after this day."),
        date("until", "Count contacts dated on or before this day."),
    ),
    needs=("contacts",),
    measures=(Measure("fragmented"),),
    indicator=indicator,
)

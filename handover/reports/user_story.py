"""One user's story on one page: who was responsible, when, and where it broke.

:func:`user_story` gathers what the dataset holds about one (pseudonymous) user: episodes,
plans, responsibilities and contacts, the handovers between agencies (with or without a
coordinator), and the rows of every finding for that user, as a :class:`UserStory`.
:func:`handover.render.user_page.user_html` draws it as one self-contained page (a
timeline in inline SVG and the findings listed below); :func:`write_user_page` does both
and writes the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pandas as pd

from handover.engines import MemoryEngine
from handover.engines.neo4j.story import known_user, user_dataset
from handover.errors import InputError
from handover.findings import FINDINGS, find
from handover.findings.events import episodes_with_agency, handovers, responsible_on
from handover.io.atomic import write_text_atomic
from handover.model import Dataset
from handover.privacy.identifiers import looks_like_national_id, national_id_mask
from handover.render.user_page import user_html
from handover.timeline import to_day

__all__ = ["UserStory", "user_story", "user_stories", "write_user_page", "unknown_user"]

_USER_TABLES = ("users", "responsibilities", "plans", "episodes", "contacts")


@dataclass(frozen=True)
class UserStory:
    """Everything :func:`handover.render.user_page.user_html` draws about one user.

    Attributes
    ----------
    user_id : str
    as_of : Timestamp
        The reference date; ongoing intervals are drawn up to it.
    episodes, plans, responsibilities, contacts : pandas.DataFrame
        The user's rows, with ``agency_name`` and ``level`` of their agency (episodes also
        ``service_name`` and ``service_kind``; responsibilities ``profession``).
    handovers : pandas.DataFrame
        The user's handovers (docs/findings.md §5.1) with ``with_coordinator``.
    findings : dict of str to pandas.DataFrame or str
        For every finding, in registry order, its rows for this user, or why it was not run.
    source : str
        The dataset's name.
    since, until : Timestamp or None
        The period the findings were counted in (``handover report --since/--until``).
    """

    user_id: str
    as_of: pd.Timestamp
    episodes: pd.DataFrame
    plans: pd.DataFrame
    responsibilities: pd.DataFrame
    contacts: pd.DataFrame
    handovers: pd.DataFrame
    findings: dict = field(default_factory=dict)
    source: str = ""
    since: pd.Timestamp | None = None
    until: pd.Timestamp | None = None

    def first_day(self) -> pd.Timestamp | None:
        """The earliest date in the story."""
        days = [frame[column].min() for frame, column in (
            (self.episodes, "start"), (self.plans, "start"), (self.responsibilities, "start"),
            (self.contacts, "date")) if len(frame)]
        days = [d for d in days if pd.notna(d)]
        return min(days) if days else None


def _shown_id(user_id: str) -> str:
    """``user_id`` as a message may show it: never a national identity number, never raw control
    characters (a terminal would run escape sequences)."""
    if looks_like_national_id(str(user_id).strip()):
        return "(the id given looks like a national identity number and is not repeated here)"
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in str(user_id))


def _examples(users: pd.Series) -> str:
    """A few of the dataset's ids to show as examples: none that looks like a national id."""
    ids = users.astype(str)
    safe = ids[~national_id_mask(ids)]
    safe = safe[safe.map(str.isprintable)]
    shown = sorted(safe)[:3]
    return f", e.g. {', '.join(shown)}" if shown else ""


def unknown_user(user_id: str, count: int, users: pd.Series, focus: tuple[str, ...] = ()) -> InputError:
    """The error for an id not among the dataset's ``count`` users (``users``: some or all of their ids)."""
    of = f" of {', '.join(focus)} (--agency)" if focus else ""
    return InputError(f"user {_shown_id(user_id)} is not in the dataset's users{of} ({count} users"
                      + _examples(pd.Series(users, dtype=object)) + ")")


def _one_user(dataset: Dataset, user_id: str) -> Dataset:
    """The dataset cut to one user (the shared tables, agencies to staff, kept whole)."""
    tables = {}
    for name, frame in dataset.tables.items():
        tables[name] = frame[frame["user_id"] == user_id].reset_index(drop=True) if name in _USER_TABLES else frame
    return Dataset(tables, source=dataset.source)


def _with_agency(frame: pd.DataFrame, agencies: pd.DataFrame) -> pd.DataFrame:
    names = agencies[["agency_id", "name", "level"]].rename(columns={"name": "agency_name"})
    return frame.merge(names, on="agency_id", how="left")


def user_story(dataset: Dataset, user_id: str, *, as_of=None, source: str = "") -> UserStory:
    """Gather one user's story.

    Parameters
    ----------
    dataset : Dataset
    user_id : str
    as_of : date-like, optional
        Default: the latest date in the whole dataset (as ``handover find`` uses).
    source : str
        The dataset's name, shown on the page.

    Returns
    -------
    UserStory

    Raises
    ------
    InputError
        When ``user_id`` is not in ``users``.

    Notes
    -----
    Every finding is a property of one user's own rows (docs/findings.md §5), so the findings are
    run on the dataset cut to this user, with the whole dataset's ``as_of``: the rows are
    those ``handover find`` gives for the user, found in a fraction of the time.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> story = user_story(tiny_dataset(), "u1")
    >>> story.handovers[["from_agency_id", "to_agency_id", "with_coordinator"]].values.tolist()
    [['a2', 'a1', False]]
    >>> len(story.findings["handover_without_coordinator"])
    1
    >>> user_story(tiny_dataset(), "u9")
    Traceback (most recent call last):
    ...
    handover.errors.InputError: user u9 is not in the dataset's users (3 users, e.g. u1, u2, u3)
    """
    users = dataset.get("users")["user_id"]
    if user_id not in set(users):
        raise unknown_user(user_id, len(users), users, dataset.focus)
    as_of = to_day(as_of) if as_of is not None else dataset.latest_date()
    if as_of is None:
        as_of = pd.Timestamp.today().normalize()
    one = _one_user(dataset.snapshot(as_of), user_id)  # the story as it stood on as_of
    engine = MemoryEngine(one)
    findings: dict = {}
    for name in FINDINGS:
        try:
            findings[name] = find(engine, name, as_of=as_of)
        except InputError as error:  # a table the finding needs is missing
            findings[name] = str(error)
    return _story(one, user_id, as_of, findings, source)


def user_stories(dataset: Dataset, user_ids: list[str], *, as_of, results: dict, source: str = "",
                 period: tuple | None = None) -> Iterator[UserStory]:
    """The stories of many users at once, their findings cut from rows already found.

    ``handover report`` has run every finding on the whole dataset; each user's rows are
    those rows of the user (every finding is a property of one user's own rows), so
    nothing is run again. Each table is split by user once, not searched once per user.

    Parameters
    ----------
    dataset : Dataset
    user_ids : list of str
        Users of ``dataset``, in the order the stories are wanted.
    as_of : Timestamp
    results : dict
        Finding → its rows on ``dataset`` (or why it was not run), as ``handover report`` found them.
    source : str
    period : (Timestamp or None, Timestamp or None), optional
        The report's ``--since``/``--until``, shown on the page when set.

    Examples
    --------
    >>> from handover.examples import tiny_dataset
    >>> from handover.engines import MemoryEngine
    >>> data = tiny_dataset()
    >>> rows = {name: find(MemoryEngine(data), name) for name in FINDINGS if name != "continuity_of_care"}
    >>> [s.user_id for s in user_stories(data, ["u3", "u1"], as_of=data.latest_date(), results=rows)]
    ['u3', 'u1']
    """
    snapshot = dataset.snapshot(as_of)
    chosen = pd.Index(user_ids)
    cut = Dataset({name: frame[frame["user_id"].isin(chosen)].reset_index(drop=True) if name in _USER_TABLES
                   else frame for name, frame in snapshot.tables.items()}, source=dataset.source)
    # Every frame of a story is a property of the user's own rows: made once for all the
    # users, then split, rather than once per user.
    frames = {name: _by_user(frame) for name, frame in _story_frames(cut).items()}
    found = {name: _by_user(rows[rows["user_id"].isin(chosen)]) for name, rows in results.items()
             if isinstance(rows, pd.DataFrame)}
    since, until = period if period is not None else (None, None)
    for user_id in user_ids:
        mine = {name: _rows_of(split, user_id) for name, split in frames.items()}
        findings = {name: _rows_of(found[name], user_id) if name in found else rows
                    for name, rows in results.items()}
        yield UserStory(user_id=user_id, as_of=as_of, findings=findings, source=source, since=since,
                        until=until, **mine)


def _by_user(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """``frame``'s empty frame and its rows by user (in ``frame``'s order)."""
    return frame.iloc[0:0], dict(tuple(frame.groupby("user_id", sort=False))) if len(frame) else {}


def _rows_of(split: tuple[pd.DataFrame, dict], user_id: str) -> pd.DataFrame:
    empty, by_user = split
    return by_user.get(user_id, empty).reset_index(drop=True)


def _story_frames(cut: Dataset) -> dict[str, pd.DataFrame]:
    """The frames of the stories of every user of ``cut`` (on its snapshot), each in page order."""
    agencies = cut.get("agencies")
    episodes = episodes_with_agency(cut)
    services = cut.get("services")[["service_id", "name"]].rename(columns={"name": "service_name"})
    episodes = _with_agency(episodes.merge(services, on="service_id", how="left"), agencies)
    responsibilities = _with_agency(cut.get("responsibilities"), agencies)
    staff = cut.get("staff")
    profession = staff[["staff_id", "profession"]] if "profession" in staff else staff[["staff_id"]]
    responsibilities = responsibilities.merge(profession, on="staff_id", how="left")
    found = handovers(cut).sort_values(["handover_date", "from_episode_id"]).reset_index(drop=True)
    # A handover is covered when a coordinator held the role on its day (docs/findings.md §5.1).
    covered = set(responsible_on(cut, "coordinator", found, "handover_date")["event"])
    found["with_coordinator"] = found.index.isin(covered)
    return {
        "episodes": episodes.sort_values(["start", "episode_id"], kind="stable"),
        "plans": _with_agency(cut.get("plans"), agencies).sort_values(["start", "plan_id"], kind="stable"),
        "responsibilities": responsibilities.sort_values(["start", "staff_id", "role", "agency_id"], kind="stable"),
        "contacts": _with_agency(cut.get("contacts"), agencies).sort_values(["date", "contact_id"], kind="stable"),
        "handovers": found,
    }


def _story(one: Dataset, user_id: str, as_of: pd.Timestamp, findings: dict, source: str,
           period: tuple | None = None) -> UserStory:
    """The story of ``user_id`` from the dataset cut to them (on its snapshot) and their finding rows."""
    since, until = period if period is not None else (None, None)
    frames = {name: frame.reset_index(drop=True) for name, frame in _story_frames(one).items()}
    return UserStory(user_id=user_id, as_of=as_of, findings=findings, source=source, since=since, until=until,
                     **frames)


def write_user_page(dataset, user_id: str, out: Path, *, as_of=None, source: str = "",
                    lang: str = "en") -> Path:
    """Write the page of ``user_id`` to ``out`` (atomically) and return its path.

    Parameters
    ----------
    dataset : Dataset or Neo4jEngine
        The dataset, or the Neo4j engine of a loaded one: the user's rows are then read
        from the server (:func:`handover.engines.neo4j.story.user_dataset`), with the
        same page as a result.

    Raises
    ------
    InputError
        When ``user_id`` is not in the dataset.
    """
    if not isinstance(dataset, Dataset):
        dataset, as_of = _from_neo4j(dataset, user_id, as_of)
    story = user_story(dataset, user_id, as_of=as_of, source=source)
    out = Path(out)
    write_text_atomic(out, user_html(story, lang))
    return out


def _from_neo4j(engine, user_id: str, as_of) -> tuple[Dataset, pd.Timestamp | None]:
    """The user's dataset read from Neo4j, and the day of the story (default: the loaded dataset's latest)."""
    known, count, first = known_user(engine, user_id)
    if not known:
        raise unknown_user(user_id, count, pd.Series(first, dtype=object), engine.focus())
    return user_dataset(engine, user_id), to_day(as_of) if as_of is not None else engine.latest_date()

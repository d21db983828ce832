"""``handover user USER_ID DATA_DIR --out page.html``: one user's story on one page.

The main CLI registers :func:`user` as a command; the work is done by
:func:`handover.reports.user_story.write_user_page`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handover.cli.options import AllowIdentifiersOpt, AsOfOpt, DataDirArg, LangOpt, language, reads_data
from handover.io.guarded import read_guarded
from handover.io.options import ReadOptions
from handover.reports.user_story import write_user_page

__all__ = ["user"]


@reads_data
def user(
    user_id: Annotated[str, typer.Argument(
        help="The user's id as in users.csv (pseudonymous, e.g. u01).", show_default=False)],
    data_dir: DataDirArg,
    out: Annotated[Path, typer.Option(
        "--out", metavar="FILE", show_default=False,
        help="The HTML page to write (its folder is made if needed).")],
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    reading: ReadOptions = None,
    allow_identifiers: AllowIdentifiersOpt = False,
) -> None:
    """Draw one user's story: who was responsible, when, and where it broke.

    Writes one HTML page that opens offline (no scripts, nothing fetched): a timeline
    with a lane per service (episodes), per plan kind and agency, and per role
    (responsibilities, with the staff id on each bar) plus the user's contacts.
    Handovers between agencies are marked green (a coordinator in place) or red (none),
    stretches of an individual plan without a coordinator are shaded, and each discharge
    shows how long the first follow-up took. The axis labels as many years and months as
    fit, and a name too long for its lane is shortened, in full on hover. Below it: the
    rows of every finding for this user.

    The page names the user by id only. An id that is not in users.csv exits with
    code 2.
    """
    dataset = read_guarded(data_dir, reading=reading,
                           allow_identifiers=allow_identifiers)
    page = write_user_page(dataset, user_id, out, as_of=as_of, source=Path(data_dir).name, lang=language(lang))
    typer.echo(f"page written to {page}", err=True)  # no id: status lines carry no personal data

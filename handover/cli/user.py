"""``handover user USER_ID DATA_DIR --out page.html``: one user's story on one page.

The main CLI registers :func:`user` as a command; the work is done by
:func:`handover.reports.user_story.write_user_page`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handover.cli.framework import say
from handover.cli.options import (
    AllowIdentifiersOpt, AsOfOpt, EngineName, EngineOpt, LangOpt, Neo4jUriOpt, OptionalDataDirArg, language, reads_data,
)
from handover.engines.session import open_engine
from handover.io.options import ReadOptions
from handover.reports.user_story import write_user_page

__all__ = ["user"]


@reads_data
def user(
    user_id: Annotated[str, typer.Argument(
        help="The user's id as in users.csv (pseudonymous, e.g. u01).", show_default=False)],
    out: Annotated[Path, typer.Option(
        "--out", metavar="FILE", show_default=False,
        help="The HTML page to write (its folder is made if needed).")],
    data_dir: OptionalDataDirArg = None,
    as_of: AsOfOpt = None,
    lang: LangOpt = None,
    engine: EngineOpt = EngineName.memory,
    neo4j_uri: Neo4jUriOpt = None,
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

    With --engine neo4j the user's rows are read from the server by their id (DATA_DIR,
    when given, is loaded first): the same page, nothing else of the graph read.
    """
    with open_engine(engine.value, data_dir, neo4j_uri=neo4j_uri, reading=reading,
                     allow_identifiers=allow_identifiers, say=say) as opened:
        source = opened.dataset if engine is EngineName.memory else opened
        page = write_user_page(source, user_id, out, as_of=as_of, lang=language(lang),
                               source=Path(data_dir).name if data_dir is not None else "Neo4j")
    typer.echo(f"page written to {page}", err=True)  # no id: status lines carry no personal data

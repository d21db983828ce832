"""``handover pseudonymize DATA_DIR OUT_DIR --key-file K``: a dataset without direct identifiers.

The main CLI registers :func:`pseudonymize` as a command; the work is done by
:func:`handover.privacy.pseudonyms.pseudonymize_folder`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from handover.cli.options import DataDirArg, reads_data
from handover.datasets.pseudonymize import pseudonymize_folder
from handover.io.options import ReadOptions

__all__ = ["pseudonymize"]


@reads_data(focus=False)  # a copy of the whole dataset; focus when analysing it
def pseudonymize(
    data_dir: DataDirArg,
    out_dir: Annotated[Path, typer.Argument(
        help="Folder to write the pseudonymised dataset into: a new folder, or one holding "
             "only a dataset (it is replaced).", show_default=False)],
    key_file: Annotated[Path, typer.Option(
        "--key-file", metavar="FILE",
        help="The secret key. Made (32 random bytes, readable by you only) when the file does "
             "not exist. Keep it apart from OUT_DIR.", show_default=False)],
    staff: Annotated[bool, typer.Option(
        "--staff", help="Pseudonymise staff ids too (and drop staff.profession).")] = False,
    keep_text: Annotated[bool, typer.Option(
        "--keep-text",
        help="Keep responsibilities.reason, users.municipality and staff.profession.")] = False,
    reading: ReadOptions = None,
) -> None:
    """Replace user ids (and with --staff, staff ids) by keyed pseudonyms.

    Reads and validates DATA_DIR, then writes a copy to OUT_DIR in which
    every user_id is u_ followed by 16 hexadecimal digits of HMAC-SHA256
    over the id under the key in --key-file (staff ids become s_...). The
    same key gives the same pseudonyms, in every table and on every run, so
    findings on the copy are the findings on the original with the ids
    replaced, and deliveries made with one key can be joined. Whoever holds
    the key and the original ids can recompute a pseudonym to find the
    person behind it; without the key that is not possible.

    Dropped unless --keep-text, because they describe or single out a
    person: responsibilities.reason (free text), users.municipality (with
    the birth year it can identify a user in a small municipality) and, with
    --staff, staff.profession. Agency and service names stay: they name
    organisations. Columns outside the data contract are never copied. Plan,
    episode and contact ids, dates and birth years are kept as they are:
    they must not hold personal data.

    When --key-file does not exist, a new key is made there and this is said
    on standard error; the key itself is never printed. Two ids that would
    share a pseudonym (for a million ids, about 3 runs in 100 million) are
    refused, not merged. OUT_DIR is written all at once: the tables go into
    a hidden folder beside it (readable by you only), renamed to OUT_DIR
    when complete. The copy is CSV, UTF-8, comma-separated, whatever --sep
    and --encoding the input needed.

    Exits 2 for a broken dataset, unusable folders or key file, or staff ids
    that look like national identity numbers without --staff.
    """
    summary = pseudonymize_folder(data_dir, out_dir, key_file, staff=staff, keep_text=keep_text,
                                  reading=reading)
    if summary.key_created:
        typer.echo(f"made a new key in {key_file} (readable by you only); keep it safe and apart "
                   "from the pseudonymised data: the same key gives the same pseudonyms", err=True)
    elif summary.key_exposed:
        typer.echo(f"warning: the key file {key_file} is readable by other users; "
                   f"restrict it with: chmod 600 {key_file}", err=True)
    people = f"{summary.users} user ids"
    people += f" and {summary.staff} staff ids" if summary.staff is not None else " (staff ids kept)"
    dropped = f"; dropped {', '.join(summary.dropped)}" if summary.dropped else "; no columns dropped"
    typer.echo(f"{summary.folder}: pseudonymised {people}{dropped}")

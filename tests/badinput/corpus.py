"""A corpus of malformed datasets, each built from one valid base by one breakage.

Every :class:`Kind` names what an agency export can get wrong, how to produce it from
the valid base, and what the user must read: the file, the line, the column, the value
and the rule, where they exist. Kinds marked ``valid`` are odd but fine (a BOM, mixed
line endings, a header-only table) and must be accepted.
"""

from __future__ import annotations

import gzip
import io
import os
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from handover.examples import tiny_dataset
from handover.model import TABLES, ColumnKind, Dataset
from tests.datasets import write_dataset

#: A cell this big is read as data, not refused (10 MB).
HUGE = 10_000_000


def base_dataset() -> Dataset:
    """The tiny example with free text where agency systems have it, and contacts."""
    ds = tiny_dataset()
    ds.tables["users"]["municipality"] = ["Vardø", "Røros", None]
    ds.tables["responsibilities"]["reason"] = ["sykemeldt", "flyttet til Bodø", "ny stilling", None]
    ds.tables["contacts"] = pd.DataFrame({
        "contact_id": ["c1", "c2"], "user_id": ["u1", "u3"], "agency_id": ["a1", "a1"],
        "date": pd.to_datetime(["2024-03-05", "2024-02-01"]), "kind": ["visit", "phone"],
        "service_id": ["sv2", None], "staff_id": ["st1", None],
    })
    return ds


def text_values() -> set[str]:
    """Every value of a free-text column of the base (names, municipalities, reasons)."""
    values = set()
    for name, frame in base_dataset().tables.items():
        for column in TABLES[name].columns:
            if column.kind is ColumnKind.TEXT:
                values |= {v for v in frame[column.name] if isinstance(v, str)}
    return values


def write_base(folder: Path) -> Path:
    return write_dataset(base_dataset(), folder)


# --- small editing helpers ----------------------------------------------------------------


def text_of(folder: Path, table: str) -> str:
    return (folder / f"{table}.csv").read_text(encoding="utf-8")


def replace_in(folder: Path, table: str, old: str, new: str) -> None:
    text = text_of(folder, table)
    assert old in text, (table, old)
    (folder / f"{table}.csv").write_text(text.replace(old, new, 1), encoding="utf-8")


def append_row(folder: Path, table: str, row: str) -> None:
    with open(folder / f"{table}.csv", "a", encoding="utf-8", newline="") as f:
        f.write(row + "\n")


def linked(table: str, target: str) -> Callable[[Path], None]:
    """The table replaced by a symbolic link to ``target``."""
    def breakage(folder: Path) -> None:
        (folder / f"{table}.csv").unlink()
        (folder / f"{table}.csv").symlink_to(target)
    return breakage


def put(table: str, content: str | bytes) -> Callable[[Path], None]:
    def breakage(folder: Path) -> None:
        path = folder / f"{table}.csv"
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return breakage


def edit(table: str, old: str, new: str) -> Callable[[Path], None]:
    return lambda folder: replace_in(folder, table, old, new)


def reencode(table: str, encoding: str) -> Callable[[Path], None]:
    def breakage(folder: Path) -> None:
        (folder / f"{table}.csv").write_bytes(text_of(folder, table).encode(encoding))
    return breakage


def all_tables(change: Callable[[str], str]) -> Callable[[Path], None]:
    def breakage(folder: Path) -> None:
        for path in folder.glob("*.csv"):
            path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")
    return breakage


def truncate_mid_row(folder: Path) -> None:
    text = text_of(folder, "responsibilities")
    last = text.rstrip("\n").rfind("\n") + 1
    (folder / "responsibilities.csv").write_text(text[: last + len("u2,st1,a1,caseworker")],
                                                 encoding="utf-8")


def truncate_mid_quote(folder: Path) -> None:
    (folder / "agencies.csv").write_text(
        'agency_id,name,kind,level,municipality\na1,"NAV Sentrum, Oslo",nav_office,municipal,Oslo\n'
        'a2,"TSB Helse', encoding="utf-8")


def gzip_renamed(folder: Path) -> None:
    path = folder / "users.csv"
    path.write_bytes(gzip.compress(path.read_bytes(), mtime=0))


def workbook_renamed(folder: Path) -> None:
    buffer = io.BytesIO()
    pd.read_csv(folder / "users.csv", dtype=str).to_excel(buffer, index=False)
    (folder / "users.csv").write_bytes(buffer.getvalue())


def binary_garbage(folder: Path) -> None:
    (folder / "users.csv").write_bytes(random.Random(20240101).randbytes(4096))


def mixed_line_endings(folder: Path) -> None:
    lines = text_of(folder, "responsibilities").splitlines()
    endings = ["\r\n", "\n", "\r\n", "\n", "\r\n"]
    (folder / "responsibilities.csv").write_bytes(
        "".join(line + end for line, end in zip(lines, endings)).encode("utf-8"))


def csv_and_parquet(folder: Path) -> None:
    pd.read_csv(folder / "users.csv", dtype=str).to_parquet(folder / "users.parquet")


def corrupt_parquet(folder: Path) -> None:
    (folder / "users.csv").unlink()
    (folder / "users.parquet").write_bytes(b"PAR1" + random.Random(7).randbytes(200) + b"PAR1")


def parquet_bad_text(folder: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (folder / "users.csv").unlink()
    ids = pa.array([b"u1", b"u2\xff\x80", b"u3"], pa.binary()).view(pa.string())  # not UTF-8
    pq.write_table(pa.table({"user_id": ids}), folder / "users.parquet")


def parquet_bad_column_name(folder: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    (folder / "users.csv").unlink()
    pq.write_table(pa.table({"user_id": ["u1", "u2", "u3"], "zzqq": ["1", "2", "3"]}),
                   folder / "users.parquet")
    data = (folder / "users.parquet").read_bytes()
    # Thrift strings carry their length: a same-length swap damages the name only.
    (folder / "users.parquet").write_bytes(data.replace(b"zzqq", b"zz\x80q"))


def folder_for_a_table(folder: Path) -> None:
    (folder / "users.csv").unlink()
    (folder / "users.csv").mkdir()
    (folder / "users.csv" / "part-0000.csv").write_text("user_id\nu1\n", encoding="utf-8")


def huge_name(folder: Path) -> None:
    replace_in(folder, "agencies", "NAV Sentrum", "x" * HUGE)


def huge_reference(folder: Path) -> None:
    replace_in(folder, "plans", "p9,u3,a1", "p9,u3," + "a" * HUGE)


def injection(folder: Path) -> None:
    replace_in(folder, "agencies", "NAV Sentrum", '"=HYPERLINK(""http://x"",""click"")"')


# --- the corpus ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of bad (or odd but valid) input.

    ``file``, ``line``, ``column``, ``value`` and ``rule`` are what the message must
    name (``None`` where the problem has no such thing); ``also`` are further fragments.
    """

    name: str
    breakage: Callable[[Path], None]
    file: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None
    rule: str | None = None
    also: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    valid: bool = False
    hidden: tuple[str, ...] = field(default=())  # text that must not reach the message

    def fragments(self) -> list[str]:
        found = []
        if self.file is not None:
            found.append(self.file if self.line is None else f"{self.file} line {self.line}")
        if self.column is not None:
            found.append(f"column {self.column}")
        if self.value is not None:
            found.append(f": {self.value} is ")
        if self.rule is not None:
            found.append(self.rule)
        return found + list(self.also)


def _vocab(name, table, old, new, line, column, allowed_start):
    return Kind(name, edit(table, old, new), f"{table}.csv", line, column, new.strip(","),
                f"not one of: {allowed_start}")


def _unusable_id(name, table, old, new, line, column, shown, holds):
    """An id holding a character no id may hold, refused with the value escaped, never raw."""
    return Kind(name, edit(table, old, new), f"{table}.csv", line, column, shown,
                f"not a usable id: it holds {holds}",
                hidden=tuple(value for value in new.split(",") if value not in old.split(",")))


KINDS: list[Kind] = [
    # -- every rule of the data contract (DESIGN §3) --
    Kind("required table missing", lambda d: (d / "users.csv").unlink(),
         "users.csv", rule="not found in the folder", also=("users.parquet",)),
    Kind("required column missing", edit("agencies", "agency_id,name,kind", "agency_id,title,kind"),
         "agencies.csv", 1, "name", rule="missing, but the column is required"),
    Kind("required value empty", edit("responsibilities", "u2,st2,a1,caseworker,2024-02-01",
                                      "u2,st2,a1,caseworker,"),
         "responsibilities.csv", 3, "start", rule="empty, but the column is required"),
    _vocab("agency kind", "agencies", "nav_office", "nav", 2, "kind", "nav_office, municipal_health"),
    _vocab("agency level", "agencies", ",municipal,", ",kommunal,", 2, "level", "municipal, specialist"),
    _vocab("service kind", "services", "inpatient", "døgn", 2, "kind", "inpatient, residential"),
    _vocab("role", "responsibilities", "caseworker", "saksbehandler", 2, "role", "coordinator, caseworker"),
    _vocab("plan kind", "plans", "individual_plan", "IP", 2, "kind", "individual_plan, treatment_plan"),
    _vocab("discharge kind", "episodes", "planned", "home", 2, "discharge_kind", "planned, unplanned"),
    _vocab("contact kind", "contacts", "visit", "sms", 2, "kind", "visit, home_visit"),
    Kind("impossible date", edit("responsibilities", "2024-05-01,2024-08-01", "2024-05-01,2024-02-30"),
         "responsibilities.csv", 4, "end", "2024-02-30", "not a date (YYYY-MM-DD)"),
    Kind("date out of range", edit("plans", "2024-06-01,2024-07-02", "2024-06-01,9999-12-31"),
         "plans.csv", 3, "end", "9999-12-31", "outside the dates handover can hold"),
    Kind("end before start", edit("plans", "2024-06-01,2024-07-02", "2024-06-01,2024-05-31"),
         "plans.csv", 3, "end", "2024-05-31", "before start 2024-06-01"),
    Kind("duplicate user_id", lambda d: append_row(d, "users", "u2,1970,"),
         "users.csv", 5, "user_id", "u2", "a duplicate user_id (first on line 3)"),
    Kind("duplicate episode_id", lambda d: append_row(d, "episodes", "e1,u1,sv1,2024-05-01,,"),
         "episodes.csv", 4, "episode_id", "e1", "a duplicate episode_id (first on line 2)"),
    Kind("unknown agency_id", edit("plans", "p9,u3,a1", "p9,u3,a7"),
         "plans.csv", 2, "agency_id", "a7", "not a known agency_id (not in agencies.csv)"),
    Kind("unknown user_id", edit("episodes", "e2,u1", "e2,u99"),
         "episodes.csv", 3, "user_id", "u99", "not a known user_id (not in users.csv)"),
    Kind("unknown staff_id", edit("responsibilities", "u2,st3", "u2,st33"),
         "responsibilities.csv", 4, "staff_id", "st33", "not a known staff_id (not in staff.csv)"),
    Kind("unknown service_id", edit("episodes", "e1,u1,sv1", "e1,u1,sv8"),
         "episodes.csv", 2, "service_id", "sv8", "not a known service_id (not in services.csv)"),
    Kind("unknown contact staff_id", edit("contacts", "sv2,st1", "sv2,st9"),
         "contacts.csv", 2, "staff_id", "st9", "not a known staff_id"),
    Kind("services missing while episodes name them", lambda d: (d / "services.csv").unlink(),
         "episodes.csv", None, "service_id", rule="no services.csv or services.parquet"),
    # -- broken files --
    Kind("truncated mid-row", truncate_mid_row, "responsibilities.csv", 5,
         rule="the last row has 4 of 7 values", also=("cut off",)),
    Kind("truncated mid-quoted-field", truncate_mid_quote, "agencies.csv", 3,
         rule="never closed", also=("cut off",), hidden=("TSB Helse",)),
    Kind("empty file (0 bytes)", put("users", b""), "users.csv",
         rule="empty; expected a header row with the columns user_id, birth_year, municipality"),
    Kind("binary garbage", binary_garbage, "users.csv", rule="not a CSV text file"),
    Kind("gzip file renamed .csv", gzip_renamed, "users.csv", rule="gzip-compressed"),
    Kind("Excel workbook renamed .csv", workbook_renamed, "users.csv", rule="Excel workbook"),
    Kind("zero byte in a text file", put("users", b"user_id,birth_year\nu1,1980\nu2\x00,1975\nu3,\n"),
         "users.csv", 3, rule="a zero byte (NUL)"),
    Kind("row with too many values", lambda d: append_row(d, "users", "u4,1990,Os,Hordaland"),
         "users.csv", 5, rule="a row with 4 values where the header has 3 columns"),
    Kind("semicolon-separated", all_tables(lambda t: t.replace(",", ";")), "agencies.csv", 1,
         rule="looks ';'-separated", also=("pass --sep ';'",)),
    Kind("tab-separated", all_tables(lambda t: t.replace(",", "\t")), "agencies.csv", 1,
         rule="looks '\\t'-separated", also=("pass --sep '\\t'",)),
    Kind("Norwegian date", edit("episodes", "2024-03-03", "31.12.2024"),
         "episodes.csv", 3, "start", "31.12.2024", "this looks like DD.MM.YYYY"),
    Kind("US date", edit("episodes", "2024-03-03", "12/31/2024"),
         "episodes.csv", 3, "start", "12/31/2024", "this looks like the American MM/DD/YYYY"),
    Kind("Excel serial date", edit("episodes", "2024-03-03", "45292"),
         "episodes.csv", 3, "start", "45292", "an Excel day number, which would be 2024-01-01"),
    Kind("free text shifted into a date", edit("responsibilities", "2024-05-01,2024-08-01,ny stilling",
                                               "2024-05-01,ny stilling"),
         "responsibilities.csv", 4, "end", rule="the value holds words and is not shown",
         hidden=("ny stilling",)),
    Kind("ids colliding after trimming", lambda d: append_row(d, "users", " u1 ,1970,"),
         "users.csv", 5, "user_id", "u1", "a duplicate user_id (first on line 2)"),
    Kind("duplicate header names", put("users", "user_id,birth_year,birth_year\nu1,1980,1980\nu2,,\nu3,,\n"),
         "users.csv", 1, "birth_year", rule="named 2 times in the header"),
    Kind("huge value in an id column", huge_reference, "plans.csv", 2, "agency_id",
         "a" * 59 + "…", "not a known agency_id"),
    Kind("UTF-16 file", reencode("users", "utf-16"), "users.csv", rule="UTF-16",
         also=("--encoding utf-16",)),
    Kind("UTF-16 without byte order mark", reencode("users", "utf-16-le"), "users.csv", rule="UTF-16"),
    Kind("cp1252 file read as UTF-8", reencode("services", "cp1252"), "services.csv", 2,
         rule="not valid utf-8 text", also=("--encoding cp1252",)),
    Kind("UTF-8 files read with --encoding utf-16", lambda d: None, "users.csv",
         rule="not utf-16 text", options=("--encoding", "utf-16")),
    Kind("users.csv and users.parquet", csv_and_parquet, "users.csv",
         rule="present together with users.parquet; keep only one of them"),
    Kind("corrupt parquet", corrupt_parquet, "users.parquet", rule="not a readable Parquet file"),
    Kind("parquet text that is not UTF-8", parquet_bad_text, "users.parquet", column="user_id",
         rule="holds text that is not valid UTF-8"),
    Kind("parquet column name that is not UTF-8", parquet_bad_column_name, "users.parquet",
         rule="a column name is not valid UTF-8"),
    Kind("a folder named like a table", folder_for_a_table, "users.csv", rule="a folder, not a file"),
    Kind("quote as separator", lambda d: None, rule="the separator cannot be", options=("--sep", '"')),
    Kind("not a text encoding", lambda d: None, rule="'rot13' is not a text encoding",
         options=("--encoding", "rot13")),
    # -- odd but valid --
    Kind("header-only file", put("episodes", "episode_id,user_id,service_id,start,end,discharge_kind\n"),
         valid=True),
    Kind("UTF-8 byte order mark", lambda d: (d / "users.csv").write_bytes(
        b"\xef\xbb\xbf" + (d / "users.csv").read_bytes()), valid=True),
    Kind("mixed line endings", mixed_line_endings, valid=True),
    Kind("huge field (10 MB)", huge_name, valid=True),
    Kind("CSV injection payload in an agency name", injection, valid=True),
    Kind("semicolon-separated with --sep ';'", all_tables(lambda t: t.replace(",", ";")),
         options=("--sep", ";"), valid=True),
    Kind("cp1252 with --encoding cp1252", lambda d: [reencode(t, "cp1252")(d) for t in TABLES
                                                     if (d / f"{t}.csv").exists()],
         options=("--encoding", "cp1252"), valid=True),
    # -- tables that are not regular files (issue 17 item 6: they used to vanish, "valid") --
    Kind("a table that is a dangling symlink", linked("plans", "no-such-file.csv"), "plans.csv",
         rule="a symbolic link that leads to no file"),
    Kind("a table that is a looping symlink", linked("plans", "plans.csv"), "plans.csv",
         rule="the links go in a circle"),
    Kind("a table that is a link to /dev/zero", linked("plans", "/dev/zero"), "plans.csv",
         rule="not a regular file"),
    Kind("a table that is a named pipe", lambda d: ((d / "plans.csv").unlink(), os.mkfifo(d / "plans.csv")),
         "plans.csv", rule="not a regular file"),
    # item 4: characters (issue 17: ids with invisible characters were accepted, then broke the outputs)
    _unusable_id("a control character in an id", "contacts", "c1,u1", "c1\x01,u1", 2, "contact_id",
                 "c1\\x01", "a control character (\\x01)"),
    _unusable_id("a tab inside an id", "plans", "p9,u3", "p\t9,u3", 2, "plan_id", "p\\t9",
                 "a control character (\\t)"),
    _unusable_id("DEL in an id", "episodes", "e1,u1", "e1\x7f,u1", 2, "episode_id", "e1\\x7f",
                 "a control character (\\x7f)"),
    _unusable_id("a C1 control character inside an id", "contacts", "c2,u3", "c\x852,u3", 3, "contact_id",
                 "c\\x852", "a control character (\\x85)"),
    _unusable_id("a zero-width space in an id", "plans", "p10,u3", "p10\u200b,u3", 3, "plan_id",
                 "p10\\u200b", "a zero-width character (\\u200b)"),
    _unusable_id("a byte order mark inside an id", "contacts", "c2,u3", "c\ufeff2,u3", 3, "contact_id",
                 "c\\ufeff2", "a zero-width character (\\ufeff)"),
    _unusable_id("a bidirectional control in an id", "episodes", "e2,u1", "e2\u202e,u1", 3, "episode_id",
                 "e2\\u202e", "a bidirectional control (\\u202e)"),
    _unusable_id("a control character in a reference", "responsibilities", "u2,st3", "u2,st3\x1b[31m", 4,
                 "staff_id", "st3\\x1b[31m", "a control character (\\x1b)"),
    # item 3: limits (docs/data.md, "Limits"): past each, the place and the limit, never the value
    Kind("a 10 KB id", edit("plans", "p10,", "p" * 10_000 + ","), "plans.csv", 3, "plan_id",
         "p" * 59 + "…", "longer than 256 characters (it has 10,000), the limit for an id"),
    Kind("a 10 KB id in a reference", edit("plans", "p9,u3,a1", "p9,u3," + "a" * 10_000), "plans.csv", 2,
         "agency_id", "a" * 59 + "…", "longer than 256 characters (it has 10,000), the limit for an id"),
    Kind("a header of more than 1,000 columns",
         edit("staff", "staff_id,profession", "staff_id,profession," + ",".join(f"c{i}" for i in range(999))),
         "staff.csv", 1, rule="a header of 1,001 columns, more than 1,000, the limit for a header"),
    Kind("a header line longer than 64 KiB", edit("staff", "staff_id,profession", "staff_id,profession,"
                                                  + "n" * 70_000),
         "staff.csv", 1, rule="a header line longer than 64 KiB (65,536 characters), the limit for a header",
         hidden=("nnnnnnnn",)),
    Kind("a line longer than 32 MiB", edit("agencies", "NAV Sentrum", "x" * (33 << 20)), "agencies.csv", 2,
         rule="a line longer than 32 MiB, the limit for a line", hidden=("xxxxxxxx",)),
    Kind("a value longer than 16 Mi characters", edit("agencies", "NAV Sentrum", "x" * ((16 << 20) + 1)),
         "agencies.csv", 2, "name", rule="a value longer than 16,777,216 characters (16 Mi), the limit for a field",
         hidden=("xxxxxxxx",)),
]

BROKEN = [k for k in KINDS if not k.valid]
VALID = [k for k in KINDS if k.valid]

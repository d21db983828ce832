"""Bytes to text: encodings, and telling a CSV file from a workbook, an archive or binary data."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Callable, Sequence

from handover.errors import InputError
from handover.io.limits import LINE_BYTES, first_long_line, line_of, size_text

# What a file that is not CSV text starts with, and what to do about it.
_MAGIC_NUMBERS = (
    (b"\x1f\x8b", "it is gzip-compressed; unpack it first (gunzip, or 7-Zip on Windows)"),
    (b"PK\x03\x04", "it is a ZIP archive, such as an Excel workbook (.xlsx); save the sheet as CSV"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "it is an old Excel workbook (.xls); save the sheet as CSV"),
    (b"PAR1", "it is a Parquet file; name it {stem}.parquet"),
    (b"%PDF", "it is a PDF document; export the table as CSV instead"),
)


_WIDE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


# Bytes no text file holds (all control characters but tab, line feed and carriage return).
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13)) + b"\x7f"


def usable_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except (LookupError, TypeError, ValueError):
        raise InputError(f"unknown encoding {encoding!r} (try utf-8 or cp1252)") from None
    if not getattr(info, "_is_text_encoding", True):  # rot13, base64, zlib: bytes to bytes
        raise InputError(f"{encoding!r} is not a text encoding (try utf-8 or cp1252)")
    name = info.name
    # Excel's "CSV UTF-8" starts with a byte order mark; utf-8-sig drops it when present.
    return "utf-8-sig" if name == "utf-8" else encoding


def decoded_text(path: Path, expected: Sequence[str], encoding: str,
                  problem: Callable[..., None]) -> tuple[bytes, str] | None:
    try:
        data = path.read_bytes()
    except OSError as err:
        problem(f"not readable ({err.strerror or err})")
        return None
    if not data or data.isspace():
        problem(empty_rule(expected))
        return None
    not_text = _not_text(data, path, encoding)
    if not_text is not None:
        problem(*not_text)
        return None
    long_line = first_long_line(data, LINE_BYTES)
    if long_line is not None:
        # Refused before it is decoded: a line of hundreds of megabytes would be parsed
        # into as many fields, or one field, many times its size.
        problem(f"a line longer than {size_text(LINE_BYTES)}, the limit for a line; the file is "
                "damaged or not a table's export", line=line_of(data, long_line))
        return None
    try:
        return data, data.decode(encoding)
    except UnicodeDecodeError as err:
        hint = ("; Norwegian Excel exports are often cp1252: pass --encoding cp1252"
                if encoding == "utf-8-sig" else "")
        problem(f"not valid {_encoding_name(encoding)} text (byte 0x{data[err.start]:02x})"
                f"{hint}", line=data[:err.start].count(b"\n") + 1)
    except UnicodeError as err:  # codecs such as idna fail without a position
        problem(f"not readable as {_encoding_name(encoding)} text ({first_line(err)})")
    return None


def _not_text(data: bytes, path: Path, encoding: str) -> tuple[str, int | None] | None:
    """Why ``data`` cannot be the text of a CSV file in ``encoding``, or ``None``."""
    for magic, what in _MAGIC_NUMBERS:
        if data.startswith(magic):
            return "not a CSV text file: " + what.format(stem=path.stem), None
    wide = codecs.lookup(encoding).name.startswith(("utf-16", "utf-32"))
    if wide:
        if not data.startswith(_WIDE_BOMS) and b"\x00" not in data:
            return (f"not {encoding} text: it has neither a byte order mark nor zero bytes, so it "
                    "looks like utf-8 or cp1252 text; --encoding applies to every file, so save "
                    "all tables in one encoding"), None
        return None
    if data.startswith(_WIDE_BOMS) or _looks_utf16(data):
        return ("not a CSV text file: it looks like UTF-16 text (Excel's 'Unicode text'); "
                "pass --encoding utf-16"), None
    head = data[:65536]
    controls = sum(head.count(b) for b in _CONTROL_BYTES)
    if controls > max(8, len(head) // 100):
        return ("not a CSV text file: it holds binary data, such as an Excel workbook; "
                "save the sheet as CSV"), None
    zero = data.find(b"\x00")
    if zero >= 0:
        return ("a zero byte (NUL), which no text file holds; the file is damaged or holds "
                "binary data: export it again"), data[:zero].count(b"\n") + 1
    return None


def _looks_utf16(data: bytes) -> bool:
    # UTF-16 without a byte order mark: ASCII letters leave every other byte zero.
    head = data[:4096]
    half = len(head) // 2
    return half >= 4 and max(head[0::2].count(0), head[1::2].count(0)) > 0.3 * half


def empty_rule(expected: Sequence[str]) -> str:
    return f"empty; expected a header row with the columns {', '.join(expected)}"


def _encoding_name(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding


def first_line(err: Exception) -> str:
    lines = str(err).strip().splitlines()
    return lines[0] if lines else type(err).__name__

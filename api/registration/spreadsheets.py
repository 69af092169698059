"""Reading the spreadsheets organisers really have: CSV in any common encoding and
delimiter, or an Excel workbook, as a header and rows numbered as the organiser sees them.

CSV text is decoded by a cascade: a byte-order mark decides (UTF-8, UTF-16); otherwise
strict UTF-8; otherwise Windows-1252 (what Excel writes on Western European Windows), or
Windows-1250 (Central European Windows) when that reads letters where 1252 reads symbols
inside words; otherwise charset-normalizer's best guess. The delimiter is the one of
``, ; TAB |`` that splits the header into the most known column names (Excel writes
``;`` where the decimal separator is a comma, as in Belgium, France or Germany);
``csv.Sniffer`` settles ties; a first line ``sep=;`` (Excel's own hint) decides outright.
Header names are compared without case, surrounding spaces or the difference between a
space and an underscore, so "First name" is ``first_name``; ``columns`` maps every accepted
name (aliases such as "E-mail" too) to the column it stands for.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from charset_normalizer import from_bytes

from api.exceptions import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 100
DELIMITERS = (",", ";", "\t", "|")
XLSX_MAGIC = b"PK\x03\x04"
# Our exports put an apostrophe before text a spreadsheet would run as a formula.
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Sheet:
    """A table as the organiser sees it: ``line`` is the spreadsheet's row number."""

    header: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str | None = None
    delimiter: str | None = None


def _refuse(message: str) -> InvalidInput:
    return InvalidInput({"file": [message]}, "The file cannot be read; nothing was imported")


def column_key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with; raises InvalidInput for binary data."""
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "cp1252", "cp1250"]
    for encoding in candidates:
        try:
            text = raw.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            continue
        if encoding == "cp1252" and _looks_central_european(raw, text):
            return raw.decode("cp1250"), "cp1250"
        return text, encoding
    guess = from_bytes(raw).best()
    if guess is not None and guess.encoding and "\x00" not in str(guess):
        return str(guess), guess.encoding
    raise _refuse("Not a text file: save it as CSV (UTF-8 or Windows) or as an .xlsx workbook.")


# Windows-1250 letters (Polish, Czech, Slovak, Hungarian, Croatian...) read as
# Windows-1252 become symbols inside words: "Michał" -> "Micha³", "Śląsk" -> "Œl¹sk".
_MISREAD_1250 = re.compile(r"(?<=[^\W\d_])[\u00a1-\u00bf]|[\u00a2-\u00be](?=[^\W\d_])")


def _looks_central_european(raw: bytes, text: str) -> bool:
    """Whether Windows-1250 reads ``raw`` as words where Windows-1252 reads symbols."""
    try:
        other = raw.decode("cp1250")
    except UnicodeDecodeError:
        return False
    return len(_MISREAD_1250.findall(text)) > len(_MISREAD_1250.findall(other))


def _score(header_line: str, delimiter: str, columns: Mapping[str, str]) -> int:
    names = next(csv.reader([header_line], delimiter=delimiter), [])
    return sum(column_key(name) in columns for name in names)


def detect_delimiter(text: str, columns: Mapping[str, str]) -> str:
    header_line = text.split("\n", 1)[0]
    best = max(_score(header_line, d, columns) for d in DELIMITERS)
    tied = [d for d in DELIMITERS if _score(header_line, d, columns) == best]
    if len(tied) == 1:
        return tied[0]
    try:
        sniffed = csv.Sniffer().sniff(text[:8192], delimiters="".join(tied)).delimiter
    except csv.Error:
        return tied[0]
    return sniffed if sniffed in tied else tied[0]


def _rows(
    records: Iterable[tuple[int, list[str]]], columns: Mapping[str, str]
) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    iterator = iter(records)
    first = next(iterator, None)
    if first is None:
        raise _refuse("The file is empty.")
    header = [columns.get(column_key(name), column_key(name)) for name in first[1]]
    while header and not header[-1]:
        header.pop()  # spreadsheets often carry empty columns at the right
    if len(header) > MAX_COLUMNS:
        raise _refuse(f"At most {MAX_COLUMNS} columns.")
    if "" in header:
        raise _refuse(f"Column {header.index('') + 1} has no name.")
    twice = sorted({name for name in header if header.count(name) > 1})
    if twice:
        raise _refuse(f"Column(s) given twice: {', '.join(twice)}.")
    rows: list[tuple[int, dict[str, str]]] = []
    for line, values in iterator:
        values = [_unquote(v.strip()) for v in values]
        while len(values) > len(header) and not values[-1]:
            values.pop()
        if not any(values):
            continue  # blank lines between blocks of people
        if len(rows) >= MAX_ROWS:
            raise _refuse(f"At most {MAX_ROWS} rows per import.")
        row = dict(zip(header, values, strict=False))
        if len(values) > len(header):
            row["\x00extra"] = "1"
        rows.append((line, row))
    return header, rows


def _unquote(value: str) -> str:
    return value[1:] if value[:1] == "'" and value[1:2] in _FORMULA_START else value


def read_csv(raw: bytes, columns: Mapping[str, str]) -> Sheet:
    text, encoding = decode_text(raw)
    first, _, rest = text.partition("\n")
    hint = first.strip()
    if hint.lower().startswith("sep=") and len(hint) == 5:
        # Excel's own delimiter line; Excel hides it, so the header stays row 1.
        text, delimiter = rest, hint[4]
    else:
        delimiter = detect_delimiter(text, columns)
    # Rows are numbered as a spreadsheet shows them (header = 1), even when a quoted
    # cell spans several text lines.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header, rows = _rows(enumerate(reader, start=1), columns)
    except csv.Error as exc:
        raise _refuse(f"Not a readable CSV file: {exc}.") from exc
    return Sheet(header, rows, encoding, delimiter)


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0``, dates as ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != time(0) else str(value.date())
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def read_xlsx(raw: bytes, columns: Mapping[str, str]) -> Sheet:
    """The first sheet of a workbook; openpyxl parses it with defusedxml (a dependency),
    so entity tricks in an uploaded file are refused, not expanded."""
    from xml.etree.ElementTree import ParseError

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise _refuse("Not a readable .xlsx workbook.") from exc
    try:
        sheet = workbook.worksheets[0]
        records = (
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        header, rows = _rows(records, columns)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError) as exc:
        raise _refuse("Not a readable .xlsx workbook.") from exc
    finally:
        workbook.close()
    return Sheet(header, rows)


def read_sheet(raw: bytes, columns: Mapping[str, str], filename: str = "") -> Sheet:
    """CSV or XLSX (told by the file's first bytes, not its name)."""
    if len(raw) > MAX_BYTES:
        raise _refuse(f"At most {MAX_BYTES // (1024 * 1024)} MB per file.")
    if not raw.strip():
        raise _refuse("The file is empty.")
    if filename.lower().endswith((".xls", ".ods")):
        raise _refuse("Save the sheet as .xlsx or .csv first.")
    if raw.startswith(XLSX_MAGIC):
        return read_xlsx(raw, columns)
    return read_csv(raw, columns)

"""A spreadsheet kept by hand, saved as CSV: look at its first rows, say which column is what, read it into a plan.

    sheet = sniff_csv(path)                         # the header and the first rows; nothing is interpreted
    mapping = guess_mapping(sheet.header)           # proposed from the column names; a person may change it
    plan = read_spreadsheet(path, mapping, today=today)   # an ImportPlan; nothing is written

The file may be UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark (Excel's
"Unicode text"), or Windows-1252; its cells may be separated by commas, semicolons, tabs or bars
(the one that splits the first lines into the most consistent columns; an Excel `sep=;` first line is obeyed).

Each row is one forecast. Rows whose statements match (ignoring case and spacing) are one question
with several forecasts, oldest first; the question's deadline, criteria, outcome and resolved-on
date may sit on any of its rows (the first given wins), its tags on all of them (joined). Cells are
read with the ledger's own parsers: probabilities as the command line reads them ("70%", "0.7",
"70", "likely"), dates by `core.dates` (a deadline may also be "Q3 2026" or "in 18 months" from
the forecast's date). Two rules are per column rather than per cell, because a column has one
convention: a probability column holding any bare number above 1 is in percent throughout (so "0.5"
there is 0.5%); and numeric dates such as 03/04/2025, refused elsewhere as ambiguous, are read day
first or month first when some date in the sheet settles it (a day above 12), and refused otherwise.
In a sheet not separated by commas, a decimal comma ("0,7") is read as a decimal point.

A row with a bad cell in a chosen column is skipped, with a reason that names its row (as a
spreadsheet numbers it: the header is row 1) and the cell. Blank rows are passed over silently.

Ids come from what identifies a row in the sheet itself (the statement; the analyst, date and
probability of a forecast; the outcome and day of a resolution), never from the file name or the
row's position, so importing the same file twice adds nothing, and importing it again after rows
were added adds only those rows.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

from forecastapp.core.dates import parse_day, parse_deadline
from forecastapp.core.errors import DateError, ImportFormatError, ProbabilityError
from forecastapp.core.files import read_input
from forecastapp.core.formats.plan import (
    ImportPlan,
    PlanBuilder,
    PlannedForecast,
    PlannedResolution,
    clean_name,
    clean_text,
    iso_moment,
    read_moment,
    record_id,
    split_tags,
)
from forecastapp.core.probability import parse_probability

#: The plan's format name (what `import --format` calls it).
FORMAT = "csv"
#: The first field of every id this reader derives (fixed forever: changing it would re-import everything).
ID_FORMAT = "spreadsheet"
#: Who made a forecast when neither a column nor the mapping's default names anyone.
UNNAMED = "unnamed analyst"

#: The roles a column can play, in the order a person reads them.
ROLES = ("statement", "probability", "made_on", "resolve_by", "outcome", "resolved_on", "tags", "analyst", "criteria")
#: Roles without which no forecast can be read.
REQUIRED_ROLES = ("statement", "probability")
#: How each role is named to a person.
ROLE_LABELS = {
    "statement": "statement", "probability": "probability", "made_on": "forecast date", "resolve_by": "resolve-by date",
    "outcome": "outcome", "resolved_on": "resolved-on date", "tags": "tags", "analyst": "analyst",
    "criteria": "criteria",
}

DELIMITERS = ",;\t|"
_SNIFF_BYTES = 2 * 1024 * 1024
#: What `_delimiter` reads to choose the separator: at most this many lines and characters.
_SNIFF_LINES = 50
_SNIFF_CHARS = 64 * 1024
_READ_LIMIT = 10 * 1024 * 1024  # one cell; csv's own default (128 KiB) refuses long criteria


class SpreadsheetError(ImportFormatError):
    """A spreadsheet cannot be read at all (empty, not text, no header row, not CSV)."""


class MappingError(SpreadsheetError):
    """The chosen columns do not fit the sheet (a required role has none, a column is unknown or used twice)."""


@dataclass(frozen=True)
class SheetPreview:
    """The head of a spreadsheet: its column names and first rows, and how the file was read."""

    source: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # data rows padded or cut to the header's width; blank rows left out
    delimiter: str
    encoding: str
    #: Each shown row's number as a spreadsheet program counts it (the header is row 1), the
    #: numbering the skip reasons use.
    row_numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class ColumnMapping:
    """Which column plays which role (None: no column), plus the defaults used when a column is missing."""

    statement: str | None = None
    probability: str | None = None
    made_on: str | None = None
    resolve_by: str | None = None
    outcome: str | None = None
    resolved_on: str | None = None
    tags: str | None = None
    analyst: str | None = None
    criteria: str | None = None
    #: Who made the forecasts when there is no analyst column (or its cell is empty).
    default_analyst: str = ""
    #: What separates the tags within one cell.
    tag_separator: str = ","

    def column(self, role: str) -> str | None:
        """The column chosen for `role`, or None."""
        if role not in ROLES:
            raise MappingError(f"'{role}' is not a column role; roles are {', '.join(ROLES)}")
        return getattr(self, role)

    def columns(self) -> dict[str, str]:
        """Role -> column, for the roles that have one."""
        return {role: getattr(self, role) for role in ROLES if getattr(self, role)}

    def with_column(self, role: str, column: str | None) -> ColumnMapping:
        """A copy with `role` read from `column` (None: from no column)."""
        self.column(role)  # refuses an unknown role
        return replace(self, **{role: column or None})

    def problems(self, header: Sequence[str]) -> dict[str, str]:
        """Role -> what is wrong with its choice (empty when the mapping can read the sheet)."""
        out: dict[str, str] = {}
        for role in REQUIRED_ROLES:
            if not getattr(self, role):
                out[role] = f"choose the column that holds the {ROLE_LABELS[role]}"
        used: dict[str, str] = {}
        for role, column in self.columns().items():
            if column not in header:
                out[role] = f"there is no column '{column}' (the columns are {_names(header)})"
            elif column in used:
                out[role] = f"column '{column}' is already the {ROLE_LABELS[used[column]]}; choose another"
            else:
                used[column] = role
        if self.tags and not self.tag_separator:
            out.setdefault("tags", "give the character that separates tags, e.g. a comma")
        return out

    def check(self, header: Sequence[str]) -> None:
        """Raise MappingError with the first problem, if any."""
        problems = self.problems(header)
        for role in ROLES:
            if role in problems:
                raise MappingError(f"{ROLE_LABELS[role]}: {problems[role]}")


def _names(header: Sequence[str]) -> str:
    shown = ", ".join(f"'{h}'" for h in header[:12])
    return shown + (", ..." if len(header) > 12 else "")


# ---------------------------------------------------------------- guessing columns from their names

# Names a hand-kept sheet gives each role, as `_normal` writes them. An exact match beats a name
# that only contains one of these words, and a longer phrase beats a shorter one, so "Resolution
# criteria" is criteria (not outcome) and "Forecast date" is the date (not the probability).
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "statement": ("statement", "question", "question title", "title", "forecast question", "prediction", "claim",
                  "event", "proposition"),
    "probability": ("probability", "p", "prob", "p yes", "probability yes", "confidence", "forecast", "chance",
                    "likelihood", "credence", "estimate", "percent", "odds"),
    "made_on": ("date", "made", "made on", "date made", "created", "created at", "created on", "forecast date",
                "date of forecast", "forecasted on", "predicted on", "prediction date", "when", "timestamp"),
    "resolve_by": ("deadline", "resolve by", "resolves by", "resolve by date", "due", "due date", "due by", "by",
                   "close date", "closes", "closing date", "end date", "target date", "expiry", "expires",
                   "horizon"),
    "outcome": ("outcome", "result", "resolution", "resolved", "answer", "happened", "came true", "correct",
                "truth"),
    "resolved_on": ("resolved on", "resolved at", "resolved date", "date resolved", "resolution date", "closed on",
                    "outcome date", "result date", "resolved when", "date of resolution"),
    "tags": ("tags", "tag", "category", "categories", "topic", "topics", "labels", "label", "area"),
    "analyst": ("analyst", "forecaster", "who", "author", "name", "person", "predictor", "user", "by whom",
                "made by", "forecast by", "owner"),
    "criteria": ("criteria", "resolution criteria", "notes", "note", "details", "description", "comments",
                 "comment", "how to resolve", "fine print"),
}
# Single letters and very short words only match a whole column name: "p" must not match "topic".
_EXACT_ONLY = frozenset({"p", "by", "who", "when", "due", "odds"})


def _normal(name: str) -> str:
    """A column name folded for matching: lower case, letters and digits only, single spaces."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", name.casefold().replace("?", " ")).split())


# Every synonym -> the (role rank, role) it names; a column name is looked up by its word runs, so guessing
# is linear in the header (a loop over every synonym for each column took 34 s for a million columns).
_PHRASES: dict[str, list[tuple[int, str]]] = {}
for _rank, _role in enumerate(ROLES):
    for _synonym in _SYNONYMS[_role]:
        _PHRASES.setdefault(_synonym, []).append((_rank, _role))
_LONGEST = max(len(p.split()) for p in _PHRASES)


def guess_mapping(header: Sequence[str], *, default_analyst: str = "", tag_separator: str = ",") -> ColumnMapping:
    """Propose a column for each role from the column names; roles nothing matches stay None."""
    candidates: list[tuple[tuple[int, int, int], str, str]] = []
    for position, name in enumerate(header):
        folded = _normal(name)
        if not folded:
            continue
        words = folded.split()
        found: dict[tuple[int, str], tuple[int, int]] = {}
        for hit in _PHRASES.get(folded, ()):
            found[hit] = (2, len(folded))
        for size in range(1, min(_LONGEST, len(words)) + 1):
            for start in range(len(words) - size + 1):
                phrase = " ".join(words[start:start + size])
                if phrase in _EXACT_ONLY:
                    continue
                for hit in _PHRASES.get(phrase, ()):
                    found[hit] = max(found.get(hit, (0, 0)), (1, len(phrase)))
        for (role_rank, role), score in found.items():
            # Ties go to the earlier column, then to the role listed first.
            candidates.append(((score[0], score[1], -position * 100 - role_rank), role, name))
    chosen: dict[str, str] = {}
    taken: set[str] = set()
    for _score, role, name in sorted(candidates, key=lambda c: c[0], reverse=True):
        if role in chosen or name in taken:
            continue
        chosen[role] = name
        taken.add(name)
    return ColumnMapping(**chosen, default_analyst=default_analyst, tag_separator=tag_separator)


def find_column(header: Sequence[str], name: str) -> str:
    """The header's column called `name` (exactly, else ignoring case and spacing); MappingError if none."""
    if name in header:
        return name
    wanted = " ".join(name.split()).casefold()
    hits = [h for h in header if " ".join(h.split()).casefold() == wanted]
    if len(hits) == 1:
        return hits[0]
    raise MappingError(f"there is no column '{name}' (the columns are {_names(header)})")


# ---------------------------------------------------------------- reading the file


def _read_bytes(path: Path, limit: int | None = None) -> bytes:
    if path.is_dir():
        raise SpreadsheetError(f"'{path.name}' is a folder; choose the spreadsheet's .csv file")
    if limit is not None and path.is_file():
        try:
            with path.open("rb") as fh:
                return fh.read(limit)  # the head of a regular file, for a preview
        except OSError as exc:
            raise SpreadsheetError(f"cannot read '{path}': {exc.strerror or exc}") from None
    # The whole file, at most MAX_INPUT_BYTES; a pipe or a device read as it arrives, never waited on forever.
    data = read_input(path)
    return data if limit is None else data[:limit]


def _decode(data: bytes, name: str, *, complete: bool = True) -> tuple[str, str]:
    """(text, encoding) of a spreadsheet's bytes; `complete=False` for a head cut at any byte."""
    final = complete
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return codecs.getincrementaldecoder(encoding)().decode(data, final=final), encoding
            except UnicodeDecodeError:
                raise SpreadsheetError(f"'{name}' starts with a {encoding.upper()} byte-order mark but is not "
                                       f"{encoding.upper()} text; save the sheet again as CSV (UTF-8)") from None
    if b"\x00" in data:
        raise SpreadsheetError(f"'{name}' is not a text file (it holds NUL bytes); save the sheet as CSV (UTF-8)")
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(data, final=final), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        # Windows-1252 leaves five bytes undefined; Python refuses them, which is what we want.
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise SpreadsheetError(f"'{name}' is neither UTF-8 nor Windows-1252 text; save the sheet as CSV (UTF-8)"
                               ) from None


_SEP_LINE = re.compile(r"\s*sep=(.)\s*", re.IGNORECASE)


def _split_sep_line(text: str) -> tuple[str | None, str]:
    """Excel's optional first line `sep=;`: (the delimiter it names, the text after it)."""
    first, newline, rest = text.partition("\n")
    found = _SEP_LINE.fullmatch(first.rstrip("\r"))
    if found is None:
        return None, text
    return found[1], rest


def _delimiter(text: str) -> str:
    """The sheet's cell separator: of the four, the one that splits the header into columns the first rows agree with.

    Each separator reads the same bounded sample (the first `_SNIFF_LINES` lines, at most `_SNIFF_CHARS`
    characters) as CSV; the one whose header has two or more columns and the most rows of the header's width
    wins, then the one with more columns, then the earlier in `DELIMITERS` (comma first). Linear in the sample:
    csv.Sniffer, used before, took 33 s on 90 KB of `'a,` and ran past 300 s on a 600 KB `{"a":` file.
    """
    sample = text[:_SNIFF_CHARS]
    lines = [line for line in sample.splitlines() if line.strip()][:_SNIFF_LINES]
    if not lines:
        return ","
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = list(itertools.islice(csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter),
                                         _SNIFF_LINES))
        except csv.Error:
            continue
        width = len(rows[0]) if rows else 0
        if width < 2:
            continue
        score = (sum(1 for row in rows if len(row) == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass
class _Table:
    source: str
    encoding: str
    delimiter: str
    header: tuple[str, ...]
    header_row: int  # the header's row number as a spreadsheet shows it
    records: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells) after the header


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header(cells: list[str]) -> tuple[str, ...]:
    """Column names: trimmed, an empty one named by its letter, a repeated one numbered."""
    names = [c.strip() for c in cells]
    while names and not names[-1]:
        names.pop()  # a trailing separator leaves an empty last name, not a column anyone kept
    out: list[str] = []
    # A set and a counter per repeated name keep this linear: a header of a million equal names took
    # quadratic time with `name in out` on the list and numbering from 2 each time.
    seen: set[str] = set()
    numbered: dict[str, int] = {}
    for i, name in enumerate(names):
        name = " ".join(name.split()) or f"column {_column_letter(i)}"
        if name in seen:
            base, n = name, numbered.get(name, 1)
            while name in seen:
                n += 1
                name = f"{base} ({n})"
            numbered[base] = n
        seen.add(name)
        out.append(name)
    return tuple(out)


def _table(path: Path, *, limit: int | None = None, max_rows: int | None = None) -> _Table:
    """Decode and split a sheet into its header and records (the first `max_rows` only, if given)."""
    name = path.name
    data = _read_bytes(path, limit)
    cut = limit is not None and len(data) == limit
    text, encoding = _decode(data, name, complete=not cut)
    if cut:
        text = text[: text.rfind("\n") + 1] or text  # the last line may be cut mid-way
    named, text = _split_sep_line(text)
    if not text.strip():
        raise SpreadsheetError(f"'{name}' is empty; there is nothing to import")
    delimiter = named if named is not None else _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: tuple[str, ...] | None = None
    table: _Table | None = None
    previous = csv.field_size_limit(_READ_LIMIT)
    row = 0
    try:
        for cells in reader:
            row += 1
            if header is None:
                if not any(c.strip() for c in cells):
                    continue
                header = _header(cells)
                if not any(re.search(r"[^\W\d_]", h) for h in header if not h.startswith("column ")):
                    shown = delimiter.join(c.strip() for c in cells)[:60]
                    raise SpreadsheetError(
                        f"'{name}' has no header row: its first line ('{shown}') names no columns; add a first "
                        "line naming them, e.g. statement,probability,date"
                    )
                table = _Table(name, encoding, delimiter, header, row)
                continue
            table.records.append((row, cells))
            if max_rows is not None and len(table.records) >= max_rows:
                break
    except csv.Error as exc:
        raise SpreadsheetError(f"'{name}' is not readable CSV (row {row + 1}: {exc})") from None
    finally:
        csv.field_size_limit(previous)
    if table is None:
        raise SpreadsheetError(f"'{name}' is empty; there is nothing to import")
    return table


def sniff_csv(path: Path, rows: int = 20) -> SheetPreview:
    """The header and first `rows` data rows of a spreadsheet, for a person to map its columns."""
    path = Path(path)
    # Blank rows are not shown, so read a few more records than asked for.
    table = _table(path, limit=_SNIFF_BYTES, max_rows=rows * 4 + 20)
    width = len(table.header)
    shown: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for row, cells in table.records:
        if not any(c.strip() for c in cells):
            continue
        shown.append(tuple((cells[i] if i < len(cells) else "") for i in range(width)))
        numbers.append(row)
        if len(shown) >= rows:
            break
    return SheetPreview(source=table.source, header=table.header, rows=tuple(shown), delimiter=table.delimiter,
                        encoding=table.encoding, row_numbers=tuple(numbers))


# ---------------------------------------------------------------- reading cells


class _BadCell(Exception):
    """A cell that stops its row from being imported; the message is the skip reason."""


_BARE_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]*)?|\.[0-9]+")
_DECIMAL_COMMA = re.compile(r"[0-9]*,[0-9]+\s*%?")
_CERTAIN_PERCENT = re.compile(r"(?P<n>100(?:\.0*)?|0(?:\.0*)?)\s*(?:%|percent|per\s+cent|pct)", re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(?P<a>[0-9]{1,2})\s*[/.\-]\s*(?P<b>[0-9]{1,2})\s*[/.\-]\s*(?P<y>[0-9]{4})")

_YES = frozenset({"yes", "y", "true", "t", "1", "happened", "correct"})
_NO = frozenset({"no", "n", "false", "f", "0", "did not happen", "incorrect"})
_ANNULLED = frozenset({"annulled", "annul", "annuled", "ambiguous", "void", "voided", "cancelled", "canceled"})
_OPEN = frozenset({"", "open", "pending", "unresolved", "tbd", "-", "?"})


def _decimal_point(text: str, delimiter: str) -> str:
    """'0,7' as '0.7' in a sheet whose cells are not separated by commas (where the comma is a decimal mark)."""
    if delimiter != "," and _DECIMAL_COMMA.fullmatch(text):
        return text.replace(",", ".")
    return text


def _percent_scale(values: list[str], delimiter: str) -> bool:
    """Whether a probability column is in percent: some bare number in it is above 1."""
    for raw in values:
        text = _decimal_point(raw.strip(), delimiter)
        if _BARE_NUMBER.fullmatch(text):
            try:
                if Decimal(text) > 1:
                    return True
            except InvalidOperation:  # pragma: no cover - the pattern lets only plain decimals through
                continue
    return False


def _probability(raw: str, *, percent: bool, delimiter: str) -> float:
    """A probability cell as P(yes) in 0..1 (0 and 1 are returned as they are, for the builder to clamp)."""
    text = _decimal_point(raw.strip(), delimiter)
    if _BARE_NUMBER.fullmatch(text):
        number = Decimal(text) / 100 if percent else Decimal(text)
        if number in (0, 1):
            return float(number)  # certainty, kept at the scoring range's edge like a tracker's
        if percent:
            text += "%"
    try:
        return parse_probability(text).value
    except ProbabilityError:
        certain = _CERTAIN_PERCENT.fullmatch(text)
        if certain is not None:
            return 0.0 if Decimal(certain["n"]) == 0 else 1.0
        raise


def _numeric_order(values: list[str]) -> str | None:
    """'dmy' or 'mdy' if the sheet's numeric dates settle their order (some day above 12), else None."""
    day_first = month_first = False
    for raw in values:
        found = _NUMERIC_DATE.fullmatch(raw.strip())
        if found is None:
            continue
        a, b = int(found["a"]), int(found["b"])
        day_first |= a > 12 >= b
        month_first |= b > 12 >= a
    if day_first == month_first:
        return None  # nothing settles it, or the sheet contradicts itself
    return "dmy" if day_first else "mdy"


def _iso_if_numeric(text: str, order: str | None) -> str:
    """A numeric date in the sheet's settled order, rewritten as ISO (other text is left as it is)."""
    found = _NUMERIC_DATE.fullmatch(text)
    if found is None or order is None:
        return text
    a, b = int(found["a"]), int(found["b"])
    day, month = (a, b) if order == "dmy" else (b, a)
    return f"{int(found['y']):04d}-{month:02d}-{day:02d}"


def _day(raw: str, *, order: str | None, today: date) -> date:
    text = _iso_if_numeric(raw.strip(), order)
    try:
        return parse_day(text, today=today)
    except DateError as exc:
        try:
            # Spreadsheets often write a time too ("2024-03-05 09:07:00"); the day is what counts.
            return read_moment(text).date()
        except ValueError:
            raise exc from None


def _deadline(raw: str, *, order: str | None, made_on: date) -> date:
    text = _iso_if_numeric(raw.strip(), order)
    try:
        return parse_deadline(text, made_on=made_on).end
    except DateError as exc:
        try:
            return read_moment(text).date()
        except ValueError:
            raise exc from None


def _outcome(raw: str) -> str | None:
    """'yes', 'no', 'annulled', or None for an open question; ValueError for anything else."""
    word = " ".join(raw.strip().casefold().rstrip(".!").split())
    if word in _OPEN:
        return None
    for outcome, words in (("yes", _YES), ("no", _NO), ("annulled", _ANNULLED)):
        if word in words:
            return outcome
    raise ValueError("is not an outcome; write yes, no or annulled (empty: still open)")


def _quoted(text: str, width: int = 30) -> str:
    flat = " ".join(text.split())
    return f"'{flat}'" if len(flat) <= width else f"'{flat[: width - 3]}...'"


# ---------------------------------------------------------------- building the plan


@dataclass
class _Question:
    """What the rows say about one question so far."""

    qid: str
    statement: str
    forecasts: list[tuple[str, PlannedForecast]] = field(default_factory=list)
    resolve_by: date | None = None
    criteria: str = ""
    tags: list[str] = field(default_factory=list)
    outcome: tuple[str, int, str, str] | None = None  # (outcome, row, analyst, cell as written)
    resolved_on: date | None = None


def _midnight(day: date) -> str:
    return iso_moment(datetime.combine(day, time(0), tzinfo=timezone.utc))


def read_spreadsheet(
    path: Path, mapping: ColumnMapping, *, today: date, progress: Callable[[int, int], None] | None = None
) -> ImportPlan:
    """Read a hand-kept spreadsheet into an import plan with `mapping` (nothing is written)."""
    path = Path(path)
    table = _table(path)
    mapping.check(table.header)
    return _plan(table, mapping, today=today, progress=progress)


def _plan(table: _Table, mapping: ColumnMapping, *, today: date,
          progress: Callable[[int, int], None] | None) -> ImportPlan:
    index = {role: table.header.index(column) for role, column in mapping.columns().items()}

    def column_values(role: str) -> list[str]:
        i = index.get(role)
        return [] if i is None else [cells[i] for _row, cells in table.records if i < len(cells)]

    percent = _percent_scale(column_values("probability"), table.delimiter)
    order = _numeric_order([v for role in ("made_on", "resolve_by", "resolved_on") for v in column_values(role)])
    b = PlanBuilder(format=FORMAT, source=table.source, today=today)
    questions: dict[str, _Question] = {}
    seen: Counter[tuple] = Counter()
    if "made_on" not in index:
        b.note(f"no forecast-date column was chosen: every forecast is dated today ({today.isoformat()})")
    total = len(table.records)
    for done, (row, cells) in enumerate(table.records, 1):
        if progress is not None and done % 2000 == 0:
            progress(done, total)
        if not any(c.strip() for c in cells):
            continue
        try:
            _read_row(b, questions, seen, row, cells, index, mapping, percent=percent, order=order,
                      delimiter=table.delimiter, today=today)
        except _BadCell as exc:
            b.skip(f"row {row}", str(exc))
    if progress is not None:
        progress(total, total)
    _finish(b, questions, mapping)
    return b.build()


def _read_row(b: PlanBuilder, questions: dict[str, _Question], seen: Counter, row: int, cells: list[str],
              index: dict[str, int], mapping: ColumnMapping, *, percent: bool, order: str | None, delimiter: str,
              today: date) -> None:
    """Add one row (one forecast, perhaps with question fields) to `questions`, or raise _BadCell."""
    width = len(cells)

    def cell(role: str) -> str:
        i = index.get(role)
        return cells[i].strip() if i is not None and i < width else ""

    def bad(role: str, problem: str) -> _BadCell:
        return _BadCell(f"row {row}, column '{mapping.column(role)}': {problem}")

    def quoted_bad(role: str, problem: str) -> _BadCell:
        return bad(role, f"{_quoted(cell(role))} {problem}")

    raw_statement = cell("statement")
    if not raw_statement:
        raise bad("statement", "no statement; the row has no question to forecast")
    try:
        statement = clean_text(raw_statement, "statement", required=True)
    except ValueError as exc:
        raise bad("statement", str(exc)) from None

    if not cell("probability"):
        raise bad("probability", "no probability")
    try:
        p = _probability(cell("probability"), percent=percent, delimiter=delimiter)
    except ProbabilityError as exc:
        raise bad("probability", str(exc)) from None

    if "made_on" in index:
        if not cell("made_on"):
            raise bad("made_on", "no date; say when the forecast was made")
        try:
            made_on = _day(cell("made_on"), order=order, today=today)
        except DateError as exc:
            raise bad("made_on", str(exc)) from None
        if made_on > today:
            raise quoted_bad("made_on", "is in the future; a forecast is dated when it was made")
        made_key = made_on.isoformat()
    else:
        made_on, made_key = today, ""  # the id leaves the import day out, so a later import matches

    resolve_by = None
    if cell("resolve_by"):
        try:
            resolve_by = _deadline(cell("resolve_by"), order=order, made_on=made_on)
        except DateError as exc:
            raise bad("resolve_by", str(exc)) from None

    outcome = None
    if cell("outcome"):
        try:
            outcome = _outcome(cell("outcome"))
        except ValueError as exc:
            raise quoted_bad("outcome", str(exc)) from None

    resolved_on = None
    if outcome is None and cell("resolved_on"):
        b.note("resolved-on dates on rows without an outcome were left out")
    if outcome is not None and cell("resolved_on"):
        try:
            resolved_on = _day(cell("resolved_on"), order=order, today=today)
        except DateError as exc:
            raise bad("resolved_on", str(exc)) from None
        if resolved_on > today:
            raise quoted_bad("resolved_on", "is in the future; leave the outcome empty until it is known")

    try:
        criteria = clean_text(cell("criteria"), "criteria")
    except ValueError as exc:
        raise bad("criteria", str(exc)) from None

    name = clean_name(cell("analyst"), clean_name(mapping.default_analyst, UNNAMED))
    if name == UNNAMED:
        b.note(f"forecasts without an analyst are recorded as '{UNNAMED}'")
    tags = split_tags(cell("tags"), mapping.tag_separator or ",", b) if cell("tags") else ()

    key = " ".join(statement.split()).casefold()
    qid = record_id(ID_FORMAT, "question", key)
    q = questions.get(qid)
    if q is None:
        q = questions[qid] = _Question(qid, statement)
    if q.resolve_by is None:
        q.resolve_by = resolve_by
    if not q.criteria:
        q.criteria = criteria
    q.tags.extend(t for t in tags if t not in q.tags)
    if outcome is not None:
        if q.outcome is None:
            q.outcome = (outcome, row, name, cell("outcome"))
            q.resolved_on = resolved_on
        else:
            if outcome != q.outcome[0]:
                b.note(f"row {row}: outcome {_quoted(cell('outcome'))} differs from {_quoted(q.outcome[3])} on row "
                       f"{q.outcome[1]} for the same statement; the first was kept")
            if q.resolved_on is None:
                q.resolved_on = resolved_on

    p_final = b.probability(p)
    fkey = (qid, name.casefold(), made_key, repr(p_final))
    seen[fkey] += 1
    q.forecasts.append((f"row {row}", PlannedForecast(
        id=record_id(ID_FORMAT, "forecast", *fkey, seen[fkey]), analyst=name, probability=p_final, made_on=made_on,
        recorded_at=_midnight(made_on),
    )))


def _finish(b: PlanBuilder, questions: dict[str, _Question], mapping: ColumnMapping) -> None:
    """Hand each question, with its resolution, to the builder (which orders forecasts and drops hindsight)."""
    undated = 0
    for q in questions.values():
        first = min(f.made_on for _w, f in q.forecasts)
        entry = b.question(q.qid, statement=q.statement, recorded_at=_midnight(first), criteria=q.criteria,
                           resolve_by=q.resolve_by, tags=tuple(q.tags))
        entry["forecasts"] = list(q.forecasts)
        if q.outcome is None:
            continue
        outcome, row, analyst, _written = q.outcome
        day = q.resolved_on
        if day is None:
            # Never the import day: a resolution's id holds its day, so a date that moved with the
            # clock would make the same file conflict with itself when imported again.
            undated += 1
            last = max(f.made_on for _w, f in q.forecasts)
            day = q.resolve_by if q.resolve_by is not None and q.resolve_by <= b.today else last
            day = max(day, first)
        where = f"{b.source} row {row}"
        entry["resolution"] = PlannedResolution(
            id=record_id(ID_FORMAT, "resolution", q.qid, outcome, day.isoformat()), outcome=outcome, resolved_on=day,
            recorded_at=_midnight(day), recorded_by=analyst, evidence=f"outcome recorded in {where}",
        )
    if undated:
        resolved = "resolution had" if undated == 1 else "resolutions had"
        dated = "was" if undated == 1 else "were"
        b.note(f"{undated} {resolved} no resolved-on date and {dated} dated on the question's resolve-by date, "
               "or on its last forecast's date when that date had not passed"
               + ("" if mapping.resolved_on else " (choose a resolved-on column to give the real day)"))


def role_of(name: str) -> str:
    """A role as typed on the command line ('made-on', 'resolve_by', 'Made on') in its canonical form."""
    role = "_".join(name.strip().casefold().replace("-", " ").split())
    if role not in ROLES:
        raise MappingError(f"'{name}' is not a column role; roles are {', '.join(ROLES)}")
    return role


__all__ = [
    "ColumnMapping", "MappingError", "REQUIRED_ROLES", "ROLES", "ROLE_LABELS", "SheetPreview", "SpreadsheetError",
    "find_column", "guess_mapping", "read_spreadsheet", "role_of", "sniff_csv",
]

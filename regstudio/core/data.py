"""Reading CSV files into tables and choosing the columns of a data set.

Policy for missing cells (documented in the README): a cell that is empty or spells a missing value
(``NA``, ``NaN``, ``null``, ``None``, ``N/A``, ``?`` in any case) drops its whole row from the data set,
and the number of dropped rows is reported in ``Dataset.dropped``; an infinite number or text in a
numeric column is an error naming the row and column.  Only the columns a data set uses count.
"""

from __future__ import annotations

import csv
from importlib import resources
import io
import os
from dataclasses import dataclass, field

import numpy as np

from .atomic import read_file
from .csvtext import decode_csv_bytes, sniff_delimiter
from .errors import DataError
from .messages import translate

MISSING_TOKENS = frozenset({"", "na", "nan", "null", "none", "n/a", "?"})


def _is_blank_row(fields: list[str], delimiter: str) -> bool:
    """A line of nothing but white space: skipped.  (``,,`` is a row of missing cells, not blank.)"""
    return not delimiter.join(fields).strip()


def _is_missing(cell: str) -> bool:
    return cell.strip().lower() in MISSING_TOKENS


UTF8 = "UTF-8"  # as csvtext.decode_csv_bytes names it


@dataclass(frozen=True)
class Table:
    """A CSV file as read: the header and one tuple of raw strings per column."""

    path: str
    header: tuple[str, ...]
    columns: dict[str, tuple[str, ...]] = field(repr=False)
    delimiter: str = ","
    encoding: str = UTF8

    @property
    def encoding_note(self) -> str:
        """A line saying how the file was read when it was not UTF-8, else empty."""
        if self.encoding == UTF8:
            return ""
        return translate("Data", "{file}: read as {encoding} text (not UTF-8)").format(
            file=self.path, encoding=self.encoding)

    def __len__(self) -> int:
        return len(self.columns[self.header[0]]) if self.header else 0

    def __repr__(self) -> str:
        return f"Table({os.path.basename(self.path)!r}, rows={len(self)}, columns={list(self.header)})"

    def column(self, name: str) -> tuple[str, ...]:
        try:
            return self.columns[name]
        except KeyError:
            known = ", ".join(repr(h) for h in self.header)
            raise DataError(translate("Data", "{file}: no column {name!r} (columns are {known})").format(
                file=self.path, name=name, known=known)) from None

    def where(self, row: int) -> str:
        """Name data row ``row`` (0-based) for a message: its 1-based row and its line in the file."""
        return translate("Data", "row {row} (line {line})").format(
            row=row + 1, line=_line_of_row(self.path, self.delimiter, row))

    def dataset(self, y: str, x: list[str] | None = None, group: str | None = None,
                task: str = "regression") -> "Dataset":
        """Choose inputs ``x`` (default: every column but ``y`` and ``group``), target and group.

        ``task`` is ``"regression"`` (numeric target) or ``"classification"`` (labels kept as text).
        """
        self.column(y)
        if group is not None:
            self.column(group)
            if group == y:
                raise DataError(translate("Data", "{file}: column {name!r} cannot be both the target and the group")
                                .format(file=self.path, name=y))
        if x is None:
            x = [h for h in self.header if h not in (y, group)]
        if not x:
            raise DataError(translate("Data", "{file}: no input columns left besides the target {name!r}").format(
                file=self.path, name=y))
        for name in x:
            self.column(name)
            if name in (y, group):
                raise DataError(translate(
                    "Data", "{file}: column {name!r} cannot be both an input and the target or group").format(
                        file=self.path, name=name))
        if len(set(x)) != len(x):
            raise DataError(translate("Data", "{file}: an input column is named twice").format(file=self.path))

        keep = np.ones(len(self), dtype=bool)
        inputs = []
        for name in x:
            values, missing = self.numeric_column(name)
            inputs.append(values)
            keep &= ~missing
        if task == "regression":
            target, missing = self.numeric_column(y)
        else:
            target, missing = self.label_column(y)
        keep &= ~missing
        groups = None
        if group is not None:
            groups, missing = self.label_column(group)
            keep &= ~missing

        X = np.column_stack(inputs)[keep] if inputs else np.empty((int(keep.sum()), 0))
        if X.shape[0] == 0:
            raise DataError(translate("Data", "{file}: no complete rows in columns {columns}").format(
                file=self.path, columns=", ".join(repr(c) for c in [*x, y])))
        return Dataset(
            X=np.ascontiguousarray(X),
            y=target[keep],
            groups=None if groups is None else groups[keep],
            x_names=tuple(x), y_name=y, group_name=group,
            dropped=int(len(self) - keep.sum()), source=self.path,
        )

    def numeric_column(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """Parse a column as float64; return the values and a mask of missing cells."""
        raw = self.column(name)
        try:
            values = np.array(raw, dtype=np.float64)
            missing = np.isnan(values)
        except ValueError:
            values = np.empty(len(raw))
            missing = np.zeros(len(raw), dtype=bool)
            for i, cell in enumerate(raw):
                if _is_missing(cell):
                    missing[i] = True
                    values[i] = np.nan
                    continue
                try:
                    values[i] = float(cell)
                except ValueError:
                    raise DataError(translate("Data", "{file}: {where}, column {name!r}: {cell!r} is not a number")
                                    .format(file=self.path, where=self.where(i), name=name, cell=_clip(cell))) from None
        bad = np.isinf(values)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(translate("Data", "{file}: {where}, column {name!r}: {cell!r} is not finite").format(
                file=self.path, where=self.where(i), name=name, cell=_clip(raw[i])))
        return values, missing

    def label_column(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """A column as text labels; return them and a mask of missing cells."""
        raw = np.array(self.column(name), dtype=str)
        missing = np.fromiter((_is_missing(c) for c in raw), dtype=bool, count=len(raw))
        return raw, missing


@dataclass(frozen=True)
class Dataset:
    """Inputs, target and optional group labels of a data set, all rows complete.

    ``X`` is (N, d) float64; ``y`` is (N,) float64 for regression or (N,) str labels for
    classification; ``groups`` is (N,) str or None.
    """

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray | None
    x_names: tuple[str, ...]
    y_name: str
    group_name: str | None = None
    dropped: int = 0
    source: str = ""

    def __len__(self) -> int:
        return self.X.shape[0]

    def __repr__(self) -> str:
        group = f", group={self.group_name!r}" if self.group_name else ""
        return f"Dataset(N={len(self)}, x={list(self.x_names)}, y={self.y_name!r}{group}, dropped={self.dropped})"

    def subset(self, rows: np.ndarray) -> "Dataset":
        return Dataset(self.X[rows], self.y[rows], None if self.groups is None else self.groups[rows],
                       self.x_names, self.y_name, self.group_name, 0, self.source)


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _decode(path: str) -> str:
    return decode_text(path)[0]


def decode_text(path: str) -> tuple[str, str]:
    """The file's text and the encoding it was read in (see :func:`csvtext.decode_csv_bytes`)."""
    data = read_file(path, DataError)
    try:
        return decode_csv_bytes(data)
    except UnicodeDecodeError as exc:
        if exc.encoding == "utf-16":
            message = translate("Data", "{file}: not UTF-16 text after its byte-order mark "
                                        "(bad bytes at offset {offset})")
        else:
            message = translate("Data", "{file}: not UTF-8, UTF-16, GB18030 or Windows-1252 text "
                                        "(bad byte at offset {offset})")
        raise DataError(message.format(file=path, offset=exc.start)) from None
    except ValueError:
        raise DataError(translate("Data", "{file}: not a text CSV file (it contains binary data)").format(
            file=path)) from None


def _reader(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def _is_simple(text: str) -> bool:
    """Whether the fast path may read ``text``: no quotes and no carriage return outside CRLF."""
    return '"' not in text and text.count("\r") == text.count("\r\n")


def _line_of_row(path: str, delimiter: str, row: int) -> int:
    """1-based file line where data row ``row`` (0-based, blank lines skipped) ends."""
    text = _decode(path)
    if _is_simple(text):
        # Counted as the fast path split it: the csv module would stop at a cell over its field
        # limit, which the fast path accepts.
        seen = -1
        for line_number, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                if seen == row:
                    return line_number
                seen += 1
        return line_number
    reader = _reader(text, delimiter)
    seen = -1
    try:
        for fields in reader:
            if _is_blank_row(fields, delimiter):
                continue
            if seen == row:
                return reader.line_num
            seen += 1
    except csv.Error as exc:
        raise _csv_error(path, text, delimiter, exc) from None
    return reader.line_num


def _csv_error(path: str, text: str, delimiter: str, exc: csv.Error) -> DataError:
    """The csv module's ``exc`` as a one-line error naming the line where the failing row starts.

    That line is found by parsing again row by row, which only this error path pays for.  A cell over
    the csv module's field limit usually means a quote left open swallowed the rest of the file, so the
    limit (process-wide, so left as it is) is reported rather than raised.
    """
    reader = _reader(text, delimiter)
    start = 1
    try:
        for _ in reader:
            start = reader.line_num + 1
    except csv.Error:
        pass
    if "field larger than field limit" in str(exc):
        return DataError(translate("Data", "{file}: line {line}: a cell is longer than {limit:,} characters "
                                           "(is a closing quote missing?)").format(
            file=path, line=start, limit=csv.field_size_limit()))
    return DataError(translate("Data", "{file}: line {line}: malformed CSV ({reason})").format(
        file=path, line=start, reason=exc))


def _columns_by_csv_module(path: str, text: str, delimiter: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """Header and raw columns, parsed by the csv module (quotes, embedded line breaks)."""
    try:
        rows = [r for r in _reader(text, delimiter) if not _is_blank_row(r, delimiter)]
    except csv.Error as exc:
        raise _csv_error(path, text, delimiter, exc) from None
    if not rows:
        raise DataError(translate("Data", "{file}: the file is empty").format(file=path))
    header, body = tuple(rows[0]), rows[1:]
    for i, r in enumerate(body):
        if len(r) != len(header):
            _raise_ragged(path, delimiter, i, len(r), len(header))
    return header, list(zip(*body)) if body else [() for _ in header]


def _columns_by_splitting(path: str, text: str, delimiter: str) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The same result as the csv module for text without quotes or lone carriage returns, 3–5×
    faster: split into lines, drop blank ones, check widths, split all cells at once."""
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if not lines:
        raise DataError(translate("Data", "{file}: the file is empty").format(file=path))
    header = tuple(lines[0].split(delimiter))
    width = len(header) - 1
    counts = [line.count(delimiter) for line in lines]
    if counts.count(width) != len(counts):
        i = next(i for i, c in enumerate(counts[1:]) if c != width)
        _raise_ragged(path, delimiter, i, counts[i + 1] + 1, len(header))
    cells = delimiter.join(lines[1:]).split(delimiter) if len(lines) > 1 else []
    return header, [tuple(cells[j::len(header)]) for j in range(len(header))]


def _raise_ragged(path, delimiter, row, fields, width):
    raise DataError(translate("Data", "{file}: row {row} (line {line}) has %n field(s) but the header has {width}",
                              "", fields).format(file=path, row=row + 1, line=_line_of_row(path, delimiter, row),
                                                   width=width))


def load_csv(path: str | os.PathLike) -> Table:
    """Read a CSV file with a header row into a :class:`Table`.

    The delimiter (comma, semicolon or tab) is sniffed; the encoding is detected (see
    :func:`decode_text`, the table's ``encoding``); quoted fields;
    blank lines are skipped.  Raises :class:`DataError` with a one-line message for anything else.
    """
    path = os.fspath(path)
    text, encoding = decode_text(path)
    if not text.strip():
        raise DataError(translate("Data", "{file}: the file is empty").format(file=path))
    delimiter = sniff_delimiter(text)
    header, columns = (_columns_by_splitting if _is_simple(text) else _columns_by_csv_module)(path, text,
                                                                                           delimiter)
    seen = set()
    for position, name in enumerate(header, start=1):
        if name in seen:
            raise DataError(translate("Data", "{file}: header names column {name!r} twice (again as column {position})")
                            .format(file=path, name=name, position=position))
        seen.add(name)
    if not columns or not columns[0]:
        raise DataError(translate("Data", "{file}: the file has a header but no data rows").format(file=path))
    return Table(path=path, header=header, columns=dict(zip(header, columns)), delimiter=delimiter,
                 encoding=encoding)


def class_order(labels) -> tuple[str, ...]:
    """Distinct labels sorted as scikit-learn's ``classes_``: numbers numerically, text lexically."""
    distinct = sorted(set(str(v) for v in labels))
    try:
        return tuple(sorted(distinct, key=float))
    except ValueError:
        return tuple(distinct)


def ordered_classes(labels, order=()) -> tuple[str, ...]:
    """Distinct labels in the order of an ordinal scale: numbers numerically; text in ``order`` (the
    order the user set) when it names every label, else in the order the labels first appear.

    Text has no order of its own: "good" < "bad" lexically, and "1 star" < "10 stars" < "2 stars".
    """
    distinct = tuple(dict.fromkeys(str(v) for v in labels))
    try:
        return tuple(sorted(distinct, key=float))
    except ValueError:
        pass
    chosen = tuple(str(v) for v in order)
    if chosen and set(distinct) <= set(chosen):
        present = set(distinct)
        return tuple(label for label in chosen if label in present)
    return distinct


def encode_labels(labels: np.ndarray, classes: tuple[str, ...]) -> np.ndarray:
    """Map labels to their index in ``classes`` (int64); unknown labels raise DataError."""
    lookup = {c: i for i, c in enumerate(classes)}
    try:
        return np.fromiter((lookup[str(v)] for v in labels), dtype=np.int64, count=len(labels))
    except KeyError as exc:
        raise DataError(translate("Data", "label {label!r} was not among the training classes {classes}").format(
            label=exc.args[0], classes=list(classes))) from None


def split_indices(n: int, test_fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Seeded random train/test split of ``range(n)``; both index arrays sorted.

    round(n × ``test_fraction``) test rows, but a fraction above 0 holds out at least one row and keeps
    at least one for training once n ≥ 2: a small fraction of a small data set still gets a test error.
    """
    n_test = int(round(n * test_fraction))
    if test_fraction > 0 and n >= 2:
        n_test = min(max(n_test, 1), n - 1)
    else:
        n_test = 0
    order = rng.permutation(n)
    return np.sort(order[n_test:]), np.sort(order[:n_test])


def _samples():
    """The folder of sample CSVs: ``regstudio.resources`` when installed, ``resources/`` in a checkout
    (the top-level folder becomes that package only when the wheel is built)."""
    try:
        return resources.files("regstudio.resources") / "data"
    except ModuleNotFoundError:
        return resources.files("regstudio") / ".." / "resources" / "data"


def sample_names() -> list[str]:
    """Names of the sample CSV files shipped with regstudio (``data/<name>.csv``)."""
    return sorted(entry.name[:-4] for entry in _samples().iterdir() if entry.name.endswith(".csv"))


def load_sample(name: str) -> Table:
    """Read a shipped sample CSV by name (see :func:`sample_names`)."""
    if name not in sample_names():
        raise DataError(translate("Data", "no sample data set {name!r} (samples are {samples})").format(
            name=name, samples=", ".join(sample_names())))
    with resources.as_file(_samples() / f"{name}.csv") as path:
        return load_csv(path)

"""A loss history of bounded size however long the run: min/max buckets that widen with the step.

On a log step axis every octave of steps is as wide as the next, so each octave gets the same number
of buckets; on a linear axis a bucket still spans at most 1/B of the steps so far, far below a pixel.
Drawing thins by min/max per span of the axis, so a spike is never lost.
"""

from __future__ import annotations

import math
import sys

import numpy as np

PER_OCTAVE = 4096
MAX_STEP = 2**62  # far beyond any run; keeps every step and bucket id inside int64
COLUMNS = {"first_step": np.int64, "last_step": np.int64, "min": np.float64, "min_step": np.int64,
           "max": np.float64, "max_step": np.int64, "last_value": np.float64}
STEP_COLUMNS = ("first_step", "last_step", "min_step", "max_step")
VALUE_COLUMNS = ("min", "max", "last_value")


def bucket_ids(steps: np.ndarray, per_octave: int = PER_OCTAVE) -> np.ndarray:
    """The bucket of each step (int64 array): ``B·k + (step >> k)`` in octave k, where B = ``per_octave``.

    Steps below 2B get a bucket each (k = 0); steps in [B·2^k, B·2^(k+1)) share buckets of width 2^k.
    Ids are consecutive, so the steps up to S use at most B·(k + 2) buckets, k the octave of S.
    """
    steps = np.asarray(steps, dtype=np.int64)
    octave_starts = per_octave << np.arange(1, 64 - per_octave.bit_length(), dtype=np.int64)
    octave = np.searchsorted(octave_starts, steps, "right")
    return per_octave * octave + (steps >> octave)


def _extreme(ufunc: np.ufunc, values: np.ndarray, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The ``ufunc`` (np.minimum or np.maximum) of each run ``values[starts[i]:starts[i+1]]`` and the
    index of its first occurrence."""
    best = ufunc.reduceat(values, starts)
    sizes = np.diff(np.concatenate((starts, [len(values)])))
    hits = np.flatnonzero(values == np.repeat(best, sizes))
    return best, hits[np.searchsorted(hits, starts)]


def _merged(rows: dict, ids: np.ndarray) -> dict:
    """Consecutive rows (buckets or single steps, oldest first) with equal ``ids`` merged into one."""
    boundaries = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts = np.concatenate(([0], boundaries))
    ends = np.concatenate((boundaries, [len(ids)])) - 1
    low, low_at = _extreme(np.minimum, rows["min"], starts)
    high, high_at = _extreme(np.maximum, rows["max"], starts)
    return {"first_step": rows["first_step"][starts], "last_step": rows["last_step"][ends],
            "min": low, "min_step": rows["min_step"][low_at],
            "max": high, "max_step": rows["max_step"][high_at], "last_value": rows["last_value"][ends]}


def _span_ids(steps: np.ndarray, width: float, log_steps: bool) -> np.ndarray:
    """The span of each step on the drawing's grid: ⌊step / width⌋, or ⌊log2(step + 1) / width⌋ on a
    log step axis (int64)."""
    if log_steps:
        return np.floor(np.log2(steps + 1.0) / width).astype(np.int64)
    return steps // int(width)


def _span_width(first: int, last: int, limit: int, log_steps: bool) -> float:
    """The narrowest power of two (in steps, or in octaves of step + 1 on a log axis) whose spans,
    aligned on its multiples, cut steps ``first`` … ``last`` into at most ``limit``."""
    low, high = (math.log2(first + 1), math.log2(last + 1)) if log_steps else (first, last)
    width = 2.0 ** math.ceil(math.log2(max(high - low, 2.0**-60) / limit))
    if not log_steps:
        width = max(width, 1.0)   # whole steps
    ends = np.array([first, last], dtype=np.int64)
    while np.ptp(_span_ids(ends, width, log_steps)) + 1 > limit:
        width *= 2
    return width


def _span_extremes(values: np.ndarray, steps: np.ndarray, ids: np.ndarray, ufunc: np.ufunc):
    """The ``ufunc`` extreme (np.minimum or np.maximum) of the points (``steps`` increasing, ``values``)
    in each run of equal span ``ids``: (steps, values) of one point per span."""
    if not len(values):
        return steps, values
    starts = np.flatnonzero(np.diff(ids, prepend=ids[0] - 1))
    best, at = _extreme(ufunc, values, starts)
    return steps[at], best


def _points(low_steps: np.ndarray, low: np.ndarray, high_steps: np.ndarray,
            high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Minimum and maximum points merged in step order, without the +inf and −inf of buckets that
    hold no finite loss, and once where a minimum and a maximum are the same point."""
    steps = np.concatenate((low_steps[low < np.inf], high_steps[high > -np.inf]))
    values = np.concatenate((low[low < np.inf], high[high > -np.inf]))
    order = np.argsort(steps, kind="stable")
    steps, values = steps[order], values[order]
    distinct = np.diff(steps, prepend=-1) > 0   # steps are ≥ 0
    return steps[distinct], values[distinct]


def _spans_of(columns: dict, start: int, stop: int, width: float, log_steps: bool, first_span: int,
              end_span: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The points of buckets ``start`` … ``stop`` − 1 thinned on spans of ``width``, keeping the spans
    from ``first_span`` up to (not including) ``end_span``; −1 and None: all of them."""
    rows = slice(start, stop)
    extremes = []
    for value_name, step_name, ufunc in (("min", "min_step", np.minimum), ("max", "max_step", np.maximum)):
        values, steps = columns[value_name][rows], columns[step_name][rows]
        ids = _span_ids(steps, width, log_steps)
        keep = ids >= first_span
        if end_span is not None:
            keep &= ids < end_span
        extremes.append(_span_extremes(values[keep], steps[keep], ids[keep], ufunc))
    (low_steps, low), (high_steps, high) = extremes
    return _points(low_steps, low, high_steps, high)


def _is_number(value) -> bool:
    # bool is an int to Python; an int beyond the float range would overflow in numpy
    return type(value) in (int, float) and abs(value) <= sys.float_info.max


def _require(condition: bool | np.bool_, message: str) -> None:
    if not condition:
        raise ValueError(message)


class LossHistory:
    """The losses of a run at steps 0, 1, 2, … (with gaps allowed), kept in at most a few MB.

    Scheme (B = ``per_octave``, a power of two, 4096 by default): steps 0 … 2B−1 are kept one per
    bucket, exactly; then steps [B·2^k, B·2^(k+1)) fall into B buckets of width 2^k (see
    :func:`bucket_ids`), so each octave of steps costs B buckets.  A bucket stores the first and last
    step recorded in it, its minimum and maximum with the step of their first occurrence, and the last
    value.  Non-finite losses (NaN, ±inf) are skipped by the minimum and maximum, which are +inf and
    −inf in a bucket that has no finite value; ``last_value`` is kept as it came.

    Bounds: after step S (k = max(0, ⌊log2 S⌋ − log2 B)) there are at most B·(k + 2) buckets of
    56 bytes, and the arrays never hold more (they double, capped at the end of the current octave):
    with B = 4096 that is 3.7 MB at 1e8 steps, 4.4 MB at 1e9, 9.0 MB at 1e15 and 11.7 MB at the
    largest step allowed, 2^62 − 1.  Appends cost
    amortised O(1) per value, in numpy over the whole chunk.

    ``buckets()`` gives the columns, each a read-only array of shape (buckets,): int64
    ``first_step``, ``last_step``, ``min_step``, ``max_step`` and float64 ``min``, ``max``,
    ``last_value``.  ``to_dict`` merges buckets in twos (halving B) until at most ``max_points`` are
    left, so a session file holds a bounded history.
    """

    def __init__(self, per_octave: int = PER_OCTAVE):
        _require(type(per_octave) is int and per_octave >= 2 and per_octave & (per_octave - 1) == 0,
                 f"per_octave must be a power of two ≥ 2 (got {per_octave!r})")
        self.per_octave = per_octave
        self.steps_recorded = 0
        self._size = 0
        self._columns = {name: np.empty(0, dtype) for name, dtype in COLUMNS.items()}
        self._version = 0          # counts changes: a thinned curve stays valid while it holds
        self._thinned: tuple = (None, None)   # (version and arguments, the curve they gave)
        self._truncations = 0      # counts truncations: the spans cached below hold until one
        # The thinned points of the spans no new loss can reach any more, with the grid they are on:
        # (truncations, width, log_steps), the first span not among them, and the first bucket that
        # may hold points of that span or later ones.  Drawing thins only the newer buckets.
        self._closed_spans: tuple = (None, 0, 0, np.empty(0, np.int64), np.empty(0))

    def __len__(self) -> int:
        return self.steps_recorded

    @property
    def last_step(self) -> int | None:
        return int(self._columns["last_step"][self._size - 1]) if self._size else None

    @property
    def nbytes(self) -> int:
        """Bytes held by the bucket arrays, spare capacity included."""
        return sum(column.nbytes for column in self._columns.values())

    def buckets(self) -> dict[str, np.ndarray]:
        views = {}
        for name, column in self._columns.items():
            views[name] = column[:self._size]
            views[name].flags.writeable = False
        return views

    def __repr__(self) -> str:
        if not self._size:
            return f"LossHistory(empty, B={self.per_octave})"
        lowest = self._columns["min"][:self._size].min()
        return (f"LossHistory({self.steps_recorded} steps up to step {self.last_step}, "
                f"{self._size} buckets, B={self.per_octave}, {self.nbytes / 1e6:.2g} MB, "
                f"last {self._columns['last_value'][self._size - 1]:.6g}, min {lowest:.6g})")

    # --- recording --------------------------------------------------------------------------------

    def append(self, step: int, value: float) -> None:
        """Record one loss, at a ``step`` after every recorded one."""
        self.extend(step, np.array([value], dtype=np.float64))

    def extend(self, first_step: int, values: np.ndarray) -> None:
        """Record the losses of steps ``first_step``, ``first_step + 1``, … (a 1-D array).

        ``first_step`` must come after every recorded step; a gap before it is fine.
        """
        values = np.asarray(values, dtype=np.float64)
        _require(values.ndim == 1, f"values must be a 1-D array (got shape {values.shape})")
        _require(isinstance(first_step, (int, np.integer)) and not isinstance(first_step, bool),
                 f"first_step must be a whole number (got {first_step!r})")
        first_step = int(first_step)
        _require(first_step >= 0, f"steps must be ≥ 0 (got {first_step})")
        _require(self.last_step is None or first_step > self.last_step,
                 f"steps must increase: step {first_step} comes after step {self.last_step}")
        _require(first_step + len(values) <= MAX_STEP, f"steps must stay below 2**62 (got {first_step + len(values)})")
        if not len(values):
            return
        steps = np.arange(first_step, first_step + len(values), dtype=np.int64)
        finite = np.isfinite(values)
        rows = {"first_step": steps, "last_step": steps, "min": np.where(finite, values, np.inf), "min_step": steps,
                "max": np.where(finite, values, -np.inf), "max_step": steps, "last_value": values}
        if self._size:
            # The newest bucket may not be full yet: the chunk's first steps may belong to it.
            self._size -= 1
            rows = {name: np.concatenate((self._columns[name][self._size:self._size + 1], rows[name]))
                    for name in COLUMNS}
        self._store(_merged(rows, bucket_ids(rows["last_step"], self.per_octave)))
        self.steps_recorded += len(values)

    def _store(self, rows: dict) -> None:
        needed = self._size + len(rows["first_step"])
        capacity = len(self._columns["first_step"])
        if needed > capacity:
            newest_id = int(bucket_ids(rows["last_step"][-1:], self.per_octave)[0])
            octave_end = (newest_id // self.per_octave + 1) * self.per_octave
            capacity = max(needed, min(max(2 * capacity, 64), octave_end))
            for name, column in self._columns.items():
                grown = np.empty(capacity, column.dtype)
                grown[:self._size] = column[:self._size]
                self._columns[name] = grown
        for name, column in self._columns.items():
            column[self._size:needed] = rows[name]
        self._size = needed
        self._version += 1

    def truncate(self, last_step: int) -> None:
        """Forget the losses after ``last_step`` (a run continued from a past step).  A bucket that
        straddles it goes whole: at most 1/B of the run's steps, and never one of the first 2B."""
        kept = int(np.searchsorted(self._columns["last_step"][:self._size], last_step, "right"))
        self._size = kept
        self._version += 1
        self._truncations += 1
        self.steps_recorded = min(self.steps_recorded, int(last_step) + 1, sum(
            int(last - first) + 1 for first, last in zip(self._columns["first_step"][:kept],
                                                         self._columns["last_step"][:kept])))

    # --- drawing ----------------------------------------------------------------------------------

    def thinned(self, limit: int = 800, log_steps: bool = False,
                step_range: tuple[int, int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """At most 2·``limit`` + 1 (step, loss) points to draw, ordered by step: int64 steps, float64 losses.

        The steps (of buckets overlapping ``step_range``, inclusive, if given) are cut into at most
        ``limit`` equal spans — in log2(step + 1) when ``log_steps`` — and each span gives its minimum
        and its maximum, so spikes survive.  The spans' width is a power of two and they sit on its
        multiples, so they stay put while the run grows (until it doubles): the spans no new loss can
        reach are thinned once, and each call thins only the newest buckets.  The newest recorded loss
        is always the last point, even when it is not finite; no other point is.  With ``limit`` ≥ the
        number of buckets every bucket gives its minimum and maximum, so a run of under 2B steps comes
        out whole.

        The arrays are read-only, and the same objects again while nothing was recorded since (the
        test error changes a few times a second, and is drawn 26 times).
        """
        _require(limit >= 1, f"limit must be at least 1 (got {limit})")
        key = (self._version, limit, log_steps, step_range)
        if self._thinned[0] == key:
            return self._thinned[1]
        curve = self._thin(limit, log_steps, step_range)
        for array in curve:
            array.flags.writeable = False
        self._thinned = (key, curve)
        return curve

    def _thin(self, limit: int, log_steps: bool, step_range: tuple[int, int] | None) -> tuple[np.ndarray, np.ndarray]:
        columns = self.buckets()
        start, stop = 0, self._size
        if step_range is not None:
            start = int(np.searchsorted(columns["last_step"], step_range[0], "left"))
            stop = int(np.searchsorted(columns["first_step"], step_range[1], "right"))
        if start >= stop:
            return np.empty(0, np.int64), np.empty(0)
        if stop - start <= limit:
            rows = slice(start, stop)
            steps, values = _points(columns["min_step"][rows], columns["min"][rows],
                                    columns["max_step"][rows], columns["max"][rows])
        else:
            width = _span_width(int(columns["first_step"][start]), int(columns["last_step"][stop - 1]), limit,
                                log_steps)
            if step_range is None:
                steps, values = self._thin_on_grid(columns, width, log_steps)
            else:
                steps, values = _spans_of(columns, start, stop, width, log_steps, -1)
        newest = self.last_step
        if stop == self._size and newest is not None and (not len(steps) or steps[-1] < newest):
            steps = np.append(steps, newest)
            values = np.append(values, columns["last_value"][-1])
        return steps, values

    def _thin_on_grid(self, columns: dict, width: float, log_steps: bool) -> tuple[np.ndarray, np.ndarray]:
        """Every bucket thinned on spans of ``width``: the closed spans from the cache (extended by the
        spans closed since), the open ones afresh.  Only the newest bucket still changes, so a span
        before the one holding its first step is closed."""
        newest = self._size - 1
        grid = (self._truncations, width, log_steps)
        open_span = int(_span_ids(columns["first_step"][newest:], width, log_steps)[0])
        cached_grid, closed_until, next_row, closed_steps, closed_values = self._closed_spans
        if cached_grid != grid:
            closed_until, next_row, closed_steps, closed_values = -1, 0, np.empty(0, np.int64), np.empty(0)
        if open_span > closed_until:
            # The newest bucket's first step is in open_span: rows before it hold every point before.
            steps, values = _spans_of(columns, next_row, newest, width, log_steps, closed_until, open_span)
            closed_steps, closed_values = np.concatenate((closed_steps, steps)), np.concatenate((closed_values, values))
            last_spans = _span_ids(columns["last_step"][next_row:newest + 1], width, log_steps)
            next_row += int(np.searchsorted(last_spans, open_span, "left"))
            closed_until = open_span
            self._closed_spans = (grid, closed_until, next_row, closed_steps, closed_values)
        steps, values = _spans_of(columns, next_row, self._size, width, log_steps, closed_until)
        return np.concatenate((closed_steps, steps)), np.concatenate((closed_values, values))

    # --- files ------------------------------------------------------------------------------------

    def to_dict(self, max_points: int = 4096) -> dict:
        """A JSON-able dict of at most ``max_points`` buckets (≥ 64): lists of ints, and floats or None
        where a value is not finite (a bucket with no finite loss, or a non-finite last loss).

        A history of at most ``max_points`` buckets is written exactly; a longer one is coarsened by
        merging buckets two by two (the scheme with B halved) until it fits, which keeps every spike.
        With 4096 points the JSON text stays under 0.7 MB, however long the run.
        """
        # With B = 1 a bucket is an octave of steps: at most 64 of them below 2**63.
        _require(max_points >= 64, f"max_points must be at least 64 (got {max_points})")
        columns, per_octave = self.buckets(), self.per_octave
        while len(columns["first_step"]) > max_points:
            per_octave //= 2
            columns = _merged(columns, bucket_ids(columns["last_step"], per_octave))
        document = {"steps_recorded": self.steps_recorded}
        for name, column in columns.items():
            if name in VALUE_COLUMNS:
                missing = ~np.isfinite(column)
                column = column.astype(object)
                column[missing] = None
            document[name] = column.tolist()
        return document

    @classmethod
    def from_dict(cls, document: dict) -> LossHistory:
        """The history written by ``to_dict``; anything inconsistent raises ValueError naming the field."""
        _require(isinstance(document, dict), f"history must be an object (got {type(document).__name__})")
        missing = [name for name in ("steps_recorded", *COLUMNS) if name not in document]
        _require(not missing, f"history lacks {', '.join(missing)}")
        count = document["steps_recorded"]
        _require(type(count) is int and count >= 0,
                 f"history.steps_recorded must be a whole number ≥ 0 (got {count!r})")
        size = len(document["first_step"]) if isinstance(document["first_step"], list) else None
        for name in COLUMNS:
            column = document[name]
            _require(isinstance(column, list), f"history.{name} must be a list (got {type(column).__name__})")
            _require(len(column) == size, f"history.{name} has {len(column)} entries, history.first_step {size}")
            if name in STEP_COLUMNS:
                _require(all(type(v) is int and 0 <= v < MAX_STEP for v in column),
                         f"history.{name} must list whole numbers from 0 to 2**62")
            else:
                _require(all(v is None or _is_number(v) for v in column),
                         f"history.{name} must list finite numbers or null")
        rows = {name: np.array([math.nan if v is None else v for v in document[name]], dtype=dtype)
                for name, dtype in COLUMNS.items()}
        # null is a bucket without a finite loss: its min and max go back to +inf and −inf
        rows["min"][np.isnan(rows["min"])] = np.inf
        rows["max"][np.isnan(rows["max"])] = -np.inf
        first, last = rows["first_step"], rows["last_step"]
        _require(np.all(first <= last), "history: a bucket's first_step is after its last_step")
        _require(np.all(first[1:] > last[:-1]), "history: buckets must follow each other with increasing steps")
        for name in ("min_step", "max_step"):
            _require(np.all((first <= rows[name]) & (rows[name] <= last)), f"history.{name} lies outside its bucket")
        empty = rows["min"] == np.inf
        _require(np.array_equal(empty, rows["max"] == -np.inf), "history: min and max must be null in the same buckets")
        _require(np.all(empty | (rows["min"] <= rows["max"])), "history: a bucket's min exceeds its max")
        covered = int(np.sum(last - first + 1))
        _require(size <= count <= covered,
                 f"history.steps_recorded = {count} does not fit {size} buckets covering {covered} steps")
        history = cls()
        history._store(rows)
        history.steps_recorded = count
        return history

"""A run's parameters at every recent step and at fewer steps further back, within a memory budget.

The rewind timeline reads a past step from here.  Three tiers, each a preallocated array of rows
θ (n_params,), so recording a step is one row copy:

* ``first``: the first steps of the run, every one (the fast early phase is what a student rewinds
  to most, and it is never thinned);
* ``recent``: the last ``RECENT_STEPS`` steps, every one (a ring);
* ``archive``: the steps in between that are multiples of ``stride``.  A step leaving the ring is
  archived if it is one; when the archive is full the stride doubles and every other archived step
  goes, so the archive's spacing doubles with the run's length, as the loss history's buckets do.

All three together take at most ``BUDGET_BYTES`` whatever the run's length and the model's size: a
big model keeps fewer recent steps, never more memory.  The training thread records; the window's
thread reads: every method takes the one lock.

Edited data (the trainer's problem replaced mid-run) does not start a new timeline: the timeline keeps
the problem each stretch of steps was trained on, so a past step is drawn over the data it had.  A
problem holds the prepared data set, so besides the newest at most ``MAX_PROBLEMS`` − 1 are kept,
in at most ``EARLIER_PROBLEMS_BYTES`` together (clicks on a 10⁵-row set keep none: each would hold
its copy of the rows); a step older than all of them is drawn over the oldest one kept, and
:meth:`problem_at` says so.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

BUDGET_BYTES = 32 * 2**20
RECENT_STEPS = 2000
FIRST_STEPS = 200
MAX_ARCHIVED = 8192
MAX_PROBLEMS = 8
EARLIER_PROBLEMS_BYTES = 4 * 2**20   # problems kept for steps before the newest edit, all together


@dataclass(frozen=True)
class Kept:
    """One kept step: ``theta`` (n_params,) is a read-only copy; ``previous`` is θ of ``step − 1``
    when that step is kept too (so the step's own change can be shown), else None."""

    step: int
    theta: np.ndarray
    previous: np.ndarray | None


class Timeline:
    """Parameter snapshots of one run (see the module's docstring for the tiers and the budget)."""

    def __init__(self, n_params: int, budget_bytes: int = BUDGET_BYTES):
        self.n_params = int(n_params)
        rows = max(4, budget_bytes // (8 * max(1, self.n_params) + 8))   # θ and its step
        self.first_capacity = max(1, min(FIRST_STEPS, rows // 8))
        self.recent_capacity = max(2, min(RECENT_STEPS, rows // 2))
        self.archive_capacity = max(1, min(MAX_ARCHIVED, rows - self.first_capacity - self.recent_capacity))
        self._lock = threading.Lock()
        self._first = np.empty((self.first_capacity, self.n_params))
        self._first_steps = np.empty(self.first_capacity, dtype=np.int64)
        self._first_count = 0
        self._recent = np.empty((self.recent_capacity, self.n_params))
        self._recent_steps = np.empty(self.recent_capacity, dtype=np.int64)
        self._recent_count = 0
        self._recent_next = 0           # the ring's row written next
        self._archive = np.empty((self.archive_capacity, self.n_params))
        self._archive_steps = np.empty(self.archive_capacity, dtype=np.int64)
        self._archive_count = 0
        self.stride = 1
        self._last = -1                 # the newest step recorded
        self._problems: list[tuple[int, object]] = []
        self._dropped_problems = False

    def __repr__(self) -> str:
        with self._lock:
            last = self._last_step()
            return (f"Timeline(steps={self._first_steps[0] if self._first_count else '-'}..{last}, "
                    f"kept={self._count()}, stride={self.stride}, {self.nbytes / 2**20:.1f} MB)")

    @property
    def nbytes(self) -> int:
        """The memory its snapshots take (allocated once, at their full capacity)."""
        return sum(a.nbytes for a in (self._first, self._first_steps, self._recent, self._recent_steps,
                                      self._archive, self._archive_steps))

    # --- the training thread's side ---------------------------------------------------------------

    def record(self, step: int, theta: np.ndarray) -> None:
        """θ after ``step`` updates.  Steps come in increasing order (after :meth:`truncate`, from the
        step it kept).  About a microsecond: it runs after every step of training."""
        with self._lock:
            if step <= self._last:
                raise ValueError(f"step {step} recorded after step {self._last}")
            self._last = step
            if self._recent_count == 0 and self._first_count < self.first_capacity:
                self._first[self._first_count] = theta
                self._first_steps[self._first_count] = step
                self._first_count += 1
                return
            row = self._recent_next
            if self._recent_count == self.recent_capacity:
                leaving = int(self._recent_steps[row])
                if leaving % self.stride == 0:
                    self._archive_row(row, leaving)
            else:
                self._recent_count += 1
            self._recent[row] = theta
            self._recent_steps[row] = step
            self._recent_next = row + 1 if row + 1 < self.recent_capacity else 0

    def trained_on(self, step: int, problem: object) -> None:
        """The steps from ``step`` on were trained on ``problem`` (a run's start, or edited data)."""
        with self._lock:
            while self._problems and self._problems[-1][0] >= step:
                self._problems.pop()
            self._problems.append((int(step), problem))
            earlier = sum(getattr(p, "nbytes", 0) for _, p in self._problems[:-1])
            while len(self._problems) > 1 and (len(self._problems) > MAX_PROBLEMS
                                               or earlier > EARLIER_PROBLEMS_BYTES):
                earlier -= getattr(self._problems[0][1], "nbytes", 0)
                del self._problems[0]
                self._dropped_problems = True

    def _archive_row(self, row: int, step: int) -> None:
        if self._archive_count == self.archive_capacity:
            self.stride *= 2
            steps = self._archive_steps[:self._archive_count]
            keep = np.flatnonzero(steps % self.stride == 0)
            self._archive[:len(keep)] = self._archive[keep]
            self._archive_steps[:len(keep)] = steps[keep]
            self._archive_count = len(keep)
            if step % self.stride:
                return
        self._archive[self._archive_count] = self._recent[row]
        self._archive_steps[self._archive_count] = step
        self._archive_count += 1

    # --- either side ------------------------------------------------------------------------------

    def truncate(self, last_step: int) -> None:
        """Forget every step after ``last_step`` (a run continued from a past step: a new branch)."""
        with self._lock:
            self._first_count = int(np.searchsorted(self._first_steps[:self._first_count], last_step, "right"))
            self._archive_count = int(np.searchsorted(self._archive_steps[:self._archive_count], last_step,
                                                      "right"))
            order = self._recent_order()
            kept = order[self._recent_steps[order] <= last_step]   # oldest first
            rows, steps = self._recent[kept].copy(), self._recent_steps[kept].copy()
            self._recent_count = len(kept)
            self._recent[:len(kept)], self._recent_steps[:len(kept)] = rows, steps
            self._recent_next = len(kept) % self.recent_capacity
            newest = self._last_step()
            self._last = -1 if newest is None else newest
            while len(self._problems) > 1 and self._problems[-1][0] > last_step:
                self._problems.pop()

    @property
    def last_step(self) -> int | None:
        with self._lock:
            return self._last_step()

    @property
    def first_step(self) -> int | None:
        with self._lock:
            steps = self._all_steps()
            return int(steps[0]) if len(steps) else None

    def steps(self) -> np.ndarray:
        """Every kept step, increasing (int64)."""
        with self._lock:
            return self._all_steps()

    def nearest(self, step: int) -> Kept | None:
        """The kept step nearest ``step`` (the earlier one on a tie), None when nothing is kept."""
        with self._lock:
            tiers = self._tiers()
            best: tuple[int, np.ndarray] | None = None   # (step, θ)
            for rows, order, steps in tiers:
                i = int(np.searchsorted(steps, step))
                for j in (i - 1, i):
                    if 0 <= j < len(steps):
                        candidate = int(steps[j])
                        if best is None or (abs(candidate - step), candidate) < (abs(best[0] - step), best[0]):
                            best = (candidate, rows[order[j]])
            if best is None:
                return None
            found, theta = best
            previous = self._row_of(found - 1, tiers)
            return Kept(found, _frozen(theta), None if previous is None else _frozen(previous))

    def path(self, indices: tuple[int, ...], last_step: int) -> np.ndarray:
        """θ[indices] at every kept step up to ``last_step``, oldest first: (steps, len(indices))
        (the landscape's path as the run went up to a past step)."""
        with self._lock:
            parts = []
            for rows, order, steps in self._tiers():
                upto = int(np.searchsorted(steps, last_step, "right"))
                parts.append(rows[order[:upto]][:, list(indices)])
            return np.concatenate(parts) if parts else np.empty((0, len(indices)))

    def problem_at(self, step: int) -> tuple[object | None, bool]:
        """The problem step ``step`` was trained on, and whether that is known (False: the oldest kept
        problem stands in for one dropped beyond ``MAX_PROBLEMS`` edits)."""
        with self._lock:
            if not self._problems:
                return None, False
            for first, problem in reversed(self._problems):
                if step >= first:
                    return problem, True
            return self._problems[0][1], not self._dropped_problems

    def sample(self, count: int) -> list[Kept]:
        """At most ``count`` kept steps spread evenly over the run, the first and the last among them
        (what a session saves)."""
        steps = self.steps()
        if not len(steps) or count < 1:
            return []
        if len(steps) > count:
            steps = np.unique(steps[np.round(np.linspace(0, len(steps) - 1, count)).astype(np.int64)])
        kept = [self.nearest(int(step)) for step in steps]
        return [k for k in kept if k is not None]

    # --- inside the lock --------------------------------------------------------------------------

    def _count(self) -> int:
        return self._first_count + self._recent_count + self._archive_count

    def _recent_order(self) -> np.ndarray:
        """The ring's occupied rows, oldest first."""
        if self._recent_count < self.recent_capacity:
            return np.arange(self._recent_count)
        return (np.arange(self.recent_capacity) + self._recent_next) % self.recent_capacity

    def _tiers(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(rows, order, steps) of each tier: ``steps`` increasing, and step ``steps[j]``'s θ is
        ``rows[order[j]]`` (no row is copied)."""
        order = self._recent_order()
        return [(self._first, np.arange(self._first_count), self._first_steps[:self._first_count]),
                (self._archive, np.arange(self._archive_count), self._archive_steps[:self._archive_count]),
                (self._recent, order, self._recent_steps[order])]

    def _all_steps(self) -> np.ndarray:
        return np.sort(np.concatenate([steps for _, _, steps in self._tiers()]))

    def _last_step(self) -> int | None:
        if self._recent_count:
            return int(self._recent_steps[(self._recent_next - 1) % self.recent_capacity])
        if self._archive_count:
            return int(self._archive_steps[self._archive_count - 1])
        if self._first_count:
            return int(self._first_steps[self._first_count - 1])
        return None

    @staticmethod
    def _row_of(step: int, tiers) -> np.ndarray | None:
        for rows, order, steps in tiers:
            i = int(np.searchsorted(steps, step))
            if i < len(steps) and steps[i] == step:
                return rows[order[i]]
        return None


def _frozen(row: np.ndarray) -> np.ndarray:
    copy = np.array(row, dtype=np.float64)
    copy.flags.writeable = False
    return copy

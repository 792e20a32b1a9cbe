"""Marching-squares level curves: positions, joining into polylines, saddles, NaNs, ties, pyqtgraph."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from regstudio.core.contours import iso_lines, iso_lines_many


def _grid(rows, columns, x_range, y_range):
    """Sample coordinates (X, Y), each (rows, columns), in iso_lines's convention."""
    return np.meshgrid(np.linspace(*x_range, columns), np.linspace(*y_range, rows))


def _polylines(xs, ys):
    """The NaN-terminated polylines as a list of (k, 2) vertex arrays."""
    assert xs.dtype == ys.dtype == np.float64 and xs.shape == ys.shape
    if xs.size == 0:
        return []
    assert np.isnan(xs[-1]) and np.isnan(ys[-1])
    assert np.array_equal(np.isnan(xs), np.isnan(ys))
    breaks = np.flatnonzero(np.isnan(xs))
    starts = np.concatenate([[0], breaks[:-1] + 1])
    lines = [np.column_stack([xs[a:b], ys[a:b]]) for a, b in zip(starts, breaks)]
    assert all(len(line) >= 2 for line in lines)
    return lines


def _is_closed(line):
    return np.array_equal(line[0], line[-1])


def _segments(lines):
    """Undirected segments as a list of ((x, y), (x, y)) with sorted ends."""
    return [tuple(sorted((tuple(p), tuple(q)))) for line in lines for p, q in zip(line[:-1], line[1:])]


def _straddling_edge_count(field, level):
    above = field >= level
    return int(np.sum(above[:, 1:] != above[:, :-1]) + np.sum(above[1:, :] != above[:-1, :]))


def test_circle_is_one_closed_polyline_within_the_interpolation_error():
    r, n, span = 1.27, 41, (-2.0, 2.0)  # no sample on the circle
    X, Y = _grid(n, n, span, span)
    xs, ys = iso_lines(X**2 + Y**2 - r**2, 0.0, span, span)
    [line] = _polylines(xs, ys)
    assert _is_closed(line)
    # Along a grid edge the field is a parabola with second derivative 2, so the chord's root (the
    # linear interpolation) has x² + y² − r² ∈ [−h²/4, 0]: inside the circle by at most that much.
    h = (span[1] - span[0]) / (n - 1)
    radius = np.hypot(line[:, 0], line[:, 1])
    assert np.all(radius <= r + 1e-12)
    assert np.all(radius >= math.sqrt(r**2 - h**2 / 4) - 1e-12)
    assert radius.min() < r - 0.5 * (r - math.sqrt(r**2 - h**2 / 4))  # the bound is not loose
    # One vertex per crossed grid edge, each once, going once round the origin.
    assert len(line) - 1 == _straddling_edge_count(X**2 + Y**2 - r**2, 0.0)
    assert len(set(map(tuple, line[:-1]))) == len(line) - 1
    turns = np.diff(np.unwrap(np.arctan2(line[:, 1], line[:, 0])))
    assert abs(abs(turns.sum()) - 2 * math.pi) < 1e-9 and (np.all(turns > 0) or np.all(turns < 0))


@pytest.mark.parametrize("a, b, c", [(1.0, 2.0, 0.3), (-0.7, 0.2, -0.13), (0.0, 1.0, 0.25), (3.0, 0.0, -1.0)])
def test_linear_field_vertices_lie_on_the_line(a, b, c):
    x_range, y_range = (-1.0, 2.0), (0.5, -1.5)  # a descending y range too
    X, Y = _grid(23, 31, x_range, y_range)
    field = a * X + b * Y + c
    xs, ys = iso_lines(field, 0.0, x_range, y_range)
    [line] = _polylines(xs, ys)
    assert not _is_closed(line)
    np.testing.assert_allclose(a * line[:, 0] + b * line[:, 1] + c, 0.0, atol=1e-12)
    assert len(line) == _straddling_edge_count(field, 0.0)
    # An open curve runs from border to border.
    on_border = lambda p: np.isclose(p[0], x_range).any() or np.isclose(p[1], y_range).any()
    assert on_border(line[0]) and on_border(line[-1])


def test_rows_are_y_and_columns_are_x_on_a_non_square_grid():
    x_range, y_range = (10.0, 20.0), (-1.0, 1.0)
    X, Y = _grid(5, 11, x_range, y_range)
    [line] = _polylines(*iso_lines(X - 13.5, 0.0, x_range, y_range))
    np.testing.assert_allclose(line[:, 0], 13.5, atol=1e-12)
    assert sorted(line[:, 1]) == pytest.approx(np.linspace(-1.0, 1.0, 5))


def test_two_blobs_give_two_closed_polylines_each_round_its_blob():
    span = (-3.0, 3.0)
    X, Y = _grid(60, 60, span, span)
    centres = [(-1.4, -1.0), (1.5, 1.2)]
    bumps = [np.exp(-((X - cx) ** 2 + (Y - cy) ** 2)) for cx, cy in centres]
    lines = _polylines(*iso_lines(np.maximum(*bumps) - 0.5, 0.0, span, span))
    assert len(lines) == 2 and all(_is_closed(line) for line in lines)
    found = sorted(tuple(np.round(line[:-1].mean(axis=0), 1)) for line in lines)
    assert found == sorted(centres)


@pytest.mark.parametrize("offset, cut_off", [(0.1, ((0, 1), (1, 0))), (-0.1, ((0, 0), (1, 1)))])
def test_saddle_cell_is_resolved_by_its_centre(offset, cut_off):
    # Corners (row, column): (0, 0) and (1, 1) at 1 + offset, the other two at −1 + offset.  Centre above
    # the level: the above corners stay joined and the two below corners are cut off; below: the reverse.
    field = np.array([[1.0, -1.0], [-1.0, 1.0]]) + offset
    lines = _polylines(*iso_lines(field, 0.0, (0.0, 1.0), (0.0, 1.0)))
    assert len(lines) == 2 and all(len(line) == 2 for line in lines)
    nearest_corner = sorted(tuple(np.round(line.mean(axis=0))[::-1].astype(int)) for line in lines)
    assert nearest_corner == sorted(cut_off)


@pytest.mark.parametrize("n, level", [(40, 0.05), (41, 0.0), (41, 0.037)])
def test_saddle_field_is_symmetric_and_well_formed(n, level):
    span = (-1.0, 1.0)
    X, Y = _grid(n, n, span, span)
    lines = _polylines(*iso_lines(X * Y, level, span, span))
    assert lines
    segments = _segments(lines)
    assert len(set(segments)) == len(segments)
    assert all(p != q for p, q in segments)
    # x·y is unchanged by (x, y) → (−x, −y), and so is a grid symmetric about 0: so are the segments.
    rounded = {tuple(sorted(tuple(np.round(v, 12) + 0.0) for v in s)) for s in segments}
    mirrored = {tuple(sorted(tuple(np.round(-np.array(v), 12) + 0.0) for v in s)) for s in segments}
    assert rounded == mirrored
    if level > 0:  # two hyperbola branches, each in its own quadrant
        assert len(lines) == 2
        assert all(np.all(line[:, 0] * line[:, 1] > 0) for line in lines)


def test_nan_sample_removes_its_four_cells_only():
    r, n, span = 1.0, 31, (-2.0, 2.0)
    X, Y = _grid(n, n, span, span)
    field = X**2 + Y**2 - r**2
    h = (span[1] - span[0]) / (n - 1)
    row, column = 15, 22  # sample (x, y) = (0.933, 0): next to the circle
    field[row, column] = np.nan
    [line] = _polylines(*iso_lines(field, 0.0, span, span))
    assert not _is_closed(line)
    nan_x, nan_y = X[row, column], Y[row, column]
    inside_gap = (np.abs(line[:, 0] - nan_x) < h - 1e-9) & (np.abs(line[:, 1] - nan_y) < h - 1e-9)
    assert not inside_gap.any()
    # The two ends are on the border of the four removed cells.
    for end in (line[0], line[-1]):
        assert max(abs(end[0] - nan_x), abs(end[1] - nan_y)) == pytest.approx(h)


@pytest.mark.parametrize("field, level", [
    (np.full((5, 6), np.nan), 0.0),
    (np.full((5, 6), 2.0), 2.0),
    (np.full((5, 6), 2.0), 1.0),
    (np.full((5, 6), 2.0), 3.0),
    (np.arange(12.0).reshape(3, 4), 100.0),
    (np.array([[0.0, 0.0], [0.0, 1.0]]), 0.0),  # all corners at or above: no crossing
])
def test_no_crossing_gives_two_empty_arrays(field, level):
    xs, ys = iso_lines(field, level, (0.0, 1.0), (0.0, 1.0))
    assert xs.shape == ys.shape == (0,) and xs.dtype == ys.dtype == np.float64


def test_isolated_sample_exactly_at_the_level_draws_nothing():
    field = -np.ones((5, 5))
    field[2, 2] = 0.0  # a peak touching the level: only zero-length segments
    assert iso_lines(field, 0.0, (0.0, 4.0), (0.0, 4.0))[0].size == 0


def test_grid_line_exactly_at_the_level():
    columns = np.arange(7.0)
    step = np.tile(columns - 3.0, (5, 1))  # column 3 at the level, higher columns above
    ridge = -np.abs(step)  # column 3 at the level, everything else below
    for field in (step, ridge):
        lines = _polylines(*iso_lines(field, 0.0, (0.0, 6.0), (0.0, 4.0)))
        segments = _segments(lines)
        assert len(set(segments)) == len(segments) == 4 and all(p != q for p, q in segments)
        vertices = np.concatenate(lines)
        assert np.all(vertices[:, 0] == 3.0) and set(vertices[:, 1]) == {0.0, 1.0, 2.0, 3.0, 4.0}
        assert len(lines) == 1


def test_float32_and_float64_fields_agree():
    span = (-2.0, 2.0)
    X, Y = _grid(50, 50, span, span)
    field32 = (np.sin(2 * X) + np.cos(3 * Y) - 0.3).astype(np.float32)
    xs32, ys32 = iso_lines(field32, 0.0, span, span)
    xs64, ys64 = iso_lines(field32.astype(np.float64), 0.0, span, span)
    assert xs32.dtype == np.float64
    np.testing.assert_array_equal(xs32, xs64)
    np.testing.assert_array_equal(ys32, ys64)


@pytest.mark.parametrize("shape", [(2, 2), (2, 9), (3, 3), (400, 400)])
def test_shapes_from_one_cell_to_400_by_400(shape):
    X, Y = _grid(*shape, (0.0, 1.0), (0.0, 1.0))
    field = (X - 0.35) ** 2 + (Y - 0.45) ** 2
    level = 0.1 if shape == (400, 400) else float(np.median(field))  # median: small grids are crossed too
    lines = _polylines(*iso_lines(field, level, (0.0, 1.0), (0.0, 1.0)))
    assert lines
    assert sum(len(line) - _is_closed(line) for line in lines) == _straddling_edge_count(field, level)
    if shape == (400, 400):
        assert len(lines) == 1 and _is_closed(lines[0])


def test_rejects_fields_smaller_than_one_cell():
    for bad in (np.zeros((1, 5)), np.zeros(5), np.zeros((2, 2, 2))):
        with pytest.raises(ValueError):
            iso_lines(bad, 0.0, (0.0, 1.0), (0.0, 1.0))


def test_many_fields_is_each_field_in_turn():
    span = (-1.0, 1.0)
    X, Y = _grid(20, 30, span, span)
    fields = np.stack([X - 0.2, X * Y - 0.1, X**2 + Y**2 - 0.5]).astype(np.float32)
    results = iso_lines_many(fields, 0.0, span, span)
    assert len(results) == 3
    for field, (xs, ys) in zip(fields, results):
        expected = iso_lines(field, 0.0, span, span)
        np.testing.assert_array_equal(xs, expected[0])
        np.testing.assert_array_equal(ys, expected[1])


@pytest.mark.parametrize("seed", range(5))
def test_same_crossings_as_pyqtgraph_isocurve(seed):
    isocurve = pytest.importorskip("pyqtgraph").functions.isocurve  # imported here: this module stays Qt-free
    rng = np.random.default_rng(seed)
    rows, columns = 37, 52
    x_range, y_range = (-1.0, 3.0), (2.0, 5.0)
    X, Y = _grid(rows, columns, x_range, y_range)
    field = sum(rng.normal() * np.sin(rng.normal() * X + rng.normal() * Y + rng.uniform(0, 6)) for _ in range(4))
    level = float(np.median(field))
    xs, ys = iso_lines(field, level, x_range, y_range)
    ours = np.unique(np.column_stack([xs, ys])[~np.isnan(xs)], axis=0)
    # isocurve puts sample (i, j) at (i + 0.5, j + 0.5), in (row, column) order.
    cells = np.array([point for segment in isocurve(field, level) for point in segment]) - 0.5
    theirs = np.column_stack([x_range[0] + cells[:, 1] * (x_range[1] - x_range[0]) / (columns - 1),
                              y_range[0] + cells[:, 0] * (y_range[1] - y_range[0]) / (rows - 1)])
    theirs = np.unique(np.round(theirs, 9), axis=0)
    assert len(ours) == len(theirs) > 20
    distance = np.hypot(*(ours[:, None, :] - theirs[None, :, :]).transpose(2, 0, 1))
    assert distance.min(axis=1).max() < 1e-8 and distance.min(axis=0).max() < 1e-8


_VALUES = st.one_of(st.integers(-2, 2).map(float), st.floats(-4, 4, allow_nan=False), st.just(math.nan))


@settings(max_examples=300, deadline=None)
@given(field=st.tuples(st.integers(2, 8), st.integers(2, 8)).flatmap(
           lambda shape: arrays(np.float64, shape, elements=_VALUES)),
       level=st.one_of(st.integers(-2, 2).map(float), st.floats(-4, 4)))
def test_every_vertex_is_the_interpolated_crossing_of_a_straddling_edge(field, level):
    rows, columns = field.shape
    # Ranges equal to the index ranges, so data coordinates are grid coordinates.
    lines = _polylines(*iso_lines(field, level, (0.0, columns - 1.0), (0.0, rows - 1.0)))
    finite = np.isfinite(field)
    usable_cell = np.zeros((rows + 1, columns + 1), dtype=bool)  # padded: cell (i, j) at [i + 1, j + 1]
    usable_cell[1:-1, 1:-1] = finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1]

    def edge_crossing(first, second):
        """The interpolated crossing on the edge between two samples, or None if it is not crossed or
        borders no usable cell."""
        a, b = field[first], field[second]
        if not (np.isfinite(a) and np.isfinite(b)) or (a >= level) == (b >= level):
            return None
        (i, j), vertical = first, second[0] != first[0]
        beside = [(i + 1, j), (i + 1, j + 1)] if vertical else [(i, j + 1), (i + 1, j + 1)]
        if not any(usable_cell[cell] for cell in beside):
            return None
        t = (level - a) / (b - a)
        return (j, i + t) if vertical else (j + t, i)

    crossings = {}  # position → the edges crossed there (several only when it is a sample)
    for i in range(rows):
        for j in range(columns):
            for second in ((i + 1, j), (i, j + 1)):
                if second[0] < rows and second[1] < columns:
                    crossing = edge_crossing((i, j), second)
                    if crossing is not None:
                        crossings.setdefault(crossing, []).append(((i, j), second))

    for line in lines:
        for x, y in line:
            assert (x, y) in crossings  # exactly: same formula, and unit ranges make the conversion exact
    segments = _segments(lines)
    assert len(set(segments)) == len(segments) and all(p != q for p, q in segments)
    # Each segment stays in one usable cell: both ends on the border of a cell with finite corners.
    for p, q in segments:
        (x_low, y_low), (x_high, y_high) = np.minimum(p, q), np.maximum(p, q)
        containing = [(i, j) for i in range(rows - 1) for j in range(columns - 1)
                      if i <= y_low and y_high <= i + 1 and j <= x_low and x_high <= j + 1]
        assert any(usable_cell[i + 1, j + 1] for i, j in containing)
    # A sample at the level, or a crossing rounded onto a sample, is shared by several edges.
    ties = any(len(edges) > 1 or float(x).is_integer() and float(y).is_integer()
               for (x, y), edges in crossings.items())
    if not ties:
        # No sample at the level: every usable crossing is drawn, and only inside one polyline or at
        # the closing vertex of a loop.
        drawn = [tuple(v) for line in lines for v in (line[:-1] if _is_closed(line) else line)]
        assert sorted(drawn) == sorted(crossings)

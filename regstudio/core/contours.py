"""Level curves of a sampled 2-D field, as polylines ready to draw: vectorised marching squares.

Grid and coordinates
    ``field`` is (rows, columns); sample (i, j) sits at
    ``x = x0 + j / (columns - 1) · (x1 - x0)``, ``y = y0 + i / (rows - 1) · (y1 - y0)``,
    so row 0 is ``y0`` and the sample points (the cell centres of an image of the field) span the
    ranges evenly.  A *cell* is the square between samples (i, j), (i, j+1), (i+1, j+1), (i+1, j).

Algorithm
    1. Every sample is *above* (value ≥ level) or *below*; a sample exactly at the level therefore
       counts as above.  Each cell's four above/below bits give one of 16 cases, all in a few whole-grid
       numpy operations.  Cells with a non-finite corner (NaN, ±inf) give no segment.
    2. Only the cells the curve passes through (neither all above nor all below) are looked at
       further.  Each contributes one segment, or two for a *saddle* (diagonally opposite corners
       above, the others below).  The saddle's ambiguity is resolved by the mean of its four corners:
       when it is above the level the two above corners are joined through the cell and the curve cuts
       off the below corners; otherwise the below corners are joined and the above ones cut off.
    3. A segment's ends lie on cell edges at the linearly interpolated crossing
       ``t = (level − a) / (b − a)`` between the edge's samples a and b.  Segments are oriented so
       the above side is on their left, which makes every interior crossing the end of exactly one
       segment and the start of exactly one other.
    4. Joining: each crossing has an integer id (its edge, or its sample when the crossing's position
       rounds onto the sample's).  Sorting the segments by start id pairs each segment with its successor
       in O(n log n) numpy; one linear pass then follows successors to lay the segments out as
       polylines, open ones (ending at the grid border or a NaN) first, closed loops after.
       Samples exactly at the level can make zero-length segments (dropped) and the same segment
       from the two cells that share an edge (kept once).

Output
    ``xs, ys``: float64 arrays of the polylines' vertices in data coordinates, each polyline followed
    by one NaN — also the last, so that the results for several fields can be concatenated and still
    drawn as separate lines by a pyqtgraph ``PlotDataItem(connect="finite")``.  A closed curve is one
    polyline whose last vertex equals its first.  No crossing: two empty arrays.
"""

from __future__ import annotations

import numpy as np

# Cell corners counter-clockwise in (x = column, y = row), as (row, column) offsets from the cell's
# sample (i, j).  Edge k runs from corner k to corner k + 1 (mod 4).
_CORNERS = ((0, 0), (0, 1), (1, 1), (1, 0))
# A cell's case has bit 2·row offset + column offset set when that corner is above, so that it can
# be assembled from two rows of left/right pairs.
_CASE_BIT = tuple(2 * di + dj for di, dj in _CORNERS)
# Per edge: the (row, column) offset of its first sample (the one with the smaller index) and whether
# it is vertical (runs along a column, from row i to row i + 1).
_EDGE_FIRST_ROW = np.array([min(_CORNERS[k], _CORNERS[(k + 1) % 4])[0] for k in range(4)])
_EDGE_FIRST_COLUMN = np.array([min(_CORNERS[k], _CORNERS[(k + 1) % 4])[1] for k in range(4)])
_EDGE_VERTICAL = np.array([int(_CORNERS[k][1] == _CORNERS[(k + 1) % 4][1]) for k in range(4)])

_SADDLE_CASES = tuple(sum(1 << _CASE_BIT[k] for k in pair) for pair in ((0, 2), (1, 3)))
_IS_SADDLE = np.isin(np.arange(16), _SADDLE_CASES)
_CENTRE_ABOVE = 16  # added to a saddle cell's case when its corner mean is at or above the level


def _segment_table() -> np.ndarray:
    """(32, 2, 2) int8: for each case (+16 for a saddle whose centre is above), its segments as
    (edge the segment starts on, edge it ends on); a second segment only for saddles.

    Going counter-clockwise round a cell, the curve is crossed on *exit* edges (above → below) and
    *entry* edges (below → above), alternately.  A segment from an exit to the next entry
    counter-clockwise cuts off the below corners between them and has the above side on its left;
    one from an exit to the previous entry cuts off the above corners between them, again with the
    above side on its left.  Outside saddles there is one exit and one entry, so both rules give the
    same segment.
    """
    table = np.zeros((32, 2, 2), dtype=np.int8)
    for case in range(16):
        above = [(case >> _CASE_BIT[k]) & 1 for k in range(4)]
        exits = [k for k in range(4) if above[k] and not above[(k + 1) % 4]]
        entries = [k for k in range(4) if not above[k] and above[(k + 1) % 4]]
        for centre_above in ((False, True) if case in _SADDLE_CASES else (False,)):
            for n, exit_edge in enumerate(exits):
                if centre_above:
                    entry_edge = min((k for k in entries if k > exit_edge), default=entries[0])
                else:
                    entry_edge = max((k for k in entries if k < exit_edge), default=entries[-1])
                table[case + _CENTRE_ABOVE * centre_above, n] = (exit_edge, entry_edge)
    return table


_SEGMENTS_BY_CASE = _segment_table()


def iso_lines(field: np.ndarray, level: float, x_range: tuple[float, float],
              y_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The ``level`` curves of ``field`` (rows = y, columns = x, at least 2 × 2, any float dtype) as
    NaN-terminated polylines ``(xs, ys)`` in data coordinates (see the module docstring).

    Raises ValueError for a field that is not 2-D or has fewer than 2 rows or columns.
    """
    values = np.asarray(field, dtype=np.float64)
    if values.ndim != 2 or min(values.shape) < 2:
        raise ValueError(f"iso_lines needs a 2-D field of at least 2 × 2 samples, got shape {values.shape}")
    level = float(level)
    columns = values.shape[1]

    case = _cell_cases(values, level)
    # Neither all below (case 0) nor all above (15); 0 wraps round to 255.
    crossed = np.flatnonzero((case - np.uint8(1)) < np.uint8(14))
    if crossed.size == 0:
        return np.empty(0), np.empty(0)
    cell_case = case.ravel()[crossed].astype(np.intp)
    cell_sample = crossed + crossed // (columns - 1)  # flat index of each cell's sample (i, j)
    saddle = np.flatnonzero(_IS_SADDLE[cell_case])
    if saddle.size:
        corner = cell_sample[saddle]
        flat = values.ravel()
        centre = (flat[corner] + flat[corner + 1] + flat[corner + columns] + flat[corner + columns + 1]) / 4.0
        cell_case[saddle] += _CENTRE_ABOVE * (centre >= level)
        edges = np.concatenate([_SEGMENTS_BY_CASE[cell_case, 0], _SEGMENTS_BY_CASE[cell_case[saddle], 1]])
        segment_sample = np.concatenate([cell_sample, corner])
    else:
        edges, segment_sample = _SEGMENTS_BY_CASE[cell_case, 0], cell_sample
    segment_count = edges.shape[0]
    # Point k < n is the end of segment k, point n + k its start (the order _chains numbers them in).
    ids, xs, ys = _crossings(values, level, x_range, y_range, np.tile(segment_sample, 2), edges[:, ::-1].T.ravel())
    end, start = ids[:segment_count], ids[segment_count:]

    if (ids % 3).all():  # no crossing on a sample: nothing to drop, no crossing shared by more than two segments
        path = np.array(_chains(start, end, shares_samples=False))
    else:
        kept = _distinct_segments(start, end)
        if kept.size == 0:
            return np.empty(0), np.empty(0)
        point_of_kept = np.concatenate([kept, kept + segment_count, [2 * segment_count]])
        path = point_of_kept[_chains(start[kept], end[kept], shares_samples=True)]
    return np.append(xs, np.nan)[path], np.append(ys, np.nan)[path]


def iso_lines_many(fields: np.ndarray, level: float, x_range: tuple[float, float],
                   y_range: tuple[float, float]) -> list[tuple[np.ndarray, np.ndarray]]:
    """``iso_lines`` of each field of ``fields`` (F, rows, columns), in order."""
    return [iso_lines(field, level, x_range, y_range) for field in fields]


def _cell_cases(values: np.ndarray, level: float) -> np.ndarray:
    """(rows − 1, columns − 1) uint8 cases (bits as in ``_CASE_BIT``); 0 where a corner is not finite."""
    above = (values >= level).view(np.uint8)
    left_right = above[:, :-1] | (above[:, 1:] << 1)
    case = left_right[:-1] | (left_right[1:] << 2)
    finite = np.isfinite(values)
    if not finite.all():
        case[~(finite[:-1, :-1] & finite[:-1, 1:] & finite[1:, 1:] & finite[1:, :-1])] = 0
    return case


def _crossings(values: np.ndarray, level: float, x_range: tuple[float, float], y_range: tuple[float, float],
               cell_sample: np.ndarray, edge: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the curve crosses ``edge`` of the cells whose sample (i, j) has flat index ``cell_sample``:
    (crossing ids, x, y) in data coordinates.

    The position is computed from the edge's own two samples in grid order, never from the cell, so
    the two cells sharing an edge get the same bits.  Id ``3·s + 1`` and ``3·s + 2`` are the
    horizontal and vertical edges leaving sample s; ``3·s`` is sample s itself, for a crossing whose
    coordinates round onto the sample's (t = 0 or 1, or t within rounding of them).  Crossings on
    different edges can only coincide at a sample, so equal ids and equal positions go together and
    dropping segments with equal end ids leaves no zero-length segment.
    """
    rows, columns = values.shape
    x_step = (x_range[1] - x_range[0]) / (columns - 1)
    y_step = (y_range[1] - y_range[0]) / (rows - 1)
    vertical = _EDGE_VERTICAL[edge]
    horizontal = 1 - vertical
    first_sample = cell_sample + (_EDGE_FIRST_ROW * columns + _EDGE_FIRST_COLUMN)[edge]
    first_row, first_column = np.divmod(first_sample, columns)
    flat = values.ravel()
    first_value = flat[first_sample]
    t = (level - first_value) / (flat[first_sample + (_EDGE_VERTICAL * (columns - 1) + 1)[edge]] - first_value)
    # Every coordinate is origin + index · step, as for the samples themselves, so that a crossing
    # that rounds onto its nearer sample has exactly that sample's coordinates.
    x = x_range[0] + (first_column + t * horizontal) * x_step
    y = y_range[0] + (first_row + t * vertical) * y_step
    nearer_second = t >= 0.5
    nearer_row = first_row + nearer_second * vertical
    nearer_column = first_column + nearer_second * horizontal
    on_sample = (x == x_range[0] + nearer_column * x_step) & (y == y_range[0] + nearer_row * y_step)
    ids = np.where(on_sample, 3 * (nearer_row * columns + nearer_column), 3 * first_sample + 1 + vertical)
    return ids, x, y


def _distinct_segments(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Indices of the segments to keep: not zero-length, and each undirected pair of crossings once.

    Only needed when some crossing is a sample: within a cell two edges differ and two cells share
    one edge, so a zero-length or repeated segment needs a sample at an end — an edge whose two
    samples are at the level (both cells draw it), or a crossing of the shared edge joined to one
    that rounded onto a sample.
    """
    nonzero = np.flatnonzero(start != end)
    low, high = np.minimum(start[nonzero], end[nonzero]), np.maximum(start[nonzero], end[nonzero])
    pair = low * (int(high.max(initial=0)) + 1) + high
    by_pair = np.argsort(pair)
    repeated = pair[by_pair[1:]] == pair[by_pair[:-1]]
    return np.delete(nonzero, by_pair[1:][repeated])


def _chains(start: np.ndarray, end: np.ndarray, shares_samples: bool) -> list[int]:
    """The segments (crossing ids ``start`` → ``end``) joined into polylines, as a list of point
    numbers: k for segment k's end point, n + k for its start point, 2n for the break after each
    polyline.  Open polylines (ending at the grid border or a NaN) come first, closed ones after.

    The successor of a segment is one starting where it ends.  Where several segments start at the
    same crossing (``shares_samples``: a sample at the level), the m-th segment ending there is
    followed by the m-th starting there: any one-to-one pairing covers every segment exactly once.
    """
    count = start.size
    # A slot past the last start (an end with no successor) lands on the sentinel −1, never an id.
    by_start = np.append(np.argsort(start), -1)
    sorted_start = np.append(start[by_start[:-1]], -1)
    slot = np.searchsorted(sorted_start[:-1], end)
    if shares_samples:
        by_end = np.argsort(end)
        sorted_end = end[by_end]
        rank_among_same_end = np.empty(count, dtype=np.intp)
        rank_among_same_end[by_end] = np.arange(count) - np.searchsorted(sorted_end, sorted_end)
        slot = np.minimum(slot + rank_among_same_end, count)
    successor = np.where(sorted_start[slot] == end, by_start[slot], -1)
    has_predecessor = np.zeros(count, dtype=bool)
    has_predecessor[successor[successor >= 0]] = True

    # The successor map is one-to-one, so a walk from a segment without predecessor ends at a segment
    # without successor, and one from any other segment comes back to where it started.
    next_of = successor.tolist()
    path: list[int] = []
    for head in np.flatnonzero(~has_predecessor).tolist():
        path.append(count + head)
        segment = head
        while segment != -1:
            path.append(segment)
            segment = next_of[segment]
        path.append(2 * count)
    # Whatever the open chains left lies on loops; only those segments are marked one by one, to
    # start each loop once.
    on_open_chain = np.zeros(2 * count + 1, dtype=bool)  # by point number: end point k is segment k
    on_open_chain[path] = True
    on_loop = bytearray(count)
    for head in np.flatnonzero(~on_open_chain[:count]).tolist():
        if on_loop[head]:
            continue
        path += [count + head, head]
        on_loop[head] = 1
        segment = next_of[head]
        while segment != head:
            on_loop[segment] = 1
            path.append(segment)
            segment = next_of[segment]
        path.append(2 * count)
    return path

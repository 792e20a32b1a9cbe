"""Cost of one parameters-table refresh for a 32-unit cascade on degree-15 features (4,385 rows).

What is measured, each the best of 5 runs of 20 calls (5 for the slow baseline):

* ``TableLayout.table``: one frame's numbers into a layout built once per problem (what the panel does);
* ``parameter_table``: the same building the names and order afresh (once per problem in the window);
* ``number_width`` of the three number columns, the panel's bound on their widest text, against the
  baseline of formatting every cell with ``number()`` and measuring it with the font (ratio printed).

Run:  QT_QPA_PLATFORM=offscreen python benchmarks/bench_parameters_table.py
"""

from __future__ import annotations

import math
import time

import PySide6  # noqa: F401  (pyqtgraph and Qt: PySide6 first, docs/architecture.md)
from PySide6.QtWidgets import QApplication, QTableView

from regstudio.core.generators import generate
from regstudio.core.readable import TableLayout, parameter_table
from regstudio.core.training import Settings, Trainer, prepare
from regstudio.gui.readouts import number, number_width


def best_ms(function, calls: int = 20, runs: int = 5) -> float:
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        times.append((time.perf_counter() - start) / calls)
    return min(times) * 1e3


def main() -> None:
    app = QApplication.instance() or QApplication([])
    problem = prepare(generate("spiral", n=2000, seed=0), Settings(model="cascade", hidden=32, degree=15))
    trainer = Trainer(problem)
    trainer.step()
    snapshot = trainer.snapshot()
    theta = problem.model.pack(snapshot.params)
    layout = TableLayout(problem)
    table = layout.table(theta, snapshot.gradient, snapshot.update)
    advance = QTableView().fontMetrics().horizontalAdvance

    def measured():
        return [max(advance(number(float(v))) for v in table.values[:, j] if not math.isnan(v)) for j in range(3)]

    print(f"rows: {len(table.names):,}")
    print(f"TableLayout.table:          {best_ms(lambda: layout.table(theta, snapshot.gradient, snapshot.update)):8.3f} ms")
    print(f"parameter_table (+ layout): {best_ms(lambda: parameter_table(problem, snapshot.params, snapshot.gradient, snapshot.update)):8.3f} ms")
    bound = best_ms(lambda: [number_width(table.values[:, j], advance) for j in range(3)])
    baseline = best_ms(measured, calls=5)
    print(f"number_width, 3 columns:    {bound:8.3f} ms")
    print(f"format and measure cells:   {baseline:8.3f} ms  ({baseline / bound:.0f}× the bound)")
    del app


if __name__ == "__main__":
    main()

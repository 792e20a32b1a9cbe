"""How long a lesson takes from its menu click to ready (budget ≤ 300 ms).

Ready = the lesson's points, settings, pinned runs, views and caption are in place and the training
process has answered with the new run's first frame, drawn.  Printed per lesson: the load itself
(``LessonActions.load``), and click → first frame drawn; median of several clicks, against the
cost of a plain Reset in the same window as the baseline.

    python benchmarks/bench_lessons.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    import PySide6  # noqa: F401  (pyqtgraph must pick PySide6)
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from regstudio.core.lessons import LESSONS
    from regstudio.gui import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.show()

    def run_until(condition, timeout=10.0) -> None:
        deadline = time.perf_counter() + timeout
        while not condition() and time.perf_counter() < deadline:
            loop = QEventLoop()
            QTimer.singleShot(1, loop.quit)
            loop.exec()

    def ready(run_id) -> bool:
        frame = window.controller.latest
        return frame is not None and frame.run_id == run_id and window.controller.consistent() is not None

    def time_action(action) -> tuple[float, float]:
        started = time.perf_counter()
        action()
        loaded = time.perf_counter() - started
        run_id = window.controller.run_id
        run_until(lambda: ready(run_id))
        return loaded, time.perf_counter() - started

    run_until(lambda: window.controller.latest is not None)
    print(f"{'lesson':<16} {'load ms':>8} {'click → first frame ms':>24} {'≤300':>5}")
    worst = 0.0
    for item in LESSONS:
        action = window.findChild(type(window.menuBar().actions()[0]), item.action_name)
        times = [time_action(action.trigger) for _ in range(args.repeats)]
        load = statistics.median(t[0] for t in times) * 1000
        total = statistics.median(t[1] for t in times) * 1000
        worst = max(worst, total)
        print(f"{item.key:<16} {load:>8.1f} {total:>24.1f} {'PASS' if total <= 300 else 'FAIL':>5}")
    resets = [time_action(window.presenter.restart) for _ in range(args.repeats)]
    baseline = statistics.median(t[1] for t in resets) * 1000
    print(f"baseline: Reset → first frame {baseline:.1f} ms; slowest lesson {worst:.1f} ms "
          f"({worst / baseline:.1f}× a Reset)")
    window.document.mark_saved(None)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

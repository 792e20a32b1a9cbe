"""Colours, symbols and plot defaults shared by the views."""

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem

from ..core.session import MAX_CLASSES

# Okabe–Ito (colour-blind safe) first, then three more distinct hues: up to ten classes.
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9",
                "#D55E00", "#8C6D00", "#000000", "#7F7F7F", "#882255"]
CLASS_SYMBOLS = ["o", "s", "t", "d", "star", "p", "h", "t1", "x", "+"]
REGRESSION_COLOR = "#0072B2"
FIT_COLOR = "#D55E00"
GROUP_COLORS = CLASS_COLORS
assert len(CLASS_COLORS) == len(CLASS_SYMBOLS) == MAX_CLASSES  # a colour and a symbol for each class


def class_rgb() -> np.ndarray:
    """(10, 3) uint8 class colours, for the probability map."""
    return np.array([pg.mkColor(c).getRgb()[:3] for c in CLASS_COLORS], dtype=np.uint8)


PRESENTATION_SCALE = 1.5   # View → Presentation: text, lines and symbols this much larger, for a projector
PRESENTATION_VIEW_HEIGHT = 0.23   # of the window's height for the loss plot and views (larger text needs room)


def scaled_font(scale: float):
    """The application's font at ``scale`` × its size."""
    from PySide6.QtWidgets import QApplication

    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    return font


def plain_plot(plot: pg.PlotWidget) -> None:
    """What every plot of the window shares: axis labels without pyqtgraph's automatic SI prefix (with
    no unit, values all below 1 — an error of 0.4, data between 0 and 1 — put "(x0.001)" beside the
    label and multiplied every tick by 1000), axis names painted from a cached pixmap (see
    ``cache_painting``), and no pyqtgraph right-click menu (English only, whatever the window's
    language)."""
    for side in ("left", "bottom"):
        axis = plot.getAxis(side)
        axis.enableAutoSIPrefix(False)
        cache_painting(axis.label)
    plot.setMenuEnabled(False)


def cache_painting(item: QGraphicsItem) -> None:
    """Paint ``item`` and everything in it from pixmaps Qt keeps, redrawn only when an item changes.

    For what holds still while a plot repaints 26 times a second during training: text (an axis
    name, a legend's labels) costs Qt a layout and glyph run per paint, 0.2 ms per legend.  A text
    item redraws its pixmap when its text or font changes.  A legend's samples are left out: each
    paints its curve's pen and symbol as they are now, and a curve restyled later (the test error's
    symbols take their colour with their first data) would keep an old sample.
    """
    pending = [item]
    while pending:
        current = pending.pop()
        if isinstance(current, pg.ItemSample):
            continue
        current.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        current.update()
        pending.extend(current.childItems())


def scale_plot_text(plot: pg.PlotWidget, scale: float, legend: pg.LegendItem | None = None) -> None:
    """Axis numbers, axis names and legend entries of ``plot`` at ``scale`` × the application's font."""
    font = scaled_font(scale)
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setStyle(tickFont=font)
        axis.label.setFont(font)
        axis.resizeEvent()
    if legend is not None:
        legend.setLabelTextSize(f"{9 * scale:g}pt")
        cache_painting(legend)   # its labels' pixmaps at the new size


def configure_pyqtgraph() -> None:
    pg.setConfigOptions(background="w", foreground="k", antialias=True, useOpenGL=False, imageAxisOrder="row-major")


def color_index(label: str, classes) -> int:
    """Drawn labels "0"…"9" keep their own colour; other labels take their place in class order."""
    if label.isdigit() and int(label) < MAX_CLASSES:
        return int(label)
    return list(classes).index(label) % MAX_CLASSES if label in classes else 0


def class_colors(classes) -> np.ndarray:
    """(K, 3) uint8 colours of ``classes`` in model order, as the points and the legend show them."""
    palette = class_rgb()
    return np.array([palette[color_index(c, classes)] for c in classes], dtype=np.uint8).reshape(-1, 3)

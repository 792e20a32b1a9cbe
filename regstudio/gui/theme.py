"""Colours of the text around the plots, taken from the palette so a dark desktop stays readable.

The plots themselves keep their white background by design (``style.configure_pyqtgraph``: the class
colours and the probability map are chosen for it); everything outside them follows the palette.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel

# How far a note's grey moves from the text colour towards the background: far enough to read as
# secondary, near enough for a WCAG contrast of at least 4.5 on both light and dark palettes.
NOTE_FADE = 0.35


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved the fraction ``t`` of the way to ``b``."""
    return QColor.fromRgbF(a.redF() + t * (b.redF() - a.redF()), a.greenF() + t * (b.greenF() - a.greenF()),
                           a.blueF() + t * (b.blueF() - a.blueF()))


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5


def note_color(palette: QPalette | None = None) -> QColor:
    """A secondary text colour: the window text faded towards the window background."""
    palette = palette or QApplication.palette()
    return mix(palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), NOTE_FADE)


def message_style(error: bool, palette: QPalette | None = None) -> str:
    """The message bar's colours: red for what went wrong, green for what was done, as light text on
    a dark tint in a dark palette and dark text on a light tint otherwise."""
    if is_dark(palette):
        text, background = ("#ffb4ab", "#5c1f1c") if error else ("#b5e3b8", "#1f3d22")
    else:
        text, background = ("#a40000", "#fde8e8") if error else ("#1d5e20", "#e8f5e9")
    return f"color: {text}; background: {background}; padding: 4px;"


def dark_palette() -> QPalette:
    """A dark palette of the kind desktops apply (Fusion's roles, dark greys, light text), for the
    screenshots and the tests that check the window reads well in one."""
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#333333",
        QPalette.ColorRole.Text: "#e8e8e8", QPalette.ColorRole.Button: "#3a3a3a",
        QPalette.ColorRole.ButtonText: "#e8e8e8", QPalette.ColorRole.ToolTipBase: "#3a3a3a",
        QPalette.ColorRole.ToolTipText: "#e8e8e8", QPalette.ColorRole.Highlight: "#3d7ab8",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.Link: "#8ab4f8",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a", QPalette.ColorRole.BrightText: "#ff6b6b",
        QPalette.ColorRole.Light: "#505050", QPalette.ColorRole.Midlight: "#444444",
        QPalette.ColorRole.Mid: "#333333", QPalette.ColorRole.Dark: "#1a1a1a", QPalette.ColorRole.Shadow: "#000000",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#7a7a7a"))
    return palette


class NoteLabel(QLabel):
    """A label for secondary notes (which inputs the axes show, …) in :func:`note_color`, recomputed
    whenever the application's palette changes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._follow_palette()

    def _follow_palette(self) -> None:
        colour = note_color(QApplication.palette())
        if self.palette().color(QPalette.ColorRole.WindowText) == colour:
            return  # setting the palette sends another PaletteChange: this ends the round
        palette = QPalette()  # only the role set here is the label's own; the others stay inherited
        palette.setColor(QPalette.ColorRole.WindowText, colour)
        self.setPalette(palette)

    def changeEvent(self, event) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._follow_palette()
        super().changeEvent(event)

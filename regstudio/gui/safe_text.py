"""Text from data and files shown as the characters it holds, never as markup.

Column names, class labels, group names, file names and the cells quoted in error messages reach
the screen through widgets that read markup: pyqtgraph's axis labels, titles and legend entries
are always HTML; QLabel, QMessageBox and tooltips guess (``Qt.mightBeRichText``) and take text
that starts with a tag for HTML; menus read ``&`` as a keyboard accelerator; window titles read
``[*]`` as the unsaved-changes mark.  A CSV header ``<img src="/dev/zero">`` made Qt read the
device until memory ran out, and ``<img src=local.png>`` wrecked the layout.

QLabels that show such text are set to ``Qt.TextFormat.PlainText`` where they are made; the
functions here cover the places that take no format.
"""

from __future__ import annotations

import html


def html_text(text: str) -> str:
    """``text`` for a place that is always HTML (pyqtgraph's labels, titles and legend entries)."""
    return html.escape(text)


def rich_plain(text: str) -> str:
    """``text`` for a place that guesses the format and offers no switch (the static QMessageBox
    functions, tooltips): HTML that shows exactly ``text``, its line breaks and spaces included."""
    return f'<p style="white-space:pre-wrap">{html.escape(text)}</p>'


def menu_text(text: str) -> str:
    """``text`` for a menu item or a button: ``&&`` shows one ``&`` instead of underlining the next letter."""
    return text.replace("&", "&&")


def title_text(text: str) -> str:
    """``text`` for a window title: ``[*][*]`` shows ``[*]`` instead of the unsaved-changes mark."""
    return text.replace("[*]", "[*][*]")

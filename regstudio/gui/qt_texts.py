"""Texts of Qt's own widgets that the Chinese catalogue shipped with PySide6 lacks.

Qt 6's widget file dialog asks for "&Look in:" and "Files of &type:" (with their shortcuts), and
``qtbase_zh_CN.qm`` only has them without the "&", so the Chinese window showed them in English.
Listed here, they reach regstudio's own catalogue (``tools/update_translations.py`` collects
every ``QT_TRANSLATE_NOOP``), which Qt asks first (see ``i18n.install_language``).
"""

from __future__ import annotations

from .i18n import QT_TRANSLATE_NOOP

QT_CATALOGUE_GAPS = (
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "&Look in:")),
    ("QFileDialog", QT_TRANSLATE_NOOP("QFileDialog", "Files of &type:")),
)

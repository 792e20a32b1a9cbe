"""The window's languages: which translation is installed, and core's messages shown translated.

Every string the window shows goes through Qt's translation (``self.tr`` or
``QCoreApplication.translate``). Core cannot import Qt, so it makes :class:`~regstudio.core.messages.Message`
strings that remember their template; :func:`localized` looks those up in the same translation.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from ..core.generators import generated_names
from ..core.messages import Message, english_plural
from ..core.session import Points
from ..desktop import resource_folder
from .window_settings import settings


def localized(text: str) -> str:
    """``text`` in the window's language: a core :class:`Message` is translated, with its fields
    (themselves localized when they are messages); any other string is returned as it is."""
    if not isinstance(text, Message):
        return text
    template = QCoreApplication.translate(text.context, text.template, "", text.n)
    if text.n >= 0 and template == text.template.replace("%n", str(text.n)):
        # Untranslated (English): lupdate keeps core's plurals as plain strings, so pick the form here.
        template = english_plural(text.template, text.n)
    if not text.fields:
        return template
    return template.format(**{key: localized(value) if isinstance(value, str) else value
                              for key, value in text.fields.items()})


def error_text(exc: BaseException) -> str:
    """The one-line message of ``exc`` in the window's language (``str(exc)`` loses a Message's template)."""
    if exc.args and isinstance(exc.args[0], str) and len(exc.args) == 1:
        return localized(exc.args[0])
    return str(exc)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:
    """Mark ``source`` for translation under ``context`` and return it unchanged, to be translated where
    it is shown.  Qt's own does the same, but its stubs type the result ``object``; lupdate finds
    either by name."""
    return source


# The languages the window speaks, each named in itself (a menu of languages is read by someone who
# may not read the current one).
LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
LANGUAGE_KEY = "ui/language"
_installed: list[QTranslator] = []
_current = "en"


def translations_folder() -> Path:
    """Where the ``regstudio_<language>.qm`` files are: in the installed package, or in ``resources/`` when
    the source tree comes first on the path (the README's test command run from a checkout)."""
    return resource_folder() / "i18n"


def system_language(locale: QLocale | None = None) -> str:
    """The supported language closest to ``locale`` (default: the system's, which follows ``LANG``)."""
    locale = locale or QLocale.system()
    return "zh_CN" if locale.language() == QLocale.Language.Chinese else "en"


def chosen_language() -> str:
    """The language chosen under View → Language, else the system's."""
    value = settings().value(LANGUAGE_KEY)
    return value if value in LANGUAGES else system_language()


def remember_language(language: str) -> None:
    settings().setValue(LANGUAGE_KEY, language)


def current_language() -> str:
    """The language installed last by :func:`install_language` ("en" before any)."""
    return _current


def install_language(language: str) -> None:
    """Make ``language`` the application's: regstudio's translation and Qt's own (standard buttons,
    file dialogs).  English installs only the English plural forms ("1 point", "2 points")."""
    app = QCoreApplication.instance()
    if app is None:
        raise RuntimeError("install_language() needs the application to exist")
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    sources = [(f"regstudio_{language}", str(translations_folder()))]
    if language != "en":
        sources.append((f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)))
    for name, folder in sources:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _installed.append(translator)
    global _current
    _current = language


def ensure_language() -> None:
    """Install the chosen language (View → Language, else the system's) unless one already is: the
    first window made does it, from ``app.run`` or not."""
    if not _installed:
        install_language(chosen_language())


def localized_generated(points: Points) -> Points:
    """``points`` from a built-in set with the names it wrote (groups and their column) in the
    window's language: the hidden-factor set's "species A" is "物种 A" in the Chinese window."""
    names = generated_names(points.data.source)
    shown = {english: localized(message) for english, message in names.items()}
    if all(english == text for english, text in shown.items()):
        return points
    data = points.data
    groups = None if data.groups is None else np.array([shown.get(g, g) for g in data.groups.tolist()])
    group_name = None if data.group_name is None else shown.get(data.group_name, data.group_name)
    return Points(replace(data, groups=groups, group_name=group_name), points.test)

"""The window's languages: which translation is installed, and core's messages shown translated.

Every string the window shows goes through Qt's translation (``self.tr`` or
``QCoreApplication.translate``). Core cannot import Qt, so it makes :class:`~regstudio.core.messages.Message`
strings that remember their template; :func:`localized` looks those up in the same translation.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from ..core.messages import Message


def localized(text: str) -> str:
    """``text`` in the window's language: a core :class:`Message` is translated, with its fields
    (themselves localized when they are messages); any other string is returned as it is."""
    if not isinstance(text, Message):
        return text
    template = QCoreApplication.translate(text.context, text.template, None, text.n)
    if not text.fields:
        return template
    return template.format(**{key: localized(value) if isinstance(value, str) else value
                              for key, value in text.fields.items()})


def error_text(exc: BaseException) -> str:
    """The one-line message of ``exc`` in the window's language (``str(exc)`` loses a Message's template)."""
    if exc.args and isinstance(exc.args[0], str) and len(exc.args) == 1:
        return localized(exc.args[0])
    return str(exc)

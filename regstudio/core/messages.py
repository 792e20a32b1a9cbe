"""User-facing text made in core, translatable by the window without core importing Qt.

Core writes its messages in English as ``translate("Data", "{file}: row {row} …").format(file=…, row=…)``.
The call looks like Qt's ``QCoreApplication.translate(context, source)`` on purpose: ``pyside6-lupdate``
finds it by name and puts the template into the translation file. What it returns is a
:class:`Message`, a ``str`` holding the English text (for the command line, logs and exceptions) that
also remembers its context, template and fields, so the window can look the template up in the
current translation and fill in the same fields (``regstudio.gui.i18n.localized``).

Plurals follow Qt: ``translate("Training", "solved exactly in %n step(s)", "", n)``. The English
text picks "step" or "steps" itself; a translation supplies its own forms.

Advice that names a setting names it as each front end does: the command line its flag, the window
its control. ``translate("Models", "choose Softmax regression under Model").for_command_line("use
--model softmax")`` is one message whose English text (``str``, what the command line prints) names
the flag and whose template (what the window translates and shows) names the control; used as a
field of another message, it fills that message differently in each.
"""

from __future__ import annotations

import re

_PLURAL_SUFFIX = re.compile(r"\((\w+)\)")


def english_plural(template: str, n: int) -> str:
    """``"%n step(s)"`` with n = 1 → ``"1 step"``, with n = 3 → ``"3 steps"``."""
    text = _PLURAL_SUFFIX.sub("" if n == 1 else r"\1", template)
    return text.replace("%n", str(n))


class Message(str):
    """English text plus what made it: ``context``, ``template`` (the lupdate source), ``fields``, ``n``.

    >>> m = translate("Data", "{file}: no rows").format(file="a.csv")
    >>> m, m.template, m.fields
    ('a.csv: no rows', '{file}: no rows', {'file': 'a.csv'})
    """

    context: str
    template: str
    fields: dict
    n: int
    _english: str

    def __new__(cls, context: str, template: str, fields: dict | None = None, n: int = -1) -> Message:
        english = english_plural(template, n) if n >= 0 else template
        return cls._made(context, template, english, dict(fields or {}), n)

    @classmethod
    def _made(cls, context: str, template: str, english: str, fields: dict, n: int) -> Message:
        # Parameter tables name thousands of rows with one template: no work here that a template
        # could do once (``english`` is the template with its plural already chosen).
        message = super().__new__(cls, english.format(**fields) if fields else english)
        message.context, message.template, message.fields, message.n = context, template, fields, n
        message._english = english
        return message

    def format(self, *args, **fields) -> Message:
        """The same template with ``fields`` filled in (positional arguments are not used by core)."""
        if args:
            raise TypeError("Message.format takes named fields only")
        merged = {**self.fields, **fields} if self.fields else fields
        return Message._made(self.context, self.template, self._english, merged, self.n)

    def for_command_line(self, english: str) -> Message:
        """This message with ``english`` as its English text (``str``: what the command line prints)
        while the window still translates and shows its template (see the module's docstring)."""
        return Message._made(self.context, self.template, english, self.fields, self.n)

    def __reduce__(self):
        """Pickled whole (kept for messages that are saved or sent elsewhere)."""
        return Message._made, (self.context, self.template, self._english, self.fields, self.n)

    def __repr__(self) -> str:
        return f"Message({self.context!r}, {str(self)!r})"


def translate(context: str, template: str, disambiguation: str = "", n: int = -1) -> Message:
    """Mark ``template`` for translation under ``context``; returns it as an English :class:`Message`."""
    return Message(context, template, None, n)

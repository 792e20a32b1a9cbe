"""The translation files against the code: complete, current, compiled, and no text left unwrapped."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "i18n"
if not (ROOT / "tools" / "update_translations.py").is_file():
    pytest.skip("needs the source tree (tools/, resources/)", allow_module_level=True)
sys.path.insert(0, str(ROOT / "tools"))
import update_translations  # noqa: E402

PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    """(context, source) → the <message> element, for every message of ``ts``."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found[(name, message.findtext("source"))] = message
    return found


def translations(message: ET.Element) -> list[str]:
    element = message.find("translation")
    forms = element.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [element.text or ""]


@pytest.mark.parametrize("language", update_translations.LANGUAGES)
def test_the_translation_files_hold_exactly_the_strings_the_code_has(tmp_path, language):
    committed = FOLDER / f"regstudio_{language}.ts"
    fresh = tmp_path / committed.name
    shutil.copy(committed, fresh)
    update_translations.lupdate(fresh, language)
    missing = set(messages(fresh)) - set(messages(committed))
    gone = set(messages(committed)) - set(messages(fresh))
    assert not missing, f"run tools/update_translations.py: {len(missing)} new strings, e.g. {sorted(missing)[:5]}"
    assert not gone, f"run tools/update_translations.py: {len(gone)} strings no longer in the code"


@pytest.mark.parametrize("language", update_translations.LANGUAGES)
def test_every_string_has_a_translation_with_the_same_placeholders(language):
    found = messages(FOLDER / f"regstudio_{language}.ts")
    assert found
    problems = []
    for (context, source), message in found.items():
        element = message.find("translation")
        texts = translations(message)
        if element.get("type") in ("unfinished", "vanished", "obsolete") or not all(t.strip() for t in texts):
            problems.append(f"{context}: {source!r} is not translated")
            continue
        for text in texts:
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                problems.append(f"{context}: {source!r} → {text!r} changes the {{fields}}")
            if ("%n" in source) != ("%n" in text):
                problems.append(f"{context}: {source!r} → {text!r} drops %n")
    assert not problems, "\n".join(problems[:20])


def test_chinese_plural_strings_have_one_form_and_english_two():
    for language, forms in (("zh_CN", 1), ("en", 2)):
        for key, message in messages(FOLDER / f"regstudio_{language}.ts").items():
            if message.get("numerus") == "yes":
                assert len(translations(message)) == forms, (language, key)


@pytest.mark.parametrize("language", update_translations.LANGUAGES)
def test_the_compiled_translations_are_current(tmp_path, language):
    ts = FOLDER / f"regstudio_{language}.ts"
    qm = tmp_path / "fresh.qm"
    update_translations.lrelease(ts, qm)
    assert qm.read_bytes() == ts.with_suffix(".qm").read_bytes(), "run tools/update_translations.py"


# --- no text left unwrapped -------------------------------------------------------------------------

# Calls that put their (first, or listed) argument on screen.
SHOWN_ARGUMENTS = {
    "QLabel": (0,), "QPushButton": (0,), "QCheckBox": (0,), "QRadioButton": (0,), "QGroupBox": (0,),
    "QToolButton": (0,), "QAction": (0,), "QMenu": (0,), "QDockWidget": (0,), "TextItem": (0,),
    "setText": (0,), "setToolTip": (0,), "setStatusTip": (0,), "setWhatsThis": (0,), "setWindowTitle": (0,),
    "setPlaceholderText": (0,), "setTitle": (0,), "addMenu": (0,), "addItem": (0,), "addTab": (1,),
    "setTabText": (1,), "setAccessibleName": (0,), "setSuffix": (0,), "setPrefix": (0,),
    "setSpecialValueText": (0,), "setFormat": (0,), "setLabel": (1,), "setLabels": (0,), "setHeaderLabels": (0,),
    "setHorizontalHeaderLabels": (0,), "show_message": (0,), "show_error": (0,), "set_note": (0,),
    "information": (1, 2), "warning": (1, 2), "critical": (1, 2), "question": (1, 2), "about": (1, 2),
    "getOpenFileName": (1, 3), "getSaveFileName": (1, 3), "addRow": (0,), "addToolBar": (0,),
}
# A string with a word in it (two letters or more) is text; "x", "θ", "y = wx + b" are symbols.
WORD = re.compile(r"[A-Za-z]{2,}")
TAG = re.compile(r"<[^>]*>")
PROPER_NAMES = {"regstudio", "CSV", "PNG", "SVG", "XOR", "Adam", "Adagrad"}


def _shown_literals(node: ast.AST):
    """The string literals that ``node``, an argument, can put on screen as they are: a call's result
    (tr, translate, localized, format) is not one, nor is the condition of ``a if test else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.JoinedStr):
        for part in node.values:
            yield from _shown_literals(part)
    elif isinstance(node, ast.IfExp):
        yield from _shown_literals(node.body)
        yield from _shown_literals(node.orelse)
    elif isinstance(node, ast.BinOp):
        yield from _shown_literals(node.left)
        yield from _shown_literals(node.right)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from _shown_literals(value)


def _bare_texts(tree: ast.AST):
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for index in SHOWN_ARGUMENTS.get(name, ()):
            if index < len(node.args):
                for text in _shown_literals(node.args[index]):
                    if set(WORD.findall(TAG.sub("", text))) - PROPER_NAMES:
                        yield node.lineno, text


def test_no_text_reaches_a_widget_without_translation():
    found = []
    for path in sorted((ROOT / "regstudio" / "gui").glob("*.py")):
        for line, text in _bare_texts(ast.parse(path.read_text(encoding="utf-8"))):
            found.append(f"{path.name}:{line}: {text!r}")
    assert not found, "wrap in tr()/translate():\n" + "\n".join(found)


def test_the_scan_finds_a_bare_literal():
    tree = ast.parse('label = QLabel("Learning rate")\nwidget.setToolTip(self.tr("Fine"))\nb.setLabel("left", "loss")')
    assert [text for _, text in _bare_texts(tree)] == ["Learning rate", "loss"]


def test_the_translation_tools_come_with_pyside6():
    for name in ("pyside6-lupdate", "pyside6-lrelease"):
        assert subprocess.run([update_translations.tool(name), "-help"], capture_output=True).returncode in (0, 1)

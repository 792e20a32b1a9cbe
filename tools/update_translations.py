"""Refresh the translation files from the code: ``python tools/update_translations.py``.

1. ``pyside6-lupdate`` collects every ``tr``/``translate``/``QT_TRANSLATE_NOOP`` string of the window
   (``regstudio/gui``), of core's messages (``regstudio/core``) and of the command line into
   ``resources/i18n/regstudio_zh_CN.ts``, keeping the translations already there; strings the code
   no longer has are dropped.  Translate the new ones (``unfinished``) with Qt Linguist
   (``pyside6-linguist``) or any editor.
2. The same run writes ``regstudio_en.ts`` with only the plural strings (``%n``): English needs its
   own forms for those ("1 point", "2 points"); every other English string is its own source.
3. ``pyside6-lrelease`` compiles both into the ``.qm`` files the window loads.

``tests/test_translations.py`` fails when the ``.ts`` files are behind the code, when a string has
no Chinese translation, or when a ``.qm`` is older than its ``.ts``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "resources" / "i18n"
LANGUAGES = ("zh_CN", "en")


def tool(name: str) -> str:
    """A PySide6 tool, preferring the one beside this Python (a venv need not be on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"update_translations: {name} not found (it comes with PySide6-Essentials)")
    return found


def sources(root: Path = ROOT) -> list[str]:
    files = [*sorted((root / "regstudio" / "gui").glob("*.py")), *sorted((root / "regstudio" / "core").glob("*.py")),
             *sorted((root / "regstudio").glob("*.py"))]
    return [str(f.relative_to(root)) for f in files]


def lupdate(ts: Path, language: str, root: Path = ROOT) -> None:
    """Write ``ts`` from the code under ``root`` (``ts`` keeps the translations it already has)."""
    plural_only = ["-pluralonly"] if language == "en" else []
    subprocess.run([tool("pyside6-lupdate"), *sources(root), "-no-obsolete", "-locations", "none",
                    "-target-language", language, *plural_only, "-ts", str(ts)],
                   cwd=root, check=True, capture_output=True)


def lrelease(ts: Path, qm: Path) -> None:
    """Compile ``ts`` into ``qm`` by renaming a finished file into place: a running window maps the old
    ``.qm`` into memory, and rewriting it in place crashes that window (a bus error)."""
    partial = qm.with_name(qm.name + ".partial")
    subprocess.run([tool("pyside6-lrelease"), str(ts), "-qm", str(partial)], check=True, capture_output=True)
    partial.replace(qm)


def main() -> int:
    FOLDER.mkdir(parents=True, exist_ok=True)
    for language in LANGUAGES:
        ts = FOLDER / f"regstudio_{language}.ts"
        lupdate(ts, language)
        lrelease(ts, ts.with_suffix(".qm"))
        print(f"{ts.relative_to(ROOT)} and its .qm updated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

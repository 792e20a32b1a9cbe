"""Packaging and layering: the core and the command line never import Qt; resources ship."""

import json
import subprocess
import sys

import pytest

QT_MODULES = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")


def _run_isolated(code: str, cwd) -> str:
    # -I: no user site, no PYTHONPATH and no current folder on sys.path, so the installed package is used.
    result = subprocess.run([sys.executable, "-I", "-c", code], cwd=cwd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("module", ["regstudio.core", "regstudio.core.training", "regstudio.core.modelfile",
                                    "regstudio.cli"])
def test_module_imports_no_qt(module, tmp_path):
    out = _run_isolated(
        f"import sys, {module}\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))", tmp_path)
    assert out.strip() == "[]"


def test_train_and_predict_run_without_importing_qt(tmp_path):
    code = (
        "import sys\n"
        "from regstudio.cli import main\n"
        "from regstudio.core.data import load_sample\n"
        "path = load_sample('xor').path\n"
        f"assert main(['train', path, '--y', 'label', '--model', 'logistic', '--quiet', '--out', 'm.json']) == 0\n"
        f"assert main(['predict', 'm.json', path, '--out', 'p.csv']) == 0\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {QT_MODULES!r}))"
    )
    assert _run_isolated(code, tmp_path).strip().splitlines()[-1] == "[]"


def test_installed_package_ships_the_sample_data(tmp_path):
    out = _run_isolated(
        "from regstudio.core.data import sample_names, load_sample\n"
        "names = sample_names()\n"
        "print(names)\n"
        "print(len(load_sample('hidden_factor')))", tmp_path)
    names, rows = out.strip().splitlines()
    assert {"cubic", "hidden_factor", "xor"} <= set(eval(names))
    assert int(rows) == 90


def test_installed_metadata_names_the_licence_version_and_both_launchers(tmp_path):
    # Isolated and away from the checkout: the installed distribution's metadata, not a build's egg-info.
    out = _run_isolated(
        "import json, regstudio\n"
        "from importlib import metadata\n"
        "meta = metadata.metadata('regstudio')\n"
        "print(json.dumps({'version': meta['Version'], 'ours': regstudio.__version__,\n"
        "                  'licence': meta['License-Expression'],\n"
        "                  'files': [str(f) for f in metadata.files('regstudio') or ()],\n"
        "                  'scripts': {e.group + ':' + e.name: e.value\n"
        "                              for e in metadata.distribution('regstudio').entry_points\n"
        "                              if e.name.startswith('regstudio')},\n"
        "                  'requires': metadata.requires('regstudio')}))", tmp_path)
    found = json.loads(out)
    assert found["version"] == found["ours"]   # one version source
    assert found["licence"] == "MIT"
    assert any(f.endswith("licenses/LICENSE") for f in found["files"]), found["files"]
    assert found["scripts"] == {"console_scripts:regstudio": "regstudio.cli:main",
                                "gui_scripts:regstudio-gui": "regstudio.cli:main"}
    assert "pyqtgraph>=0.13.3" in [r.replace(" ", "") for r in found["requires"]]


def test_the_package_is_marked_typed(tmp_path):
    out = _run_isolated("import importlib.resources as r; print(r.files('regstudio').joinpath('py.typed').is_file())",
                        tmp_path)
    assert out.strip() == "True"


def test_installed_package_ships_the_icons_the_desktop_entry_and_the_samples(tmp_path):
    out = _run_isolated(
        "import json\n"
        "from regstudio.desktop import ICON_SIZES, desktop_file_path, icon_path, samples\n"
        "files = [icon_path()] + [icon_path(n) for n in ICON_SIZES] + [desktop_file_path()]\n"
        "files += [s.path for s in samples()]\n"
        "print(json.dumps({'missing': [str(f) for f in files if not f.is_file()],\n"
        "                  'samples': [s.name for s in samples()],\n"
        "                  'entry': desktop_file_path().read_text(encoding='utf-8')}))", tmp_path)
    found = json.loads(out)
    assert found["missing"] == []
    assert {"cubic", "hidden_factor", "xor"} <= set(found["samples"])
    assert "Icon=regstudio\n" in found["entry"] and "Exec=regstudio-gui %f\n" in found["entry"]


def test_installed_package_ships_the_chinese_translation_and_qt_can_load_it(tmp_path):
    out = _run_isolated(
        "import os\n"
        "os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
        "from PySide6.QtCore import QCoreApplication, QTranslator\n"
        "from regstudio.gui.i18n import translations_folder\n"
        "app = QCoreApplication([])\n"
        "loaded = {lang: QTranslator().load(f'regstudio_{lang}', str(translations_folder()))\n"
        "          for lang in ('zh_CN', 'en')}\n"
        "translator = QTranslator()\n"
        "translator.load('regstudio_zh_CN', str(translations_folder()))\n"
        "print(loaded, translator.translate('OptimizerPanel', 'Learning rate'))", tmp_path)
    assert out.strip() == "{'zh_CN': True, 'en': True} 学习率"

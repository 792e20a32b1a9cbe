"""The window in Chinese: every text a student can see, in every state the lessons reach, is Chinese.

The walk collects what the widget tree shows — labels, buttons, group boxes, combo items, menus and
their actions, tooltips, accessible names, dock titles, table headers and cells, plot axis labels,
legends — and fails on English words left in it. Proper names (regstudio, CSV, Adam, …), symbols,
numbers and the data's own column and class names are exempt.
"""

from __future__ import annotations

import re

import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractButton, QComboBox, QDockWidget, QFileDialog, QGroupBox, QLabel, QMenu,
                               QMessageBox, QTableView, QWidget)

from guihelpers import action, displayed, wait_step
from regstudio.core.generators import GENERATORS
from regstudio.core.lessons import LESSONS
from regstudio.gui.i18n import chosen_language, install_language, localized
from regstudio.gui.language import switch_language

# Names that are the same in every language, as the notes and the libraries write them.
PROPER = {"regstudio", "CSV", "PNG", "SVG", "JSON", "Qt", "PySide", "pyqtgraph", "numpy", "Python", "XOR", "Softmax",
          "Adam", "Adagrad", "Glorot", "MSE", "NaN", "UTF", "GB18030", "scikit", "learn", "MIT", "README",
          "samples", "ln", "tt", "nan", "inf", "Ctrl", "Shift", "Space",
          "English"}  # the Language menu names each language in itself
WORD = re.compile(r"[A-Za-z]{3,}")
TAG = re.compile(r"<[^>]*>")
PATH = re.compile(r"\S*[/\\]\S*|\S+\.(?:csv|json|regstudio|py|png|svg)\b")  # file names and paths
# The notes write these terms in English inside Chinese sentences: the window shows each beside the
# Chinese term, in brackets right after it ("学习率 (Learning Rate) η"), and nowhere else.
NOTES_TERMS = ("Learning Rate", "Regularization", "Cross Entropy", "Overfitting", "Gradient Descent",
               "Loss Function", "Logistic Regression", "Ordinal Logistic Regression")
NOTES_TERM = re.compile(r"(?<=[\u4e00-\u9fff]) ?[(（](?:" + "|".join(NOTES_TERMS) + r")[)）]")


# The landscapes' colour scale, a formula in every language.
FORMULA = re.compile(r"log10\(J − J_min \+ ε\)")


def english_words(text: str, exempt: set[str]) -> set[str]:
    text = FORMULA.sub(" ", NOTES_TERM.sub(" ", PATH.sub(" ", TAG.sub(" ", text.replace("&", "")))))
    return {w for w in WORD.findall(text) if w not in PROPER and w not in exempt}


def shown_texts(window) -> list[tuple[str, str]]:
    """(where, text) for every text the window's widgets, menus and plots can show."""
    texts = [("title", window.windowTitle())]
    for widget in window.findChildren(QWidget):
        name = f"{type(widget).__name__} {widget.objectName()!r}"
        texts += [(f"{name} tooltip", widget.toolTip()), (f"{name} accessible name", widget.accessibleName())]
        if isinstance(widget, QLabel):
            texts.append((name, widget.text()))
        elif isinstance(widget, QAbstractButton):
            texts.append((name, widget.text()))
        elif isinstance(widget, QGroupBox):
            texts.append((name, widget.title()))
        elif isinstance(widget, QDockWidget):
            texts.append((name, widget.windowTitle()))
        elif isinstance(widget, QComboBox):
            texts += [(f"{name} item", widget.itemText(i)) for i in range(widget.count())]
        elif isinstance(widget, QTableView) and widget.model() is not None:
            model = widget.model()
            texts += [(f"{name} header", str(model.headerData(c, Qt.Orientation.Horizontal) or ""))
                      for c in range(model.columnCount())]
            texts += [(f"{name} cell", str(model.index(r, 0).data() or "")) for r in range(model.rowCount())]
        elif isinstance(widget, pg.PlotWidget):
            item = widget.getPlotItem()
            texts += [(f"{name} axis", item.getAxis(side).labelText) for side in ("left", "bottom")]
            if item.legend is not None:
                texts += [(f"{name} legend", label.text) for _, label in item.legend.items]
            texts += [(f"{name} text", child.toPlainText()) for child in item.vb.allChildren()
                      if isinstance(child, pg.TextItem)]
    for menu in window.findChildren(QMenu):
        for entry in menu.actions():
            texts += [(f"menu {menu.title()!r}", entry.text()), (f"menu {menu.title()!r} tip", entry.toolTip())]
    return [(where, text) for where, text in texts if text]


def data_names(window) -> set[str]:
    """Column names and class labels of the data on screen: shown as the data spells them."""
    names = set()
    for points in window.document.points.values():
        data = points.data
        names |= {*data.x_names, data.y_name}
        if data.y.dtype.kind in "US":
            names |= set(data.y.tolist())
        if data.source in GENERATORS:
            continue   # a built-in set's groups ("species A") are the window's to translate
        names.add(data.group_name or "")
        if data.groups is not None:
            names |= set(data.groups.tolist())
    return {word for name in names for word in WORD.findall(name)}


def assert_chinese(window) -> None:
    exempt = data_names(window)
    left = [f"{where}: {text!r} ({', '.join(sorted(english_words(text, exempt)))})"
            for where, text in shown_texts(window) if english_words(text, exempt)]
    assert not left, "English left in the Chinese window:\n" + "\n".join(left[:30])


@pytest.fixture
def chinese():
    install_language("zh_CN")
    yield
    install_language("en")


def test_the_scan_sees_english_that_is_not_a_name():
    assert english_words("学习率 Learning rate", set()) == {"Learning", "rate"}
    assert english_words("<b>regstudio</b> 会话 (*.regstudio)", set()) == set()
    assert english_words("/home/ana/data/iris.csv：第 2 行", set()) == set()
    assert english_words("类别 setosa", {"setosa"}) == set()
    assert english_words("学习率 (Learning Rate) η", set()) == set()      # a notes' term beside its Chinese
    assert english_words("(Learning Rate) η", set()) == {"Learning", "Rate"}   # alone it is English left
    assert english_words("学习率 (Learning rate)", set()) == {"Learning", "rate"}   # not the notes' spelling


def test_every_text_of_the_window_is_chinese_in_every_lesson(chinese, make_window, qtbot, monkeypatch):
    window = make_window()
    assert_chinese(window)
    for lesson in LESSONS:
        window.lessons.load(lesson)
        for dock in window.view_docks.docks.values():
            dock.show()
        qtbot.waitUntil(lambda: window.controller.consistent() is not None, timeout=10_000)
        action(window, "actionStep").trigger()
        qtbot.wait(50)
        assert_chinese(window)


def test_the_notes_terms_stand_beside_the_chinese_ones_and_the_symbols_in_the_labels(chinese, make_window):
    window = make_window()
    labels = {label.text() for label in window.findChildren(QLabel)}
    for text in ("学习率 (Learning Rate) η", "L2 正则化 (Regularization) λ", "隐藏单元 (σ)", "分组列 (δ)"):
        assert text in labels, (text, sorted(labels))
    loss_items = [window.model_panel.loss_combo.itemText(i) for i in range(window.model_panel.loss_combo.count())]
    assert "交叉熵 (Cross Entropy)" in loss_items
    methods = [window.optimizer_panel.optimizer_combo.itemText(i)
               for i in range(window.optimizer_panel.optimizer_combo.count())]
    assert "梯度下降 (Gradient Descent)" in methods


def test_qt_file_dialog_and_plot_menus_leave_no_english(chinese, make_window):
    dialog = QFileDialog(None, "x")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)   # Qt's own widgets, as without a desktop theme
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    texts += [button.text() for button in dialog.findChildren(QAbstractButton)]
    texts += [widget.toolTip() for widget in dialog.findChildren(QWidget)]
    assert not {word for text in texts for word in english_words(text, set())}, texts
    dialog.deleteLater()
    # pyqtgraph's right-click menus are English whatever the language: no plot of the window offers one
    window = make_window()
    for view in window.view_docks.docks:
        window.view_docks.show_only([view])
    for plot in window.findChildren(pg.PlotWidget):
        assert not plot.getPlotItem().getViewBox().menuEnabled(), plot.objectName()


def test_messages_and_dialogs_are_chinese(chinese, make_window, qtbot, tmp_path, monkeypatch):
    window = make_window()
    ragged = tmp_path / "ragged.csv"
    ragged.write_text("x,y\n1,2\n3\n", encoding="utf-8")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a: shown.append(displayed(text))))
    window.open_file(str(ragged))
    assert len(shown) == 1 and "ragged.csv" in shown[0] and "第 2 行" in shown[0], shown
    assert not english_words(shown[0], set()), shown

    about = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: about.append((title, text))))
    action(window, "actionAbout").trigger()
    assert about and not english_words(about[0][0], set()) and not english_words(about[0][1], set()), about

    window.lessons.load(next(item for item in LESSONS if item.key == "LearningRate"))
    window.training_panel.play_button.setChecked(True)
    qtbot.waitUntil(lambda: "发散" in window.message_bar.text() or "发散" in window.status_label.text(),
                    timeout=15_000)
    assert_chinese(window)


def test_core_messages_show_in_the_window_language(chinese):
    from regstudio.core.messages import translate

    message = translate("Training", "solved exactly in %n step(s)", "", 3)
    assert str(message) == "solved exactly in 3 steps"
    assert localized(message) == "经 3 步精确求解"


def test_the_language_menu_switches_and_keeps_the_session(make_window, qtbot):
    window = make_window()
    lesson = next(item for item in LESSONS if item.key == "Slope")
    window.lessons.load(lesson)
    wait_step(qtbot, window, 0)
    points = window.document.points[window.document.task]
    document = window.document
    try:
        switched = switch_language(window, "zh_CN")
        qtbot.waitExposed(switched)
        assert switched is not window
        assert switched.findChild(QMenu, "menuLanguage").title() == "语言"
        assert action(switched, "actionLanguage_zh_CN").isChecked()
        assert chosen_language() == "zh_CN"  # remembered for the next start
        kept = switched.document.points[switched.document.task]
        assert len(kept) == len(points) and (kept.data.X == points.data.X).all()
        assert switched.document.config.lr == lesson.config["lr"]
        assert switched.is_modified()
        # the same document: the lesson, its caption and its undo step go on in Chinese
        assert switched.document is document and document.lesson.key == "Slope"
        assert switched.caption_bar.isVisible()
        assert action(switched, "actionUndo").isEnabled() and action(switched, "actionUndo").text().startswith("撤销 课程")
        assert_chinese(switched)
    finally:
        install_language("en")
        switched.mark_unmodified()
        switched.close()


def test_the_walk_finds_the_english_window_english(make_window):
    window = make_window()
    texts = dict(shown_texts(window))
    assert len(texts) > 100
    with pytest.raises(AssertionError, match="Noisy line"):
        assert_chinese(window)


def _first_menu_at_start(tmp_path, lang: str, remembered: str | None = None) -> str:
    """The first menu's title of the window ``regstudio`` shows when started with ``LANG=lang``."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from PySide6.QtCore import QSettings\n"
        "from PySide6.QtWidgets import QApplication\n"
        f"if {remembered!r}:\n"
        f"    QSettings('regstudio', 'regstudio').setValue('ui/language', {remembered!r})\n"
        "from regstudio.gui import MainWindow\n"
        "def shown(app):\n"
        "    window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))\n"
        "    print(window.menuBar().actions()[0].text())\n"
        "    window.mark_unmodified()\n"
        "    window.close()\n"
        "    return 0\n"
        "QApplication.exec = shown\n"
        "from regstudio.gui.app import run\n"
        "sys.exit(run())\n")
    env = {**os.environ, "LANG": lang, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    env.pop("LC_ALL", None)
    env.pop("LANGUAGE", None)
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_window_follows_the_system_language_until_one_is_chosen(tmp_path):
    assert _first_menu_at_start(tmp_path / "zh", "zh_CN.UTF-8") == "文件(&F)"
    assert _first_menu_at_start(tmp_path / "c", "C.UTF-8") == "&File"
    assert _first_menu_at_start(tmp_path / "chosen", "zh_CN.UTF-8", remembered="en") == "&File"
    assert _first_menu_at_start(tmp_path / "chosen_zh", "en_GB.UTF-8", remembered="zh_CN") == "文件(&F)"


def test_qt_standard_buttons_follow_the_language(chinese, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    Standard = QDialogButtonBox.StandardButton
    box = QDialogButtonBox(Standard.Save | Standard.Discard | Standard.Cancel)
    qtbot.addWidget(box)
    assert sorted(button.text() for button in box.buttons()) == sorted(["保存", "丢弃", "取消"])

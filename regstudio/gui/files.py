"""Files: open data and sessions, save sessions, export parameters and the plot, recent files.

Every write is checked and every failure is said in one line; a session opens whole or not at all;
what is exported or saved is a consistent (problem, parameters) pair from the run controller.

What only a menu command needs (the column dialog, the model file and code writers, Qt's SVG
module) is imported when the command runs, not with the window: start-up imports only what the
first paint needs.
"""

from __future__ import annotations

import csv
import io
import os
from typing import TYPE_CHECKING


from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, QObject, QSettings
from PySide6.QtGui import QImageWriter, QPainter
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from ..core.atomic import write_bytes_atomic, write_text_atomic
from ..core.data import Dataset, Table, class_order, load_csv, ordered_classes
from ..core.errors import RegstudioError
from ..core.messages import translate
from ..core.session import Points, SessionState, load_session, save_session, timeline_sample_size
from .i18n import QT_TRANSLATE_NOOP, error_text
from .safe_text import rich_plain
from ..core.session import MAX_CLASSES
from .window_settings import last_folder as remembered_folder
from .window_settings import remember_folder, settings

if TYPE_CHECKING:
    from ..core.document import Document
    from .main_window import MainWindow
    from .presenter import Presenter
    from .run_controller import RunController

SESSION_FILTER = QT_TRANSLATE_NOOP("FileActions", "regstudio session (*.regstudio)")  # shown translated
RECENT_LIMIT = 8


def settings_store() -> QSettings:
    return settings()


def points_csv(data: Dataset) -> str:
    """The points as CSV with the window's columns (``x``, ``y`` or ``x1``, ``x2``, ``label`` for drawn
    points, an opened file's own names otherwise) and the group column if the points have one.
    Numbers are written with ``repr``, so they read back to the same doubles."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    groups = data.groups
    writer.writerow([*data.x_names, data.y_name] + ([data.group_name] if groups is not None else []))
    for n in range(len(data)):
        target = str(data.y[n]) if data.y.dtype.kind == "U" else repr(float(data.y[n]))
        group = [str(groups[n])] if groups is not None else []
        writer.writerow([*(repr(float(v)) for v in data.X[n]), target, *group])
    return buffer.getvalue()


def _text_labels(table: Table, column: str) -> tuple[str, ...]:
    """A column's distinct text labels in the order they first appear; () for a column of numbers
    (their order is numeric) or with more labels than a classifier takes."""
    try:
        table.numeric_column(column)
        return ()
    except RegstudioError:
        pass
    values, missing = table.label_column(column)
    labels = ordered_classes(values[~missing])
    return labels if len(labels) <= MAX_CLASSES else ()


def sklearn_path(path: str) -> str:
    """Where "Export as code" puts the scikit-learn snippet: ``model.py`` → ``model_sklearn.py``."""
    stem, extension = os.path.splitext(path)
    return f"{stem}_sklearn{extension or '.py'}"


class FileActions(QObject):
    """The File menu's work; ``window`` parents the dialogs."""

    def __init__(self, window: MainWindow, document: Document, controller: RunController, presenter: Presenter):
        super().__init__(window)
        self.window, self.document, self.controller, self.presenter = window, document, controller, presenter
        self._waiting = None   # an export waiting for the training thread to catch up
        controller.frameArrived.connect(self._on_controller_frame_arrived)

    def _error(self, title: str, exc: Exception | str) -> None:
        text = error_text(exc) if isinstance(exc, BaseException) else exc
        QMessageBox.critical(self.window, title, rich_plain(text))

    # --- recent files and folders -----------------------------------------------------------------

    def recent(self) -> list[str]:
        value = settings_store().value("recentFiles", [])
        if isinstance(value, str):
            return [value]
        return list(value) if isinstance(value, list) else []

    def remember(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [path] + [p for p in self.recent() if p != path]
        settings_store().setValue("recentFiles", recent[:RECENT_LIMIT])
        self.window.fill_recent_menu()

    def last_folder(self, name: str = "") -> str:
        recent = self.recent()
        folder = remembered_folder() or (os.path.dirname(recent[0]) if recent else os.getcwd())
        return os.path.join(folder, name) if name else folder

    def _ask_open(self, caption: str, filters: str) -> str:
        """A file to open, chosen in the last folder used (which it then becomes); "" if cancelled."""
        path, _ = QFileDialog.getOpenFileName(self.window, caption, self.last_folder(), filters)
        if path:
            remember_folder(path)
        return path

    def _ask_save(self, caption: str, name: str, filters: str) -> str:
        """A file to write, offered as ``name`` in the last folder used (which it then becomes); "" if
        cancelled."""
        path, _ = QFileDialog.getSaveFileName(self.window, caption, self.last_folder(name), filters)
        if path:
            remember_folder(path)
        return path

    def _may_replace(self, path: str, chosen: str) -> bool:
        """Whether to write ``path``: yes when it is the file ``chosen`` (the file dialog confirmed
        replacing that one) or there is none; else (a file named by adding an extension, the
        scikit-learn snippet beside the script) what the user answers."""
        if path == chosen or not os.path.lexists(path):
            return True
        answer = QMessageBox.question(
            self.window, self.tr("Replace file"),
            rich_plain(self.tr("{file} already exists. Replace it?").format(file=path)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def open_file(self, path: str) -> bool:
        """A CSV or a saved session, by its name."""
        return self.open_session(path) if path.endswith(".regstudio") else self.open_data(path)

    # --- data -------------------------------------------------------------------------------------

    def ask_open_data(self) -> None:
        path = self._ask_open(self.tr("Open data"), self.tr("CSV files (*.csv *.tsv *.txt);;All files (*)"))
        if path:
            self.open_data(path)

    def open_data(self, path: str) -> bool:
        """Load a CSV into the points (asking for columns when they are not obvious)."""
        try:
            table = load_csv(path)
        except RegstudioError as exc:
            self._error(self.tr("Cannot open data"), exc)
            return False
        from .dialogs import ColumnDialog, obvious_columns

        choice = obvious_columns(table.header)
        order: tuple[str, ...] = ()
        if choice is None:
            dialog = ColumnDialog(path, table.header, self.window, lambda column: _text_labels(table, column))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            choice = dialog.choice()
            order = dialog.class_order()
        target, inputs, group = choice
        task = self.document.task
        try:
            table.numeric_column(target)
            numeric_target = True
        except RegstudioError:
            numeric_target = False
        if table.header == ("x1", "x2", "label") or (not numeric_target and table.header != ("x", "y")):
            task = "classification"  # text labels are classes; in an x,y file they are a typo, reported below
        try:
            data = table.dataset(target, inputs, group, task=task)
            if task == "classification" and len(class_order(data.y)) > MAX_CLASSES:
                if not (numeric_target and self._ask_regression(path, target)):
                    raise RegstudioError(self.tr("{file}: column {column!r} has more than {limit} classes").format(
                        file=path, column=target, limit=MAX_CLASSES))
                task = "regression"
                data = table.dataset(target, inputs, group, task=task)
        except RegstudioError as exc:
            self._error(self.tr("Cannot open data"), exc)
            return False
        name = os.path.basename(path)
        # The undo text is shown in the Edit menu (and as the Undo button's tooltip).
        with self.document.transaction(translate("FileActions", "Open {file}").format(file=name)):
            self.document.end_lesson()
            if task == "regression" and self.document.task != task:
                self.document.update(model="linear")
            elif task != self.document.task:
                self.document.update(model="logistic" if len(class_order(data.y)) == 2 else "softmax")
            points = Points.from_dataset(data, self.document.config.test_fraction, self.document.split_rng())
            self.document.replace_points(task, points, source="open")
            self.document.update(class_order=order)
        if table.encoding_note and data.dropped:
            note = self.tr("{file}: read as {encoding} text; dropped %n row(s) with missing values.", "", data.dropped)
        elif table.encoding_note:
            note = self.tr("{file}: read as {encoding} text.")
        elif data.dropped:
            note = self.tr("{file}: dropped %n row(s) with missing values.", "", data.dropped)
        else:
            note = ""
        if note:
            self.presenter.set_note(note.format(file=name, encoding=table.encoding))
        self.remember(path)
        return True

    def _ask_regression(self, path: str, column: str) -> bool:
        """A numeric target with too many values for a classifier (a rent, a price): offer regression."""
        question = self.tr("{file}: column {column} has more than {limit} different numbers, too many for "
                           "classes.  Open it as regression (a line through the numbers)?").format(
            file=os.path.basename(path), column=column, limit=MAX_CLASSES)
        answer = QMessageBox.question(self.window, self.tr("Open as regression?"), rich_plain(question))
        return answer == QMessageBox.StandardButton.Yes

    # --- parameters -------------------------------------------------------------------------------

    def _when_caught_up(self, action) -> None:
        """``action(problem, frame)`` with the newest consistent pair: now, or as soon as the training
        thread has caught up with the last change.  Never waited for (a Newton step on a large set may
        take seconds); a newer export replaces one still waiting."""
        pair = self.controller.consistent()
        if pair is not None:
            self._waiting = None
            action(*pair)
            return
        self._waiting = action
        self._done(self.tr("Exporting as soon as training has caught up with the last change…"))

    def _on_controller_frame_arrived(self, _frame) -> None:
        pair = self.controller.consistent()
        if self._waiting is not None and pair is not None:
            action, self._waiting = self._waiting, None
            action(*pair)

    def ask_export_parameters(self) -> None:
        if self.controller.spec is None:
            QMessageBox.information(self.window, self.tr("Nothing to export"),
                                    self.tr("Add data to train a model first."))
            return
        path = self._ask_save(self.tr("Export parameters"), "model.json", self.tr("Model JSON (*.json)"))
        if path:
            self.export_parameters(path)

    def export_parameters(self, path: str) -> bool:
        """Write the model file at once, or as soon as training has caught up; False if it failed."""
        chosen = path
        if not os.path.splitext(path)[1]:
            path += ".json"
        if not self._may_replace(path, chosen):
            return False
        written = []
        self._when_caught_up(lambda problem, frame: written.append(self._write_parameters(path, problem, frame)))
        return written != [False]

    def _write_parameters(self, path: str, problem, frame) -> bool:
        from ..core.modelfile import model_document, write_json

        try:
            write_json(path, model_document(problem, frame.snapshot, frame.lr, frame.l2))
        except (RegstudioError, ValueError) as exc:
            self._error(self.tr("Cannot export parameters"), exc)
            return False
        if frame.snapshot.step == 0:
            note = self.tr("Exported the parameters at step {step:,} to {file} "
                           "(untrained: step 0, the initial parameters).")
        else:
            note = self.tr("Exported the parameters at step {step:,} to {file}.")
        self.presenter.set_note(note.format(step=frame.snapshot.step, file=os.path.basename(path)))
        return True

    # --- code and points --------------------------------------------------------------------------

    def _refuse(self, text: str) -> None:
        """Why there is nothing to export: one line above the plot, no dialog."""
        self.window.message_bar.show_message(text, error=True)

    def _done(self, text: str) -> None:
        """What was written: shown over the run's message (a converged run's would hide a note)."""
        self.window.message_bar.show_message(text)

    def _untrained(self) -> bool:
        """Nothing to export as code (said why): no data, or the model has not taken a step."""
        if self.controller.spec is None:
            self._refuse(self.tr("Nothing to export as code: add data and train a model first."))
            return True
        pair = self.controller.consistent()
        if pair is not None and pair[1].snapshot.step == 0:
            self._refuse(self.tr("The model is untrained (step 0): train it before exporting it as code."))
            return True
        return False

    def ask_export_code(self) -> None:
        if self._untrained():
            return
        path = self._ask_save(self.tr("Export as code"), "model.py", self.tr("Python script (*.py)"))
        if path:
            self.export_code(path)

    def export_code(self, path: str) -> bool:
        """The model as a standalone numpy script at ``path`` and as a scikit-learn snippet beside it
        (:func:`sklearn_path`), both from the newest consistent (problem, parameters) pair."""
        chosen = path
        if not os.path.splitext(path)[1]:
            path += ".py"
        if self._untrained() or not all(self._may_replace(target, chosen) for target in (path, sklearn_path(path))):
            return False
        written = []
        self._when_caught_up(lambda problem, frame: written.append(self._write_code(path, problem, frame)))
        return written != [False]

    def _write_code(self, path: str, problem, frame) -> bool:
        if frame.snapshot.step == 0:
            self._refuse(self.tr("The model is untrained (step 0): train it before exporting it as code."))
            return False
        from ..core.codegen import numpy_script, sklearn_snippet
        from ..core.modelfile import model_document

        try:
            document = model_document(problem, frame.snapshot, frame.lr, frame.l2)
            write_text_atomic(path, numpy_script(document))
            write_text_atomic(sklearn_path(path), sklearn_snippet(document))
        except (RegstudioError, ValueError) as exc:
            self._error(self.tr("Cannot export as code"), exc)
            return False
        done = self.tr("Exported the model at step {step:,} as code: {script} (numpy) and {snippet} (scikit-learn).")
        self._done(done.format(step=frame.snapshot.step, script=os.path.basename(path),
                               snippet=os.path.basename(sklearn_path(path))))
        return True

    def ask_export_points(self) -> None:
        if not len(self.document.points[self.document.task]):
            self._refuse(self.tr("No points to export: click some onto the plot or open data first."))
            return
        path = self._ask_save(self.tr("Export points"), "points.csv", self.tr("CSV files (*.csv)"))
        if path:
            self.export_points(path)

    def export_points(self, path: str) -> bool:
        """The current task's points (train and test rows alike) as CSV (:func:`points_csv`)."""
        chosen = path
        if not os.path.splitext(path)[1]:
            path += ".csv"
        points = self.document.points[self.document.task]
        if not len(points):
            self._refuse(self.tr("No points to export: click some onto the plot or open data first."))
            return False
        if not self._may_replace(path, chosen):
            return False
        try:
            write_text_atomic(path, points_csv(points.data))
        except RegstudioError as exc:
            self._error(self.tr("Cannot export points"), exc)
            return False
        self._done(self.tr("Exported {n:,} points to {file}.").format(n=len(points), file=os.path.basename(path)))
        return True

    # --- plot image -------------------------------------------------------------------------------

    def ask_export_plot(self) -> None:
        path = self._ask_save(self.tr("Export plot image"), "plot.png",
                              self.tr("PNG image (*.png);;JPEG image (*.jpg *.jpeg);;SVG image (*.svg)"))
        if path:
            self.export_plot(path)

    def export_plot(self, path: str) -> bool:
        """The data plot as SVG (vectors) or as pixels as shown in the format its extension names
        (PNG, JPEG, or another Qt writes; PNG without one); checked, written atomically."""
        chosen = path
        if not os.path.splitext(path)[1]:
            path += ".png"
        image_format = os.path.splitext(path)[1][1:].lower()
        if image_format != "svg" and image_format.encode() not in QImageWriter.supportedImageFormats():
            self._error(self.tr("Cannot export plot"), self.tr("{file}: cannot write .{extension} images; name it "
                                                               ".png, .jpg or .svg").format(file=path,
                                                                                             extension=image_format))
            return False
        if not self._may_replace(path, chosen):
            return False
        plot = self.window.data_plot
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        if image_format == "svg":
            from PySide6.QtSvg import QSvgGenerator

            generator = QSvgGenerator()
            generator.setOutputDevice(buffer)
            generator.setSize(plot.size())
            generator.setViewBox(plot.rect())
            generator.setTitle(self.tr("regstudio plot"))
            painter = QPainter(generator)
            plot.render(painter)
            ok = painter.end()
        else:
            ok = plot.grab().save(buffer, image_format)
        data = bytes(buffer.data().data()) if ok else b""
        try:
            if not data:
                raise RegstudioError(self.tr("{file}: the image could not be drawn").format(file=path))
            write_bytes_atomic(path, data)
        except RegstudioError as exc:
            self._error(self.tr("Cannot export plot"), exc)
            return False
        return True

    # --- sessions ---------------------------------------------------------------------------------

    def session_state(self) -> SessionState:
        pair = self.controller.consistent()
        theta = step = None
        timeline: tuple = ()
        if pair is not None and pair[1].snapshot.params:
            problem, frame = pair
            theta, step = problem.model.pack(frame.snapshot.params).tolist(), frame.snapshot.step
            if frame.timeline is not None:
                timeline = tuple((kept.step, kept.theta.tolist())
                                 for kept in frame.timeline.sample(timeline_sample_size(len(theta)))
                                 if kept.step < step and len(kept.theta) == len(theta))
        return SessionState(points=dict(self.document.points), settings=self.document.config.settings(), theta=theta,
                            step=step or 0, history=self.document.history.train.to_dict() if theta else None,
                            view=self.document.config.session_view(), timeline=timeline)

    def save(self) -> bool:
        if self.document.path is None:
            return self.ask_save_as()
        return self.save_session(self.document.path)

    def ask_save_as(self) -> bool:
        path = self._ask_save(self.tr("Save session"), "session.regstudio",
                              QCoreApplication.translate("FileActions", SESSION_FILTER))
        if not path:
            return False
        chosen = path
        if not path.endswith(".regstudio"):
            path += ".regstudio"
        return self._may_replace(path, chosen) and self.save_session(path)

    def save_session(self, path: str) -> bool:
        session = self.session_state()
        try:
            save_session(path, session)
        except (RegstudioError, ValueError) as exc:
            self._error(self.tr("Cannot save session"), exc)
            return False
        self.document.mark_saved(path)
        self.remember(path)
        if session.theta is None and self.controller.spec is not None:
            self.presenter.set_note(self.tr("{file}: saved the points and settings without trained parameters: "
                                         "training had not caught up with the last change.").format(
                file=os.path.basename(path)))
        return True

    def ask_open_session(self) -> None:
        path = self._ask_open(self.tr("Open session"), self.tr("regstudio session (*.regstudio);;All files (*)"))
        if path:
            self.open_session(path)

    def open_session(self, path: str) -> bool:
        """All or nothing: a session that fails any check changes nothing."""
        try:
            session = load_session(path)
        except RegstudioError as exc:
            self._error(self.tr("Cannot open session"), exc)
            return False
        self.restore_session(session, path)
        self.remember(path)
        return True

    def restore_session(self, session: SessionState, path: str | None, modified: bool = False) -> None:
        """Show ``session`` (already valid) as if opened from ``path`` (None: untitled), with its
        trained parameters when the model still fits them; ``modified``: it has unsaved changes."""
        with self.controller.one_command():
            self.controller.play(False)
            self.document.restore(session, path, modified)

"""Models as code: the generated numpy script predicts as the core does (run as a program on a CSV and
imported), and the scikit-learn snippet, fitted on the model's training rows, reaches the same
predictions (the λ → alpha / C conversion, the two-class softmax's C = 1/(N·λ), the cascade's weights
set on an MLPClassifier)."""

from __future__ import annotations

import ast
import csv
import io
import json
import os
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from regstudio.cli import main as cli_main
from regstudio.core.codegen import numpy_script, sklearn_snippet
from regstudio.core.data import Dataset
from regstudio.core.errors import RegstudioError
from regstudio.core.generators import generate
from regstudio.core.modelfile import model_document
from regstudio.core.training import Settings, Trainer, prepare


def _relabelled(dataset: Dataset, names: dict) -> Dataset:
    """Class labels renamed so that their numeric order differs from their text order."""
    return replace(dataset, y=np.array([names[v] for v in dataset.y]))


def _with_groups(dataset: Dataset, seed: int = 5) -> Dataset:
    groups = np.random.default_rng(seed).choice(["north", "south", "east"], size=len(dataset))
    return replace(dataset, groups=groups, group_name="site")


def _data(name: str, seed: int = 3) -> Dataset:
    if name == "two_blobs_grouped":
        return _with_groups(generate("two_blobs", 90, 0.8, seed=seed), seed)
    if name == "blobs_renamed":
        return _relabelled(generate("blobs", 90, 0.7, seed=seed), {"0": "2", "1": "10", "2": "30"})
    if name == "xor_renamed":
        return _relabelled(generate("xor", 90, 0.4, seed=seed), {"0": "9", "1": "10"})
    return generate(name, 90, 0.4 if name != "two_blobs" else 0.9, seed=seed)


CASES = [
    ("line", {"model": "linear"}),
    ("hidden_factor", {"model": "linear"}),
    ("cubic", {"model": "polynomial", "degree": 3}),
    ("sine", {"model": "polynomial", "degree": 4, "standardize": False, "lr": 0.001}),
    ("hidden_factor", {"model": "ridge", "degree": 2, "l2": 0.01}),
    ("two_blobs", {"model": "logistic", "degree": 2}),
    ("two_blobs_grouped", {"model": "logistic"}),
    ("xor", {"model": "logistic", "features": "distances"}),
    ("two_blobs", {"model": "logistic", "loss": "mse"}),
    ("blobs_renamed", {"model": "softmax", "l2": 0.001}),
    ("two_blobs", {"model": "softmax", "l2": 0.01}),
    ("xor_renamed", {"model": "cascade", "hidden": 3}),
    ("blobs", {"model": "cascade", "hidden": 2, "degree": 2}),
    ("two_blobs_grouped", {"model": "cascade", "hidden": 2}),
    ("star_ratings", {"model": "ordinal", "lr": 0.5}),
    ("star_ratings", {"model": "ordinal", "degree": 2, "l2": 0.01}),
]
IDS = [f"{settings['model']}-{name}" + "".join(f"-{k}={v}" for k, v in settings.items() if k != "model")
       for name, settings in CASES]


def _trained(name: str, settings: dict, **extra):
    dataset = _data(name)
    trainer = Trainer(prepare(dataset, Settings(**{"steps": 150, **settings, **extra})))
    final = list(trainer.run())[-1]
    return dataset, trainer, model_document(trainer.problem, final, trainer.lr, trainer.l2)


def _core_predict(trainer, X, groups):
    """What the core predicts for raw inputs: the problem's pipeline, then the model."""
    problem = trainer.problem
    Xt = np.ascontiguousarray(problem.pipeline.transform(X, groups).T)
    return problem.model.predict(trainer.theta, Xt)


def _new_rows(name: str):
    """Rows the model never saw: the same generator with another seed, inputs spread 1.3× wider."""
    fresh = _data(name, seed=11)
    return fresh.X * 1.3, fresh.groups


def _csv(path, dataset: Dataset, X, groups, blank_row: int):
    """A CSV with the model's columns in shuffled order, an extra column, and one row whose first
    input is missing (written as NA)."""
    names = list(dataset.x_names) + ([dataset.group_name] if groups is not None else [])
    header = ["note"] + names[::-1]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for n, x in enumerate(X):
        cells = [repr(float(v)) for v in x] + ([str(groups[n])] if groups is not None else [])
        if n == blank_row:
            cells[0] = "NA"
        writer.writerow(["ignored"] + cells[::-1])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _load(source: str) -> dict:
    namespace = {"__name__": "generated"}
    exec(compile(source, "<generated>", "exec"), namespace)  # noqa: S102 -- the generated code is under test
    return namespace


@pytest.mark.parametrize("name, settings", CASES, ids=IDS)
def test_numpy_script_predicts_as_the_core(name, settings, tmp_path):
    dataset, trainer, document = _trained(name, settings)
    X, groups = _new_rows(name)
    expected = _core_predict(trainer, X, groups)
    script = numpy_script(document)

    namespace = _load(script)
    for key, value in document["parameters"].items():  # every bit of every number survives
        np.testing.assert_array_equal(namespace[key], np.asarray(value, dtype=np.float64))
    imported = namespace["predict"](X, groups)
    classes = document["classes"]
    if classes is None:
        np.testing.assert_allclose(imported, expected, rtol=1e-9, atol=1e-9)
    else:
        labels, P = imported
        np.testing.assert_allclose(P, expected, rtol=1e-9, atol=1e-12)
        assert labels.tolist() == [classes[k] for k in np.argmax(expected, axis=1)]

    program, data = tmp_path / "model.py", tmp_path / "data.csv"
    program.write_text(script, encoding="utf-8")
    _csv(data, dataset, X, groups, blank_row=2)
    run = subprocess.run([sys.executable, str(program), str(data)], check=False, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    rows = list(csv.DictReader(io.StringIO(run.stdout)))
    assert len(rows) == len(X)
    assert set(rows[2].values()) == {""}
    kept = [r for n, r in enumerate(rows) if n != 2]
    expected = np.delete(expected, 2, axis=0)
    if classes is None:
        np.testing.assert_allclose([float(r["prediction"]) for r in kept], expected, rtol=1e-9, atol=1e-9)
        assert list(rows[0]) == ["prediction"]
    else:
        assert list(rows[0]) == ["prediction"] + [f"p_{c}" for c in classes]
        np.testing.assert_allclose([[float(r[f"p_{c}"]) for c in classes] for r in kept], expected,
                                   rtol=1e-9, atol=1e-12)
        assert [r["prediction"] for r in kept] == [classes[k] for k in np.argmax(expected, axis=1)]


def test_numpy_script_names_a_missing_column(tmp_path):
    _, _, document = _trained("hidden_factor", {"model": "linear"})
    program, data = tmp_path / "model.py", tmp_path / "data.csv"
    program.write_text(numpy_script(document), encoding="utf-8")
    data.write_text("x,y\n1.0,2.0\n", encoding="utf-8")
    run = subprocess.run([sys.executable, str(program), str(data)], check=False, capture_output=True,
                         text=True, timeout=60)
    assert run.returncode != 0 and "group" in run.stderr and run.stdout == ""


# --- the script reads a CSV as regstudio does ------------------------------------------------------

# Cells that str.splitlines() would split a row at (form feed, vertical tab, file separator, U+2028);
# a note column the model does not use carries them.
NOTES = ["a\x0cb", "c\x0bd", "e\x1cf", "g\u2028h"]

# (encoding written, byte-order mark, delimiter, input names, target, class labels, group levels).
# The group levels are read by the script, so one of them holds a quoted line break.
FILES = [
    ("gb18030", "", ",", ("身高", "体重"), "类别", ("甲", "乙"), ("北区", "南区")),
    ("utf-16-le", "\ufeff", "\t", ("身高", "体重"), "类别", ("甲", "乙"), ("北区", "南区")),
    ("utf-16-le", "", "\t", ("身高", "体重"), "类别", ("甲", "乙"), ("北区", "南区")),
    ("utf-16-be", "", ",", ("身高", "体重"), "类别", ("甲", "乙"), ("北区", "南区")),
    ("cp1252", "", ";", ("Größe", "Gewicht"), "Klasse", ("Café", "naïve"), ("Nord", "Süd")),
    ("utf-8", "", ";", ("x1", "x2"), "label", ("no", "yes"), ("north", "south")),
    ("utf-8", "", ",", ("x1", "x2"), "label", ("no", "yes"), ("north\nside", "south side")),
]


def _write_rows(path, encoding: str, bom: str, delimiter: str, rows: list[list[str]]):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\n").writerows(rows)
    path.write_bytes((bom + buffer.getvalue()).encode(encoding))


def _predictions(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("encoding, bom, delimiter, inputs, target, labels, levels", FILES,
                         ids=["gb18030", "utf-16-bom", "utf-16-le", "utf-16-be", "cp1252", "utf-8",
                              "utf-8-quoted-line-break"])
def test_numpy_script_reads_a_csv_as_regstudio_predict_does(tmp_path, encoding, bom, delimiter, inputs, target,
                                                            labels, levels):
    rng = np.random.default_rng(4)
    X = rng.standard_normal((40, 2))
    groups = rng.integers(0, 2, 40)
    y = (X[:, 0] + X[:, 1] + groups > 0.5).astype(int)
    training, model = tmp_path / "train.csv", tmp_path / "model.json"
    _write_rows(training, "utf-8", "", ",", [[*inputs, "site", target]] + [
        [repr(float(a)), repr(float(b)), levels[g], labels[k]] for (a, b), g, k in zip(X, groups, y)])
    assert cli_main(["train", str(training), "--y", target, "--group", "site", "--model", "logistic",
                     "--steps", "50", "--quiet", "--out", str(model)]) == 0
    document = json.loads(model.read_text(encoding="utf-8"))
    program = tmp_path / "model.py"
    program.write_text(numpy_script(document), encoding="utf-8")

    # New rows: the columns in another order, an unused note column, a missing input in row 3.
    fresh = np.random.default_rng(9).standard_normal((12, 2))
    notes = [note if _encodes(note, encoding) else "plain" for note in NOTES]
    rows = [["note", inputs[1], "site", inputs[0]]]
    for n, (a, b) in enumerate(fresh):
        rows.append([notes[n % len(notes)], "NA" if n == 3 else repr(float(b)), levels[n % 2], repr(float(a))])
    data = tmp_path / "data.csv"
    _write_rows(data, encoding, bom, delimiter, rows)

    predicted = tmp_path / "predicted.csv"
    assert cli_main(["predict", str(model), str(data), "--out", str(predicted)]) == 0
    expected = _predictions(predicted.read_text(encoding="utf-8"))
    run = subprocess.run([sys.executable, str(program), str(data)], check=False, capture_output=True,
                         encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)
    assert run.returncode == 0, run.stderr
    got = _predictions(run.stdout)
    assert got[0] == expected[0] == ["prediction", *(f"p_{label}" for label in sorted(labels))]
    assert len(got) == len(expected) == len(fresh) + 1
    assert [row[0] for row in got] == [row[0] for row in expected]  # the same labels, row for row
    assert got[4] == expected[4] == ["", "", ""]
    np.testing.assert_allclose([[float(p) for p in row[1:]] for n, row in enumerate(got[1:]) if n != 3],
                               [[float(p) for p in row[1:]] for n, row in enumerate(expected[1:]) if n != 3],
                               rtol=1e-12)


def _encodes(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def test_numpy_script_imports_numpy_and_the_standard_library_only():
    _, _, document = _trained("two_blobs_grouped", {"model": "cascade", "hidden": 2})
    imported = set()
    for node in ast.walk(ast.parse(numpy_script(document))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0])
    assert imported - sys.stdlib_module_names == {"numpy"}


def test_header_says_what_model_how_long_and_its_metrics():
    _, _, document = _trained("cubic", {"model": "polynomial", "degree": 3}, steps=37)
    header = numpy_script(document).split('"""')[1]
    assert "polynomial regression" in header and "37 steps" in header
    assert f"{document['metrics']['test']['r2']:.6g}" in header
    assert f"{document['metrics']['train']['mse']:.6g}" in header


def test_non_finite_parameters_are_refused():
    _, _, document = _trained("line", {"model": "linear"})
    document["parameters"]["b"] = [float("nan")]
    with pytest.raises(RegstudioError, match="not all finite"):
        numpy_script(document)


# --- scikit-learn -----------------------------------------------------------------------------------

# scikit-learn has no cascade trainer, no square-error logistic model and no ordinal model.
EXACT = [case for case in CASES if case[1]["model"] not in ("cascade", "ordinal") and case[1].get("loss") != "mse"]


def _small_penalty(settings: dict) -> dict:
    """The exact solver, and λ > 0 for the classifiers so that their optimum is unique."""
    l2 = settings.get("l2", 0.0)
    if settings["model"] in ("logistic", "softmax"):
        l2 = l2 or 1e-3
    return {**settings, "l2": l2, "optimizer": "exact", "tol": 1e-12, "steps": 100, "lr": None}


def _sklearn_predictions(document, dataset, trainer, X, groups):
    namespace = _load(sklearn_snippet(document))
    rows = trainer.problem.train_rows
    pipeline = namespace["fit"](dataset.X[rows], dataset.y[rows],
                                None if dataset.groups is None else dataset.groups[rows])
    return namespace["predict"](pipeline, X, groups)


@pytest.mark.parametrize("name, settings", EXACT, ids=[i for i, c in zip(IDS, CASES) if c in EXACT])
def test_sklearn_snippet_fitted_on_the_training_rows_predicts_as_the_exact_optimum(name, settings):
    pytest.importorskip("sklearn")
    dataset, trainer, document = _trained(name, _small_penalty(settings))
    assert document["training"]["stop_reason"] == "converged"
    X, groups = _new_rows(name)
    expected = _core_predict(trainer, X, groups)
    predicted = _sklearn_predictions(document, dataset, trainer, X, groups)
    if document["classes"] is None:
        np.testing.assert_allclose(predicted, expected, rtol=1e-6, atol=1e-6)
    else:
        labels, P = predicted
        np.testing.assert_allclose(P, expected, atol=1e-6)
        confident = np.sort(expected, axis=1)[:, -1] - np.sort(expected, axis=1)[:, -2] > 1e-6
        assert (labels[confident] == np.array(document["classes"])[np.argmax(expected, axis=1)][confident]).all()


@pytest.mark.parametrize("name, settings", [c for c in CASES if c[1]["model"] == "cascade"],
                         ids=[i for i, c in zip(IDS, CASES) if c[1]["model"] == "cascade"])
def test_sklearn_mlp_with_the_cascade_weights_predicts_as_the_cascade(name, settings):
    pytest.importorskip("sklearn")
    dataset, trainer, document = _trained(name, settings)
    X, groups = _new_rows(name)
    expected = _core_predict(trainer, X, groups)
    labels, P = _sklearn_predictions(document, dataset, trainer, X, groups)
    np.testing.assert_allclose(P, expected, rtol=1e-9, atol=1e-12)
    assert labels.tolist() == [document["classes"][k] for k in np.argmax(expected, axis=1)]


def test_the_ordinal_models_sklearn_file_says_scikit_learn_has_none_and_names_statsmodels(tmp_path):
    _, _, document = _trained("star_ratings", {"model": "ordinal"})
    path = tmp_path / "model_sklearn.py"
    path.write_text(sklearn_snippet(document), encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], check=False, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "NO SCIKIT-LEARN EQUIVALENT" in run.stdout and "OrderedModel" in run.stdout
    assert "import sklearn" not in path.read_text(encoding="utf-8")


def test_square_error_logistic_says_scikit_learn_has_no_equivalent():
    _, _, document = _trained("two_blobs", {"model": "logistic", "loss": "mse"})
    assert "NOT EQUIVALENT" in sklearn_snippet(document)


def test_the_sklearn_file_run_on_its_own_says_what_it_is_and_how_to_use_it(tmp_path):
    pytest.importorskip("sklearn")
    import subprocess
    import sys

    name, settings = EXACT[0]
    _, _, document = _trained(name, _small_penalty(settings))
    path = tmp_path / "model_sklearn.py"
    path.write_text(sklearn_snippet(document), encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "from model_sklearn import fit, predict" in done.stdout
    assert document["model"] in done.stdout   # the docstring's header: the model and its training

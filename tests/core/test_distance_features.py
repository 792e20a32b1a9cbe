"""Distance features (the course notes' hand-made feature transformation): the pipeline, the settings,
XOR made separable, and the round trips through sessions and model files."""

import json
import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from regstudio.core.errors import ModelFileError, SettingsError
from regstudio.core.features import XOR_REFERENCES, FeaturePipeline
from regstudio.core.generators import generate
from regstudio.core.hidden_space import XOR_DATA, XOR_DISTANCE_SETTINGS
from regstudio.core.modelfile import model_document, read_model, write_json
from regstudio.core.session import Points, SessionState, load_session, save_session
from regstudio.core.training import Settings, Trainer, carry_parameters, prepare

README = Path(__file__).resolve().parents[2] / "README.md"


def _readme_predict():
    """The README's "predictions from the file alone" function."""
    text = README.read_text(encoding="utf-8")
    code = re.search(r"<!-- model-format-example -->\s*```python\n(.*?)```", text, re.DOTALL).group(1)
    namespace = {}
    exec(compile(code, str(README), "exec"), namespace)  # noqa: S102 -- the README's own code is under test
    return namespace["predict"]


def test_pipeline_replaces_the_inputs_by_their_distances_then_standardises():
    X = np.random.default_rng(0).normal(size=(30, 2)) * 2
    references = [(1.0, 1.0), (-2.0, 0.5)]
    pipeline = FeaturePipeline(["x1", "x2"], references=references).fit(X)
    expected = np.column_stack([np.hypot(X[:, 0] - rx, X[:, 1] - ry) for rx, ry in references])
    np.testing.assert_allclose(pipeline.raw_features(X), expected, rtol=1e-14)
    np.testing.assert_allclose(pipeline.transform(X), (expected - expected.mean(0)) / expected.std(0), rtol=1e-12)
    assert pipeline.names == ["dist to (1, 1)", "dist to (-2, 0.5)"]


def test_distances_feed_the_monomials():
    X = np.random.default_rng(1).normal(size=(10, 2))
    pipeline = FeaturePipeline(["x1", "x2"], degree=2, standardize=False, references=XOR_REFERENCES).fit(X)
    d1, d2 = (np.linalg.norm(X - r, axis=1) for r in XOR_REFERENCES)
    np.testing.assert_allclose(pipeline.transform(X), np.column_stack([d1, d2, d1 ** 2, d1 * d2, d2 ** 2]),
                               rtol=1e-13)
    assert pipeline.names[3] == "dist to (1.5, 1.5)*dist to (-1.5, -1.5)"


def _accuracy_and_loss(dataset, settings):
    trainer = Trainer(prepare(dataset, settings))
    final = list(trainer.run())[-1]
    return final.metrics["train"]["accuracy"], final.metrics["train"]["cross_entropy"]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_xor_is_separable_on_the_distances_and_not_on_the_raw_inputs(seed):
    """On the raw inputs the best logistic fit is nearly flat (|w| ≈ 0.1): cross-entropy stays at chance,
    ln 2, and at most three of the four clouds can lie on their side of a line (accuracy ≤ 0.75 plus
    noise).  Which way the flat line tilts depends on how many points each cloud drew, so its
    accuracy ranges over 0.3–0.78 from seed to seed; the loss is what says "no better than guessing"."""
    dataset = generate("xor", **XOR_DATA, seed=seed)
    raw_accuracy, raw_loss = _accuracy_and_loss(dataset, replace(XOR_DISTANCE_SETTINGS, features="raw"))
    distance_accuracy, distance_loss = _accuracy_and_loss(dataset, XOR_DISTANCE_SETTINGS)
    assert raw_loss > 0.95 * math.log(2) and raw_accuracy <= 0.8
    assert distance_accuracy > 0.95 and distance_loss < 0.25


@pytest.mark.parametrize("changes, needle", [
    ({"features": "circles"}, "--features"),
    ({"references": ((1, 2, 3), (4, 5))}, "--references"),
    ({"references": ((1, 2),)}, "--references"),
    ({"references": ((1, math.nan), (0, 0))}, "--references"),
    ({"references": ((1, 1), (1, 1))}, "different"),
])
def test_bad_feature_settings_name_the_flag(changes, needle):
    with pytest.raises(SettingsError, match=needle):
        replace(XOR_DISTANCE_SETTINGS, **changes).resolved()


def test_distances_need_two_inputs():
    with pytest.raises(SettingsError, match="two input columns"):
        prepare(generate("line", 20, 0.1, seed=0), Settings("linear", features="distances"))


def test_other_references_do_not_carry_parameters():
    dataset = generate("xor", 40, 0.2, seed=0)
    old = prepare(dataset, XOR_DISTANCE_SETTINGS)
    moved = prepare(dataset, replace(XOR_DISTANCE_SETTINGS, references=((1.5, 1.5), (-1.5, -1.25))))
    theta = np.array([1.0, 2.0, 3.0])
    assert carry_parameters(old, moved, theta) is None
    assert carry_parameters(old, prepare(dataset, XOR_DISTANCE_SETTINGS), theta) is not None


def _session(settings) -> SessionState:
    return SessionState({"regression": Points.empty("regression"),
                         "classification": Points.empty("classification").add([1.0, 2.0], "0")}, settings)


def test_session_round_trip_keeps_the_transformation(tmp_path):
    settings = replace(XOR_DISTANCE_SETTINGS, references=((2.0, -1.0), (0.5, 3.0)))
    save_session(tmp_path / "s.regstudio", _session(settings))
    back = load_session(tmp_path / "s.regstudio")
    assert back.settings == settings and back.settings.references == ((2.0, -1.0), (0.5, 3.0))


def test_session_without_the_new_fields_opens_with_raw_features(tmp_path):
    save_session(tmp_path / "s.regstudio", _session(Settings("logistic")))
    document = json.loads((tmp_path / "s.regstudio").read_text())
    for key in ("features", "references"):
        document["settings"].pop(key)
    (tmp_path / "old.regstudio").write_text(json.dumps(document))
    assert load_session(tmp_path / "old.regstudio").settings == Settings("logistic")


@pytest.mark.parametrize("key, value", [("features", "poly"), ("references", [[1, 2], [3]]),
                                        ("references", [[1, 2], [1, 2]]), ("references", "1,2,3,4"),
                                        ("references", [[1, "2"], [3, 4]])])
def test_damaged_feature_fields_refuse_the_session(tmp_path, key, value):
    save_session(tmp_path / "s.regstudio", _session(XOR_DISTANCE_SETTINGS))
    document = json.loads((tmp_path / "s.regstudio").read_text())
    document["settings"][key] = value
    (tmp_path / "bad.regstudio").write_text(json.dumps(document))
    with pytest.raises(ModelFileError, match=key):
        load_session(tmp_path / "bad.regstudio")


@pytest.mark.parametrize("settings", [XOR_DISTANCE_SETTINGS, replace(XOR_DISTANCE_SETTINGS, degree=2),
                                      replace(XOR_DISTANCE_SETTINGS, model="cascade", lr=3.0)])
def test_model_file_applies_the_transformation(tmp_path, settings):
    dataset = generate("xor", 60, 0.3, seed=4)
    trainer = Trainer(prepare(dataset, replace(settings, steps=100)))
    final = list(trainer.run())[-1]
    path = tmp_path / "model.json"
    write_json(path, model_document(trainer.problem, final, trainer.lr, trainer.l2))
    document = json.loads(path.read_text())
    assert document["features"]["distances_to"] == [list(r) for r in settings.references]
    assert document["hyperparameters"]["features"] == "distances"
    D = np.column_stack([np.linalg.norm(dataset.X - r, axis=1) for r in settings.references])
    raw = FeaturePipeline(["d1", "d2"], degree=trainer.problem.pipeline.degree).fit(D[trainer.problem.train_rows])
    expected = trainer.model.predict(trainer.theta, np.ascontiguousarray(raw.transform(D).T))
    np.testing.assert_allclose(read_model(path).predict(dataset.X), expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(_readme_predict()(path, dataset.X), expected, rtol=1e-10, atol=1e-12)


def test_model_file_with_damaged_references_is_refused(tmp_path):
    dataset = generate("xor", 30, 0.3, seed=4)
    trainer = Trainer(prepare(dataset, replace(XOR_DISTANCE_SETTINGS, steps=5)))
    document = model_document(trainer.problem, list(trainer.run())[-1], trainer.lr, trainer.l2)
    for bad in ([[1.0, 2.0, 3.0], [0.0, 0.0]], [[1.0, 2.0]], "near", [[1.0, "x"], [0.0, 0.0]]):
        document["features"]["distances_to"] = bad
        write_json(tmp_path / "bad.json", document)
        with pytest.raises(ModelFileError, match="features"):
            read_model(tmp_path / "bad.json")

"""Standardisation: near-constant columns, and statistics fitted on the training rows only."""

import json

import numpy as np
import pytest

from regstudio.cli import main
from regstudio.core.data import Dataset
from regstudio.core.features import FeaturePipeline
from regstudio.core.modelfile import original_units
from regstudio.core.training import Settings, Trainer, prepare


@pytest.mark.parametrize("value", [0.1, 1 / 3, 7.7, 1e5 / 3, -0.3])
@pytest.mark.parametrize("n", [10, 37, 1000])
def test_a_column_of_one_repeated_value_divides_by_one(value, n):
    X = np.column_stack([np.full(n, value), np.linspace(-1.0, 2.0, n)])
    pipeline = FeaturePipeline(["c", "x"]).fit(X)
    assert pipeline.std[0] == 1.0
    assert pipeline.std[1] == pytest.approx(np.std(X[:, 1]), rel=1e-15)
    assert abs(pipeline.transform(X)[:, 0]).max() <= n * np.finfo(float).eps * abs(value)  # rounding only


def test_a_tiny_but_real_spread_is_not_constant():
    X = (1.0 + 1e-9 * np.arange(10.0))[:, None]  # std 2.9e-9 ≫ N·ε·|mean| = 2.2e-15
    pipeline = FeaturePipeline(["x"]).fit(X)
    assert pipeline.std[0] == pytest.approx(np.std(X[:, 0]), rel=1e-6)


def test_a_constant_input_does_not_blow_up_the_model_in_original_units():
    x = np.linspace(0.0, 1.0, 10)
    X = np.column_stack([np.full(10, 0.1), x])
    dataset = Dataset(X, 3.0 * x + 1.0, None, ("c", "x"), "y")
    problem = prepare(dataset, Settings("linear", optimizer="exact", test_fraction=0.0))
    trainer = Trainer(problem)
    list(trainer.run())
    units = original_units(problem, trainer.theta)
    assert units["intercept"] == pytest.approx(1.0, abs=1e-9)
    assert units["coefficients"] == pytest.approx({"c": 0.0, "x": 3.0}, abs=1e-9)
    near = np.array([[0.1, 0.5], [0.1000001, 0.5]])
    Xt = np.ascontiguousarray(problem.pipeline.transform(near).T)
    np.testing.assert_allclose(trainer.model.predict(trainer.theta, Xt), [2.5, 2.5], rtol=1e-9)


def _shifted_dataset(n=40):
    """Rows 0…29 around 0, rows 30…39 around 100 with ten times the spread."""
    rng = np.random.default_rng(5)
    X = rng.normal(size=(n, 2))
    X[30:] = 100.0 + 10.0 * X[30:]
    return Dataset(X, X @ [1.0, -2.0] + 0.5, None, ("a", "b"), "y")


def test_prepare_fits_the_standardisation_on_the_training_rows_only():
    dataset = _shifted_dataset()
    test_mask = np.arange(40) >= 30
    problem = prepare(dataset, Settings("polynomial", degree=2, test_fraction=0.0), test_mask=test_mask)
    train = dataset.X[:30]
    raw = np.column_stack([train[:, 0], train[:, 1], train[:, 0] ** 2, train[:, 0] * train[:, 1], train[:, 1] ** 2])
    np.testing.assert_allclose(problem.pipeline.mean, raw.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(problem.pipeline.std, raw.std(axis=0), rtol=1e-12)
    np.testing.assert_allclose(problem.Xt_train.mean(axis=1), 0.0, atol=1e-12)
    assert problem.Xt_test.mean(axis=1).min() > 10  # the test rows stay far out, as they are


def test_the_model_file_records_the_training_rows_statistics(tmp_path, capsys):
    dataset = _shifted_dataset()
    data = tmp_path / "shifted.csv"
    rows = zip(dataset.X.tolist(), dataset.y.tolist())
    data.write_text("a,b,y\n" + "".join(f"{a!r},{b!r},{y!r}\n" for (a, b), y in rows))
    out = tmp_path / "m.json"
    assert main(["train", str(data), "--y", "y", "--model", "linear", "--test-fraction", "0.25", "--seed", "3",
                 "--quiet", "--out", str(out)]) == 0, capsys.readouterr().err
    features = json.loads(out.read_text(encoding="utf-8"))["features"]
    split_rng = np.random.default_rng(np.random.SeedSequence(3).spawn(3)[0])  # README: the split's seed
    test_rows = np.sort(split_rng.permutation(40)[:10])
    train = np.delete(dataset.X, test_rows, axis=0)
    assert abs(train.mean(axis=0) - dataset.X.mean(axis=0)).min() > 1  # the check below can tell them apart
    np.testing.assert_allclose(features["mean"], train.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(features["std"], train.std(axis=0), rtol=1e-12)

"""What the plots draw: curves, probability grids, class maps and boundary fields."""

import numpy as np

from regstudio.core.generators import generate
from regstudio.core.training import Settings, Trainer, prepare
from regstudio.core.views import boundary_fields, class_map_image, probability_grid, regression_curves


def _trained(data, **settings):
    trainer = Trainer(prepare(generate(data, 120, 0.3, seed=2), Settings(test_fraction=0.0, **settings)))
    list(trainer.run())
    return trainer


def test_regression_curve_is_the_fitted_line():
    trainer = _trained("line", model="linear", optimizer="exact")
    [(group, xs, ys)] = regression_curves(trainer.problem, trainer.theta, (-3, 3), points=7)
    assert group is None
    slope, intercept = np.polyfit(trainer.problem.dataset.X[:, 0], trainer.problem.dataset.y, 1)
    np.testing.assert_allclose(ys, slope * xs + intercept, rtol=1e-9, atol=1e-9)


def test_one_curve_per_group_with_its_own_line():
    trainer = _trained("hidden_factor", model="linear", optimizer="exact")
    curves = regression_curves(trainer.problem, trainer.theta, (0, 5), points=5)
    assert [c[0] for c in curves] == ["species A", "species B", "species C"]
    slopes = [np.polyfit(xs, ys, 1)[0] for _, xs, ys in curves]
    np.testing.assert_allclose(slopes, [0.5, 1.5, -1.0], atol=0.1)


def test_probability_grid_and_boundary_follow_the_model():
    trainer = _trained("two_blobs", model="logistic")
    P = probability_grid(trainer.problem, trainer.theta, (-4, 4), (-4, 4), resolution=16)
    assert P.shape == (16, 16, 2) and P.dtype == np.float32
    np.testing.assert_allclose(P.sum(axis=-1), 1.0, rtol=1e-6)
    # Blob centres at angles π/4 and 5π/4 on a circle of radius 3: class 0 top right, class 1 bottom left.
    assert P[-1, -1, 0] > 0.9 and P[0, 0, 1] > 0.9
    [field] = boundary_fields(P)
    assert field[-1, -1] < 0 < field[0, 0]


def test_multiclass_boundary_fields_mark_each_class_region():
    trainer = _trained("blobs", model="softmax")
    P = probability_grid(trainer.problem, trainer.theta, (-4, 4), (-4, 4), resolution=12)
    fields = boundary_fields(P)
    assert fields.shape == (3, 12, 12)
    np.testing.assert_array_equal(np.argmax(fields, axis=0), np.argmax(P, axis=-1))


def test_class_map_colours_by_likeliest_class_and_fades_at_ties():
    P = np.array([[[0.9, 0.1], [0.5, 0.5]]], dtype=np.float32)
    colors = np.array([[255, 0, 0], [0, 0, 255]], dtype=np.uint8)
    image = class_map_image(P, colors)
    assert image.dtype == np.uint8 and image.shape == (1, 2, 4)
    assert tuple(image[0, 0, :3]) == (255, 0, 0)
    assert image[0, 0, 3] > image[0, 1, 3]


def test_explicit_test_mask_chooses_the_test_rows():
    data = generate("line", 10, 0.1, seed=0)
    mask = np.zeros(10, dtype=bool)
    mask[[2, 7]] = True
    problem = prepare(data, Settings("linear"), test_mask=mask)
    assert problem.test_rows.tolist() == [2, 7] and len(problem.train_rows) == 8


def test_hidden_unit_fields_are_each_units_output_minus_a_half():
    from regstudio.core.views import hidden_unit_fields

    trainer = _trained("xor", model="cascade", hidden=3, steps=200)
    fields = hidden_unit_fields(trainer.problem, trainer.theta, (-2, 2), (-2, 2), resolution=5)
    assert fields.shape == (3, 5, 5)
    params = trainer.model.unpack(trainer.theta)
    corner = trainer.problem.pipeline.transform(np.array([[2.0, -2.0]]))  # column 4, row 0 of the grid
    expected = 1 / (1 + np.exp(-(params["W1"] @ corner[0] + params["b1"]))) - 0.5
    np.testing.assert_allclose(fields[:, 0, 4], expected, rtol=1e-5, atol=1e-6)

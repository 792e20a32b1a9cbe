"""The hidden-space view in the window: live, paired with its frame's parameters."""

from __future__ import annotations

import numpy as np
from guihelpers import action, button, choose, spin, wait_settled, wait_step

from regstudio.core.hidden_space import hidden_space


def test_the_hidden_space_shows_the_hidden_activations_of_the_frame_it_came_with(qtbot, window):
    choose(window, "modelCombo", "cascade")
    choose(window, "generatorCombo", "xor")
    spin(window, "sizeSpin").setValue(80)
    button(window, "generateButton").click()
    action(window, "actionHidden_spaceDock").trigger()
    assert window.view_docks.is_open("hidden_space")
    for _ in range(3):
        button(window, "stepButton").click()
    wait_step(qtbot, window, 3)
    wait_settled(qtbot, window)
    problem, frame = window.controller.consistent()
    qtbot.waitUntil(lambda: (window.controller.latest.extras or {}).get("hidden_space") is not None, timeout=5000)
    problem, frame = window.controller.consistent()
    shown = frame.extras["hidden_space"]
    expected = hidden_space(problem, problem.model.pack(frame.snapshot.params))
    np.testing.assert_allclose(shown.xy, expected.xy, rtol=0, atol=1e-12)


def test_distance_features_show_their_plane_and_are_offered_only_for_two_inputs(qtbot, window):
    choose(window, "modelCombo", "logistic")
    choose(window, "generatorCombo", "xor")
    button(window, "generateButton").click()
    choose(window, "featuresCombo", "distances")
    assert window.document.config.features == "distances"
    window.view_docks.show_only(["hidden_space"])
    button(window, "stepButton").click()
    wait_step(qtbot, window, 1)
    qtbot.waitUntil(lambda: (window.controller.latest.extras or {}).get("hidden_space") is not None, timeout=5000)
    problem, frame = window.controller.consistent()
    X = problem.dataset.X[problem.train_rows]
    shown = frame.extras["hidden_space"]
    distances = np.linalg.norm(X[:, None, :] - np.array(problem.settings.references)[None], axis=2)
    np.testing.assert_allclose(np.sort(shown.xy[:len(X)], axis=0), np.sort(distances, axis=0), atol=1e-9)
    choose(window, "modelCombo", "linear")
    assert not window.model_panel.features_combo.isVisibleTo(window.model_panel)

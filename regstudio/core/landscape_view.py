"""The loss landscape as a live view of the training thread (see ``runner.SetExtraViews``)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .landscape import Landscape, LandscapeRequest, compute_landscape


@dataclass(frozen=True)
class LandscapeViewRequest:
    """J over ``grid`` at each frame's θ, for a model with ``n_params`` parameters; a problem whose
    parameters do not match (the window changed the model since asking) gets None, not an error."""

    grid: LandscapeRequest
    n_params: int
    name = "landscape"

    def compute(self, problem, theta: np.ndarray, l2: float) -> Landscape | None:
        if problem.model.n_params != self.n_params or max(self.grid.i, self.grid.j) >= self.n_params:
            return None
        return compute_landscape(problem, theta, self.grid, l2)

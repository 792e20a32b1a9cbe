"""The lessons' data sets at small sizes: every class (and every group) has a point as soon as there are
enough points for all of them."""

from __future__ import annotations

import pytest

from regstudio.core.generators import CLASSIFICATION_SETS, GENERATORS, generate

CASES = [(name, {}) for name in sorted(GENERATORS)] + [
    ("blobs", {"classes": 5}), ("spiral", {"classes": 3}), ("hidden_factor", {"groups": 6})]


@pytest.mark.parametrize("name, options", CASES, ids=[f"{name}{options or ''}" for name, options in CASES])
def test_every_class_and_group_has_a_point_once_n_allows(name, options):
    many = generate(name, 200, 0.5, seed=0, **options)
    classes = len(set(many.y)) if name in CLASSIFICATION_SETS else 0
    groups = 0 if many.groups is None else len(set(many.groups))
    for n in range(1, 2 * max(classes, groups, 1) + 2):
        for seed in range(25):
            data = generate(name, n, 0.5, seed=seed, **options)
            assert len(data) == n
            if classes:
                assert len(set(data.y)) == min(n, classes), (n, seed)
            if groups:
                assert len(set(data.groups)) == min(n, groups), (n, seed)

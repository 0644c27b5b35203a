"""``groups[0 if v > 0 else 1].append(v)``: the index is evaluated once (lower/idioms.index_once).

Refused before (session 9): the receiver was lowered twice, for the read and for the write-back
of the appended list, so the two computed indices were different values and the mutation check
could not tell they name the same element.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.57])


def by_sign_list(x):
    groups = [[], []]
    for v in x:
        groups[0 if v > 0 else 1].append(v)
    return sum(groups[0]) - sum(groups[1]) ** 2


def by_sign_dict(x):
    groups = {"pos": [], "neg": []}
    for v in x:
        groups["pos" if v > 0 else "neg"].append(v * v)
    return sum(np.mean(vs) ** 2 for vs in groups.values())


@pytest.mark.parametrize("f", [by_sign_list, by_sign_dict])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_append_to_a_computed_item(f, sign):
    x = X * sign
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=2)

"""``match`` on values (lower/matches.py): an if/elif chain, differentiated like one.

Refused before (session 9): ``match kind: case "relu": ...`` in an activation helper, the
common configuration switch. Sequence, mapping and class patterns stay refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.57])


def _act(z, kind):
    match kind:
        case "relu":
            return np.maximum(z, 0)
        case "tanh" | "th":
            return np.tanh(z)
        case None:
            return z
        case k if k == "sq":
            return z**2
        case other:
            raise ValueError(other)


def activations(x):
    return sum(np.sum(_act(x, k)) for k in ("relu", "th", None, "sq"))


def by_position(x):
    s = 0.0
    for i, v in enumerate(x, start=1):
        match i % 3:
            case 0:
                s += v * 2
            case 1:
                s += v**2
            case _:
                s -= v
    return s


def guards_and_as(x):
    match len(x):
        case 1 | 2 as small:
            y = x * small
        case 4 if x[0] > 0:
            y = x**3
        case 4:
            y = x
        case _:
            y = -x
    return np.sum(y)


def try_in_a_case(x):
    match x.ndim:
        case 1:
            try:
                v = np.log(x[0])
            except ValueError:
                v = 0.0
        case _:
            v = 1.0
    return v * np.sum(x)


@pytest.mark.parametrize("f", [activations, by_position, guards_and_as, try_in_a_case])
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_match_on_values(f, sign):
    x = sign * X
    if f is try_in_a_case:
        x = np.abs(x)
    assert srcad.primal(f)(x.copy()) == pytest.approx(f(x.copy()), rel=1e-12)
    check_grads(f, (x.copy(),), modes=("fwd", "rev"), order=2)


def subject_once(x):
    match bool(np.sin(x) > 0.5):  # (`np.True_ is True` is false: `case True` would not match)
        case True:
            return x * 3.0
        case False:
            return x * 2.0
    return x * 0.0


def test_the_subject_is_evaluated_once():
    assert srcad.grad(subject_once)(1.5) == 3.0
    assert srcad.grad(subject_once)(0.1) == 2.0
    assert srcad.source(subject_once).count("np.sin(") == 1


def sequence_pattern(x):
    match (1, 2):
        case (a, b):
            return x * a * b
    return x


def rest_of_mapping(x):
    match {"a": x, "b": 2.0}:
        case {"a": a, **others}:
            return a * len(others)
    return x


def test_other_patterns_stay_refused():
    assert srcad.grad(sequence_pattern)(1.5) == 2.0  # since refuse10 (lower/matches.py)
    with pytest.raises(srcad.SrcadError, match="`match` statements are not supported"):
        srcad.grad(rest_of_mapping)(1.5)

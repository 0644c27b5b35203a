"""Session 6's `refuse`: the idioms tests/corpus/users_idioms6.py accepts, at second order
(srcad.hvp against differences of srcad.grad, srcad.hessian against srcad.hvp), and their
neighbours that must stay refused, each at its line with the reason."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus import Case, check_hvp_and_hessian, scalar_float_cases, users_idioms6

X = np.array([0.3, -0.7, 1.2])

HVP = scalar_float_cases([c for c in users_idioms6.CASES if c.extra == "hvp"])


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_hvp_and_hessian(case)


def setdefault_unknown_kind(x, d):
    d.setdefault(0, []).append(x[0])  # `d` is an argument: Python changes the caller's dict
    return x[0]


def rows_shared(x):
    row = []
    rows = [row, row]  # one list in two slots: appending to rows[0] changes rows[1]
    rows[0].append(x[0])
    return sum(rows[1]) * x[1]


def dict_shared_value(x):
    lst = []
    d = {"a": lst, "b": lst}
    k = "a" if x[0] > 0 else "b"
    d[k].append(x[1])
    return sum(d["b"]) + sum(d["a"])


@pytest.mark.parametrize(
    ("fn", "args", "match"),
    [
        (setdefault_unknown_kind, (X, {}), "append"),
        (rows_shared, (X,), "appended to"),
        (dict_shared_value, (X,), "appended to"),
    ],
)
def test_refused_neighbours(fn, args, match: str) -> None:
    with pytest.raises(srcad.SrcadError, match=match) as e:
        srcad.grad(fn)(*args)
    assert "test_refuse6.py:" in str(e.value)

"""What refuse34b accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), and the
neighbours that must stay refused (tests/corpus/ported_refuse34b.py holds the corpus cases):

1. ``try``/``finally`` whose body returns, breaks or continues: the ``finally`` part copied
   before each exit (lower/finallies.py); a ``finally`` part that exits itself, or a nested
   ``try`` that exits, stays refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. try/finally with exits ------------------------------------------------------------------
def fin_return(x):
    s = 0.0
    try:
        s = np.sum(np.sin(x))
        if s > 10.0:
            return s
        s = s * 2.0
        return s * s
    finally:
        s = 0.0  # (the value returned was computed before)


def fin_continue(x):
    total = 0.0
    count = 0.0
    for i in range(len(x)):
        try:
            if x[i] < 0:
                continue
            total = total + x[i] ** 2
        finally:
            count = count + x[i]
    return total * count


def fin_break(x):
    out = []
    for v in x:
        try:
            if v > 1.5:
                break
            out.append(v * v)
        finally:
            out.append(v)
    return sum(out)


def fin_inner_break(x):
    acc = x * 1.0
    for k in range(3):
        try:
            for j in range(2):
                if j == 1:
                    break  # (leaves the inner loop only: no `finally` here)
                acc = acc * 1.1
            if k == 2:
                return np.sum(acc**2)
        finally:
            acc = acc + 0.5
    return -1.0


@pytest.mark.parametrize("f", [fin_return, fin_continue, fin_break, fin_inner_break])
def test_try_finally_with_exits(f):
    _both(f, X)
    check_scalar(f, X)
    assert srcad.value_and_grad(f)(X.copy())[0] == f(X.copy())


def fin_exits_itself(x):
    for v in x:
        try:
            y = v * 2.0
        finally:
            if v > 0:
                break  # noqa: B012 (refused: what it tests)
    return y


def fin_nested_try(x):
    try:
        try:
            return x[0] * 2.0
        finally:
            x = x * 3.0
    finally:
        x = x + 1.0


@pytest.mark.parametrize("f", [fin_exits_itself, fin_nested_try])
def test_try_finally_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="try`/`finally"):
        srcad.grad(f)(X)

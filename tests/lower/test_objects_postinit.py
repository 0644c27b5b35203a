"""Dataclasses with ``__post_init__`` built in the differentiated function (lower/postinit.py):
the fields stored, then ``__post_init__``'s statements, lowered as an ``__init__``'s; the kinds
it does not take keep the class called when the code runs (refused where differentiated)."""

from __future__ import annotations

from dataclasses import InitVar, dataclass, field

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.5, 0.7])


@dataclass
class Scaled:
    w: np.ndarray
    k: float = 2.0
    total: float = field(init=False)

    def __post_init__(self):
        self.total = self.k * np.sum(self.w**2)


@dataclass(frozen=True)
class Frozen:
    w: np.ndarray
    total: float = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "total", np.sum(self.w**2))


@dataclass
class WithInitVar:
    w: np.ndarray
    k: InitVar[float] = 1.0
    total: float = field(init=False)

    def __post_init__(self, k):
        self.total = k * np.sum(self.w**2)


def built(x):
    return Scaled(x, k=x[0]).total + Scaled(x * 2).total


def frozen(x):
    return Frozen(x).total


def initvar(x):
    return WithInitVar(x, 3.0).total


def test_post_init_fields_are_differentiated():
    check_grads(built, (X,), order=2)
    assert srcad.primal(built)(X) == pytest.approx(built(X))


@pytest.mark.parametrize("fn", [frozen, initvar])
def test_other_post_inits_stay_refused(fn):
    with pytest.raises(srcad.SrcadError, match="__post_init__"):
        srcad.grad(fn)(X)

"""Found porting other projects' numerical programs (corp25).

``functools.reduce(f, reversed(xs), init)`` (Rosetta Code's Horner's rule) and the same fold over
``zip(...)`` / ``enumerate(...)`` or through ``itertools.accumulate`` were refused ("no
derivative rule for `reversed`"): the fold took the iterator itself as its sequence. Now the
iterator's items are listed first (lower/stdlib.py `_listed`), as ``list(reversed(xs))`` is."""

from __future__ import annotations

import itertools
from functools import reduce

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

C = np.array([-19.0, 7.0, -4.0, 6.0, 0.5])


def horner(c):
    return reduce(lambda acc, k: acc * 1.3 + k, reversed(c), 0.0)


def horner_list(c):
    return reduce(lambda acc, k: acc * 0.7 - k * k, reversed(list(c)), 1.0)


def weighted_zip(c):
    return reduce(lambda acc, pair: acc + pair[0] * np.sin(pair[1]), zip(c, c[::-1]), 0.0)


def indexed(c):
    return reduce(lambda acc, ik: acc * 0.5 + ik[0] * ik[1] ** 2, enumerate(c), 0.0)


def running(c):
    return sum(itertools.accumulate(reversed(c), lambda a, b: a * b))


def no_init(c):
    return reduce(lambda a, b: a * 0.9 + np.cos(b), reversed(c))


@pytest.mark.parametrize("f", [horner, horner_list, weighted_zip, indexed, running, no_init])
def test_fold_over_an_iterator(f):
    check_scalar(f, C / 7.0)


def test_horner_value_and_gradient():
    g = srcad.grad(horner)(C)
    np.testing.assert_allclose(g, 1.3 ** np.arange(5))
    assert srcad.primal(horner)(C) == horner(C)

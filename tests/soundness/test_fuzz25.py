"""Session-25 fuzz findings (tests/fuzz, wild grammar, seeds 25000000+).

- Spurious refusal (reduced from wild seed 25000026, whose program stays refused: there `v`
  comes from an ``if`` whose other branch is ``np.abs`` of a complex array, no float array of
  known rank to passes/ranks.py): ``v = np.where(np.logical_and(x < a, x > b), c, x)``
  then ``u = np.array(v * -1, dtype=float); w = u[::-1]; w[...] = e`` was refused ("`u` is read
  after the object it shares with another name is modified"): a mask built by ``&``, ``|``,
  ``~`` or ``np.logical_*`` of comparisons had no known rank, so the `np.where` of it was no
  float array of known rank and the write through the view `w` was not carried into `u`.
  passes/ranks.py: logical ops of masks of one rank (and numbers) keep that rank.
- Spurious refusal (wild seed 25006002): `:=` targets of several comprehensions, read in no
  other place, were refused ("binds `y` in the function, which has no value before it") unless
  one comprehension alone read them (lower/closures._read_only_in).
- Neighbours that must stay right or refused: a mask broadcast to another rank
  (``(x[:, None] < a) & (x > b)`` is 2-D), where ``u[0]`` is a row view, not a number.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X4 = np.array([0.31, -0.72, 1.13, 0.57])


def _same_primal(f, *args):
    want = f(*copy.deepcopy(args))
    got = srcad.primal(f)(*copy.deepcopy(args))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def where_logical_and(x):
    v = np.where(np.logical_and(x < 0.1, x > -0.2), -0.399, x)
    u = np.array(v * -1, dtype=float)
    w = u[::-1]
    w[...] = np.sin(w) * 0.5
    return u.sum() + np.linalg.norm(w)


def where_bitand(x):
    m = (x > -0.5) & (x < 1.0)
    v = np.where(m, x * x, x)
    u = np.array(v, dtype=float)
    w = u[1:]
    w *= 0.5
    return np.sum(u * u)


def where_invert_or(x):
    m = ~((x < -0.5) | (x > 1.0))
    v = np.where(np.logical_not(m), 0.25, np.sin(x))
    u = np.array(v, dtype=float)
    w = u[::2]
    w[:] = np.cos(w)
    return np.sum(u) + np.sum(w**2)


ACCEPTED = [where_logical_and, where_bitand, where_invert_or]


@pytest.mark.parametrize("f", ACCEPTED, ids=[f.__name__ for f in ACCEPTED])
def test_where_of_logical_masks_is_accepted_and_right(f) -> None:
    _same_primal(f, X4)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)


# -- a mask of another rank: `u[0]` is a row (a view); right or refused --------------------------
def where_broadcast_mask(x):
    m = (x[:, None] < 0.5) & (x > -0.5)  # 2-D
    v = np.where(m, x, 0.5)
    u = np.array(v, dtype=float)
    r = u[0]
    u *= 2.0
    return np.sum(r * r) + np.sum(u)


def where_broadcast_mask_write(x):
    m = np.logical_or(x[:, None] > 0.9, x < 0.0)  # 2-D
    v = np.where(m, np.sin(x), x)
    u = np.array(v, dtype=float)
    w = u[1:]
    w[0] = 3.0 * x[0]
    return np.sum(u * u)


NEIGHBOURS = [where_broadcast_mask, where_broadcast_mask_write]


@pytest.mark.parametrize("f", NEIGHBOURS, ids=[f.__name__ for f in NEIGHBOURS])
def test_masks_of_another_rank_stay_right_or_refused(f) -> None:
    try:
        _same_primal(f, X4)
        check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)
    except srcad.SrcadError:
        pass


# -- `:=` in comprehensions (wild seed 25006002): the name read only in comprehensions binding it
def walrus_two_comprehensions(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    t = sum(a) + len(a) * 0.5
    b = [y for e in x if (y := np.sin(e) + 0.2) > -0.5]
    return t + sum(b) * t


def test_walrus_target_read_only_in_binding_comprehensions_is_accepted_and_right() -> None:
    f = walrus_two_comprehensions
    _same_primal(f, X4)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"), order=2)


def walrus_read_by_another_comprehension(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    b = [y * e for e in x]  # the `y` the first one left (unbound when it kept nothing)
    return sum(a) + sum(b)


def walrus_read_after(x):
    a = [y for e in x if (y := e * 2.0 - 0.1) > 0.0]
    return sum(a) + y


@pytest.mark.parametrize("f", [walrus_read_by_another_comprehension, walrus_read_after])
def test_walrus_target_read_elsewhere(f) -> None:
    # accepted since refuse31: the last item's value, as a `for` loop's name (None after no item)
    _same_primal(f, X4)
    check_grads(f, (X4.copy(),), modes=("fwd", "rev"))

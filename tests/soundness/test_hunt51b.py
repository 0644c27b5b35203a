"""Session 51, hunt51b: regressions found by porting other projects' examples and test programs
(autograd's examples; tests/corpus/ported_corp51_b*.py)."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def _fd(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


# -- ``sum(map(functools.partial(f, params), data))``: autograd's hmm_em.py --------------------
def _lse(a, axis=None):
    m = np.max(a, axis=axis, keepdims=True)
    return np.squeeze(m, axis=axis) + np.log(np.sum(np.exp(a - m), axis=axis))


def log_partition(natural_params, data):
    if isinstance(data, list):
        return sum(map(partial(log_partition, natural_params), data))
    log_pi, log_A, log_B = natural_params
    log_alpha = log_pi
    for y in data:
        log_alpha = _lse(log_alpha[:, None] + log_A, axis=0) + log_B[:, y]
    return _lse(log_alpha)


_PI = np.log(np.array([0.3, 0.7]))
_A = np.log(np.array([[0.8, 0.2], [0.3, 0.7]]))
_B = np.log(np.array([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3]]))
_SEQS = [np.array([0, 1, 2, 1]), np.array([2, 2, 0])]


def hmm_of_emissions(log_B):
    return log_partition([_PI, _A, log_B], _SEQS)


def _scaled(a, y, s=1.0):
    return np.sum(a * y) * s


def mapped_list(a, ys):
    return np.array(list(map(partial(_scaled, a, s=2.0), ys))) @ np.arange(1.0, 4.0)


def lazy_partial_map(a, ys):
    k = 2.0

    def h(b, y):
        return np.sum(b * y) * k

    m = map(partial(h, a), ys)
    k = 5.0  # Python's map runs `h` when `sum` consumes it: k is 5 then
    return sum(m)


def test_partial_mapped_and_consumed_at_once():
    """``sum(map(partial(f, p), data))`` was refused ("cannot use a `functools.partial` object
    made here as a value"): consumed at once, the partial is made once, first, and called per
    item. A lazy one stays refused."""
    want = _fd(hmm_of_emissions, _B.copy())
    np.testing.assert_allclose(srcad.grad(hmm_of_emissions)(_B.copy()), want, rtol=1e-6)
    check_grads(hmm_of_emissions, (_B.copy(),), modes=("fwd", "rev"), order=2)
    ys = [np.array([1.0, 2.0]), np.array([0.5, -1.0]), np.array([-0.5, 3.0])]
    a = np.array([0.3, -0.4])
    np.testing.assert_allclose(srcad.primal(mapped_list)(a, ys), mapped_list(a, ys))
    check_grads(mapped_list, (a, ys), modes=("fwd", "rev"), wrt=(0,))
    # consumed later, its items run then, after statements that may rebind what the function
    # reads (here ``k``): still refused, not evaluated where it is written (1.7, not 4.25)
    with pytest.raises(srcad.SrcadError, match="functools.partial"):
        srcad.grad(lazy_partial_map)(a, ys[:2])

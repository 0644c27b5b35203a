"""Side effects of ``global N; N += 1`` call counters under each derivative call (idiom47b).

lower/globalcounts.py updates the module's number once per call of the generated code (as
autograd runs the function once per derivative call): the primal, `grad`, `value_and_grad`,
`jvp`, `vjp` (not again when its pullback runs), `hessian`, `jacfwd`, `jacrev` and `hvp` each
count one call, and the derivatives are those of the function without the counter.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

N = 0


def counted(x):
    global N
    N += 1
    return np.sum(x**2) * 2.0


X = np.array([0.3, -0.7, 1.2])
V = np.array([1.0, 0.5, -2.0])

CALLS = {
    "primal": lambda: srcad.primal(counted)(X),
    "grad": lambda: srcad.grad(counted)(X),
    "value_and_grad": lambda: srcad.value_and_grad(counted)(X)[1],
    "jvp": lambda: srcad.jvp(counted, (X,), (V,))[1],
    "vjp": lambda: srcad.vjp(counted, X)[1](1.0)[0],
    "hessian": lambda: srcad.hessian(counted)(X) @ V,
    "jacfwd": lambda: srcad.jacfwd(counted)(X),
    "jacrev": lambda: srcad.jacrev(counted)(X),
    "hvp": lambda: srcad.hvp(counted, (X,), (V,))[1],
}
EXPECTED = {
    "primal": np.sum(X**2) * 2.0,
    "grad": 4.0 * X,
    "value_and_grad": 4.0 * X,
    "jvp": 4.0 * X @ V,
    "vjp": 4.0 * X,
    "hessian": 4.0 * V,
    "jacfwd": 4.0 * X,
    "jacrev": 4.0 * X,
    "hvp": 4.0 * V,
}


@pytest.mark.parametrize("how", list(CALLS))
def test_global_counter_once_per_derivative_call(how):
    global N
    N = 0
    CALLS[how]()  # (the first call may build the transform)
    before = N
    got = CALLS[how]()
    assert N - before == 1
    got = got[0] if isinstance(got, tuple) else got
    np.testing.assert_allclose(np.asarray(got, float), EXPECTED[how], rtol=1e-12)


def test_vjp_pullback_counts_nothing():
    global N
    N = 0
    _, pullback = srcad.vjp(counted, X)
    assert N == 1
    pullback(1.0)
    pullback(2.0)
    assert N == 1

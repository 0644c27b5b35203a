"""Session 50, transform speed (perf50t): the branch masks' data products and the magnitudes'
second-order scan do no work where nothing can come of it, and the gradients stay as they were.

- `branchmasks._data_product`: ``-c * v`` of a varied loop carry `v` (bench_core's damping) is
  no product with data (the sweep's memo holds the varied values that are no parameter of the
  function: "computed"), so an ``if`` reading it needs no mask and `masks._block` is not run;
  a parameter is data whether differentiated or not: ``(Y * w)[~np.isnan(Y)]`` differentiated in
  `Y` and `w` keeps a finite gradient of `w`;
- `abscheck.has_magnitude`: the scan of every op's readers runs only when an op is a magnitude
  (``np.abs(x)``, ``np.maximum(x, -x)``, ``np.sign(x) * x``), not for every function with a
  product.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import abscheck
from srcad.ad.abscheck import has_magnitude
from srcad.ad.branchmasks import branch_values
from srcad.passes.prepare import lowered
from srcad.ssa.census import ops_of
from srcad.testing import check_grads

_Y = np.array([[np.nan, 1.0, 2.0], [0.4, np.nan, 0.3], [1.0, 2.0, -1.0]])


def damped(params, v0):
    c = params[0]
    v = v0
    total = v0 * 0.0
    for _ in range(3):
        total = -c * v
        if np.max(total) > 10.0:
            total = total * 0.5
        v = v + 0.1 * total
    return np.sum(v) + np.sum(total)


def _carries(fn):
    """The block parameters of `fn`'s loop bodies (loop carries and indices)."""
    return {p for op in ops_of(fn.body) for b in op.blocks for p in b.params}


def test_carried_product_is_no_branch_value():
    """Before: `-c * v` with `v` a loop carry was a data product whatever `v` is, so the
    ``if`` made `total` a branch value (and the mask pass walked every op for no mask)."""
    fn = lowered(damped)
    assert branch_values(fn.body, ())[0]  # (without the varied values: every carry is data)
    computed = _carries(fn)  # (all varied here: v depends on params)
    assert branch_values(fn.body, (), memo={"computed": computed})[0] == set()


def both_varied(Y, w):
    return np.sum((Y * w)[~np.isnan(Y)] ** 2)


def branch_both_varied(Y, w):
    z = Y * w
    if w[0] > 100.0:
        return np.sum(w)
    return np.sum(z[~np.isnan(Y)])


@pytest.mark.parametrize("f", [both_varied, branch_both_varied], ids=lambda f: f.__name__)
def test_differentiated_parameter_stays_data(f):
    """``Y * w`` with NaN in a differentiated `Y`: w's gradient is finite (the NaN entries
    are never read), and Y's is 0 there."""
    w = np.array([0.5, -1.0, 2.0])
    gy, gw = srcad.grad(f, wrt=(0, 1))(_Y, w)
    (gw1,) = srcad.grad(f, wrt=(1,))(_Y, w)
    assert np.all(np.isfinite(gw)) and np.all(np.isfinite(gy))
    np.testing.assert_allclose(gw, gw1)
    assert np.all(gy[np.isnan(_Y)] == 0.0)


def test_damped_gradient():
    """The loop's gradient against central differences (nothing masked, nothing lost)."""
    check_grads(damped, (np.array([0.3]), np.array([1.0, -2.0, 0.5])), wrt=(0,))


def plain(x):
    return np.sum(x * 2.0 + np.maximum(x, 0.0) * np.exp(x))


def magnitude(x):
    return np.sum(np.maximum(x, -x) ** 2 * np.exp(x))


def signed(x):
    return np.sum((np.sign(x) * x) ** 3)


@pytest.mark.parametrize(("f", "has"), [(plain, False), (magnitude, True), (signed, True)])
def test_has_magnitude(f, has):
    assert has_magnitude(ops_of(lowered(f).body)) is has


def test_no_scan_without_magnitude(monkeypatch):
    """Before: the first product the VJP met scanned every op's readers (`_scan`)."""
    calls = []
    scan = abscheck._scan
    monkeypatch.setattr(abscheck, "_scan", lambda *a: calls.append(1) or scan(*a))
    srcad.source(plain, mode="grad")
    assert calls == []
    srcad.source(magnitude, mode="grad")
    assert calls

"""Evaluation counters on an object the function did not build (``self.nfev += 1`` in a
differentiated method, as SciPy's benchmark problems count calls): the write is done once per
call of the generated code, as Python does it (lower/attreffects.py); a differentiated value
stored so, or a read of the written attribute in the function, stays refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.6, -0.8, 0.9])


class Counted:
    def __init__(self) -> None:
        self.nfev = 0
        self.calls = 0
        self.last_n = 0
        self.w = np.array([1.0, 2.0, 3.0])

    def fun(self, x):
        self.nfev += 1
        self.calls = self.calls + 1
        self.last_n = len(x)
        return np.sum(self.w * x**2) + np.prod(np.cos(x))

    def looped(self, x):
        s = 0.0
        for i in range(3):
            self.nfev += 1
            s = s + np.sum(np.sin(x) * i)
        return s

    def stores_x(self, x):
        self.last = x * 2.0
        return np.sum(x**2)

    def reads_back(self, x):
        self.nfev += 1
        return np.sum(x**2) * self.nfev


def _value(x):
    w = np.array([1.0, 2.0, 3.0])
    return np.sum(w * x**2) + np.prod(np.cos(x))


def _grad(x):
    w = np.array([1.0, 2.0, 3.0])
    return 2.0 * w * x - np.sin(x) * np.prod(np.cos(x)) / np.cos(x)


@pytest.mark.parametrize("how", ["grad", "value_and_grad", "jacrev", "jacfwd", "primal"])
def test_counted_once_per_call(how) -> None:
    c = Counted()
    out = getattr(srcad, how)(c.fun)(X)
    assert (c.nfev, c.calls, c.last_n) == (1, 1, 3)
    want = _value(X) if how == "primal" else _grad(X)
    got = out[1] if how == "value_and_grad" else out
    np.testing.assert_allclose(got, want, rtol=1e-12)
    getattr(srcad, how)(c.fun)(X)
    assert (c.nfev, c.calls) == (2, 2)


def test_jvp_counts_once() -> None:
    c = Counted()
    y, t = srcad.jvp(c.fun, (X,), (np.ones(3),))
    assert c.nfev == 1
    np.testing.assert_allclose(t, np.sum(_grad(X)), rtol=1e-12)


def test_hessian_counts_once_per_call() -> None:
    """srcad.hessian runs its generated code once per column; the columns after the first do not
    write (srcad/columns.py), so one call of the Hessian counts one evaluation."""
    c = Counted()
    h = srcad.hessian(c.fun)(X)
    assert c.nfev == 1 and c.calls == 1
    np.testing.assert_allclose(h, h.T, atol=1e-12)


def test_second_order_numerically() -> None:
    c = Counted()
    check_grads(c.fun, (X,), modes=("fwd", "rev"), order=2)
    assert c.nfev > 0


def test_counter_in_a_loop() -> None:
    c = Counted()
    g = srcad.grad(c.looped)(X)
    assert c.nfev == 3
    np.testing.assert_allclose(g, 3.0 * np.cos(X), rtol=1e-12)


def test_counter_on_an_argument() -> None:
    def f(stats, x):
        stats.nfev += 1
        return np.sum(x**3)

    c = Counted()
    g = srcad.grad(f, wrt=1)(c, X)
    assert c.nfev == 1
    np.testing.assert_allclose(g, 3.0 * X**2, rtol=1e-12)


def test_differentiated_value_stored_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="stored into the attribute `last`"):
        srcad.grad(Counted().stores_x)(X)


def test_read_back_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="reads the attribute `nfev`"):
        srcad.grad(Counted().reads_back)(X)


def test_written_object_differentiated_counts_once_per_call() -> None:
    # (refused before models27; now Python's update, once per call, as autograd runs it once:
    # tests/soundness/test_models27.py)
    class Box:
        def __init__(self, v):
            self.v = v
            self.n = 0

    def f(b):
        b.n += 1
        return 2.0 * b.v

    b = Box(1.5)
    g = srcad.grad(f)(b)
    assert (g.v, g.n, b.n) == (2.0, None, 1)


def test_property_setter_refused_when_run() -> None:
    class P:
        def __init__(self):
            self._n = 0

        @property
        def n(self):
            return self._n

        @n.setter
        def n(self, v):
            self._n = v

        def fun(self, x):
            self.n = 3
            return np.sum(x**2)

    p = P()
    with pytest.raises(srcad.SrcadError, match="plain attribute only"):
        srcad.grad(p.fun)(X)
    assert p._n == 0


def test_local_stored_then_updated_is_refused() -> None:
    class C:
        def fun(self, x):
            a = np.ones(3)
            self.buf = a
            a[0] = 5.0
            return np.sum(x * a)

    with pytest.raises(srcad.SrcadError, match="stored into `self.buf` and updated in place"):
        srcad.grad(C().fun)(X)

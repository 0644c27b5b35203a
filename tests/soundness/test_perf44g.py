"""`matmul_vjp`'s test for a ``0 * inf`` term reads the smaller operand (perf44g, issue 11's
LSTM): the other operand's entries when it has fewer than the result, else the result's.

The values are those of the old test (the result's sum) in every case: a finite other operand
leaves no term to drop; a non-finite one in a row or column the cotangent never reads is still
dropped (``(np.sqrt(A) @ B)[0]``), and one that is read still gives its nan.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.rules import products


def _calls(monkeypatch: pytest.MonkeyPatch) -> list:
    seen: list = []
    orig = products.unread_zeroed

    def spy(g, x, y, which):
        seen.append(which)
        return orig(g, x, y, which)

    monkeypatch.setattr(products, "unread_zeroed", spy)
    return seen


def test_finite_small_operand_skips_the_result_sum(monkeypatch: pytest.MonkeyPatch) -> None:
    """x.T @ g with a finite x smaller than the result: r is final without summing r (a sum of
    r overflowing to inf used to send it through the fix, which gave the same r again)."""
    seen = _calls(monkeypatch)
    x = np.full((2, 3), 1e300)  # 6 entries, the result 3 x 4 = 12
    g = np.full((2, 4), 1e8)
    r = products.matmul_vjp(g, x, np.ones((3, 4)), 1)
    np.testing.assert_array_equal(r, x.T @ g)
    assert seen == []


def test_nonfinite_unread_row_still_dropped(monkeypatch: pytest.MonkeyPatch) -> None:
    """The other operand non-finite (and smaller): the result's test and the fix run."""
    seen = _calls(monkeypatch)
    x = np.array([[1.0, 2.0], [np.inf, 3.0]])  # 4 entries; result 2 x 3
    g = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])  # row 1 of x multiplies zeros only
    r = products.matmul_vjp(g, x, np.ones((2, 3)), 1)
    np.testing.assert_array_equal(r, x[:1].T @ g[:1])
    assert seen == [1]


def test_nonfinite_read_entry_keeps_nan() -> None:
    x = np.array([[1.0, 2.0], [np.inf, 3.0]])
    g = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]])
    r = products.matmul_vjp(g, x, np.ones((2, 3)), 1)
    with np.errstate(invalid="ignore"):
        want = x.T @ g
    np.testing.assert_array_equal(np.isnan(r), np.isnan(want))
    assert np.isinf(r[0, 0])


def _sqrt_rows(A, B):
    return np.sum((np.sqrt(A) @ B)[0] ** 2)


def _sqrt_cols(A, B):
    return np.sum((A @ np.sqrt(B))[:, 0] ** 2)


@pytest.mark.parametrize("wide", [False, True])
def test_sqrt_unread_gradient(wide: bool) -> None:
    """The gradient in the finite operand where the other holds a nan no read reaches, with the
    other operand smaller and larger than the cotangent (both tests of the helper)."""
    rng = np.random.default_rng(3)
    n = 6 if wide else 2
    A = rng.random((2, 3)) + 0.5
    A[1, 0] = -1.0  # sqrt: nan in row 1, which (.)[0] never reads
    B = rng.standard_normal((3, n))
    with np.errstate(invalid="ignore"):
        gB = srcad.grad(_sqrt_rows, wrt=1)(A, B)
    s = np.sqrt(A[:1])
    want = 2.0 * s.T @ (s @ B)
    np.testing.assert_allclose(gB, want, rtol=1e-12)
    A2 = rng.standard_normal((n, 3))
    B2 = rng.random((3, 2)) + 0.5
    B2[0, 1] = -1.0  # nan in column 1, never read
    with np.errstate(invalid="ignore"):
        gA = srcad.grad(_sqrt_cols, wrt=0)(A2, B2)
    c = np.sqrt(B2[:, :1])
    np.testing.assert_allclose(gA, 2.0 * (A2 @ c) @ c.T, rtol=1e-12)


@pytest.mark.parametrize(
    "shape", [((4, 3), (3, 5)), ((5, 3), (3, 2)), ((3,), (3, 4)), ((4, 3), (3,))]
)
def test_products_match_old_helper(shape: tuple) -> None:
    """Finite operands of every rank pair: the plain products."""
    rng = np.random.default_rng(5)
    x, y = rng.standard_normal(shape[0]), rng.standard_normal(shape[1])
    g = rng.standard_normal(np.shape(x @ y))
    r0 = products.matmul_vjp(g, x, y, 0)
    r1 = products.matmul_vjp(g, x, y, 1)
    gx = np.outer(g, y) if x.ndim == 2 and y.ndim == 1 else (y @ g if x.ndim == 1 else g @ y.T)
    gy = np.outer(x, g) if x.ndim == 1 else x.T @ g
    np.testing.assert_allclose(r0, gx, rtol=1e-13)
    np.testing.assert_allclose(r1, gy, rtol=1e-13)


# -- shape facts of carried states of unknown shape (tests/passes/test_perf44g.py's rewrites) --


def _fd(f, args, k, h=1e-6):
    out = np.zeros_like(args[k])
    for i in np.ndindex(out.shape):
        up, dn = [a.copy() for a in args], [a.copy() for a in args]
        up[k][i] += h
        dn[k][i] -= h
        out[i] = (f(*up) - f(*dn)) / (2 * h)
    return out


def _grow(W, x):
    """The state grows a rank in its second step: ``h @ W`` is (n,) then (n, n)."""
    h = x
    for t in range(3):
        u = h @ W
        h = np.tanh(u + h) + (x[:, None] * 0.1 if t == 0 else 0.0)
    return np.sum(h**2)


def _two_tapes(W, x):
    """Two products of the state per step, one of them summed away: each cotangent its own."""
    h = x[None, :]
    s = 0.0
    for _ in range(3):
        a = h @ W
        b = (h * 2.0) @ W.T
        s = s + np.sum(b**2)
        h = np.sin(a) + 0.5 * h
    return s + np.sum(h)


def _row_state(W, xs):
    """A state starting as one row: the first step's ``h @ W`` is (1, n), later ones (B, n)."""
    h = np.ones((1, W.shape[0])) * 0.3
    for t in range(xs.shape[0]):
        h = np.tanh(h @ W + xs[t])
    return np.sum(h**3)


@pytest.mark.parametrize("f", [_grow, _two_tapes, _row_state])
def test_carried_state_gradients(f) -> None:
    rng = np.random.default_rng(11)
    W = rng.standard_normal((3, 3)) * 0.5
    x = rng.standard_normal((2, 4, 3)) * 0.5 if f is _row_state else rng.standard_normal(3)
    gs = srcad.grad(f, wrt=(0, 1))(W, x)
    for k, g in enumerate(gs):
        np.testing.assert_allclose(g, _fd(f, [W, x], k), rtol=1e-6, atol=1e-8)

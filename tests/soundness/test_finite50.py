"""finite50: the plain cotangent of a matrix product (``a.T @ g``, ``g @ b.T``) is the helper's
``matmul_vjp`` only when no non-finite entry of the other operand meets a zero slice of `g`
(``0 * inf``: the helper drops those terms, rules/unread.py). passes/shapes_matmul.py wrote it
where `_given` "proved" the operand finite, on two false grounds:

- sums and products under ``np.tanh`` taken as finite: one overflow suffices for a nan
  (``X * X - 2.0 * X * X`` is ``inf - inf``; ``(X * X) * 0.0`` is ``inf * 0``), and
  ``np.tanh(nan)`` is nan;
- parameters and globals taken as finite: an argument with an inf in a row no read reaches (an
  RNN's or LSTM's initial state too: the loop's carries and tapes were "finite" by induction).

Each gave nan where the derivative is finite. Now the plain product is checked at run time
(rules/checked_products.py: `matmul_vjp_checked`, and the fused accumulator
`add_matmul_vjp_into` of passes/matmul_into.py), falling back to the helper. Values against
closed forms or central differences; grad and vjp (vjp mode never wrote the plain products:
its assertions guard that it still agrees).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
import srcad.runtime as _srcad
from srcad.passes.matmul_into import matmul_into
from srcad.ssa.core import Block, Const, Function, Op, Var

INF = np.inf
X = np.array([[0.3, 0.4], [1e200, 0.5]])  # (row 1 overflows in X * X)
W = np.array([[1.0, 2.0], [3.0, 4.0]])
G = np.array([[1.0, 2.0], [3.0, INF]])  # (a global with an inf in a column no read reaches)


def tanh_sub(X, W):
    A = np.tanh(X * X - 2.0 * X * X)  # (row 1: inf - inf = nan)
    return np.sum((A @ W)[0])


def tanh_zero(X, W):
    A = np.tanh((X * X) * 0.0 + X)  # (row 1: inf * 0 = nan)
    return np.sum((A @ W)[0])


def first_column(X, W):
    return np.sum((X @ W)[:, 0])


def first_row(X, W):
    return np.sum((X @ W)[0])


def global_column(X):
    return np.sum((X @ G)[:, 0])


def _grad_and_vjp(f, args, wrt):
    with np.errstate(all="ignore"):
        got = srcad.grad(f, wrt=wrt)(*args)
        _, pull = srcad.vjp(f, *args)
        pulled = pull(1.0)
    return got, tuple(pulled[k] for k in wrt)


@pytest.mark.parametrize(
    ("f", "A"),
    [(tanh_sub, lambda X: np.tanh(X * X - 2.0 * X * X)),
     (tanh_zero, lambda X: np.tanh((X * X) * 0.0 + X))],
)  # fmt: skip
def test_overflow_under_tanh(f, A):
    with np.errstate(all="ignore"):
        a0 = A(X)[0]
    want = np.repeat(a0[:, None], 2, axis=1)  # d/dW[k, j] of sum_j (A @ W)[0, j] = A[0, k]
    got, pulled = _grad_and_vjp(f, (X, W), (0, 1))
    for bW in (got[1], pulled[1]):
        np.testing.assert_allclose(bW, want, rtol=1e-12)


def test_parameter_with_an_unread_inf():
    X2 = np.array([[0.3, 0.4], [0.7, 0.5]])
    Wc = np.array([[1.0, INF], [3.0, 4.0]])  # (column 1 of the product is never read)
    got, pulled = _grad_and_vjp(first_column, (X2, Wc), (0,))
    for bX in (got[0], pulled[0]):
        np.testing.assert_allclose(bX, [[1.0, 3.0], [1.0, 3.0]], rtol=1e-12)
    Xr = np.array([[0.3, 0.4], [INF, 0.5]])  # (row 1 of the product is never read)
    got, pulled = _grad_and_vjp(first_row, (Xr, W), (1,))
    for bW in (got[0], pulled[0]):
        np.testing.assert_allclose(bW, [[0.3, 0.3], [0.4, 0.4]], rtol=1e-12)


def test_global_with_an_unread_inf():
    X2 = np.array([[0.3, 0.4], [0.7, 0.5]])
    got, pulled = _grad_and_vjp(global_column, (X2,), (0,))
    for bX in (got[0], pulled[0]):
        np.testing.assert_allclose(bX, [[1.0, 3.0], [1.0, 3.0]], rtol=1e-12)


def rnn0(Wx, Wh, b, xs, h0, y):
    h = h0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ Wx + h @ Wh + b)
    return 0.5 * np.sum((h - y) ** 2)


def lstm0(Wx, Wh, b, xs, h0, y):
    H = Wh.shape[0]
    h = h0
    c = np.zeros_like(h0)
    for t in range(xs.shape[0]):
        z = xs[t] @ Wx + h @ Wh + b
        i = 1.0 / (1.0 + np.exp(-z[:, :H]))
        f = 1.0 / (1.0 + np.exp(-z[:, H : 2 * H]))
        o = 1.0 / (1.0 + np.exp(-z[:, 2 * H : 3 * H]))
        g = np.tanh(z[:, 3 * H :])
        c = f * c + i * g
        h = o * np.tanh(c)
    return 0.5 * np.sum((h - y) ** 2)


def _cell_args(gates, seed):
    rng = np.random.default_rng(seed)
    T, B, D, H = 3, 2, 2, 3 if gates == 1 else 2
    h0 = np.zeros((B, H))
    h0[1, 0] = INF  # (the first step saturates row 1: tanh, the logistic gates' slopes are 0)
    return (rng.standard_normal((D, gates * H)), rng.standard_normal((H, gates * H)) * 0.5,
            rng.standard_normal(gates * H), rng.standard_normal((T, B, D)), h0,
            rng.standard_normal((B, H)))  # fmt: skip


@pytest.mark.parametrize(("f", "gates"), [(rnn0, 1), (lstm0, 4)], ids=["rnn", "lstm"])
def test_initial_state_with_an_inf(f, gates):
    """``h0.T @ g`` of the first step: `g`'s row 1 is 0 (saturated), `h0`'s holds an inf. The
    loss is finite and smooth in the weights there (that row's pre-activations stay +-inf)."""
    args = _cell_args(gates, 0)
    got, pulled = _grad_and_vjp(f, args, (0, 1, 2))
    eps = 1e-6
    with np.errstate(all="ignore"):
        for k in (0, 1, 2):
            want = np.zeros_like(args[k])
            for i in np.ndindex(want.shape):
                up, dn = list(args), list(args)
                up[k], dn[k] = args[k].copy(), args[k].copy()
                up[k][i] += eps
                dn[k][i] -= eps
                want[i] = (f(*up) - f(*dn)) / (2 * eps)
            for g in (got[k], pulled[k]):
                np.testing.assert_allclose(g, want, rtol=1e-6, atol=1e-8)
    src = srcad.source(f, wrt=(0, 1, 2), args=args)  # (the fast forms stay, checked)
    assert "bWh = _srcad.add_matmul_vjp_into(bWh, " in src and " @ WhT, " in src, src


# -- the helpers ------------------------------------------------------------------------------
RNG = np.random.default_rng(50)


def _unread_inf(which):
    """`t`, `x`, `y` of ``x @ y`` with an inf in the other operand meeting only zeros of `t`."""
    t, x, y = RNG.standard_normal((3, 5)), RNG.standard_normal((3, 4)), RNG.standard_normal((4, 5))
    if which == 1:
        x[1, 2], t[1] = INF, 0.0
    else:
        y[2, 3], t[:, 3] = INF, 0.0
    return t, x, y


@pytest.mark.parametrize("which", [0, 1])
@pytest.mark.parametrize("bad", [False, True])
def test_helpers_are_matmul_vjp(which, bad):
    """`matmul_vjp_checked` given the plain product, and `add_matmul_vjp_into`, are
    `matmul_vjp`'s value (and its sum into `acc`) exactly, finite or not."""
    if bad:
        t, x, y = _unread_inf(which)
    else:
        t, x, y = (RNG.standard_normal(s) for s in ((3, 5), (3, 4), (4, 5)))
    with np.errstate(all="ignore"):
        want = _srcad.matmul_vjp(t, x, y, which)
        plain = t @ y.T if which == 0 else x.T @ t
        got = _srcad.matmul_vjp_checked(plain, t, x, y, which)
        acc0 = RNG.standard_normal(want.shape)
        acc = acc0.copy()
        out = _srcad.add_matmul_vjp_into(acc, t, x, y, which)
    assert np.isfinite(want).all()
    assert bad == (not np.isfinite(plain).all())
    np.testing.assert_array_equal(got, want)
    assert out is acc
    np.testing.assert_array_equal(out, acc0 + want)


def test_fused_helper_other_cases():
    """Other ranks, dtypes and a read-only `acc` take ``add_into(acc, matmul_vjp(...))``."""
    t, x, y = (
        RNG.standard_normal((2, 3, 5)),
        RNG.standard_normal((2, 3, 4)),
        RNG.standard_normal((4, 5)),
    )
    acc = np.ones((4, 5))
    np.testing.assert_allclose(_srcad.add_matmul_vjp_into(acc.copy(), t, x, y, 1),
                               1.0 + _srcad.matmul_vjp(t, x, y, 1), rtol=1e-14)  # fmt: skip
    frozen = np.ones((3, 4))
    frozen.setflags(write=False)
    t, x, y = RNG.standard_normal((3, 5)), RNG.standard_normal((3, 4)), RNG.standard_normal((4, 5))
    out = _srcad.add_matmul_vjp_into(frozen, t, x, y, 0)
    assert out is not frozen and (frozen == 1.0).all()
    np.testing.assert_allclose(out, 1.0 + t @ y.T, rtol=1e-14)
    acc32 = np.zeros((4, 5), np.float32)
    out = _srcad.add_matmul_vjp_into(acc32, t.astype(np.float32), x.astype(np.float32),
                                     y.astype(np.float32), 1)  # fmt: skip
    np.testing.assert_allclose(out, x.T @ t, rtol=1e-5, atol=1e-5)


# -- the pass ---------------------------------------------------------------------------------
def _checked_fn(hoisted: bool) -> tuple[Function, Op]:
    """``xt = x.T; p = xt @ g; c = matmul_vjp_checked(p, g, x, y, 1); acc.1 = add_into(acc, c)``
    (`hoisted`: `xt` a parameter, a copy made elsewhere)."""
    acc, g, x, y, xt = Var("acc"), Var("g"), Var("x"), Var("y"), Var("xt")
    p, c, r = Var("p"), Var("c"), Var("acc")
    ops = [] if hoisted else [Op("attr.T", [x], results=[xt])]
    ops += [
        Op("matmul", [xt, g], results=[p]),
        Op("srcad.runtime.matmul_vjp_checked", [p, g, x, y, Const(1)], results=[c]),
        Op("srcad.runtime.add_into", [acc, c], results=[r]),
    ]
    params = [acc, g, x, y] + ([xt] if hoisted else [])
    fn = Function("f", params, [v.hint for v in params], Block([], ops, [r]))
    return fn, ops[-1]


def test_pass_fuses_the_checked_product():
    fn, op = _checked_fn(False)
    assert matmul_into(fn)
    assert [o.prim for o in fn.body.ops] == ["srcad.runtime.add_matmul_vjp_into"]
    assert op.args[1:] == [fn.params[1], fn.params[2], fn.params[3], op.args[4]]
    fn, op = _checked_fn(True)  # (``g @ WT`` of a copy made once: the product stays)
    assert not matmul_into(fn) and op.prim == "srcad.runtime.add_into"
    fn, op = _checked_fn(False)
    fn.body.yields.append(fn.body.ops[1].results[0])  # (the product read again: stays)
    assert not matmul_into(fn) and op.prim == "srcad.runtime.add_into"

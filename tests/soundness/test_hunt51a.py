"""Session 51, hunt51a: regressions found by user-style finance, graphics, RL and physics programs
(tests/corpus/ported_corp51_a.py)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import ndtr

import srcad

_X1 = np.array([0.0, 0.5, 1.25])
_V1 = np.array([1.0, 0.3, -0.2])
_Y = np.array([0.3, -0.2, 0.5])
_X2 = np.array([[0.0, 0.1], [0.3, 0.2], [0.5, -0.4]])
_V2 = np.array([[1.0, 0.3], [-0.2, 0.5], [0.4, 0.1]])


# -- exponential (Ornstein-Uhlenbeck) kernels: |x_i - x_i| = 0 on the diagonal, f'(0) != 0 -------
def ou_abs(x, y, ls=0.8):
    K = np.exp(-np.abs(x[:, None] - x[None, :]) / ls) + 0.1 * np.eye(len(x))
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(K, y)
    return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def ou_root(X, y, ls=0.8):
    d = X[:, None, :] - X[None, :, :]
    r = np.sqrt(np.sum(d**2, axis=-1))
    K = np.exp(-r / ls) + 0.1 * np.eye(len(X))
    return 0.5 * y @ np.linalg.solve(K, y) + 0.5 * np.linalg.slogdet(K)[1]


def sph_cutoff(x, h=1.0):
    r = np.abs(x[:, None] - x[None, :])
    q = r / h
    w = np.where(q < 1, (1 - q) ** 2, 0.0)
    return np.sum(w)


def std_rows(X):
    s = np.std(X, axis=1)
    return np.sum(np.exp(-s) * X[:, 0])


def _hv_fd(f, x, v, *rest, eps=1e-5):
    g = srcad.grad(f)
    return (np.asarray(g(x + eps * v, *rest)) - np.asarray(g(x - eps * v, *rest))) / (2 * eps)


_CASES = [
    (ou_abs, _X1, _V1, (_Y,)),
    (ou_root, _X2, _V2, (_Y,)),
    (sph_cutoff, _X1, _V1, ()),
    (
        std_rows,
        np.array([[0.5, 0.5, 0.5], [0.3, 0.2, -0.4]]),
        np.array([[1.0, 1.0, 1.0], [-0.2, 0.5, 0.4]]),
        (),
    ),
]


@pytest.mark.parametrize("f, x, v, rest", _CASES, ids=[c[0].__name__ for c in _CASES])
def test_grad_of_jvp_zero_diagonal(f, x, v, rest):
    """grad of a jvp of a function of ``|x_i - x_j|`` (a root of a sum of squares, an np.std of a
    constant row) whose slope at 0 is not 0 (``exp(-r)``, ``(1 - r) ** 2``): the diagonal's
    magnitude is 0 and its tangent ``v_i - v_i`` is 0 too, so the second-order term there is 0.
    Was refused ("second derivative of a magnitude at 0 ... along a nonzero direction") as the
    check read the cotangent ``f'(0) != 0``, not the direction; hvp, hessian and grad of grad
    were accepted and right."""
    want = _hv_fd(f, x, v, *rest)

    if rest:

        def inner(z):
            return srcad.jvp(f, (z, _Y), (v, None))[1]
    else:

        def inner(z):
            return srcad.jvp(f, (z,), (v,))[1]

    got = srcad.grad(inner)(x.copy())
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-8)
    _, hv = srcad.hvp(f, (x.copy(), *rest), (v,) + (None,) * len(rest))
    np.testing.assert_allclose(np.asarray(hv), want, rtol=1e-6, atol=1e-8)


def laplace_at_centre(x, c):
    return np.sum(np.exp(-np.abs(x - c)))


def test_grad_of_jvp_moving_magnitude_still_refused():
    """At ``x == c`` along a direction that moves ``x - c`` the Laplace bump has no second
    derivative: grad of its jvp is still refused there."""
    c = np.array([0.0, 0.5])

    def inner(z):
        return srcad.jvp(laplace_at_centre, (z, c), (np.array([1.0, 0.0]), None))[1]

    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.grad(inner)(c.copy())
    np.testing.assert_allclose(
        srcad.grad(inner)(c + np.array([0.3, 0.2])), [np.exp(-0.3), 0.0], 1e-12
    )


# -- an infinity a helper writes and returns (infvals: followed into the callee) -----------------
def masked_r2(X):
    d = X[:, None, :] - X[None, :, :]
    r2 = np.sum(d**2, axis=-1)
    np.fill_diagonal(r2, np.inf)
    return r2


def lj_energy(X):
    r2 = masked_r2(X)
    return np.sum(1.0 / r2**3 - 1.0 / r2**6)


_XL = np.array([[0.0, 0.0], [1.1, 0.2], [0.3, 1.2]])
_VL = np.array([[1.0, 0.3], [-0.2, 0.5], [0.4, 0.1]])


def _fd_dir(f, x, v, eps=1e-6):
    return (f(x + eps * v) - f(x - eps * v)) / (2 * eps)


def test_jvp_of_helper_returning_written_inf():
    """``r2 = masked_r2(X)``, a helper that writes ``np.inf`` on the diagonal and returns it:
    the JVP's term ``dr2 * 3 r2 ** 2`` was ``0 * inf = nan`` there (forward mode guards only
    values a written infinity may reach, and the call's result was not one); the same code
    inlined was 1.053. Now the call's result is followed into the helper."""
    want = _fd_dir(lj_energy, _XL, _VL)
    _, t = srcad.jvp(lj_energy, (_XL.copy(),), (_VL,))
    assert np.isfinite(t)
    np.testing.assert_allclose(t, want, rtol=1e-6)


def ordered_probit(theta, X, y):
    p = X.shape[1]
    beta = theta[:p]
    cuts = np.concatenate([[theta[p]], theta[p] + np.cumsum(np.exp(theta[p + 1 :]))])
    eta = X @ beta
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    upper = ndtr(edges[y + 1] - eta)
    lower = ndtr(edges[y] - eta)
    return -np.sum(np.log(upper - lower))


_XO = np.random.default_rng(62).standard_normal((8, 2))
_YO = np.array([0, 1, 2, 1, 0, 2, 1, 1])
_TH = np.array([0.3, -0.2, -0.5, 0.1])
_WO = np.array([1.0, 0.5, -0.3, 0.2])


def probit_model(theta):
    return ordered_probit(theta, _XO, _YO)


def test_second_order_through_helper_residuals_with_inf():
    """An ordered probit's edges ``[-inf, *cuts, inf]`` in a helper called by the loss: the
    Hessian and grad of grad were NaN in the slopes (the generated VJP pair's residuals hold
    ``-inf - eta``; the JVP of its backward half did not know, ``inf * 0`` in pdf's derivative).
    Called directly it was right."""
    g = srcad.grad(probit_model)
    want = np.array([_fd_dir(lambda t: np.sum(g(t) * _WO), _TH, u) for u in np.eye(4)])
    np.testing.assert_allclose(srcad.hessian(probit_model)(_TH.copy()) @ _WO, want, rtol=1e-5)
    gg = srcad.grad(lambda t: np.sum(srcad.grad(probit_model)(t) * _WO))(_TH.copy())
    np.testing.assert_allclose(gg, want, rtol=1e-5)


def masked_dists(x):
    d = np.abs(x[:, None] - x[None, :])
    np.fill_diagonal(d, np.inf)
    return d


def soft_neighbours(x, g):
    u = masked_dists(x)
    return np.sum(np.exp(-u / g[0]))


def test_grad_through_helper_returning_written_inf():
    """``np.exp(-u / g)`` of a helper's distances with ``inf`` on the diagonal: the gradient in
    the temperature `g` was NaN (``exp(-inf) * inf / g**2``; inlined, those entries are masked:
    `ad/infmasks.py`), and its jvp too. Central differences: 2.8688."""
    x, g = np.array([0.0, 0.5, 1.3]), np.array([0.7])
    want = _fd_dir(lambda t: soft_neighbours(x, t), g, np.ones(1))
    gx, gg = srcad.grad(soft_neighbours, (0, 1))(x.copy(), g.copy())
    np.testing.assert_allclose(gg, [want], rtol=1e-6)
    np.testing.assert_allclose(
        gx, [_fd_dir(lambda t: soft_neighbours(t, g), x, u) for u in np.eye(3)], rtol=1e-6
    )
    _, t = srcad.jvp(soft_neighbours, (x.copy(), g.copy()), (np.zeros(3), np.ones(1)))
    np.testing.assert_allclose(t, want, rtol=1e-6)


def mask_fill(s, mask, fill=-np.inf):
    return np.where(mask, s, fill)


def causal_attention_scaled(Q, K, scale):
    s = Q @ K.T
    m = np.tril(np.ones((3, 3), dtype=bool))
    s = mask_fill(s, m) / scale[0]
    p = np.exp(s - s.max(axis=1, keepdims=True))
    p = p / p.sum(axis=1, keepdims=True)
    return np.sum(p * np.arange(3.0))


def test_helper_default_inf_fill():
    """``mask_fill(s, m)`` whose default ``fill=-np.inf`` fills the masked scores, then ``/ scale``:
    the gradient, jvp and Hessian in `scale` were NaN (``-inf / scale`` moves with `scale`:
    ``inf * 0``); passing ``-np.inf`` explicitly, or inlining, was right (-0.16633)."""
    rng = np.random.default_rng(1)
    Q, K, sc = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), np.array([1.3])
    want = _fd_dir(lambda t: causal_attention_scaled(Q, K, t), sc, np.ones(1))
    np.testing.assert_allclose(
        srcad.grad(causal_attention_scaled, 2)(Q, K, sc.copy()), [want], rtol=1e-6
    )
    _, t = srcad.jvp(causal_attention_scaled, (Q, K, sc.copy()), (None, None, np.ones(1)))
    np.testing.assert_allclose(t, want, rtol=1e-6)
    g = srcad.grad(causal_attention_scaled, 2)
    want2 = (g(Q, K, sc + 1e-5) - g(Q, K, sc - 1e-5)) / 2e-5
    np.testing.assert_allclose(
        srcad.hessian(causal_attention_scaled, 2)(Q, K, sc.copy())[0], want2, rtol=1e-5
    )


class CausalAttention:
    def __init__(self, T):
        self.T = T

    def masked(self, s):
        m = np.tril(np.ones((self.T, self.T), dtype=bool))
        return np.where(m, s, -np.inf)

    def __call__(self, Q, K, scale):
        s = self.masked(Q @ K.T) / scale[0]
        p = np.exp(s - s.max(axis=1, keepdims=True))
        return np.sum(p / p.sum(axis=1, keepdims=True) * np.arange(3.0))


def attention_module_loss(Q, K, scale):
    return CausalAttention(3)(Q, K, scale)


def test_method_returning_written_inf():
    """The same masked scores from a method of a user class (``self.masked(Q @ K.T)``): the
    method call's result was not followed either (NaN in every mode; -0.16633)."""
    rng = np.random.default_rng(1)
    Q, K, sc = rng.standard_normal((3, 2)), rng.standard_normal((3, 2)), np.array([1.3])
    want = _fd_dir(lambda t: attention_module_loss(Q, K, t), sc, np.ones(1))
    np.testing.assert_allclose(
        srcad.grad(attention_module_loss, 2)(Q, K, sc.copy()), [want], rtol=1e-6
    )
    _, t = srcad.jvp(attention_module_loss, (Q, K, sc.copy()), (None, None, np.ones(1)))
    np.testing.assert_allclose(t, want, rtol=1e-6)
    assert np.isfinite(srcad.hessian(attention_module_loss, 2)(Q, K, sc.copy())).all()

"""Derivatives of derivatives called inside a function srcad differentiates, to any depth
(srcad/lower/deeper.py): ``srcad.grad(srcad.grad(f))``, ``srcad.hessian(f)`` and
``srcad.jacfwd/jacrev(srcad.grad(f))`` made at module level, ``srcad.grad(srcad.jacfwd(f))``
inline, a physics-informed loss (``u_xx`` by ``grad(grad(u))`` at collocation points), a
Laplacian by ``np.trace(srcad.hessian(u)(p))``. Checked against central differences of the
Python-evaluated outer function, at grad and jvp, and the Hessian of the outer function against
differences of its gradient."""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def f3(t):
    return t**3 * np.sin(t)


def q(x, c):
    return np.sum(np.sin(x) * x**2) * c + np.prod(x)


def uu(t, w):
    return np.tanh(w[0] * t + w[1]) * w[2] + w[3] * t**2


def u2(p, w):
    return np.tanh(w[0] * p[0] + w[1] * p[1]) * w[2]


G2 = srcad.grad(srcad.grad(f3))
G3 = srcad.grad(srcad.grad(srcad.grad(f3)))
HQ = srcad.hessian(q)
HQ1 = srcad.hessian(q, wrt=1)
JQ = srcad.jacfwd(srcad.grad(q))
JR = srcad.jacrev(srcad.grad(q))
GJ = srcad.grad(srcad.jacfwd(f3))
J3 = srcad.jacfwd(srcad.hessian(q))


def inline_lambda(x):
    return srcad.grad(srcad.grad(lambda t: t**3 * np.sin(t)))(x[0]) + x[1]


def inline_captured(x):
    c = x[1]
    return srcad.grad(srcad.grad(lambda t: np.sin(c * t) * t))(x[0]) * x[2]


def inline_fourth(x):
    return srcad.grad(srcad.grad(srcad.grad(srcad.grad(f3))))(x[0]) + x[1] ** 2


def inline_grad_of_jacfwd(x):
    return srcad.grad(srcad.jacfwd(f3))(x[0]) * x[1]


def inline_grad_of_hessian(x):
    c = x[1]
    return srcad.grad(srcad.hessian(lambda t: np.sin(c * t) * t))(x[0])


def third_module_level(x):
    return G3(x[0]) * x[1] + G2(x[0] * x[2])


def hessian_module_level(x):
    return np.sum(HQ(x, 1.5) ** 2) + HQ1(x, x[0] * 2.0)


def jacobians_of_grad(x):
    return np.sum(JQ(x, x[0]) * np.cos(x)) + np.sum(JR(x, 0.3) @ x) + GJ(x[1])


def jacfwd_of_hessian(x):
    return np.sum(J3(x, 2.0)[0] ** 2)


def both_positions(x):
    return srcad.grad(srcad.grad(q, wrt=1), wrt=0)(x, x[0]) @ x


def pinn_loss(w):
    """Residual of u'' = -t at collocation points, u'' by grad(grad(u))."""
    s = 0.0
    for t in [0.1, 0.4, -0.7]:
        s = s + (srcad.grad(srcad.grad(uu))(t, w) + t) ** 2
    return s


def laplacian_loss(w):
    s = 0.0
    for p in [np.array([0.1, 0.2]), np.array([-0.3, 0.5])]:
        s = s + np.trace(srcad.hessian(u2)(p, w)) ** 2
    return s


X = np.array([0.7, 1.3, -0.4, 0.25])
V = np.array([0.3, -1.0, 0.5, 0.8])
CASES = [
    inline_lambda,
    inline_captured,
    inline_fourth,
    inline_grad_of_jacfwd,
    inline_grad_of_hessian,
    third_module_level,
    hessian_module_level,
    jacobians_of_grad,
    jacfwd_of_hessian,
    both_positions,
    pinn_loss,
    laplacian_loss,
]


def _fd(f, x, h=1e-5):
    return np.array([(f(x + e) - f(x - e)) / (2 * h) for e in np.eye(len(x)) * h])


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_grad_and_jvp_against_differences(f) -> None:
    x = X[:3] if f not in (pinn_loss, laplacian_loss) else X
    d = _fd(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x), d, rtol=1e-7, atol=1e-8)
    out, t = srcad.jvp(f, (x,), (V[: len(x)],))
    assert out == pytest.approx(f(x), rel=1e-12)
    assert t == pytest.approx(d @ V[: len(x)], rel=1e-7, abs=1e-8)


@pytest.mark.parametrize(
    "f", [inline_lambda, third_module_level, pinn_loss], ids=lambda f: f.__name__
)
def test_hessian_of_the_outer_function(f) -> None:
    x = X[:3] if f is not pinn_loss else X
    g = srcad.grad(f)
    h = 1e-5
    Hd = np.array([(g(x + e) - g(x - e)) / (2 * h) for e in np.eye(len(x)) * h])
    np.testing.assert_allclose(srcad.hessian(f)(x), Hd, rtol=1e-6, atol=1e-7)


def test_values_inside_match_the_derivatives_outside() -> None:
    # d/dt (t^3 sin t) three times, at 0.7: the generated code's value is the API's
    t = 0.7
    ref = 6 * np.sin(t) + 18 * t * np.cos(t) - 9 * t**2 * np.sin(t) - t**3 * np.cos(t)
    assert G3(t) == pytest.approx(ref, rel=1e-12)
    x = np.array([t, 2.0, 0.0])
    assert srcad.grad(third_module_level)(x)[1] == pytest.approx(ref, rel=1e-12)


def test_a_tuple_wrt_below_is_refused_at_the_call() -> None:
    GM = srcad.grad(srcad.grad(q, wrt=(0, 1)))

    def bad(x):
        return GM(x, 1.0)

    with pytest.raises(srcad.SrcadError, match="derivative of a derivative") as e:
        srcad.grad(bad)(X[:3])
    assert "test_higher27.py" in str(e.value)


def test_grad_of_a_non_scalar_derivative_is_an_error_not_a_value() -> None:
    GG = srcad.grad(srcad.grad(q))  # grad(q) is a vector: its gradient is not defined

    def bad(x):
        return GG(x, 1.0)

    with pytest.raises((srcad.SrcadError, ValueError), match="non-scalar|scalar"):
        srcad.grad(bad)(X[:3])


# -- rules added in session 27 (their table rows: tests/rules) ----------------------------------
def _fd_any(f, a, h=1e-6):
    a = np.asarray(a, float)
    out = np.zeros(a.shape)
    for i in np.ndindex(a.shape):
        e = np.zeros(a.shape)
        e[i] = h
        out[i] = (f(a + e) - f(a - e)) / (2 * h)
    return out


def _hessian_vs_differences(f, a, rtol=1e-6):
    g = srcad.grad(f)
    H = srcad.hessian(f)(a)
    h = 1e-5
    Hd = np.array(
        [(g(a + e) - g(a - e)) / (2 * h) for e in np.eye(a.size).reshape((-1,) + a.shape) * h]
    )
    np.testing.assert_allclose(np.reshape(H, Hd.shape), Hd, rtol=rtol, atol=1e-7)


A43 = np.array([[0.9, -0.3, 0.4], [0.2, 1.1, -0.7], [-0.5, 0.6, 0.8], [0.3, 0.1, -0.2]])


def scipy_svdvals_loss(a):
    import scipy.linalg

    return np.sum(scipy.linalg.svdvals(a) ** 3) + scipy.linalg.svdvals(a, check_finite=False)[0]


def test_scipy_svdvals_first_and_second_order() -> None:
    pytest.importorskip("scipy")
    np.testing.assert_allclose(
        srcad.grad(scipy_svdvals_loss)(A43), _fd_any(scipy_svdvals_loss, A43), rtol=1e-7, atol=1e-8
    )
    _hessian_vs_differences(scipy_svdvals_loss, A43)


C5 = np.array([1.0, -3.0, 2.0, 0.5, 0.7])
D3 = np.array([1.2, 0.5, -0.3])
W5 = np.array([0.3, -1.1, 0.7, 0.2, 0.9])


def polydiv_num(u):
    q, r = np.polydiv(u, D3)
    return np.sum(q * W5[:3]) + np.sum(r**2 * W5[3:])


def polydiv_den(d):
    q, r = np.polydiv(C5, d)
    return np.sum(q * W5[:3]) + np.sum(r * W5[3:])


def polydiv_both(x):
    q, r = np.polydiv(x[:5], x[5:])
    return np.sum(q**2) + np.sum(r * W5[3:])


@pytest.mark.parametrize(
    ("f", "a"),
    [
        (polydiv_num, C5),
        (polydiv_den, D3),
        (polydiv_both, np.concatenate([C5, D3])),
    ],
    ids=lambda v: getattr(v, "__name__", ""),
)
def test_poly_and_polydiv_gradients(f, a) -> None:
    d = _fd_any(f, a)
    np.testing.assert_allclose(srcad.grad(f)(a), d, rtol=1e-7, atol=1e-8)
    v = np.linspace(-1.0, 1.0, a.size)
    assert srcad.jvp(f, (a,), (v,))[1] == pytest.approx(d @ v, rel=1e-7, abs=1e-8)


def test_polydiv_second_order() -> None:
    _hessian_vs_differences(polydiv_num, C5)
    # in the divisor: forward over forward closes; reverse needs the transposes' divisor term
    g = srcad.grad(polydiv_den)
    h = 1e-5
    Hd = np.array([(g(D3 + e) - g(D3 - e)) / (2 * h) for e in np.eye(3) * h])
    np.testing.assert_allclose(srcad.jacfwd(srcad.jacfwd(polydiv_den))(D3), Hd, rtol=1e-6)
    with pytest.raises(
        srcad.SrcadError, match="polydiv_qt` is not differentiable in its argument `v`"
    ):
        srcad.hessian(polydiv_den)(D3)


A3 = np.array([1.5, 2.5, 0.7])


def special_loss(x):
    import scipy.special as sp

    y = x / 3.0
    return (
        np.sum(sp.ellipkm1(y))
        + np.sum(sp.gammaincinv(A3, y) + sp.gammainccinv(A3, y))
        + np.sum(sp.betaincinv(A3, 2.0, y) * x)
        + np.sum(sp.struve(1.0, x) + sp.struve(0.0, x) * sp.modstruve(1.5, x))
    )


def struve0_sum(x):
    import scipy.special as sp

    return np.sum(sp.struve(0.0, x))


def gammaincinv_in_a(a):
    import scipy.special as sp

    return np.sum(sp.gammaincinv(a, 0.4))


def test_special_functions_first_and_second_order() -> None:
    pytest.importorskip("scipy")
    x = np.array([0.4, 1.3, 2.2])
    np.testing.assert_allclose(srcad.grad(special_loss)(x), _fd_any(special_loss, x), rtol=1e-7)
    _hessian_vs_differences(special_loss, x, rtol=1e-5)


def test_struve_slope_at_zero_is_exact() -> None:
    pytest.importorskip("scipy")
    # H_0'(0) = 2 / pi (the (x/2)^v term of the recurrence carries it)
    g = srcad.grad(struve0_sum)(np.zeros(2))
    np.testing.assert_allclose(g, [2 / np.pi] * 2, rtol=1e-14)


def test_a_parameter_without_a_closed_form_is_refused() -> None:
    pytest.importorskip("scipy")
    with pytest.raises(srcad.SrcadError, match="not differentiable in its argument `a`"):
        srcad.grad(gammaincinv_in_a)(A3)

"""Complex values in between (session 6): values that reach rules written for real ones.

- Wrong gradients on main: runtime helpers cast a complex operand to float (NumPy's
  ComplexWarning, the imaginary part dropped): ``sum(|cross(C, x)|)`` for a complex constant C
  gave [0.98, 1.32, -0.23] where central differences give [0.28, 2.05, -0.83]; the same in
  np.convolve, np.polyval, np.trapezoid. Those are bilinear/holomorphic and now computed for
  complex values (JAX's convention: docs/architecture.md, "Complex values in between"); the other
  helpers refuse a complex operand at run time (`srcad.arrays.real_operand`, located at the
  user's line), and take the real part of a real value's cotangent on purpose (`real_part`).
  pyproject.toml makes a ComplexWarning an error in the whole suite.
- jacfwd of a complex output cast its columns to float (the real part only); it is complex now,
  and jacrev of a complex output is refused.
- Wrong gradients on main without a cast: np.sign's zero rule on a complex value (sign(z) =
  z / |z| varies) from a complex global, closure value, default, argument, ``x.astype(complex)``
  or a helper's parameter. The transform now knows which values may be complex
  (passes/complex_taint.py: complex constants, arguments, dtypes, eig/roots/FFT/cmath results,
  through every op and into callees) and refuses a differentiated op of a primitive not marked
  `complex_safe` in its record (rules/facts.py), at transform time, located. A global that
  becomes complex later makes another transform (cache key, guard, disk key).
- Complex literals (``np.exp(1j * x)``) were refused outright; they are sources like the others.
- The complex-safe primitives: a row each below, the JAX-convention derivative of a real function
  through a complex intermediate against central differences (grad, jvp, Hessian).
"""

from __future__ import annotations

import cmath

import numpy as np
import pytest
from scipy.special import wofz

import srcad
from tests.corpus.ported_semantics1 import sy_complex_abs, sy_complex_real

X = np.array([0.3, 0.7, -0.4])
C = np.array([0.5 + 1j, -0.2 + 0.7j, 1 - 0.3j])
D = np.array([0.3 - 0.2j, 0.6 + 0.1j, -0.4 + 0.5j])
P = np.array([1.0, -0.5 + 0.2j, 0.3j])


def central(f, x, eps=1e-6):
    """Central differences of a real function of a real vector."""
    out = []
    for e in np.eye(x.size):
        out.append((f(x + eps * e) - f(x - eps * e)) / (2 * eps))
    return np.array(out)


def check_all(f, x=X, order2=True):
    """grad, jvp (a random direction) and the Hessian against central differences."""
    fd = central(f, x)
    np.testing.assert_allclose(srcad.grad(f)(x.copy()), fd, rtol=1e-5, atol=1e-7)
    v = np.array([0.4, -1.1, 0.7])
    _, t = srcad.jvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(t, fd @ v, rtol=1e-5, atol=1e-7)
    if order2:
        H = srcad.hessian(f)(x.copy())
        Hfd = central(lambda y: srcad.grad(f)(y), x, 1e-5)
        np.testing.assert_allclose(H, Hfd, rtol=1e-4, atol=1e-6)


def assert_located(exc: srcad.SrcadError, line_text: str) -> None:
    assert exc.filename == __file__ and exc.line and exc.col, str(exc)
    assert line_text in (exc.source_line or ""), str(exc)


# -- computed for complex values (bilinear / holomorphic helpers) ------------------------------
def cross_c(x):
    return np.sum(np.abs(np.cross(C, x)))


def convolve_c(x):
    return np.sum(np.abs(np.convolve(C, x + D)) ** 2)


def polyval_c(x):
    return np.sum(np.abs(np.polyval(P, x)))


def polyval_cx(x):
    return np.sum(np.abs(np.polyval(x * 0.5, C + x)))


def trapezoid_c(x):
    return np.abs(np.trapezoid(C * x + D))


def trapezoid_cx(x):
    return np.abs(np.trapezoid(C * x, x=np.array([0.0, 0.4, 1.0]) + x))


def interp_c(x):
    return np.sum(np.abs(np.interp(x, [-1.0, 0.0, 1.0], C)))


@pytest.mark.parametrize(
    "f", [cross_c, convolve_c, polyval_c, polyval_cx, trapezoid_c, trapezoid_cx, interp_c]
)
def test_complex_operands_of_bilinear_helpers(f):
    check_all(f)


def cross_regression(x):
    return np.sum(np.abs(np.cross(C, x)))


def test_cross_repro_values():
    g = srcad.grad(cross_regression)(np.array([0.3, 0.7, -0.4]))
    np.testing.assert_allclose(g, [0.28330955, 2.04782771, -0.83168698], rtol=1e-6)


# -- refused at run time, at the user's line --------------------------------------------------
def median_c(x):
    return np.abs(np.median(C * x))  # the refused line


def test_real_only_helper_refuses_complex_located():
    with pytest.raises(srcad.SrcadError, match="complex") as info:
        srcad.grad(median_c)(X)
    assert_located(info.value, "np.median(C * x)")


# -- Jacobians of complex outputs -------------------------------------------------------------
def complex_out(x):
    return x * C + x[0] * D


def test_jacfwd_complex_output_is_complex():
    J = srcad.jacfwd(complex_out)(X)
    expected = np.diag(C).astype(complex)
    expected[:, 0] += D
    np.testing.assert_allclose(J, expected)


def test_jacrev_complex_output_refused():
    with pytest.raises(srcad.SrcadError, match="real output"):
        srcad.jacrev(complex_out)(X)


# -- refused at transform time, located: np.sign's zero rule is wrong for complex values --------
def sign_global(x):
    return np.sum(np.sign(C + x).real * x)


def sign_closure_maker():
    c = C[0]

    def inner(x):
        return np.sum(np.sign(c * x + 1.0).real)

    return inner


def sign_helper(z):
    return np.sum(np.sign(z).real * z.imag)


def sign_interprocedural(x):
    return sign_helper(x * C + D)


def sign_default(x, c=C):
    return np.sum(np.sign(c + x).real * x)


def sign_astype(x):
    return np.sum(np.sign(x.astype(complex) + C).real * x)


def sign_array_dtype(x):
    z = np.array([x[0], x[1], x[2]], dtype=complex) * C
    return np.sum(np.sign(z + D).imag)


def sign_eig(x):
    w = np.linalg.eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))  # +-1j
    return np.sum(np.sign(w + x[:2]).real)


def sign_zeros(x):
    z = np.zeros(3, dtype=complex)
    z = z + x * C
    return np.sum(np.sign(z + D).real)


@pytest.mark.parametrize(
    "f, text",
    [
        (sign_global, "np.sign(C + x)"),
        (sign_closure_maker(), "np.sign(c * x + 1.0)"),
        (sign_interprocedural, "np.sign(z)"),
        (sign_default, "np.sign(c + x)"),
        (sign_astype, "np.sign(x.astype(complex) + C)"),
        (sign_array_dtype, "np.sign(z + D)"),
        (sign_eig, "np.sign(w + x[:2])"),
        (sign_zeros, "np.sign(z + D)"),
    ],
)
@pytest.mark.parametrize("api", ["grad", "jvp", "hessian"])
def test_sign_of_possibly_complex_refused(f, text, api):
    with pytest.raises(srcad.SrcadError, match="np.sign") as info:
        if api == "jvp":
            srcad.jvp(f, (X,), (X,))
        else:
            getattr(srcad, api)(f)(X)
    assert_located(info.value, text)


def sign_of_arg(x, c):
    return np.sum(np.sign(c + x).real * x)


def test_complex_argument_refused_real_one_not():
    np.testing.assert_allclose(srcad.grad(sign_of_arg)(X, np.ones(3)), [1.0, 1.0, 1.0])
    for c in (C, 0.5 + 1j, list(C)):
        with pytest.raises(srcad.SrcadError, match="np.sign"):
            srcad.grad(sign_of_arg)(X, c)
    np.testing.assert_allclose(srcad.grad(sign_of_arg)(X, 0.5), [1.0, 1.0, 1.0])


G = np.array([0.5, -0.2, 1.0])


def sign_of_rebound_global(x):
    return np.sum(np.sign(G + x).real * x)


def test_global_that_becomes_complex_retransforms():
    global G
    f = srcad.grad(sign_of_rebound_global)
    try:
        np.testing.assert_allclose(f(X), [1.0, 1.0, 1.0])
        G = C.copy()
        with pytest.raises(srcad.SrcadError, match="np.sign"):
            f(X)
        G = np.array([0.5, -0.2, 1.0])
        np.testing.assert_allclose(f(X), [1.0, 1.0, 1.0])
    finally:
        G = np.array([0.5, -0.2, 1.0])


def cross_eig(x):
    w = np.linalg.eigvals(np.array([[0.0, -1.0], [1.0, 0.0]]))
    return np.sum(np.abs(np.cross(np.append(w, 0.5), x)))


def closure_maker():
    c = C[0]

    def inner(x):
        def h(u):
            return np.abs(np.cross(np.array([c, 1.0, 2.0]), u))

        return np.sum(h(x) ** 2)

    return inner


def exp_of_complex_global(x):
    return np.sum(np.abs(np.exp(J * x) * C + 1.0) ** 2)


J = 1j


def eigvals_varied_real(x):  # real eigenvalues: differentiated as before (complex ones refused)
    A = np.array([[2.0, 1.0], [0.5, 3.0]]) * x[0] + np.eye(2) * x[1]
    return np.max(np.linalg.eigvals(A).real) + x[2]  # (NumPy 2.5: complex dtype, real values)


@pytest.mark.parametrize("f", [cross_eig, closure_maker(), exp_of_complex_global])
def test_complex_from_elsewhere_accepted(f):
    check_all(f)


def test_varied_eigvals_not_complex_tainted():
    check_all(eigvals_varied_real, np.array([0.7, 0.2, 0.1]), order2=False)


def median_t(x):
    return np.abs(np.median(C + x))


def test_op_without_complex_rule_refused_at_transform():
    with pytest.raises(srcad.SrcadError, match="np.median") as info:
        srcad.source(median_t)
    assert_located(info.value, "np.median(C + x)")


# -- the complex-safe primitives: one row each (rules/facts.py COMPLEX_SAFE) --------------------
M = np.array([[1.0 + 0.5j, -0.3, 0.2j], [0.4, 0.1 - 0.7j, 1.0]])
A3 = np.array([[2.0, 0.5j, 0.1], [0.3, 1.5 + 0.2j, -0.4j], [0.2j, 0.1, 1.8]])


def Z(x):
    return C * x + D  # a complex intermediate: [0.45+0.1j, 0.46+0.59j, -0.8+0.62j]


def L(w):
    """A real function of a complex value (not holomorphic: abs, imag)."""
    return np.sum(np.abs(w) ** 2 + w.imag)


def _setitem(x):
    w = np.zeros(3, dtype=complex)
    w[1:] = Z(x)[:2]
    return L(w)


def _slice(x):
    z = Z(x)
    return L(z[: len(z) - 1])


def row_add(x):
    return L(Z(x) + C)


def row_sub(x):
    return L(Z(x) - C * x[0])


def row_mul(x):
    return L(Z(x) * Z(x))


def row_truediv(x):
    return L(C / Z(x))


def row_neg(x):
    return L(-Z(x))


def row_pos(x):
    return L(+Z(x))


def row_pow(x):
    return L(Z(x) ** 3 + Z(x) ** x)


def row_matmul(x):
    return L(M @ Z(x))


def row_tuple(x):
    return L((Z(x), C)[0])


def row_list(x):
    return L(np.array([Z(x)[0], x[1]]))


def row_dict(x):
    return L({"z": Z(x)}["z"])


def row_getitem(x):
    return L(Z(x)[::2])


def row_list_append(x):
    return L(np.array([v * v for v in Z(x)]))


def row_numpy_sqrt(x):
    return L(np.sqrt(Z(x)))


def row_numpy_square(x):
    return L(np.square(Z(x)))


def row_numpy_reciprocal(x):
    return L(np.reciprocal(Z(x)))


def row_numpy_exp(x):
    return L(np.exp(Z(x)))


def row_numpy_exp2(x):
    return L(np.exp2(Z(x)))


def row_numpy_expm1(x):
    return L(np.expm1(Z(x)))


def row_numpy_log(x):
    return L(np.log(Z(x)))


def row_numpy_log2(x):
    return L(np.log2(Z(x)))


def row_numpy_log10(x):
    return L(np.log10(Z(x)))


def row_numpy_log1p(x):
    return L(np.log1p(Z(x)))


def row_numpy_sin(x):
    return L(np.sin(Z(x)))


def row_numpy_cos(x):
    return L(np.cos(Z(x)))


def row_numpy_tan(x):
    return L(np.tan(Z(x)))


def row_numpy_arcsin(x):
    return L(np.arcsin(Z(x)))


def row_numpy_arccos(x):
    return L(np.arccos(Z(x)))


def row_numpy_arctan(x):
    return L(np.arctan(Z(x)))


def row_numpy_sinh(x):
    return L(np.sinh(Z(x)))


def row_numpy_cosh(x):
    return L(np.cosh(Z(x)))


def row_numpy_tanh(x):
    return L(np.tanh(Z(x)))


def row_numpy_arcsinh(x):
    return L(np.arcsinh(Z(x)))


def row_numpy_arctanh(x):
    return L(np.arctanh(Z(x)))


def row_numpy_negative(x):
    return L(np.negative(Z(x)))


def row_numpy_positive(x):
    return L(np.positive(Z(x)))


def row_numpy_real(x):
    return L(np.real(Z(x)))


def row_numpy_imag(x):
    return L(np.imag(Z(x)))


def row_numpy_conj(x):
    return L(np.conj(Z(x)))


def row_numpy_conjugate(x):
    return L(np.conjugate(Z(x)))


def row_sum_builtin(x):
    z = Z(x)
    return L(sum(v * 1j**k for k, v in enumerate(z)) + sum([z[0], z[2]]))


def row_numpy_trace(x):
    return L(np.trace(np.outer(Z(x), C)) + np.outer(C, Z(x)).trace())


def row_numpy_angle(x):
    return L(np.angle(Z(x)) * Z(x)) + np.sum(np.angle(Z(x), deg=True))


def row_abs_builtin(x):  # abs() of a complex value: np.abs (its complex rule)
    return sum(abs(v) ** 2 for v in Z(x)) + abs(Z(x)[1])


def row_cmath_exp(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.exp(z[0]) * cmath.exp(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_sin(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.sin(z[0]) * cmath.sin(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_cos(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.cos(z[0]) * cmath.cos(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_sinh(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.sinh(z[0]) * cmath.sinh(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_cosh(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.cosh(z[0]) * cmath.cosh(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_sqrt(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.sqrt(z[0]) * cmath.sqrt(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_log(x):  # a number's (Python complex), the call kept: rules/math.log's
    z = Z(x)
    w = cmath.log(z[0]) * cmath.log(z[2] * x[1], 3.0)
    return abs(w) ** 2 + w.imag


def row_cmath_log10(x):  # a number's (Python complex), the call kept: rules/math.CMATH
    z = Z(x)
    w = cmath.log10(z[0]) * cmath.log10(z[2] * x[1])
    return abs(w) ** 2 + w.imag


def row_cmath_phase(x):  # cmath.phase: np.angle
    z = Z(x)
    return cmath.phase(z[0]) + cmath.phase(z[2])


def row_numpy_absolute(x):
    return L(np.absolute(Z(x)))


def row_numpy_sum(x):
    return L(np.sum(Z(x)))


def row_numpy_mean(x):
    return L(np.mean(Z(x)))


def row_numpy_var(x):
    return L(np.var(Z(x)))


def row_numpy_std(x):
    return L(np.std(Z(x)))


def row_numpy_prod(x):
    return L(np.prod(Z(x)))


def row_numpy_cumsum(x):
    return L(np.cumsum(Z(x)))


def row_numpy_cumprod(x):
    return L(np.cumprod(Z(x)))


def row_numpy_diff(x):
    return L(np.diff(Z(x)))


def row_numpy_ravel(x):
    return L(np.ravel(Z(x)))


def row_numpy_squeeze(x):
    return L(np.squeeze(Z(x)))


def row_numpy_flip(x):
    return L(np.flip(Z(x)))


def row_numpy_copy(x):
    return L(np.copy(Z(x)))


def row_numpy_array(x):
    return L(np.array(Z(x)))


def row_numpy_asarray(x):
    return L(np.asarray(Z(x)))


def row_numpy_sort(x):
    return L(np.sort(Z(x)))


def row_numpy_fft_fft(x):
    return L(np.fft.fft(Z(x)))


def row_numpy_fft_ifft(x):
    return L(np.fft.ifft(Z(x)))


def row_numpy_fft_irfft(x):
    return L(np.fft.irfft(Z(x)))


def row_numpy_fft_fftshift(x):
    return L(np.fft.fftshift(Z(x)))


def row_numpy_fft_ifftshift(x):
    return L(np.fft.ifftshift(Z(x)))


def row_numpy_add(x):
    return L(np.add(Z(x), C))


def row_numpy_subtract(x):
    return L(np.subtract(Z(x), C))


def row_numpy_multiply(x):
    return L(np.multiply(Z(x), C))


def row_numpy_divide(x):
    return L(np.divide(Z(x), C))


def row_numpy_true_divide(x):
    return L(np.true_divide(Z(x), C))


def row_numpy_power(x):
    return L(np.power(Z(x), C))


def row_numpy_dot(x):
    return L(np.dot(Z(x), C))


def row_numpy_vdot(x):
    return L(np.vdot(Z(x), C))


def row_numpy_inner(x):
    return L(np.inner(Z(x), C))


def row_numpy_outer(x):
    return L(np.outer(Z(x), C))


def row_numpy_kron(x):
    return L(np.kron(Z(x), C))


def row_numpy_cross(x):
    return L(np.cross(Z(x), C))


def row_numpy_linalg_cross(x):
    return L(np.linalg.cross(Z(x), C))


def row_numpy_convolve(x):
    return L(np.convolve(Z(x), C))


def row_numpy_maximum(x):
    return L(np.maximum(Z(x), C))


def row_numpy_minimum(x):
    return L(np.minimum(Z(x), C))


def row_numpy_append(x):
    return L(np.append(Z(x), C))


def row_numpy_fft_fft2(x):
    return L(np.fft.fft2(np.outer(Z(x), C)))


def row_numpy_fft_ifft2(x):
    return L(np.fft.ifft2(np.outer(Z(x), C)))


def row_numpy_fft_fftn(x):
    return L(np.fft.fftn(np.outer(Z(x), C)))


def row_numpy_fft_ifftn(x):
    return L(np.fft.ifftn(np.outer(Z(x), C)))


def row_numpy_fft_irfft2(x):
    return L(np.fft.irfft2(np.outer(Z(x), C)))


def row_numpy_fft_irfftn(x):
    return L(np.fft.irfftn(np.outer(Z(x), C)))


def row_numpy_fft_rfft(x):
    return L(np.fft.rfft(x) * Z(x)[0])


def row_numpy_fft_rfft2(x):
    return L(np.fft.rfft2(np.outer(x, x)) * Z(x)[0])


def row_numpy_fft_rfftn(x):
    return L(np.fft.rfftn(np.outer(x, x)) * Z(x)[0])


def row_method_sum(x):
    return L(Z(x).sum())


def row_method_mean(x):
    return L(Z(x).mean())


def row_method_var(x):
    return L(Z(x).var())


def row_method_std(x):
    return L(Z(x).std())


def row_method_prod(x):
    return L(Z(x).prod())


def row_method_cumsum(x):
    return L(Z(x).cumsum())


def row_method_cumprod(x):
    return L(Z(x).cumprod())


def row_method_ravel(x):
    return L(Z(x).ravel())


def row_method_flatten(x):
    return L(Z(x).flatten())


def row_method_squeeze(x):
    return L(Z(x).squeeze())


def row_method_copy(x):
    return L(Z(x).copy())


def row_attr_real(x):
    return L(Z(x).real * Z(x))


def row_complex_builtin(x):  # Python's complex(re, im) of real parts, and of a complex part
    z = complex(x[0], x[1] * x[2])
    w = complex(x[2], Z(x)[0])  # x[2] + 1j * Z(x)[0]
    return L(np.array([z * w, complex(z)]))


def row_builtins_list(x):  # list(...) of complex values: the bit-reversal copy of an FFT
    a = list(Z(x))
    b = list([a[2], a[0] * a[1]])
    return L(np.array(b + a))


def row_builtins_tuple(x):
    t = tuple(Z(x))
    u = tuple([t[1] * t[1], t[0]])
    return L(np.array(u + t))


def row_concat(x):  # `+` of lists of complex values
    a = [v for v in Z(x)]
    return L(np.array(a[1:] + [a[0] * a[2]]))


def row_copy_source(x):  # `a[i] = v` of a list of complex values: a permutation in place
    a = [v for v in Z(x)]
    for i in range(2):
        j = 2 - i
        if i < j:
            a[i], a[j] = a[j], a[i]
    return L(np.array(a) * np.array([1.0, 2.0, 3.0]))


def row_attr_imag(x):
    return L(Z(x).imag * Z(x))


def row_attr_T(x):
    return L(np.outer(Z(x), C).T @ D[:3])


def row_attr_mT(x):
    return L(np.outer(Z(x), C).mT @ D[:3])


def row_method_conj(x):
    return L(Z(x).conj() * C)


def row_method_conjugate(x):
    return L(Z(x).conjugate() * C)


def row_method_dot(x):
    return L(Z(x).dot(C))


def row_method_reshape(x):
    return L(Z(x).reshape(3, 1) * C)


def row_method_transpose(x):
    return L(np.outer(Z(x), C).transpose() @ D)


def row_method_astype(x):
    return L(x.astype(complex) * C + Z(x).astype(complex))


def row_numpy_matmul(x):
    return L(np.matmul(M, Z(x)))


def row_numpy_tensordot(x):
    return L(np.tensordot(M, Z(x), 1))


def row_numpy_einsum(x):
    return L(np.einsum("ij,j->i", M, Z(x)))


def row_numpy_tile(x):
    return L(np.tile(Z(x), 2) * np.arange(6))


def row_numpy_pad(x):
    return L(np.pad(Z(x), 1) * np.arange(5))


def row_numpy_reshape(x):
    return L(np.reshape(Z(x), (3, 1)) * C)


def row_numpy_transpose(x):
    return L(np.transpose(np.outer(Z(x), C)) @ D)


def row_numpy_concatenate(x):
    return L(np.concatenate([Z(x), C * x[0]]) * np.arange(6))


def row_numpy_stack(x):
    return L(np.stack([Z(x), C]) * x)


def row_numpy_hstack(x):
    return L(np.hstack([Z(x), D]) * np.arange(6))


def row_numpy_vstack(x):
    return L(np.vstack([Z(x), D]) * x)


def row_numpy_expand_dims(x):
    return L(np.expand_dims(Z(x), 0) * C)


def row_numpy_moveaxis(x):
    return L(
        np.moveaxis(np.reshape(np.outer(Z(x), C), (3, 3, 1)), 0, -1)
        * np.arange(9.0).reshape(3, 1, 3)
    )


def row_numpy_swapaxes(x):
    return L(np.swapaxes(np.reshape(np.outer(Z(x), C), (3, 1, 3)), 0, 2) * A3[:, None, :])


def row_method_swapaxes(x):
    return L(np.outer(Z(x), D).swapaxes(0, 1) * A3)


def row_numpy_diag(x):
    return L(np.diag(Z(x)) @ A3) + L(np.diag(np.outer(Z(x), C), 1))


def row_numpy_diagonal(x):
    return L(np.diagonal(np.outer(Z(x), C), -1) * C[:2])


def row_method_diagonal(x):
    return L(np.outer(Z(x), D).diagonal() * C)


def row_numpy_triu(x):
    return L(np.triu(np.outer(Z(x), C), 1) * A3) + L(np.triu(Z(x)) * A3)


def row_numpy_tril(x):
    return L(np.tril(np.outer(Z(x), C), -1) * A3) + L(np.tril(Z(x)) * A3)


def row_numpy_broadcast_to(x):
    return L(np.broadcast_to(Z(x), (2, 3)) * M)


def row_numpy_atleast_1d(x):
    return L(np.atleast_1d(Z(x)[1]) * C)


def row_numpy_atleast_2d(x):
    return L(np.atleast_2d(Z(x)) * M)


def row_numpy_roll(x):
    return L(np.roll(Z(x), 1) * C)


def row_numpy_repeat(x):
    return L(np.repeat(Z(x), 2) * np.arange(6))


def row_numpy_where(x):
    return L(np.where(x > 0, Z(x), D))


def row_numpy_linalg_solve(x):
    return L(np.linalg.solve(A3, Z(x)))


def row_numpy_linalg_inv(x):
    return L(np.linalg.inv(A3 * x[0] + np.eye(3) * x[1]))


def row_numpy_linalg_det(x):
    return L(np.linalg.det(A3 * x[0] + np.eye(3) * x[1]))


def _herm(x):  # a complex Hermitian matrix (np.linalg.eigh's rules: rules/linalg_eighc.py)
    return np.outer(Z(x), np.conj(Z(x))) + np.diag([1.0, 2.0, 3.0])


def row_attr_eigenvalues(x):
    return np.sum(np.linalg.eigh(_herm(x)).eigenvalues ** 2)


def row_attr_eigenvectors(x):
    return np.sum(np.abs(np.linalg.eigh(_herm(x)).eigenvectors[:, 0]) ** 2 * X)


def row_numpy_interp(x):
    return L(np.interp(x, [-1.0, 0.0, 1.0], Z(x)))


def row_numpy_polyval(x):
    return L(np.polyval(Z(x), C[0] + x[1]))


def row_numpy_trapezoid(x):
    return L(np.trapezoid(Z(x) * Z(x)))


def row_numpy_clip(x):
    return L(np.clip(Z(x), -0.5, 0.5))


def row_numpy_linalg_norm(x):  # a norm of |z| (refuse34b): first order only
    return np.linalg.norm(Z(x)) + np.linalg.norm(Z(x), ord=1)


def row_scipy_wofz(x):  # the Faddeeva function, holomorphic (lmfit's Voigt profile)
    return L(wofz(Z(x))) + np.sum(wofz(x).real)


SAFE = {
    "add": row_add,
    "sub": row_sub,
    "mul": row_mul,
    "truediv": row_truediv,
    "neg": row_neg,
    "pos": row_pos,
    "pow": row_pow,
    "matmul": row_matmul,
    "tuple": row_tuple,
    "list": row_list,
    "dict": row_dict,
    "getitem": row_getitem,
    "setitem": _setitem,
    "list_append": row_list_append,
    "srcad.runtime.as_sequence": row_list_append,  # (iterating over a complex array)
    "srcad.runtime.plain_items": row_numpy_sum,  # (np.sum of a helper's value: checked)
    "slice": _slice,
    "numpy.sqrt": row_numpy_sqrt,
    "numpy.square": row_numpy_square,
    "numpy.reciprocal": row_numpy_reciprocal,
    "numpy.exp": row_numpy_exp,
    "numpy.exp2": row_numpy_exp2,
    "numpy.expm1": row_numpy_expm1,
    "numpy.log": row_numpy_log,
    "numpy.log2": row_numpy_log2,
    "numpy.log10": row_numpy_log10,
    "numpy.log1p": row_numpy_log1p,
    "numpy.sin": row_numpy_sin,
    "numpy.cos": row_numpy_cos,
    "numpy.tan": row_numpy_tan,
    "numpy.arcsin": row_numpy_arcsin,
    "numpy.arccos": row_numpy_arccos,
    "numpy.arctan": row_numpy_arctan,
    "numpy.sinh": row_numpy_sinh,
    "numpy.cosh": row_numpy_cosh,
    "numpy.tanh": row_numpy_tanh,
    "numpy.arcsinh": row_numpy_arcsinh,
    "numpy.arctanh": row_numpy_arctanh,
    "numpy.negative": row_numpy_negative,
    "numpy.positive": row_numpy_positive,
    "numpy.real": row_numpy_real,
    "numpy.imag": row_numpy_imag,
    "numpy.conj": row_numpy_conj,
    "numpy.conjugate": row_numpy_conjugate,
    "numpy.absolute": row_numpy_absolute,
    "numpy.angle": row_numpy_angle,
    "numpy.trace": row_numpy_trace,
    "sum": row_sum_builtin,
    "method.trace": row_numpy_trace,
    "abs": row_abs_builtin,
    "cmath.phase": row_cmath_phase,
    "cmath.exp": row_cmath_exp,
    "cmath.sin": row_cmath_sin,
    "cmath.cos": row_cmath_cos,
    "cmath.sinh": row_cmath_sinh,
    "cmath.cosh": row_cmath_cosh,
    "cmath.sqrt": row_cmath_sqrt,
    "cmath.log": row_cmath_log,
    "cmath.log10": row_cmath_log10,
    "numpy.sum": row_numpy_sum,
    "numpy.mean": row_numpy_mean,
    "numpy.var": row_numpy_var,
    "numpy.std": row_numpy_std,
    "numpy.prod": row_numpy_prod,
    "numpy.cumsum": row_numpy_cumsum,
    "numpy.cumprod": row_numpy_cumprod,
    "numpy.diff": row_numpy_diff,
    "numpy.ravel": row_numpy_ravel,
    "numpy.squeeze": row_numpy_squeeze,
    "numpy.flip": row_numpy_flip,
    "numpy.copy": row_numpy_copy,
    "numpy.array": row_numpy_array,
    "numpy.asarray": row_numpy_asarray,
    "numpy.sort": row_numpy_sort,
    "numpy.fft.fft": row_numpy_fft_fft,
    "numpy.fft.ifft": row_numpy_fft_ifft,
    "numpy.fft.irfft": row_numpy_fft_irfft,
    "numpy.fft.fftshift": row_numpy_fft_fftshift,
    "numpy.fft.ifftshift": row_numpy_fft_ifftshift,
    "numpy.add": row_numpy_add,
    "numpy.subtract": row_numpy_subtract,
    "numpy.multiply": row_numpy_multiply,
    "numpy.divide": row_numpy_divide,
    "numpy.true_divide": row_numpy_true_divide,
    "numpy.power": row_numpy_power,
    "numpy.dot": row_numpy_dot,
    "numpy.vdot": row_numpy_vdot,
    "numpy.inner": row_numpy_inner,
    "numpy.outer": row_numpy_outer,
    "numpy.kron": row_numpy_kron,
    "numpy.cross": row_numpy_cross,
    "numpy.linalg.cross": row_numpy_linalg_cross,
    "numpy.convolve": row_numpy_convolve,
    "numpy.maximum": row_numpy_maximum,
    "numpy.minimum": row_numpy_minimum,
    "numpy.append": row_numpy_append,
    "numpy.fft.fft2": row_numpy_fft_fft2,
    "numpy.fft.ifft2": row_numpy_fft_ifft2,
    "numpy.fft.fftn": row_numpy_fft_fftn,
    "numpy.fft.ifftn": row_numpy_fft_ifftn,
    "numpy.fft.irfft2": row_numpy_fft_irfft2,
    "numpy.fft.irfftn": row_numpy_fft_irfftn,
    "numpy.fft.rfft": row_numpy_fft_rfft,
    "numpy.fft.rfft2": row_numpy_fft_rfft2,
    "numpy.fft.rfftn": row_numpy_fft_rfftn,
    "method.sum": row_method_sum,
    "method.mean": row_method_mean,
    "method.var": row_method_var,
    "method.std": row_method_std,
    "method.prod": row_method_prod,
    "method.cumsum": row_method_cumsum,
    "method.cumprod": row_method_cumprod,
    "method.ravel": row_method_ravel,
    "method.flatten": row_method_flatten,
    "method.squeeze": row_method_squeeze,
    "method.copy": row_method_copy,
    "attr.real": row_attr_real,
    "complex": row_complex_builtin,
    "builtins.list": row_builtins_list,
    "builtins.tuple": row_builtins_tuple,
    "srcad.runtime.concat": row_concat,
    "srcad.runtime.copy_source": row_copy_source,
    "attr.imag": row_attr_imag,
    "attr.T": row_attr_T,
    "attr.mT": row_attr_mT,
    "method.conj": row_method_conj,
    "method.conjugate": row_method_conjugate,
    "method.dot": row_method_dot,
    "method.reshape": row_method_reshape,
    "method.transpose": row_method_transpose,
    "method.astype": row_method_astype,
    "numpy.matmul": row_numpy_matmul,
    "numpy.tensordot": row_numpy_tensordot,
    "numpy.einsum": row_numpy_einsum,
    "numpy.tile": row_numpy_tile,
    "numpy.pad": row_numpy_pad,
    "numpy.reshape": row_numpy_reshape,
    "numpy.transpose": row_numpy_transpose,
    "numpy.concatenate": row_numpy_concatenate,
    "numpy.stack": row_numpy_stack,
    "numpy.hstack": row_numpy_hstack,
    "numpy.vstack": row_numpy_vstack,
    "numpy.expand_dims": row_numpy_expand_dims,
    "numpy.roll": row_numpy_roll,
    "numpy.moveaxis": row_numpy_moveaxis,
    "numpy.swapaxes": row_numpy_swapaxes,
    "method.swapaxes": row_method_swapaxes,
    "numpy.diag": row_numpy_diag,
    "numpy.diagonal": row_numpy_diagonal,
    "method.diagonal": row_method_diagonal,
    "numpy.triu": row_numpy_triu,
    "numpy.tril": row_numpy_tril,
    "numpy.broadcast_to": row_numpy_broadcast_to,
    "numpy.atleast_1d": row_numpy_atleast_1d,
    "numpy.atleast_2d": row_numpy_atleast_2d,
    "numpy.repeat": row_numpy_repeat,
    "numpy.where": row_numpy_where,
    "numpy.linalg.solve": row_numpy_linalg_solve,
    "numpy.linalg.inv": row_numpy_linalg_inv,
    "numpy.linalg.det": row_numpy_linalg_det,
    "attr.eigenvalues": row_attr_eigenvalues,
    "attr.eigenvectors": row_attr_eigenvectors,
    "numpy.interp": row_numpy_interp,
    "numpy.polyval": row_numpy_polyval,
    "numpy.trapezoid": row_numpy_trapezoid,
    "numpy.clip": row_numpy_clip,
    "numpy.linalg.norm": row_numpy_linalg_norm,
    "scipy.special.wofz": row_scipy_wofz,
}
# rows whose second derivative is refused at run time (the rules of the helpers are real ones)
FIRST_ORDER_ONLY = {"numpy.linalg.norm": "second derivative of np.linalg.norm"}


@pytest.mark.parametrize("name", sorted(SAFE))
def test_complex_safe_row(name):
    check_all(SAFE[name], order2=name not in FIRST_ORDER_ONLY)
    if name in FIRST_ORDER_ONLY:
        with pytest.raises(srcad.SrcadError, match=FIRST_ORDER_ONLY[name]):
            srcad.hessian(SAFE[name])(X.copy())


def test_every_complex_safe_primitive_has_a_row():
    from srcad.rules import scipy_special4
    from srcad.rules.facts import COMPLEX_SAFE

    safe = {*COMPLEX_SAFE, *scipy_special4.COMPLEX_SAFE}  # (an optional family declares its own)
    assert sorted(safe - set(SAFE)) == []
    assert sorted(set(SAFE) - safe) == ["abs", "cmath.phase"]  # rewritten to np.


def arccosh_c(x):  # its rule 1/sqrt(z^2 - 1) has the wrong sign for Re z < 0 (arccosh's branch)
    return L(np.arccosh(Z(x)))


def norm_c(x):  # (a complex vector's norm has a rule since refuse34b: the matrix 2-norm not)
    return np.linalg.norm(np.outer(Z(x), Z(x)), 2)


@pytest.mark.parametrize(
    "f, text",
    [(arccosh_c, "np.arccosh(Z(x))"), (norm_c, "np.linalg.norm(np.outer(Z(x), Z(x)), 2)")],
)
def test_no_complex_rule_refused_located(f, text):
    with pytest.raises(srcad.SrcadError, match="complex") as info:
        srcad.grad(f)(X)
    assert_located(info.value, text)


# -- complex literals: sources like any other (refused outright before) ----------------------
def lit_exp(x):
    return np.sum(np.abs(np.sum(np.exp(1j * x))) ** 2)


def lit_phasor(x):
    return np.abs(np.sum(x * np.exp(2j * np.pi * np.arange(3) / 3)))


def lit_scalar(x):
    z = x[0] + 1j * x[1]
    return abs(z * z + 0.5j) + (z**2).real


def lit_loop(x):
    s = 0j
    for k in range(3):
        s = s * np.exp(0.7j) + x[k]
    return abs(s) ** 2


def lit_loop_list(x):
    s = 0.0 + 0.0j
    for v in x:
        s = s + v * (1 + 2j)
    return s.imag * s.real


def lit_div_pow(x):
    return abs(1.0 / (x[0] + 1j)) + abs((x[1] - 2j) / (x[2] + 3j)) + abs((x[1] + 0.5j) ** x[2])


def lit_matrix(x):
    U = np.array([[1, 1j], [1j, 1]]) / np.sqrt(2)
    return np.sum(np.abs(U @ x[:2]) ** 2 * np.array([1.0, 3.0])) + x[2]


def lit_setitem_inplace(x):
    z = np.zeros(3, dtype=complex)
    z[0] = x[0] + 1j
    z[1:] = x[1:] * 2j
    z *= 0.5 + 0.5j
    return np.sum(np.abs(z) ** 2)


def lit_max_abs(x):
    return max(abs(x[0] + 1j), abs(x[1] - 1j)) + x[2]


@pytest.mark.parametrize(
    "f",
    [
        lit_exp,
        lit_phasor,
        lit_scalar,
        lit_loop,
        lit_loop_list,
        lit_div_pow,
        lit_matrix,
        lit_setitem_inplace,
        lit_max_abs,
        sy_complex_abs,
        sy_complex_real,
    ],
)
def test_complex_literals(f):
    check_all(lambda x: np.sum(f(x)))


def lit_sign(x):
    return np.sum(np.sign(x + 1j).real)


def test_complex_literal_sign_refused():
    with pytest.raises(srcad.SrcadError, match="np.sign") as info:
        srcad.grad(lit_sign)(X)
    assert_located(info.value, "np.sign(x + 1j)")


# -- complex values the transform cannot see (an attribute of an argument): checked when run ----
class Box:
    def __init__(self, c):
        self.c = c


def sign_of_attribute(x, b):
    z = b.c * x + 0.3
    return np.sum(np.sign(z).real * x)


def cov_of_attribute(x, b):
    z = b.c * x + 0.3
    return np.sum(np.abs(np.cov(np.stack([z, x]))))


def test_sign_of_unseen_complex_refused_when_run():
    np.testing.assert_allclose(srcad.grad(sign_of_attribute)(X, Box(np.ones(3))), [1, 1, -1])
    with pytest.raises(srcad.SrcadError, match="np.sign") as info:  # WRONG before: zero
        srcad.grad(sign_of_attribute)(X, Box(C))
    assert_located(info.value, "np.sign(z)")


def test_cov_of_complex_refused():  # WRONG primal before: np.cov conjugates, srcad's did not
    with pytest.raises(srcad.SrcadError, match="np.cov") as info:
        srcad.primal(cov_of_attribute)(X, Box(C))
    assert_located(info.value, "np.cov(np.stack([z, x]))")
    with pytest.raises(srcad.SrcadError, match="np.cov"):
        srcad.grad(cov_of_attribute)(X, Box(C))
    check_all(lambda x: cov_of_attribute(x, Box(np.array([0.5, -1.0, 2.0]))))


class Osc:
    def __init__(self, w):
        self.w = w

    def phasor(self, x):
        return np.exp(1j * self.w * x)

    def loss(self, x):
        return np.sum(np.sign(self.phasor(x) + 0.2).real * x)


def osc_method(x, o):
    return o.loss(x)


def osc_caller(x, o):
    return np.sum(np.sign(o.phasor(x) + 0.2).real * x)


@pytest.mark.parametrize(
    "f, text", [(osc_method, "np.sign(self.phasor(x) + 0.2)"), (osc_caller, "np.sign(o.phasor")]
)
def test_complex_result_of_a_user_method(f, text):
    with pytest.raises(srcad.SrcadError, match="np.sign") as info:
        srcad.grad(f)(X, Osc(1.5))
    assert_located(info.value, text)


# -- user programs with complex intermediates (the session's hunt: all right or refused) --------
PX = np.array([[0, 1], [1, 0]], dtype=complex)
PZ = np.array([[1, 0], [0, -1]], dtype=complex)


def rx(t):
    return np.cos(t / 2) * np.eye(2) - 1j * np.sin(t / 2) * PX


def rz(t):
    return np.array([[np.exp(-0.5j * t), 0], [0, np.exp(0.5j * t)]])


def trotter(x):
    psi = np.array([1.0, 0.0], dtype=complex)
    for _ in range(4):
        psi = rx(0.2 * x[0]) @ psi
        psi = rz(0.2 * x[1]) @ psi
    return np.abs(psi[1]) ** 2 + np.vdot(psi, PZ @ psi).real * x[2]


def newton_root(x):
    z = 0.5 + 0.5j
    k = 0
    while k < 6 and abs(z**3 + x[0] * z + x[1]) > 1e-14:
        z = z - (z**3 + x[0] * z + x[1]) / (3 * z**2 + x[0])
        k += 1
    return abs(z) ** 2 + z.imag * x[2]


def bode(x):
    w = np.array([0.1, 1.0, 10.0])
    H = (1j * w * x[1] + 2.0) / (1j * w * x[0] + 1.0)
    return np.sum(np.angle(H)) + np.sum(20 * np.log10(np.abs(H))) * x[2]


def fresnel(x):
    n = 1.5 + 0.1j
    ct = np.sqrt(1 - (np.sin(x[0]) / n) ** 2)
    r = (np.cos(x[0]) - n * ct) / (np.cos(x[0]) + n * ct)
    return abs(r) ** 2 + x[1] * x[2]


def cepstrum(x):
    S = np.fft.fft(x + 2.0)
    return np.sum(np.fft.ifft(np.log(np.abs(S))).real ** 2)


def goertzel(x):
    s = 0.0 * J
    for k in range(3):
        s = s * np.exp(J * 0.7) + x[k]
    return np.abs(s) ** 2


@pytest.mark.parametrize("f", [trotter, newton_root, bode, fresnel, cepstrum, goertzel])
def test_user_programs(f):
    check_all(f)

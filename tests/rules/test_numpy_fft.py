"""np.fft and complex values in between (srcad.rules.numpy_fft): spectra of real inputs and
their powers, convolutions by FFT, n-D transforms with s/axes/norm, shifts, np.abs/np.imag/.imag
of complex values, np.vdot, .astype. Values against NumPy, derivatives against central
differences (forward and reverse, second order), Hessians against differences of the gradient;
refusals of the complex steps that have no rule."""

from __future__ import annotations

import linecache
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(9750003)
V = R.standard_normal(8)
M = R.standard_normal((4, 6))
T = R.standard_normal((3, 4, 5))
J = np.array(1j)  # a complex constant (a literal 1j is refused in differentiated code)
C = np.exp(J * np.arange(8))


def power_spectrum(x):
    return np.abs(np.fft.rfft(x)) ** 2


def rfft_n(x):
    return np.abs(np.fft.rfft(x, n=11, norm="ortho")) ** 3


def rfft_crop(x):
    return np.fft.rfft(x, n=5, norm="forward").real * np.fft.rfft(x, n=5).imag


def filtered(x):
    return np.fft.irfft(np.fft.rfft(x) * C[:5])


def irfft_n(x):
    return np.fft.irfft(np.fft.rfft(x) * C[:5], n=9, norm="ortho") ** 2


def irfft_short(x):
    return np.fft.irfft(np.fft.rfft(x) * C[:5], n=6, norm="forward") ** 2


def irfft_of_full(x):
    return np.fft.irfft(np.fft.fft(x) * C, n=7) ** 2


def fft_roundtrip(x):
    return np.abs(np.fft.ifft(np.fft.fft(x, 10) * C[:1], n=7, norm="ortho"))


def fft_axes(A):
    return np.abs(np.fft.fft(A, axis=0)) + np.fft.ifft(A, axis=-1, norm="forward").imag


def fft2(A):
    return np.abs(np.fft.fft2(A)) ** 2 + np.fft.ifft2(A * A, s=(3, 7)).real.sum()


def fftn(A):
    F = np.fft.fftn(T * A[0, 0], axes=(0, 2), s=(2, 6))
    return np.abs(F).sum() + np.fft.ifftn(A).imag.sum()


def rfft2(A):
    return np.abs(np.fft.rfft2(A, norm="ortho")) ** 2


def rfftn(A):
    return np.abs(np.fft.rfftn(T * A[1, 1], s=(5, 3), axes=(0, 1))) ** 2


def irfft2(A):
    return np.fft.irfft2(np.fft.rfft2(A) * J) ** 3


def irfftn(A):
    F = np.fft.fftn(A) * np.exp(J * A)
    return np.fft.irfftn(F, s=(5, 7), axes=(0, 1), norm="ortho") ** 2


def irfftn_default(A):
    return np.fft.irfftn(np.fft.rfftn(T * A[0, 0]) * (2.0 + J)) ** 2


def shifts(A):
    return np.fft.fftshift(A * A, axes=0) * np.fft.ifftshift(A)


def frequencies(d):
    return np.fft.fftfreq(8, d) * np.fft.rfftfreq(7, d=d).sum()


def parts(x):
    F = np.fft.fft(x)
    return np.imag(F) ** 2 + F.imag * x + np.real(F)


def convolution(x):
    return np.fft.irfft(np.fft.rfft(x) * np.fft.rfft(x**2), n=8)


def abs_complex(x):
    return np.abs(x * C) + np.abs(np.exp(J * x))


def vdot(x):
    return np.vdot(x * C, x**2 * C).real + np.vdot(x * C, np.sin(x) * C).imag


def astype(x):
    return (x * C).astype(complex).imag * (x * C).real


def var_std(x):  # mean |z - mean|^2 of complex values: Re(conj(c) dz)
    return np.var(x * C + x**2) + np.std(x * C + C) * x[0] + np.var(np.outer(x, C), axis=1, ddof=1)


CASES = [
    (f, (V,))
    for f in (
        power_spectrum, rfft_n, rfft_crop, filtered, irfft_n, irfft_short, irfft_of_full,
        fft_roundtrip, parts, convolution, abs_complex, vdot, astype, var_std,
    )
] + [
    (f, (M,))
    for f in (fft_axes, fft2, fftn, rfft2, rfftn, irfft2, irfftn, irfftn_default, shifts)
] + [(frequencies, (0.3,))]  # fmt: skip


@pytest.mark.parametrize(("f", "args"), CASES, ids=[f.__name__ for f, _ in CASES])
def test_against_numpy_and_central_differences(f, args) -> None:
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-13, atol=1e-13)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


@pytest.mark.parametrize(
    "f", [power_spectrum, irfft_n, fft_roundtrip, rfftn, irfftn, abs_complex, parts, vdot, var_std]
)
def test_hessian_against_differences_of_the_gradient(f) -> None:
    def loss(z):
        return np.sum(f(z) ** 2)

    z = M if f in (rfftn, irfftn) else V
    H = srcad.hessian(loss)(z).reshape(z.size, z.size)
    g = srcad.grad(loss)
    eps = 1e-5
    E = np.eye(z.size).reshape(z.size, *z.shape)
    fd = np.array([(g(z + eps * e) - g(z - eps * e)).ravel() / (2 * eps) for e in E])
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-5 * (1 + np.abs(fd).max()))


def test_power_spectrum_gradient_exact() -> None:
    # d/dx_j sum_k |F_k|^2 = 2 Re(sum_k conj(F_k) exp(-2 pi i jk / n)) = 2 irfft(n F / w)_j, with
    # w the weights irfft gives the half spectrum (1 at the edges, 2 between)
    n = V.size
    F = np.fft.rfft(V)
    w = np.full(F.size, 2.0)
    w[0] = w[-1] = 1.0
    want = 2 * np.fft.irfft(F * n / w, n)
    got = srcad.grad(lambda x: np.sum(np.abs(np.fft.rfft(x)) ** 2))(V)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_abs_at_complex_zero_is_zero() -> None:
    def f(x):
        return np.sum(np.abs(np.fft.fft(x)))

    x = np.zeros(4)
    assert np.array_equal(srcad.grad(f)(x), np.zeros(4))


@pytest.mark.parametrize(
    ("expr", "words"),
    [
        ("np.median(x * C[:3]).real", "np.median` of a value that may be complex"),
        # (np.linalg.norm of a complex vector has a rule since refuse34b: the matrix 2-norm not)
        ("np.linalg.norm(np.outer(x, C[:3]), 2)", "of a complex matrix has no rule"),
    ],
)
def test_complex_steps_without_a_rule_are_refused(expr, words) -> None:
    ns = {"np": np, "C": C, "math": math}
    src = f"def f(x):\n    return {expr}\n"
    name = f"<srcad-fft-refusal-{len(expr)}-{expr[:12]}>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    exec(compile(src, name, "exec"), ns)
    with pytest.raises(srcad.SrcadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        srcad.grad(ns["f"])(np.array([0.3, -0.5, 1.1]))


def test_fft_into_a_fresh_out_buffer() -> None:
    """``np.fft.fft(x, out=np.empty(..))`` was refused ("out="); since refuse35 a fresh buffer
    given as `out` is written as NumPy does, and the buffer read afterwards sees the result."""

    def into_fresh(x):
        return np.fft.fft(x, out=np.empty(3, complex)).real.sum()

    def buffer_read_after(x):
        o = np.empty(3, complex)
        y = np.fft.fft(x, out=o)
        return (y.real * o.imag).sum() + np.sum(o.real**2)

    x = np.array([0.3, -1.2, 0.7])
    for f in (into_fresh, buffer_read_after):
        check_grads(f, (x,))

"""Soundness hunt 16: wrong results found by probes written like users' code (second order
through ``srcad.grad`` called inside differentiated code, duplicate-index writes, complex values in
between, empty reductions).

- WRONG derivative (nan), reverse over reverse: ``grad(lambda z: grad(f)(z) @ v)`` of ``f`` with
  ``np.where(x > 0, np.sqrt(x), x)`` (or ``x ** 0.5``): the gradient's reverse sweep reads the
  masked value in ``unbroadcast(g, u)`` (its shape only), which counted as an unmasked use
  (ad/masks.py), and ``u * pow_dx(x, .5)`` was a list-or-number product (ad/seqs.py: the runtime
  derivative helpers make numbers), not an elementwise one (rules/facts.py).
- WRONG derivative, reverse over reverse: ``out[[1, 1, 2]] = v`` (the last write wins): the
  transpose of ``setitem_vjp_v`` summed every copy (rules/indexing.py `last_writes`).
- REFUSED (spuriously): ``grad`` of ``np.sum(srcad.grad(f)(z) * v)`` where ``f`` has complex values
  in between: the inner gradient of a real argument was its complex cotangent, not its real
  part as ``srcad.grad`` returns it (ad/compose.py, `real_grad`).
- CRASH: ``np.prod(x[:0]) * s``: ``prod_others`` of an empty array (rules/reductions.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X3 = np.array([0.5, 0.0, -2.0])
X6 = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58])
V6 = np.array([0.7, -1.3, 0.4, 1.1, -0.2, 0.9])


def _grad_dot(f, v):
    def g(z):
        return np.sum(srcad.grad(f)(z) * v)

    return g


# -- a np.where's untaken side, differentiated twice in reverse mode -------------------------------
def _where_sqrt(x):
    return np.sum(np.where(x > 0, np.sqrt(x), x))


def _where_pow(x):
    return np.sum(np.where(x > 0, x**0.5, x))


def _where_div(x):
    return np.sum(np.where(x != 0, np.sin(x) / x, 1.0))


def _where_log(x):
    return np.sum(np.where(x > 0, x * np.log(x), 0.0) + x**2)


@pytest.mark.parametrize("f", [_where_sqrt, _where_pow, _where_div, _where_log])
def test_grad_of_grad_through_where_untaken_side(f) -> None:
    v = np.array([1.0, 0.5, -1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        gg = srcad.grad(_grad_dot(f, v))(X3)
        _, hv = srcad.hvp(f, (X3,), (v,))
    assert np.all(np.isfinite(gg)), gg
    np.testing.assert_allclose(gg, hv, rtol=1e-12, atol=1e-12)


# -- x[idx] = v with repeated indices ----------------------------------------------------------------
def _dup_write(x):
    out = x.copy()
    out[[1, 1, 2]] = x[:3] * 3
    return np.sum(out**2)


def _dup_write_2d(x):
    m = np.zeros((3, 2))
    m[[2, 0, 2]] = x.reshape(3, 2) ** 2
    return np.sum(m * np.arange(6.0).reshape(3, 2)) + np.sum(np.sin(m))


@pytest.mark.parametrize("f", [_dup_write, _dup_write_2d])
def test_grad_of_grad_duplicate_index_write(f) -> None:
    gg = srcad.grad(_grad_dot(f, V6))(X6)
    np.testing.assert_allclose(gg, srcad.hessian(f)(X6) @ V6, rtol=1e-10, atol=1e-12)


# -- complex values in between, gradient used inside differentiated code -----------------------------
def _phasor(x):
    return np.abs(np.sum(np.exp(1j * x))) ** 2


def _spectrum(x):
    return np.sum(np.abs(np.fft.fft(x * x)) ** 2) * 0.1


@pytest.mark.parametrize("f", [_phasor, _spectrum])
def test_grad_of_grad_with_complex_values_inside(f) -> None:
    g = srcad.grad(f)(X6)
    assert not np.iscomplexobj(g)
    gg = srcad.grad(_grad_dot(f, V6))(X6)
    assert not np.iscomplexobj(gg)
    np.testing.assert_allclose(gg, srcad.hessian(f)(X6) @ V6, rtol=1e-10, atol=1e-12)


# -- the product of an empty array ---------------------------------------------------------------------
def _empty_prod(x):
    return np.prod(x[:0]) * np.sum(x) + np.sum(np.prod(x.reshape(3, 2)[:, :0], axis=1) * x[:3])


def test_grad_of_an_empty_product() -> None:
    np.testing.assert_allclose(srcad.grad(_empty_prod)(X6), [2.0, 2.0, 2.0, 1.0, 1.0, 1.0])
    _, dout = srcad.jvp(_empty_prod, (X6,), (V6,))
    np.testing.assert_allclose(dout, 2 * V6[:3].sum() + V6[3:].sum())


# -- a np.where / np.nan_to_num whose guarded value is reshaped, transposed or indexed ----------------
X4 = np.array([0.5, -0.3, 1.2, -0.8])


def _moved_reshape(x):
    return np.sum(np.where(x.reshape(2, 2) > 0, np.sqrt(x).reshape(2, 2), 0.0))


def _moved_T(x):
    return np.sum(np.where(x.reshape(2, 2).T > 0, np.sqrt(x.reshape(2, 2)).T, 0.0))


def _moved_slice(x):
    return np.sum(np.where(x[:3] > 0, np.sqrt(x)[:3], 0.0))


def _moved_fancy_dup(x):
    i = [0, 1, 1, 2]
    return np.sum(np.where(x[i] > 0, np.sqrt(x)[i], x[i]))


def _moved_neg_step(x):
    return np.sum(np.where(x[::-1] > 0, np.sqrt(x)[::-1], 0.0) * np.arange(4))


def _moved_ravel(x):
    return np.sum(np.where(x > 0, np.sqrt(x.reshape(2, 2)).ravel(), 0.0))


def _moved_newaxis(x):
    return np.sum(np.where(x[:, None] > 0, np.sqrt(x)[:, None] * np.ones(3), 0.0))


def _moved_nan_to_num(x):
    a = np.nan_to_num(np.sqrt(x)[np.array([0, 1, 2])]) ** 2
    return np.sum(a) + np.sum(np.nan_to_num(np.log(x).reshape(2, 2)))


def _moved_and_plain(x):
    a = np.where(x.reshape(2, 2) > 0, np.sqrt(x).reshape(2, 2), 0.0)
    return np.sum(a) + np.sum(np.where(x > 1.0, np.sqrt(x), 0.0))


MOVED = [_moved_reshape, _moved_T, _moved_slice, _moved_fancy_dup, _moved_neg_step, _moved_ravel,
         _moved_newaxis, _moved_nan_to_num, _moved_and_plain]  # fmt: skip


def _fd_grad(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


@pytest.mark.parametrize("f", MOVED)
def test_where_guard_reached_through_a_move(f) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(f)(X4)
        ref = _fd_grad(f, X4)
        gg = srcad.grad(_grad_dot(f, V6[:4]))(X4)
        _, hv = srcad.hvp(f, (X4,), (V6[:4],))
    np.testing.assert_allclose(g, ref, rtol=1e-6, atol=1e-7)
    assert np.all(np.isfinite(hv)) and np.all(np.isfinite(gg)), (hv, gg)
    np.testing.assert_allclose(gg, hv, rtol=1e-10, atol=1e-12)


# -- np.copyto into a view of the array its value is a view of -----------------------------------------
def _copyto_overlap(x):
    y = np.array(x)
    np.copyto(y[::2], y[0:3])  # NumPy writes y[2] before it reads it for y[4]
    return np.sum(y * np.cos(y))


def _copyto_shift(x):
    y = np.array(x)
    np.copyto(y[1:4], y[0:3])  # (NumPy copies the value first here: the result srcad computes)
    return np.sum(y * np.cos(y))


def test_copyto_overlapping_view_is_refused_or_right() -> None:
    x = np.array([0.3, -0.6, 1.2, 0.8, -0.4])
    with pytest.raises(srcad.SrcadError, match="changes some of its elements before it reads"):
        srcad.grad(_copyto_overlap)(x)
    out, g = srcad.value_and_grad(_copyto_shift)(x)
    assert out == pytest.approx(_copyto_shift(x))
    np.testing.assert_allclose(g, _fd_grad(_copyto_shift, x), rtol=1e-6, atol=1e-8)


# -- third order through a nested grad with complex values inside ----------------------------------
def _re_phase(a, b):
    return np.sum(np.exp(1j * a * b).real)


def _nested_complex(x):
    ga, gb = srcad.grad(_re_phase, wrt=(0, 1))(x, x[::-1])
    return np.sum(ga * gb) + np.sum(srcad.grad(_re_phase)(x, x * 2.0) ** 2)


def test_grad_of_grad_of_a_nested_complex_grad() -> None:
    x = X6[:4]
    v = V6[:4]
    gg = srcad.grad(_grad_dot(_nested_complex, v))(x)
    _, hv = srcad.hvp(_nested_complex, (x,), (v,))
    np.testing.assert_allclose(gg, hv, rtol=1e-9, atol=1e-10)


def _vjp_inside(x):
    out, pull = srcad.vjp(_phasor, x)
    return out + np.sum(pull(1.0)[0] ** 2)


def test_vjp_inside_with_complex_values_is_real() -> None:
    # (refused before: the pulled cotangent of a real argument was complex)
    g = srcad.grad(_vjp_inside)(X6)
    np.testing.assert_allclose(g, _fd_grad(_vjp_inside, X6), rtol=1e-6, atol=1e-7)

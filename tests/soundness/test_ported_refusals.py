"""Ported programs srcad must refuse, not differentiate: each raises a located `SrcadError`
(file:line:col of the user's line, a caret and a hint) for `srcad.jvp` and `srcad.grad`/`vjp`.

They come from the ported corpora (tests/corpus/ported*.py): in-place updates through views,
aliases, `out=` and `np.add.at`, arguments updated in place, complex values, `try`, and options
with no derivative rule (`np.interp`'s `xp`/`right`, `np.quantile`'s `q`). Python would see the
update (or the derivative is not defined by srcad's rules): a silent answer would be wrong."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

V3 = np.array([0.4, -0.7, 1.3])
V5 = np.array([0.3, -1.1, 0.8, 1.7, -0.4])
M23 = np.array([[0.5, -0.3, 1.2], [0.9, 0.2, -0.8]])
M33 = np.array([[1.5, 0.2, -0.3], [0.1, 1.2, 0.4], [-0.2, 0.3, 0.9]])


def ix_setitem_fancy_add(x):
    y = np.zeros(3)
    np.add.at(y, [0, 0, 2], x[:3])
    return y


def sy_view_mutation(x):
    y = x.copy()
    v = y[1:]
    v *= 2.0
    return y


def sy_alias_mutation(x):
    y = x.copy()
    z = y
    z += 1.0
    return y * x


def sy_reshape_view_write(A):
    B = A.copy()
    f = B.reshape(-1)
    f[0] = 10.0 * f[1]
    return B


def sy_transpose_view_write(A):
    B = A.copy()
    Bt = B.T
    Bt[0, 1] = Bt[1, 0] * 3.0
    return B


def sy_list_alias(x):
    a = [x, 2.0 * x]
    b = a
    b.append(3.0 * x)
    return sum(a)


def sy_out_kwarg(x):
    y = np.empty_like(x)
    np.multiply(x, x, out=y)
    return y


def sy_fill_diagonal(A):
    B = A.copy()
    np.fill_diagonal(B, 1.0)
    return B * A


def sy_complex_abs(x):
    z = x + 1j * x[::-1]
    return np.sum(np.abs(z))


def sy_complex_real(x):
    z = np.exp(1j * x)
    return np.real(z) * np.imag(z)


def sy_closure_counter(x):
    acc = [0.0]

    def add(v):
        acc[0] = acc[0] + v

    add(x)
    add(x * x)
    return acc[0]


def sy_try_except(x):
    try:
        y = np.log(x)
    except ValueError:
        y = x
    return y


def py_helper_mutates_local(x):
    y = x.copy()
    _scale_in_place(y)
    return y * x


def _scale_in_place(a):
    a *= 2.0


def py_argument_mutation(x):
    x[0] = x[0] * 2.0
    return x * x


def py_argument_aug(x):
    x += 1.0
    return x * x


def kw_interp_active_xp(x, xp):
    return np.interp(x, xp, np.array([1.0, 3.0, 2.0]))


def kw_interp_left_right(x):
    return np.interp(x, np.array([-0.5, 0.5]), np.array([1.0, 3.0]), left=0.0, right=x[0])


def kw_quantile_active_q(x, q):
    return np.quantile(x, q)


CASES = [
    (ix_setitem_fancy_add, (V5,), 0, "np.add.at(y"),
    (sy_view_mutation, (V5,), 0, "v *= 2.0"),
    (sy_alias_mutation, (V5,), 0, "return y * x"),
    (sy_reshape_view_write, (M23,), 0, "f[0] = "),
    (sy_transpose_view_write, (M23,), 0, "Bt[0, 1] = "),
    (sy_list_alias, (0.7,), 0, "return sum(a)"),
    (sy_out_kwarg, (V5,), 0, "np.multiply(x, x, out=y)"),
    (sy_fill_diagonal, (M33,), 0, "np.fill_diagonal"),
    (sy_closure_counter, (0.7,), 0, "def add(v)"),
    (sy_try_except, (0.7,), 0, "try:"),
    (py_argument_mutation, (V3,), 0, "x[0] = "),
    (py_argument_aug, (V3,), 0, "x += 1.0"),
    (py_helper_mutates_local, (V3,), 0, "_scale_in_place(y)"),
    (sy_complex_abs, (V5,), 0, "1j"),
    (sy_complex_real, (V5,), 0, "1j"),
    (kw_interp_active_xp, (V5, np.array([-2.0, 0.1, 2.0])), 1, "np.interp"),
    (kw_interp_left_right, (V5,), 0, "np.interp"),
    (kw_quantile_active_q, (V5, 0.37), 1, "np.quantile"),
]


def _check_refusal(err: srcad.SrcadError, fn, snippet: str) -> None:
    text = str(err)
    assert __file__.rsplit("/", 1)[-1] in text and "^" in text, text
    assert snippet in text, text
    assert "hint:" in text, text


@pytest.mark.parametrize("fn,args,k,snippet", CASES, ids=[c[0].__name__ for c in CASES])
def test_ported_program_is_refused_with_a_location(fn, args, k, snippet) -> None:
    tangents = tuple(np.ones_like(a) if i == k else None for i, a in enumerate(args))
    with pytest.raises(srcad.SrcadError) as fwd:
        srcad.jvp(fn, args, tangents)
    _check_refusal(fwd.value, fn, snippet)
    with pytest.raises(srcad.SrcadError) as rev:
        srcad.vjp(fn, *args, wrt=k)
    _check_refusal(rev.value, fn, snippet)

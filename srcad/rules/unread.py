"""The operands of a product's cotangent without the entries it never reads.

Input: the cotangent `g` of a product (``x @ y``, ``np.einsum``) and its operands. Output: the
operands with the entries that multiply only zero entries of `g` set to 0, so that
``g @ y.T`` has no ``0 * inf`` term from a row or column of the product no read reaches
(``(A @ np.sqrt(B))[:, 0]`` with a nan in column 1 of `B`: `rules/products.py` calls
these only when its result is not finite, so the finite case costs nothing but a sum).
A cotangent 0 throughout such a slice says the loss does not depend on those entries of the
product there: their terms are 0, whatever the other factor.

`unread_free(r, o)` is the test that decides when none of this is needed: a finite sum of `o`
(no non-finite entry, so no ``0 * inf`` term) or of `r` itself. A non-finite entry ``x[i, j]``
makes the whole row j of ``x.T @ g`` non-finite whatever `g` is (each entry of that row has the
term ``x[i, j] * g[i, l]``: ``nan`` when that factor of `g` is 0, ``+-inf`` or ``nan`` otherwise,
and a sum with an inf or nan term is inf or nan), and likewise a column of ``g @ y.T``; so a
finite result holds no such term and is the product with those entries dropped. (A BLAS that
skips the zero entries of `g` gives that product too.)
"""

from __future__ import annotations

import cmath
import math

import numpy as np

from srcad.arrays import asarray
from srcad.rules.trees import unbroadcast

_ND, _SUM = np.ndarray, np.add.reduce


def unread_free(r: np.ndarray, o) -> bool:
    """True when the product `r` summing over the entries of `o` (``x.T @ g`` and `x`, ``g @
    y.T`` and `y`) holds no term of a non-finite entry of `o` (module docstring): the sum of
    `o` is finite when `o` is a float array with fewer entries than `r` (the cheaper of the two
    sums: an LSTM's (B, H) state against its (H, 4H) weight cotangent), else the sum of `r` is.
    False may also mean a sum overflowed: callers then take the slow path, which is right too."""
    if type(o) is _ND and o.size < r.size and o.dtype.kind == "f":
        if math.isfinite(_SUM(o, None)):  # (no RuntimeWarning for an inf, as ``s - s`` gives)
            return True
    s = _SUM(r, None)
    k = r.dtype.kind
    if k == "f":
        return math.isfinite(s)
    if k == "c":
        return cmath.isfinite(s)
    return k in "biu"  # (no inf or nan in those; objects: the slow path, which is right too)


def unread_zeroed(g, x, y, which):
    """(x, y) for ``matmul_vjp(g, x, y, which)`` with the entries of the other operand that
    only multiply an all-zero slice of `g` set to 0 (`y`'s columns for ``g @ y.T``, `x`'s rows
    for ``x.T @ g``); (None, None) when that operand is 1-D there (no sum: each entry alone)."""
    g, x, y = asarray(g), asarray(x), asarray(y)
    with np.errstate(invalid="ignore"):
        if which == 0 and y.ndim >= 2 and g.ndim >= 1:  # (t @ y.T: the sum over y's columns)
            used = np.any(g != 0, axis=tuple(range(g.ndim - 1)))
            return x, np.where(used, y, 0.0)
        if which == 1 and x.ndim >= 2 and g.ndim >= 1:  # (x.T @ t: the sum over x's rows)
            rows = g if y.ndim == 1 else np.swapaxes(g, -1, -2)
            used = np.any(rows != 0, axis=tuple(range(rows.ndim - 1)))
            return np.where(used[:, None], x, 0.0), y
    return None, None


def outer_unread(g, x, y, which):
    """The cotangent ``matmul_vjp(g, x, y, which)`` where the other operand is 1-D (no sum over
    it: each of its entries meets each entry of `g` alone, ``g * y`` of two vectors, the outer
    ``g[:, None] * y`` of a matrix @ vector) with the terms of a zero entry of `g` 0, as
    `unread_zeroed` drops them from a sum: ``np.tanh(b @ x)`` with an inf in `b` saturates, its
    cotangent 0 met ``inf`` (nan where the derivative is 0). None for the other shapes."""
    g, x, y = asarray(g), asarray(x), asarray(y)
    with np.errstate(invalid="ignore"):
        if which == 0 and y.ndim == 1:
            return unbroadcast(np.where((g != 0)[..., None], g[..., None] * y, 0.0), x)
        if which == 1 and x.ndim == 1 and y.ndim == 1:
            return np.where(g != 0, g * x, 0.0)
        if which == 1 and x.ndim == 1 and g.ndim >= 1:
            t = np.where((g != 0)[..., None, :], x[:, None] * g[..., None, :], 0.0)
            return unbroadcast(t, y)
    return None


def einsum_unread(g, out, specs, ops, i):
    """`ops` for the cotangent of operand `i` of ``np.einsum`` (`specs` ``->`` `out`, explicit
    letters) with each other operand's non-finite entries 0 where every entry of `g` they
    multiply is 0; None when that cannot be worked out (a repeated letter, a broadcast one)."""
    nz = (asarray(g) != 0).astype(float)
    new = list(ops)
    try:
        for j, (s, op) in enumerate(zip(specs, ops)):
            if j == i or len(set(s)) != len(s) or np.all(np.isfinite(op)):
                continue
            kept = "".join(c for c in out if c in s)
            m = np.einsum(f"{out}->{kept}", nz) > 0  # (g read anywhere along the others)
            m = np.transpose(m, [kept.index(c) for c in s if c in kept])
            m = np.reshape(m, [op.shape[k] if c in kept else 1 for k, c in enumerate(s)])
            new[j] = np.where(m, op, 0.0)
    except (ValueError, TypeError):
        return None
    return new


def tensordot_subscripts(ax_a: list, ax_b: list, na: int, nb: int) -> str:
    """``np.tensordot(a, b, (ax_a, ax_b))`` of an `na`-d `a` and an `nb`-d `b` as einsum
    subscripts (``([1], [0])`` of matrices: ``"ab,bc->ac"``), for the cotangent that leaves out
    the unread terms (`einsum_unread`)."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    sa = letters[:na]
    fresh = iter(letters[na:])
    sb = "".join(sa[ax_a[ax_b.index(j)]] if j in ax_b else next(fresh) for j in range(nb))
    out = "".join(c for i, c in enumerate(sa) if i not in ax_a)
    out += "".join(c for j, c in enumerate(sb) if j not in ax_b)
    return f"{sa},{sb}->{out}"

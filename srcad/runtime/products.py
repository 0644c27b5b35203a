"""Runtime helpers: products (matmul, dot, einsum, tensordot, ...) and their derivatives.

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import numpy as np

from srcad.runtime.indexing import _unsupported
from srcad.runtime.reductions import _like_input
from srcad.runtime.trees import unbroadcast


def matmul_vjp(g, x, y, which):
    """Cotangent of `x` (which=0) or `y` (which=1) for ``x @ y`` (1-D and batched operands)."""
    x, y, g = np.asarray(x), np.asarray(y), np.asarray(g)
    if x.ndim == 1 and y.ndim == 1:
        return g * y if which == 0 else g * x
    if which == 0:
        if y.ndim == 1:
            return unbroadcast(g[..., None] * y, x)
        if x.ndim == 1:
            return unbroadcast((y @ g[..., None])[..., 0], x)
        return unbroadcast(g @ np.swapaxes(y, -1, -2), x)
    if x.ndim == 1:
        return unbroadcast(x[:, None] * g[..., None, :], y)
    if y.ndim == 1:
        return unbroadcast((np.swapaxes(x, -1, -2) @ g[..., None])[..., 0], y)
    return unbroadcast(np.swapaxes(x, -1, -2) @ g, y)


def _tensordot_axes(axes, na: int, nb: int) -> tuple[list[int], list[int]]:
    if isinstance(axes, int):
        return list(range(na - axes, na)), list(range(axes))
    ax_a, ax_b = axes
    ax_a = [ax_a] if isinstance(ax_a, int) else list(ax_a)
    ax_b = [ax_b] if isinstance(ax_b, int) else list(ax_b)
    return [i % na for i in ax_a], [i % nb for i in ax_b]


def tensordot_vjp(g, a, b, axes, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.tensordot(a, b, axes)``."""
    a, b = np.asarray(a), np.asarray(b)
    ax_a, ax_b = _tensordot_axes(axes, a.ndim, b.ndim)
    free_a = [i for i in range(a.ndim) if i not in ax_a]
    free_b = [i for i in range(b.ndim) if i not in ax_b]
    nfa = len(free_a)
    if which == 0:
        r = np.tensordot(g, b, axes=(list(range(nfa, np.ndim(g))), free_b))
        labels = free_a + [ax_a[ax_b.index(j)] for j in sorted(ax_b)]
    else:
        r = np.tensordot(a, g, axes=(free_a, list(range(nfa))))
        labels = [ax_b[ax_a.index(i)] for i in sorted(ax_a)] + free_b
    return np.transpose(r, np.argsort(labels))


def dot_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.dot(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    axes = ([np.ndim(a) - 1], [max(np.ndim(b) - 2, 0)])
    return _like_input(tensordot_vjp(g, a, b, axes, which), a if which == 0 else b)


def inner_vjp(g, a, b, which):
    """Cotangent of `a` (which=0) or `b` (which=1) for ``np.inner(a, b)``."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return unbroadcast(np.multiply(g, b if which == 0 else a), a if which == 0 else b)
    return tensordot_vjp(g, a, b, ([-1], [-1]), which)


def vecdot_vjp(g, other, x, axis=-1):
    """Cotangent of `x` for ``np.vecdot`` of `x` with `other` (real operands)."""
    return unbroadcast(np.expand_dims(g, axis) * other, x)


def _einsum_specs(subscripts: str, operands) -> tuple[list[str], str]:
    """Explicit input/output index strings, ``...`` replaced by capital letters."""
    if not isinstance(subscripts, str):
        raise _unsupported("einsum's interleaved (sublist) form has no derivative rule")
    subscripts = subscripts.replace(" ", "")
    ins, arrow, out = subscripts.partition("->")
    specs = ins.split(",")
    if not arrow:
        letters = "".join(specs).replace(".", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
        if "..." in ins:
            out = "..." + out
    nell = 0
    for s, op in zip(specs, operands):
        if "..." in s:
            nell = max(nell, np.ndim(op) - (len(s) - 3))
    ell = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[:nell]

    def fill(s, ndim):
        return s.replace("...", ell[nell - (ndim - (len(s) - 3)) :]) if "..." in s else s

    specs = [fill(s, np.ndim(op)) for s, op in zip(specs, operands)]
    return specs, out.replace("...", ell)


def einsum_tangent(subscripts, i, t, *operands):
    """``np.einsum(subscripts, ...)`` with operand `i` replaced by its tangent `t`."""
    ops = [op for op in operands if op is not None]
    ops[i] = t
    return np.einsum(subscripts, *ops)


def einsum_vjp(g, subscripts, i, *operands):
    """Cotangent of operand `i` of ``np.einsum(subscripts, *operands)``."""
    ops = [np.asarray(op) for op in operands if op is not None]
    specs, out = _einsum_specs(subscripts, ops)
    target = specs[i]
    others = [s for j, s in enumerate(specs) if j != i]
    known = set(out).union(*others)
    uniq = "".join(dict.fromkeys(c for c in target if c in known))
    expr = ",".join([out] + others) + "->" + uniq
    r = np.einsum(expr, g, *[op for j, op in enumerate(ops) if j != i])
    # Letters of the target that only it has (summed away): r is constant along them.
    letters = "".join(dict.fromkeys(target))
    sizes = dict(zip(target, ops[i].shape))
    r = r.reshape([sizes[c] if c in uniq else 1 for c in letters])
    r = np.broadcast_to(r, [sizes[c] for c in letters])
    if len(letters) == len(target):
        res = r
    else:  # repeated letters (a diagonal): write r on the diagonal of a zero array
        res = np.zeros(ops[i].shape, r.dtype)
        grids = np.indices([sizes[c] for c in letters], sparse=True)
        res[tuple(grids[letters.index(c)] for c in target)] = r
    return np.array(res)

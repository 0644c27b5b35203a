"""Random permutations of differentiated arrays: the runtime helpers `lower/permutes.py` calls
for ``rng.permutation(x)`` / ``rng.shuffle(x)`` of a generator made in the function, and their
rules.

Input: the `RuleTable` pair. Output: the tables filled with the rules of `perm_index` (zero
derivative: it only draws) and `perm_take` (linear in `x`). NumPy's ``permutation(x)`` of an
array shuffles ``arange(len(x))`` and gathers the rows by it (1-D: shuffles a copy in place,
with the same draws), so the value is ``x[rng.permutation(len(x))]``, bit for bit, and the
generator ends where NumPy leaves it; the derivative is the same fixed gather. Example::

    rng.permutation(x)  ->  p = _srcad.perm_index(rng, x); y = _srcad.perm_take(x, p)
    jvp: _srcad.perm_take(dx, p)        vjp: _srcad.perm_put(g, x, p)

(`perm_put` is linear in its first operand, its transpose `perm_take`: second orders close.)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt


def _is_count(x: Any) -> bool:
    return isinstance(x, (int, np.integer)) and not isinstance(x, bool)


@helper
def perm_index(rng, x):
    """The rows ``rng.permutation(x)`` takes, drawn from `rng` as NumPy draws them: a
    permutation of ``range(x)`` for an int (NumPy's value itself), of ``range(len(x))`` for an
    array; NumPy's own error for anything else."""
    if _is_count(x) or np.ndim(x) < 1:
        return rng.permutation(x)  # (an int's permutation; a 0-d value raises as NumPy's)
    return rng.permutation(np.shape(x)[0])


@helper
def perm_take(x, idx):
    """``rng.permutation(x)`` given its rows `idx` (`perm_index`): ``asarray(x)[idx]``, or
    `idx` itself for an int `x`."""
    return idx if _is_count(x) else np.asarray(x)[idx]


@helper
def perm_put(t, x, idx):
    """The cotangent of `x` for ``perm_take(x, idx)``: `t` put back where the rows came from."""
    out = np.zeros(np.shape(x), dtype=np.result_type(t, np.asarray(x).dtype, np.float64))
    out[idx] = t
    return out


@helper
def choice_index(rng, a, size, replace, p, axis, shuffle):
    """The rows ``rng.choice(a, size, replace, p, axis, shuffle)`` takes along `axis`, drawn
    as NumPy draws them for ``rng.choice(len(a), ...)`` (the same draws: its value for an int
    `a`, NumPy's own error for a 0-d one); the options left out are not passed (RandomState's
    ``choice`` has no `axis`, `shuffle`)."""
    opts = {"axis": axis, "shuffle": shuffle}
    kw = {k: v for k, v in opts.items() if v is not None}
    if _is_count(a) or np.ndim(a) < 1 or kw and not isinstance(rng, np.random.Generator):
        return rng.choice(a, size, replace, p, **kw)  # (NumPy's value, or its error)
    n = np.shape(a)[0 if axis is None else axis]
    return rng.choice(n, size, replace, p, **{k: v for k, v in kw.items() if k != "axis"})


@helper
def choice_take(a, idx, axis):
    """``rng.choice(a, ...)`` given its rows `idx` (`choice_index`): ``np.take(a, idx,
    axis)``, or `idx` itself for an int `a`."""
    return idx if _is_count(a) else np.take(np.asarray(a), idx, axis=axis)


@helper
def choice_put(t, a, idx, axis):
    """The cotangent of `a` for ``choice_take(a, idx, axis)``: `t` added back where the rows
    came from (a row drawn twice gets both)."""
    out = np.zeros(np.shape(a), dtype=np.result_type(t, np.asarray(a).dtype, np.float64))
    axis = axis % out.ndim
    moved = np.moveaxis(out, axis, 0)  # (a view: the sums land in `out`)
    k = np.ndim(idx)  # (`t` has idx's axes where `a` had `axis`)
    tm = np.moveaxis(np.asarray(t), list(range(axis, axis + k)), list(range(k)))
    np.add.at(moved, idx, tm)
    return out


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules (`perm_index` reads and advances a
    generator's state: an effect, srcad/rules/facts.py)."""
    jvp.defzero(rt(perm_index))
    vjp.defzero(rt(perm_index))
    jvp.deflinear(rt(perm_take), "x, idx", nondiff=("idx",))
    vjp.deflinear(rt(perm_take), "x, idx", nondiff=("idx",), x="_srcad.perm_put(g, x, idx)")
    jvp.deflinear(rt(perm_put), "t, x, idx", nondiff=("idx",), zero_in=("x",))  # (x: its shape)
    vjp.deflinear(
        rt(perm_put), "t, x, idx", nondiff=("idx",), zero_in=("x",), t="_srcad.perm_take(g, idx)"
    )
    # the rows drawn: piecewise constant in `a` and in probabilities `p` that vary (the rows
    # jump where a cumulative sum of `p` crosses a uniform draw: `rng.random() < p` written out)
    jvp.defzero(rt(choice_index))
    vjp.defzero(rt(choice_index))
    take, put = "a, idx, axis", "t, a, idx, axis"
    jvp.deflinear(rt(choice_take), take, nondiff=("idx", "axis"))
    vjp.deflinear(rt(choice_take), take, nondiff=("idx", "axis"),
                  a="_srcad.choice_put(g, a, idx, axis)")  # fmt: skip
    jvp.deflinear(rt(choice_put), put, nondiff=("idx", "axis"), zero_in=("a",))
    vjp.deflinear(rt(choice_put), put, nondiff=("idx", "axis"), zero_in=("a",),
                  t="_srcad.choice_take(g, idx, axis)")  # fmt: skip

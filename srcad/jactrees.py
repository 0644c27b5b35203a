"""Jacobians of functions returning a structure: which outputs are trees of blocks, and the unit
cotangents of one (`srcad.higher`'s jacfwd/jacrev chains use them).

Input: a function's output. Output: whether it is a tree of Jacobian blocks (`tree_output`: a
dict, list, tuple, namedtuple or dataclass whose leaves are numbers or real arrays, none empty),
its leaves (`out_leaves`), and for reverse mode the unit cotangents in its structure
(`unit_cotangents`: a unit in one element of one leaf, zeros in the others); with
``has_aux=True`` the ``(out, aux)`` pair's first part (`aux_main`, `aux_combine`). JAX's layout: the
output's structure outside, the input's inside (``jacrev(f)(x)["a"]`` is ``d f(x)["a"] / dx``;
with a tuple `wrt`, a tuple of blocks at each output leaf). Example::

    jacfwd(lambda x: {"a": 2 * x, "s": np.sum(x)})(x)   # {"a": (3, 3) array, "s": (3,) array}
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from srcad.errors import SrcadError
from srcad.trees import children, leaves, rebuild

_NUMBERS = (float, int, np.number)


def _block(x: Any) -> bool:
    """A number or a non-empty real (or integer) array: one output block."""
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "fiub" and x.size > 0
    return isinstance(x, _NUMBERS)


def tree_output(out: Any) -> bool:
    """`out` is a container or record (not an array, not a number) of blocks only."""
    if children(out) is None:
        return False
    ls = leaves(out)
    return bool(ls) and all(_block(leaf) for leaf in ls)


def out_leaves(out: Any) -> list[Any]:
    """The blocks of the tree output `out`, in order."""
    return leaves(out)


def rebuild_out(out: Any, blocks: list[Any]) -> Any:
    """`out`'s structure holding `blocks` (one per leaf, in order)."""
    return rebuild(out, iter(blocks))


def unit_cotangents(out: Any, units: Callable[[Any], list[Any]]) -> list[tuple]:
    """One column ``(cotangent,)`` per element of the tree output `out`: `units(leaf)` (the unit
    cotangents of one leaf) in that leaf, zeros in the others."""
    ls = leaves(out)
    zeros = [np.zeros(np.shape(leaf)) for leaf in ls]
    cols = []
    for i, leaf in enumerate(ls):
        for u in units(np.asarray(leaf, float)):
            cols.append((rebuild_out(out, [u if m == i else z for m, z in enumerate(zeros)]),))
    return cols


def aux_main(out: Any, pyfunc: Any) -> Any:
    """The differentiated part of `out`, the ``(out, aux)`` pair of a function called with
    ``has_aux=True`` (refused when it is no pair)."""
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        got = f"a {type(out).__name__}" + (
            f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""
        )
        raise SrcadError(
            f"`{pyfunc.__name__}` must return a pair (out, aux) when has_aux=True; it returned "
            f"{got}",
            hint="return a pair, e.g. `return y, {'norm': n}`",
        )
    return out[0]


def aux_combine(combine: Callable, pyfunc: Any, rev: bool) -> Callable:
    """A Jacobian chain's `combine` for ``has_aux=True``: the Jacobian of the pair's first part
    and the aux value (selections: linear, so derivatives of it stay right). Forward columns
    are ``((out, aux), (dout, daux))``, reverse ones ``((out, aux), cotangents of the inputs)``."""

    def comb(raws: list, full: list) -> Any:
        aux = raws[0][0][1]
        aux_main(raws[0][0], pyfunc)
        parts = [(r[0][0], r[1] if rev else r[1][0]) for r in raws]
        return combine(parts, full), aux

    return comb

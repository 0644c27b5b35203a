"""The kinds of values the sequence analysis (`srcad.ad.seqs`) works with, and the kind of a
run-time value (`value_kind`: the argument values in the cache key, `srcad.backend.request`).

Input: a kind, or a run-time value. Output: a kind. The lattice (None: unknown, the top; ``"_"``:
no value, the bottom)::

    "f"  a float: Python float, NumPy floating scalar, float64 array (x[i] is "f" again)
    "a"  not a sequence, and multiplying a sequence by it is arithmetic (any array, a float)
    "i"  a number that may be an int or bool (``2 * xs`` repeats)
    "n"  not a list/tuple (any number, array, string, None)
    ("s", e)  a list or tuple whose elements are all of kind e
    ("d", e)  a dict whose values are all of kind e

``f < a < n``, ``i < n``; sequences and dicts join elementwise; nesting is cut at depth 3. No
import of the transform machinery: a call served by the disk cache takes its arguments' kinds.
Example::

    >>> value_kind([1.0, 2.0]), join("f", "i")
    (('s', 'f'), 'n')
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

Kind = Any  # None | str | tuple[str, Kind]
_NOSEQ = frozenset({"f", "a", "i", "n"})
_MUL_NUMERIC = frozenset({"f", "a"})
_DEPTH = 3


def join(a: Kind, b: Kind) -> Kind:
    """The least kind holding both."""
    if a == "_":
        return b
    if b == "_" or a == b:
        return a
    if a is None or b is None:
        return None
    if isinstance(a, str) and isinstance(b, str):
        return "a" if {a, b} <= _MUL_NUMERIC else "n"
    if isinstance(a, tuple) and isinstance(b, tuple) and a[0] == b[0]:
        return (a[0], join(a[1], b[1]))
    return None


def _cap(k: Kind, depth: int = _DEPTH) -> Kind:
    if not isinstance(k, tuple):
        return k
    if depth == 0:
        return None
    return (k[0], _cap(k[1], depth - 1))


def is_noseq(k: Kind) -> bool:
    return isinstance(k, str) and k in _NOSEQ


def is_seq(k: Kind) -> bool:
    return isinstance(k, tuple) and k[0] == "s"


def elem(k: Kind) -> Kind:
    """The kind of an element of a value of kind `k` (unknown for an empty sequence)."""
    if isinstance(k, tuple):
        return None if k[1] == "_" else k[1]
    return None


# -- argument values (part of the cache key) ------------------------------------------------------
def value_kind(x: Any, depth: int = _DEPTH) -> Kind:
    """The kind of a run-time value (None for objects of other types)."""
    t = type(x)
    if t is float or isinstance(x, np.floating):
        return "f"
    if t is int or t is bool or isinstance(x, (np.integer, np.bool_)):
        return "i"
    if t is np.ndarray:
        return "f" if x.dtype == np.float64 else "a"
    if t is list or t is tuple:
        if depth == 0:
            return None
        if all(type(e) is float for e in x):
            return ("s", "f" if x else "_")
        k: Kind = "_"
        for e in x:
            k = join(k, value_kind(e, depth - 1))
            if k is None:
                break
        return ("s", k)
    if t is dict:
        if depth == 0:
            return None
        k = "_"
        for v in x.values():
            k = join(k, value_kind(v, depth - 1))
            if k is None:
                break
        return ("d", k)
    if t is str or x is None:
        return "n"
    return None


def constant_kind(x: Any) -> Kind:
    """The kind the transforms take for a plain global (closure) value: "a" for any array (its
    dtype may be reassigned in place), a number's own kind, None (unknown) for anything else (a
    list or dict could be filled with anything later). Part of the cache key and guard
    (`srcad.backend.cache.global_kinds`): the generated code reads such a value live."""
    if isinstance(x, np.ndarray):
        return "a"
    t = type(x)
    if t is float or t is int or t is bool or isinstance(x, np.generic):
        return value_kind(x)
    return None


_INF_WORDS = frozenset(("inf", "infinity"))


def holds_inf(value: Any, depth: int = 0) -> bool:
    """`value` (a constant) is or holds an infinite number, or is the text of one
    (``float('inf')``)."""
    t = type(value)
    if t is float or t is complex or isinstance(value, (np.floating, np.complexfloating)):
        return bool(abs(value) == math.inf)  # (a NaN constant is none: inf0 keeps NaN)
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "fc" and bool(np.isinf(value).any())
    if t is str:
        return value.strip().lstrip("+-").lower() in _INF_WORDS
    if (t is tuple or t is list) and depth < 2:
        return any(holds_inf(v, depth + 1) for v in value[:64])
    return False


def inf_globals(reads: Iterable[tuple[dict, str, Any, bool]]) -> tuple[str, ...]:
    """The plain globals among `reads` (`srcad.backend.cache.global_reads`) holding an infinity:
    part of the cache key, since the transform guards the terms downstream of such a global only
    (a global rebound from a finite number to ``math.inf`` must re-transform, though the
    generated code reads its value live). An infinity written INTO a global array in place after
    the transform is not seen (as a written entry of an argument is not)."""
    return tuple(name for _, name, v, dep in reads if not dep and holds_inf(v))

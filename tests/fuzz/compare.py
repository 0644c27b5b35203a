"""Pytrees of the fuzz oracle's values and how they are compared (tests/fuzz/oracle.py, oracle2.py).

Input: Python/NumPy values (arrays, numbers, tuples, lists, dicts). Output: their leaves and
structure, `axpy`/`vdot`/`random_like` over them, `close`/`same_dtypes` raising `Wrong` on a
mismatch (complex values compared as complex), `sharing`: which output arrays are views of which
inputs or of each other, and `modes_rtol`: the tolerance between two modes of the same program.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen import Program


class Wrong(Exception):
    def __init__(self, prop: str, detail: str) -> None:
        super().__init__(f"{prop}: {detail}")
        self.prop, self.detail = prop, detail


# -- pytrees ------------------------------------------------------------------------------------


def leaves(tree: Any) -> list[Any]:
    if isinstance(tree, (tuple, list)):
        return [x for e in tree for x in leaves(e)]
    if isinstance(tree, dict):
        return [x for k in tree for x in leaves(tree[k])]
    return [tree]


def structure(tree: Any) -> Any:
    if isinstance(tree, (tuple, list)):
        return (type(tree).__name__, tuple(structure(e) for e in tree))
    if isinstance(tree, dict):
        return ("dict", tuple((k, structure(v)) for k, v in tree.items()))
    return ("leaf", np.shape(tree))


def axpy(t: float, v: Any, x: Any) -> Any:
    """x + t * v over matching pytrees; Python floats stay Python floats, NumPy scalars NumPy
    scalars of their type (``np.float64`` is a float too: `float(..)` made one that a program's
    ``isinstance(x, np.floating)`` saw as another type)."""
    if isinstance(x, (tuple, list)):
        return type(x)(axpy(t, a, b) for a, b in zip(v, x))
    if isinstance(x, dict):
        return {k: axpy(t, v[k], x[k]) for k in x}
    if v is None:
        return x
    r = x + t * v
    return type(x)(r) if isinstance(x, float) else r


def random_like(tree: Any, rng: np.random.Generator) -> Any:
    if isinstance(tree, (tuple, list)):
        return type(tree)(random_like(e, rng) for e in tree)
    if isinstance(tree, dict):
        return {k: random_like(v, rng) for k, v in tree.items()}
    if np.ndim(tree):
        return rng.standard_normal(np.shape(tree))
    return float(rng.standard_normal())


def modes_rtol(p: Program) -> float:
    """The relative tolerance between two modes' values: float32 arithmetic rounds at 1e-7."""
    return 1e-5 if "float32" in p.source or "float16" in p.source else 1e-8


def vdot(a: Any, b: Any) -> float:
    return float(
        sum(
            np.sum(np.asarray(x, float) * np.asarray(y, float))
            for x, y in zip(leaves(a), leaves(b))
        )
    )


def close(expected: Any, got: Any, rtol: float, atol: float, prop: str, what: str) -> None:
    if structure(expected) != structure(got):
        raise Wrong(prop, f"{what}: structure {structure(got)}, Python gives {structure(expected)}")
    for e, g in zip(leaves(expected), leaves(got)):
        e, g = np.asarray(e), np.asarray(g)
        kind = complex if "c" in (e.dtype.kind, g.dtype.kind) else float  # (float() drops .imag)
        e, g = np.asarray(e, kind), np.asarray(g, kind)
        if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
            raise Wrong(prop, f"{what}: expected {e!r}, got {g!r}")


def same_dtypes(expected: Any, got: Any) -> None:
    """The leaves' dtypes (arrays and NumPy scalars; Python numbers as NumPy takes them) agree."""
    for e, g in zip(leaves(expected), leaves(got)):
        de, dg = np.asarray(e).dtype, np.asarray(g).dtype
        if de != dg:
            raise Wrong("primal_dtype", f"output dtype {dg}, Python gives {de}")


def sharing(out: Any, inputs: Any) -> list[tuple[str, int, int]]:
    """The pairs of arrays that share memory: (``"in"``, output leaf, input leaf), Python's
    result may be a view of an argument (``return x[1:]``) or a new array, and srcad's must be
    the same; (``"out"``, i, j) of two output leaves i < j (``return x + x, x + x`` are two
    arrays, ``y = x + x; return y, y`` one); (``"args"``, i, j) of two leaves of the arguments
    after the call (``lst.append(x * 2)`` twice appends two arrays)."""
    ins = [(j, x) for j, x in enumerate(leaves(inputs)) if isinstance(x, np.ndarray)]
    outs = [(i, o) for i, o in enumerate(leaves(out)) if isinstance(o, np.ndarray)]
    return [
        *(("in", i, j) for i, o in outs for j, x in ins if np.shares_memory(o, x)),
        *_pairs("out", outs),
        *_pairs("args", ins),
    ]


def _pairs(kind: str, arrays: list[tuple[int, np.ndarray]]) -> list[tuple[str, int, int]]:
    return [
        (kind, i, j)
        for k, (i, a) in enumerate(arrays)
        for j, b in arrays[k + 1 :]
        if np.shares_memory(a, b)
    ]

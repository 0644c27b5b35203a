"""scipy.spatial.distance calls written as NumPy primitives (part of
`srcad.lower.library_lib24.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (a metric other than those below, a weight ``w``, an ``out=``: the call stays
as it is, refused).

Metrics (of the differences ``u - v`` along the last axis): euclidean (``np.linalg.norm``, its
minimum-norm subgradient 0 where two points coincide), sqeuclidean, cityblock, chebyshev,
minkowski (``p``), cosine (``1 - u.v / (|u| |v|)``). ``cdist(XA, XB)`` compares
``XA[:, None]`` with ``XB[None]``; ``pdist(X)`` the rows ``X[i]``, ``X[j]`` for ``i < j``
(`srcad.rules.scipy_extra24.pair_rows` checks the shapes as SciPy does and gives the rows).
Example::

    cdist(XA, XB, "sqeuclidean")  ->  s = _srcad.pair_rows("cdist", XA, XB)
                                      np.sum((np.reshape(XA, s[0]) - np.reshape(XB, s[1])) ** 2, axis=-1)
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand

_TWO = Const(2)
_METRICS = ("euclidean", "sqeuclidean", "cityblock", "chebyshev", "minkowski", "cosine")


def _metric(lc: Any, metric: str, u: Operand, v: Operand, p: Operand) -> Operand:
    """The distance of `u` and `v` (broadcast) along their last axis."""
    last = {"axis": Const(-1)}
    if metric == "cosine":
        uv = lc.op("numpy.sum", [lc.op("mul", [u, v])], last)
        nu = lc.op("numpy.linalg.norm", [u], last)
        nv = lc.op("numpy.linalg.norm", [v], last)
        return lc.op("sub", [Const(1.0), lc.op("truediv", [uv, lc.op("mul", [nu, nv])])])
    d = lc.op("sub", [u, v])
    if metric == "euclidean":
        return lc.op("numpy.linalg.norm", [d], last)
    if metric == "minkowski":
        return lc.op("numpy.linalg.norm", [d], {"ord": p, "axis": Const(-1)})
    if metric == "sqeuclidean":
        return lc.op("numpy.sum", [lc.op("mul", [d, d])], last)
    a = lc.op("numpy.absolute", [d])
    return lc.op("numpy.sum" if metric == "cityblock" else "numpy.max", [a], last)


def _name(metric: Operand, p: Operand, w: Operand) -> str | None:
    if not isinstance(metric, Const) or metric.value not in _METRICS or w != Const(None):
        return None
    if p != Const(None) and metric.value != "minkowski":  # SciPy: an unexpected keyword
        return None
    return metric.value


def cdist(lc: Any, XA: Operand, XB: Operand, metric: Operand, out: Operand, p: Operand,
          w: Operand) -> Operand | None:  # fmt: skip
    name = _name(metric, p, w)
    if name is None or out != Const(None):
        return None
    rows = lc.op("srcad.runtime.pair_rows", [Const("cdist"), XA, XB])
    u = lc.op("numpy.reshape", [XA, lc.op("getitem", [rows, Const(0)])])
    v = lc.op("numpy.reshape", [XB, lc.op("getitem", [rows, Const(1)])])
    return _metric(lc, name, u, v, Const(2.0) if p == Const(None) else p)


def pdist(lc: Any, X: Operand, metric: Operand, out: Operand, p: Operand, w: Operand) -> Any:
    name = _name(metric, p, w)
    if name is None or out != Const(None):
        return None
    rows = lc.op("srcad.runtime.pair_rows", [Const("pdist"), X, X])
    u = lc.op("numpy.take", [X, lc.op("getitem", [rows, Const(0)])], {"axis": Const(0)})
    v = lc.op("numpy.take", [X, lc.op("getitem", [rows, Const(1)])], {"axis": Const(0)})
    return _metric(lc, name, u, v, Const(2.0) if p == Const(None) else p)


def _pair(name: str) -> Any:
    """``scipy.spatial.distance.<name>(u, v)`` of two vectors (a float)."""

    def rewrite(lc: Any, u: Operand, v: Operand, w: Operand, p: Operand = _TWO) -> Any:
        if w != Const(None):
            return None
        rows = lc.op("srcad.runtime.pair_rows", [Const("pair"), u, v])
        u = lc.op("numpy.reshape", [u, lc.op("getitem", [rows, Const(0)])])
        v = lc.op("numpy.reshape", [v, lc.op("getitem", [rows, Const(1)])])
        return lc.op("getitem", [_metric(lc, name, u, v, p), Const(())])

    return rewrite


_D = "scipy.spatial.distance."
REWRITES = {
    _D + "cdist": (
        lambda XA, XB, metric="euclidean", *, out=None, p=None, w=None: None,
        cdist,
    ),
    _D + "pdist": (lambda X, metric="euclidean", *, out=None, p=None, w=None: None, pdist),
    **{_D + n: (lambda u, v, w=None: None, _pair(n)) for n in _METRICS if n != "minkowski"},
    _D + "minkowski": (lambda u, v, p=2, w=None: None, _pair("minkowski")),
}

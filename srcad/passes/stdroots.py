"""Square roots of variances, ``np.sqrt(np.var(x, ...))``: written as ``np.std(x, ...)``.

Input: a `Function`. Output: the same, each ``numpy.sqrt(v)`` of a ``v = np.var(x, ...)``
(``np.nanvar``, ``x.var(...)``) made ``np.std(x, ...)`` (``np.nanstd``, ``x.std(...)``) with
`v`'s arguments, in place; `v` stays for its other reads (DCE drops it otherwise). The value
is the same (NumPy's std is the square root of its var; a pandas Series' ``var`` and ``std``
share their default ``ddof=1``).

Why: at constant data ``np.var`` is not 0 but a rounding residue (1.2e-32 for three 0.7s), so
the root's rules (0 only where its operand is 0) divided rounding noise by rounding noise:
``np.sqrt(np.var(x))`` had a gradient ``(1/3, 1/3, 1/3)`` there, where it is not
differentiable (the std's subgradient is 0), and ``(1 + r) * np.exp(-r)`` of it a wrong
Hessian; np.std's rules test the rounding level of the data (`rules.statistics.std_scale`)
and refuse its second derivative along a direction that moves the deviations
(`rules.root_at0`).
"""

from __future__ import annotations

from srcad.ssa.census import ops_of, ops_with, shared_defs
from srcad.ssa.core import Function, Var

_STD = {"numpy.var": "numpy.std", "numpy.nanvar": "numpy.nanstd", "method.var": "method.std"}
_SQRT = frozenset(("numpy.sqrt",))


def std_roots(fn: Function, memo: dict | None = None) -> bool:
    """Rewrite `fn`'s roots of variances (module docstring); did any change? `memo`:
    `shared_defs`'."""
    changed = False
    defs = None
    for op in ops_with(fn.body, _SQRT):
        if len(op.args) != 1 or op.kwargs or type(op.args[0]) is not Var or len(op.results) != 1:
            continue
        defs = shared_defs(ops_of(fn.body), memo) if defs is None else defs
        d = defs.get(op.args[0])
        if d is not None and d.prim in _STD and "out" not in d.kwargs and len(d.args) <= 5:
            op.prim, op.args, op.kwargs = _STD[d.prim], list(d.args), dict(d.kwargs)
            changed = True
    return changed

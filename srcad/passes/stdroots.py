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

A receiver is not known here: ``s.var()`` (and ``np.var(s)``, which NumPy answers by
``s.var()``) may be a user object's method, whose class need not have a ``std`` (or whose
``std`` is another function). Such a rewrite is marked (``params["var_root"]``) and
`var_roots` decides it once the receiver's kind is known: an array keeps ``x.std()``; an
instance of a user class gets ``np.sqrt(s.var())`` back, reading the original call's result
(the user's ``var`` runs once); a receiver of unknown kind keeps ``x.std()`` behind
``_srcad.plain_receiver(s, "var", line)`` (a run-time refusal of a user object defining
``var``). Primal mode restores every one.
"""

from __future__ import annotations

from collections.abc import Callable

from srcad.ssa.census import ops_of, ops_with, shared_defs
from srcad.ssa.core import Block, Const, Function, Op, Var

_STD = {"numpy.var": "numpy.std", "numpy.nanvar": "numpy.nanstd", "method.var": "method.std"}
_SQRT = frozenset(("numpy.sqrt",))
# ``np.var(o)`` calls ``o.var()`` too (NumPy's dispatch): of a user object, its method
_MARKED = {"method.var": "method.std", "numpy.var": "numpy.std"}


def std_roots(fn: Function, memo: dict | None = None) -> bool:
    """Rewrite `fn`'s roots of variances (module docstring); did any change? `memo`:
    `shared_defs`'."""
    changed = False
    defs, key = None, None
    for op in ops_with(fn.body, _SQRT):
        if len(op.args) != 1 or op.kwargs or type(op.args[0]) is not Var or len(op.results) != 1:
            continue
        defs = shared_defs(ops_of(fn.body), memo) if defs is None else defs
        d = defs.get(op.args[0])
        if d is not None and d.prim in _STD and "out" not in d.kwargs and len(d.args) <= 5:
            op.prim, op.args, op.kwargs = _STD[d.prim], list(d.args), dict(d.kwargs)
            if d.prim in _MARKED:  # (the receiver decides: `var_roots`; `d` kept to restore)
                if "var_root_src" not in d.params:
                    key = _next_key(fn) if key is None else key + 1
                    d.params["var_root_src"] = key
                op.params["var_root"] = d.params["var_root_src"]
            changed = True
    return changed


KEEP, RESTORE, GUARD = "keep", "restore", "guard"
_PLAIN_RECEIVER = "srcad.runtime.plain_receiver"


def var_roots(fn: Function, decide: Callable[[Op], str]) -> bool:
    """Decide `fn`'s marked ``x.std()`` rewrites by their receiver (module docstring):
    `decide(op)` is `KEEP`, `RESTORE` (``np.sqrt(x.var())`` again) or `GUARD`. -> whether
    it restored one."""
    srcs = {o.params.pop("var_root_src"): o for o in ops_of(fn.body) if "var_root_src" in o.params}
    return _visit(fn.body, decide, srcs)


def _visit(b: Block, decide: Callable[[Op], str], srcs: dict) -> bool:
    """`var_roots` of block `b` and its nested blocks (a plain function: a recursive closure
    would hold the IR in a reference cycle, tests/backend/test_driver.py)."""
    restored = False
    new: list[Op] = []
    for op in b.ops:
        for sub in op.blocks:
            restored = _visit(sub, decide, srcs) or restored
        key = op.params.pop("var_root", None) if op.prim in _MARKED.values() else None
        if key is not None and op.args:
            how = decide(op)
            d = srcs.get(key)
            if how == RESTORE:
                restored = True
                if d is not None and len(d.results) == 1:
                    v = d.results[0]  # (the user's call, once: `d` still runs)
                else:
                    v = Var("var")
                    var = "method.var" if op.prim == "method.std" else "numpy.var"
                    new.append(Op(var, op.args, op.kwargs, [v], loc=op.loc))
                op.prim, op.args, op.kwargs = "numpy.sqrt", [v], {}
            elif how == GUARD and type(op.args[0]) is Var:
                g, line = Var(op.args[0].hint), op.loc.line if op.loc else 0
                guard = [op.args[0], Const("var"), Const(line)]
                new.append(Op(_PLAIN_RECEIVER, guard, results=[g], loc=op.loc))
                op.args[0] = g
        new.append(op)
    b.ops = new
    return restored


def _next_key(fn: Function) -> int:
    """A number no marked ``s.var()`` of `fn` has (marks survive `clone_function`'s params copy)."""
    keys = [o.params["var_root_src"] for o in ops_of(fn.body) if "var_root_src" in o.params]
    return max(keys, default=0) + 1

"""Refusals the specialization already decides: a derivative helper that would refuse when it runs.

Input: a generated entry point after the shape rewrites and its inferred facts
(`passes/shape_infer.py`: ranks of its values, which are arrays). Output: nothing, or a
`DiffError` at the user's operation (file:line:col, source line, caret, hint), raised at transform
time, for a call of a runtime helper whose refusal depends only on what is known here: a rank, a
constant argument, an argument that is certainly given (not None). Example::

    def f(x):                       # x: a float64 array of rank 3 (the Spec)
        p, l, u = scipy.linalg.lu(x)
        ...
    # grad_f calls _srcad.sl_lu_perm(x, ...), which refuses a stack when it runs: refused now

What only the values reveal (a non-square matrix, repeated eigenvalues, complex results) stays a
run-time `DiffError`; `backend/locations.locate` points it at the user's operation.
Each check below mirrors its helper's own test (the helper keeps it: other callers, unknown ranks).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from srcad.ad.common import diff_error
from srcad.passes.dce import dce
from srcad.passes.shape_infer import Shapes
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Function, Op, Operand, walk_ops

RT = "srcad.runtime."
HINT = "use a form srcad differentiates (see the README's table)"
_NO = object()  # not known at transform time


class _Args:
    """A helper call's operands by parameter name, read through the inferred facts."""

    def __init__(self, op: Op, params: dict[str, Operand], sh: Shapes) -> None:
        self.op, self.params, self.sh = op, params, sh

    def rank(self, name: str) -> int | None:
        a = self.params.get(name)
        s = self.sh.shape(a) if a is not None else None
        return len(s) if type(s) is tuple else None

    def const(self, name: str) -> Any:
        """The argument's value when it is a constant (a default left out: the default)."""
        a = self.params.get(name, _NO)
        return a.value if type(a) is Const else _NO

    def given(self, name: str) -> bool:
        """The argument is certainly not None: a constant other than None, or an array."""
        a = self.params.get(name)
        if a is None:
            return False
        if type(a) is Const:
            return a.value is not None
        return bool(self.sh.arrayish(a))


def _stack(what: str, name: str, n: int = 2) -> Callable[[_Args], str | None]:
    def check(a: _Args) -> str | None:
        r = a.rank(name)
        if r is None or r == n:
            return None
        one = "one square matrix" if n == 2 else "one matrix"
        return f"srcad differentiates scipy.linalg.{what} of {one}, not an array of rank {r}" + (
            " (loop over a stack, or use np.linalg)"
        )

    return check


def _eigh(a: _Args) -> str | None:
    if any(a.given(n) for n in ("subset_by_index", "subset_by_value")):
        return "no derivative of scipy.linalg.eigh with a subset"
    if a.const("type") not in (_NO, 1):  # (the generalized problem: rules/scipy_geigh.py)
        return "no derivative of scipy.linalg.eigh with b and type=2 or 3"
    return None


def _flag(name: str, message: str, bad: Callable[[Any], bool] = bool) -> Callable:
    def check(a: _Args) -> str | None:
        v = a.const(name)
        return message.format(v) if v is not _NO and bad(v) else None

    return check


def _polyfit(a: _Args) -> str | None:
    if any(a.const(n) not in (_NO, False, None, 0) for n in ("full", "cov")):
        return "np.polyfit with full=True or cov=True has no derivative rule"
    return None


def _pad_kw(a: _Args) -> str | None:
    mode = a.const("mode")
    if mode in ("maximum", "minimum", "median") and a.given("stat_length"):
        return f"no derivative for np.pad with mode={mode!r} and stat_length= (rules/pad_kwargs.py)"
    return None


CHECKS: dict[str, Callable[[_Args], str | None]] = {
    RT + "pad_kw": _pad_kw,
    RT + "sl_lu_perm": _stack("lu", "a"),
    RT + "sl_piv_perm": _stack("lu_factor", "piv", 1),
    RT + "sl_factor": _stack("cho_solve", "m"),
    RT + "sl_factor_t": _stack("cho_solve", "g"),
    RT + "sl_trisolve": _stack("solve_triangular", "a"),
    RT + "sl_eigh_plain": _eigh,
    RT + "sl_geigh_ok": _eigh,
    RT + "sl_lstsq_rcond": _flag(
        "lapack_driver",
        "no derivative of scipy.linalg.lstsq with lapack_driver={!r}",
        lambda d: d not in (None, "gelsd", "gelss"),
    ),
    RT + "no_weights": lambda a: (
        "np.quantile/np.percentile with `weights=` has no derivative rule"
        if a.given("weights")
        else None
    ),
    RT + "cond_ij": _flag(
        "p",
        "no derivative of np.linalg.cond(x, p={!r}): only p = None, 2, -2",
        lambda p: isinstance(p, (int, float, str)) and p not in (None, 2, -2),
    ),
    RT + "polyfit_lin": _polyfit,
    RT + "polyfit_vjp": _polyfit,
    RT + "histogram_w": _flag("density", "np.histogram with density=True has no derivative rule"),
    RT + "histogram_w_vjp": _flag(
        "density", "np.histogram with density=True has no derivative rule"
    ),
}


def refuse_known(fn: Function, sh: Shapes) -> None:
    """Raise the `DiffError` of the first live call in `fn` of a helper in `CHECKS` whose check
    refuses it (module docstring); dead calls are dropped first (`dce`), never refused."""
    for op in ops_of(fn.body):  # (a loop: a generator per op cost a third of it)
        if op.prim in CHECKS:
            break
    else:
        return
    dce(fn)
    reg = default_registry()
    for op in walk_ops(fn.body):
        check = CHECKS.get(op.prim)
        rec = reg.lookup(op.prim) if check is not None else None
        if rec is None or rec.impl is None:
            continue
        try:
            bound = inspect.signature(rec.impl).bind(*op.args, **op.kwargs).arguments
        except TypeError:
            continue
        message = check(_Args(op, dict(bound), sh))
        if message is not None:
            raise diff_error(fn, op, message, HINT)

"""Which values of a function may hold an infinity the program wrote itself: forward mode guards
only the tangent terms that multiply by such a value (`srcad.rules.infzero`).

Input: a lowered `Function` (and which of its parameters receive such values from the caller;
the user functions its calls reach, `srcad.ad.infcalls`: a call's results hold one where its
callee returns one).
Output: `may_inf`, the set of its Vars that may hold one; `term`, for a JVP template wrapped in
``_srcad.inf0(term, d, v)``, the wrapped template where `v` may be infinite, else the bare term.

Code that masks entries with an infinite constant (``np.fill_diagonal(r2, np.inf)``,
``np.where(eye, np.inf, r2)``, ``r = np.inf if k == 0 else ...``) and maps them back to finite
values (``1 / r2 ** 3``) has a finite derivative, but the plain term ``dr2 * 3 r2 ** 2`` is
``0 * inf = nan`` at the written entries. Their tangent is 0 because the constant does not move,
so the values that can carry such an entry are the ones an infinite constant flows into. The
dataflow starts at the constants (literals, ``float('inf')``, a global or closure number or array
holding inf when the transform is made) and follows every op and loop carry; comparisons and
``isinf``-like tests end it, and a bound that cannot reach the result (``np.clip(p, eps, np.inf)``)
starts nothing. Nothing else is guarded: an infinite input, or an overflow computed
at run time, gives ``0 * inf = nan`` where its tangent is 0, as JAX's forward mode does. ::

    r2.1 = fill_diag(r2, inf)   ->  may_inf = {r2.1, %2, %3}
    %2 = pow(r2.1, 3)               jvp of %2: _srcad.inf0(dr2 * _srcad.pow_dx(r2.1, 3), dr2, r2.1)
    %3 = truediv(1.0, %2)           jvp of mul(x, y) elsewhere: dx * y, no guard
"""

from __future__ import annotations

import ast
import functools
import math
from collections.abc import Container, Iterable
from typing import Any

import gast
import numpy as np

from srcad.ad.kinds import holds_inf, inf_globals  # noqa: F401  (inf_globals: the cache key)
from srcad.rules import default_registry
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var, walk_ops

INF0 = "_srcad.inf0("

# results that hold no infinity whatever their operands hold
_ENDS = frozenset({
    "eq", "ne", "lt", "le", "gt", "ge", "is", "is_not", "in", "not_in", "not", "len", "attr.shape",
    "attr.ndim", "attr.size", "attr.dtype", "numpy.isinf", "numpy.isnan", "numpy.isfinite",
    "numpy.isposinf", "numpy.isneginf", "numpy.equal", "numpy.not_equal", "numpy.less",
    "numpy.less_equal", "numpy.greater", "numpy.greater_equal", "numpy.shape", "numpy.ndim",
    "numpy.size",
})  # fmt: skip


def may_inf(
    fn: Function, params: Iterable[Var] = (), resolve: Any = None, memo: dict | None = None
) -> frozenset[Var]:
    """The Vars of `fn` that may hold an infinity a constant put there (`params`: those given
    one by the caller; `_computed`: those made from constants; with `resolve`, a call's results
    where the user function it calls returns one: `returns_inf`)."""
    ops = ops_of(fn.body)
    out: set[Var] = set(params) | _computed(fn, ops)
    calls = [op for op in ops if _calls(op)] if resolve is not None else []
    memo = {} if memo is None else memo
    if not out and not _may_start(fn, ops):  # (no source here: only a callee's, if any)
        for op in calls:  # (no operand is marked then: the callees as called with none)
            if _call_returns_inf(op, out, resolve, memo):
                out.update(op.results)
        if not out:
            return frozenset()  # (the sweep below would add nothing)
    while True:
        n = len(out)
        _sweep(fn, fn.body, out)
        for op in calls:  # (a helper's ``np.fill_diagonal(r2, np.inf); return r2``)
            if not all(r in out for r in op.results) and _call_returns_inf(op, out, resolve, memo):
                out.update(op.results)
        if len(out) == n:
            return frozenset(out)


def _calls(op: Op) -> bool:
    """May `op` call a user function (a call, or a method of a user class: ``self.masked(s)``)?"""
    return op.prim == "call" or op.prim.startswith("method.")


def _call_returns_inf(op: Op, out: set[Var], resolve: Any, memo: dict) -> bool:
    """Does the user function `op` calls return a value that may hold a written infinity, its
    parameters given one where `op`'s operands may hold one? `resolve(op)`: None, or (the
    lowered callee, `op`'s operands in its parameters' order, the `resolve` of its calls)."""
    target = resolve(op)
    if target is None:
        return False
    callee, args, inner = target
    n = len(callee.params)
    infp = tuple(k for k, a in enumerate(args) if k < n and marked(a, out))
    key = (id(callee), infp)
    if key not in memo:  # (the callee held there too: its id is not reused meanwhile)
        memo[key] = (callee, False)  # (a recursive call: no infinity from itself)
        infs = may_inf(callee, [callee.params[k] for k in infp], inner, memo)
        memo[key] = (callee, any(marked(y, infs) for y in callee.body.yields))
    return memo[key][1]


def _may_start(fn: Function, ops: list[Op]) -> bool:
    """Could `_sweep` mark anything when no parameter holds a written infinity: an op that
    `_source`s one, or an operand (positional, keyword, a block's yield) `marked` as a constant
    holding one? Conservative (neutral bounds and `_ENDS` count): one cheap walk, where the
    sweep's per-op tests cost ten times as much on a function that writes no infinity."""
    consts = [a for op in ops for a in op.args if type(a) is not Var]
    consts += [a for op in ops if op.kwargs for a in op.kwargs.values() if type(a) is not Var]
    consts += [a for op in ops if op.blocks for b in op.blocks for a in b.yields]
    for a in consts:
        if type(a) is Const:
            t = type(a.value)
            if t is int or t is bool or a.value is None:  # (most constants: no test)
                continue
        if type(a) is not Var and marked(a, ()):
            return True
    return any(_source(fn, op) for op in ops if op.prim in _GLOBALS)


_GLOBALS = frozenset(("global", "free"))
# ops that can make an infinity of finite operands (``np.log(0)``, ``1 / 0``, ``0 ** -1``,
# ``np.arctanh(1)``, an overflow)
_MAKES = frozenset(("truediv", "pow", "floordiv", *(f"numpy.{n}" for n in (
    "log", "log2", "log10", "log1p", "divide", "true_divide", "floor_divide", "reciprocal",
    "power", "float_power", "arctanh", "exp", "exp2", "expm1", "ldexp"))))  # fmt: skip


# results that are constants whatever their operands: globals, shapes (``np.ones((n, n))`` of
# ``n = x.shape[0]``)
_CONSTANT = frozenset((*_GLOBALS, "len", "attr.shape", "attr.ndim", "attr.size", "attr.dtype",
                       "numpy.shape", "numpy.ndim", "numpy.size"))  # fmt: skip


# NumPy's constructors (what an op reading one makes is an array too; not a scalar's maximum)
_NEW_ARRAYS = frozenset(f"numpy.{n}" for n in (
    "ones", "zeros", "full", "eye", "identity", "tri", "arange", "linspace", "logspace",
    "geomspace", "array", "asarray"))  # fmt: skip


def _computed(fn: Function, ops: list[Op]) -> set[Var]:
    """The results of the `_MAKES` ops of `ops` reading an array whose operands are all
    constants (literals, globals, shapes, their results) where a zero entry of it makes the
    infinity (`_makes_inf_of`): their infinities are fixed, as written ones (a causal mask
    ``np.log(np.tril(np.ones((n, n))))``: its -inf entries gave ``0 * inf`` in the derivative
    of ``(s + mask) / t`` in `t`). Not a scalar's (``np.log(2 * np.pi)``: finite, and marking
    it would guard every term it reaches; ``1 / max(n - ddof, 0)``: an infinite factor of every
    entry, whose derivative stays NaN).
    """
    if not any(op.prim in _MAKES for op in ops):
        return set()
    const: set[Var] = set()
    arrays: set[Var] = set()  # (constant arrays: NumPy's constructors', global arrays)
    out: set[Var] = set()
    for op in ops:  # (in order: an op's operands are made before it, but loop carries)
        if op.blocks or not op.results or op.prim == "call":  # (a call may read anything)
            continue
        if op.prim not in _CONSTANT:  # all operands constants? (a loop: most ops stop at
            for a in op.args:  # their first operand; a generator per op cost more)
                if type(a) is Var and a not in const:
                    break
            else:
                kw = op.kwargs.values() if op.kwargs else ()
                if all(type(a) is not Var or a in const for a in kw):
                    const.update(op.results)
                    _constant_op(fn, op, arrays, out)
            continue
        const.update(op.results)
        _constant_op(fn, op, arrays, out)
    return out


def _constant_op(fn: Function, op: Op, arrays: set[Var], out: set[Var]) -> None:
    """`_computed`'s step at an op of constants: its result is a constant array when it reads
    one or makes one (or is a global array); one that makes an infinity of such: in `out`."""
    array = any(type(a) is Var and a in arrays for a in op.operands())
    if array and _makes_inf_of(op, arrays):
        out.update(op.results)
    if array or op.prim in _NEW_ARRAYS:
        arrays.update(op.results)
    elif op.prim in _GLOBALS and not op.params.get("generated"):
        kind, obj = fn.namespace.lookup(op.params["name"])
        if kind != "missing" and isinstance(obj, np.ndarray) and obj.ndim:
            arrays.update(op.results)


def _makes_inf_of(op: Op, arrays: set[Var]) -> bool:
    """`op` may turn a finite entry of the constant array it reads into an infinity: a log of a
    zero entry, a division by one, a zero base to a negative power (``np.log(np.tril(..))``,
    ``1.0 / np.arange(n)``). Not an overflow (``np.exp(-np.arange(n) / n)``, a decay weight)
    nor a division by a scalar: marking those would guard every term they reach."""
    if op.prim not in _MAKES:
        return False
    arg = _INF_AT.get(op.prim, 0)
    if arg is None or len(op.args) <= arg:
        return False
    a = op.args[arg]
    return type(a) is Var and a in arrays


# which operand of a `_MAKES` op can hold the zero that makes an infinity (None: only overflows)
_INF_AT = {"truediv": 1, "floordiv": 1, "numpy.divide": 1, "numpy.true_divide": 1,
           "numpy.floor_divide": 1, "numpy.exp": None, "numpy.exp2": None, "numpy.expm1": None,
           "numpy.ldexp": None}  # fmt: skip


def _sweep(fn: Function, block: Block, out: set[Var]) -> None:
    for op in walk_ops(block):
        if op.prim in _ENDS or all(r in out for r in op.results):
            continue
        if _source(fn, op) or any(marked(a, out) for a in _operands(op)):
            out.update(op.results)
            for blk in op.blocks:  # loop carries and the index: as the results
                out.update(blk.params)


# an infinite bound that never reaches the result (``np.clip(p, 1e-12, np.inf)``, ``min(r, inf)``):
# the sign of the harmless infinity, for every operand or by position / keyword (clip)
_NEUTRAL = {"numpy.minimum": 1.0, "numpy.fmin": 1.0, "builtins.min": 1.0, "numpy.maximum": -1.0,
            "numpy.fmax": -1.0, "builtins.max": -1.0}  # fmt: skip
_CLIP = frozenset(("numpy.clip", "method.clip"))
_CLIP_SIGN = {1: -1.0, 2: 1.0, "a_min": -1.0, "min": -1.0, "a_max": 1.0, "max": 1.0}


def _operands(op: Op) -> Iterable[Any]:
    clip = op.prim in _CLIP
    sign = _NEUTRAL.get(op.prim)
    for k, a in [*enumerate(op.args), *op.kwargs.items()]:
        if not _neutral(a, _CLIP_SIGN.get(k) if clip else sign):
            yield a
    for blk in op.blocks:
        yield from blk.yields


def _neutral(a: Any, sign: float | None) -> bool:
    if sign is None or not isinstance(a, Const):
        return False
    v = a.value
    return (type(v) is float or isinstance(v, np.floating)) and v == sign * math.inf


def _source(fn: Function, op: Op) -> bool:
    if op.prim not in ("global", "free") or op.params.get("generated"):
        return False
    kind, obj = fn.namespace.lookup(op.params["name"])
    return kind != "missing" and holds_inf(obj)


# elementwise ops whose local derivatives stay finite at infinite operands (a finite tangent
# of an infinite value is harmless: the ops reading it give 0 or a guarded infinite result)
_BOUNDED = frozenset(("add", "sub", "neg", "pos", "abs", "numpy.add", "numpy.subtract",
                      "numpy.negative", "numpy.positive", "numpy.abs", "numpy.absolute",
                      "numpy.fabs", "numpy.maximum", "numpy.minimum", "numpy.fmax", "numpy.fmin",
                      "numpy.clip"))  # fmt: skip


def fixed_at_inf(op: Op, out: frozenset[Var] | set[Var], seq_ops: Container) -> bool:
    """Is `op` an elementwise op whose result may hold a written infinity (`out`: `may_inf`'s)
    and whose local derivative may be infinite there? Where the result is infinite it is so for
    every nearby input (``np.inf / g``, ``np.exp(np.inf * w)``): its derivative is 0, and both
    modes make it so (the JVP: ``_srcad.inf_fixed(t, r)``; the VJP: `ad/infmasks.py`), not the
    term's ``inf`` (then ``0 * inf`` in ``np.exp(-np.inf / g)``)."""
    rs = op.results
    if len(rs) != 1 or rs[0] not in out or op.prim in _BOUNDED or op in seq_ops or op.kwargs:
        return False
    rec = default_registry().get(op.prim)  # (an op of constants, `_computed`: no derivative)
    return rec is not None and rec.elementwise and any(marked(a, out) for a in op.args)


def fixed_product(op: Op, out: frozenset[Var] | set[Var]) -> bool:
    """Is `op` a matrix product ``a @ b`` (``np.matmul``, ``np.dot``; ``np.inner``,
    ``np.tensordot``: `fixed_call`) whose result may hold a written infinity? Its JVP is then
    ``_srcad.matmul_fixed(t, r, a, b)``
    (rules/infzero.py): 0 where an infinite row or column made an entry infinite, as
    `fixed_at_inf` makes an elementwise op's."""
    rs = op.results
    if len(rs) != 1 or rs[0] not in out or set(op.kwargs) - _AXES.get(op.prim, set()):
        return False
    if op.prim in _PRODUCTS:
        two = len(op.args) == 2
    else:
        two = op.prim in _AXES and 2 <= len(op.args) <= 4 - len(_AXES[op.prim])
    return two and any(marked(a, out) for a in op.args[:2])


def fixed_call(op: Op) -> tuple[str, list]:
    """The helper `fixed_product`'s `op` takes its tangent through and its operands after the
    tangent and the result: ``matmul_fixed(t, r, a, b)``, ``contract_fixed(t, r, a, b, axes)``
    (``np.tensordot``'s `axes`, 2 when not given; None for ``np.inner``: the last axes)."""
    if op.prim in _PRODUCTS:
        return "matmul_fixed", list(op.args)
    if op.prim == "numpy.inner":
        return "contract_fixed", [*op.args, Const(None)]
    axes = op.args[2] if len(op.args) > 2 else op.kwargs.get("axes", Const(2))
    return "contract_fixed", [*op.args[:2], axes]


_PRODUCTS = frozenset(("matmul", "numpy.matmul", "numpy.dot", "method.dot"))
_AXES = {"numpy.inner": set(), "numpy.tensordot": {"axes"}}  # (its keywords)


def marked(a: Any, out: frozenset[Var] | set[Var]) -> bool:
    """Operand `a` may hold a written infinity."""
    if isinstance(a, Var):
        return a in out
    if isinstance(a, Const):
        return holds_inf(a.value)
    if isinstance(a, (tuple, list)):
        return any(marked(e, out) for e in a)
    return False


def term(template: str, names: dict[str, Operand], out: frozenset[Var]) -> str:
    """The JVP `template` ``_srcad.inf0(term, d, v)`` where `v` (bound in `names`) may hold a
    written infinity, else the bare ``term``."""
    bare, v = _parts(template)
    return template if marked(names.get(v), out) else bare


@functools.cache
def _parts(template: str) -> tuple[str, str]:
    call = gast.parse(template.strip(), mode="eval").body
    return ast.unparse(gast.gast_to_ast(call.args[0])), call.args[2].id

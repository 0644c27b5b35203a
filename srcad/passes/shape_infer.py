"""Shapes of a generated function's values, from what the specialization knows of its parameters.

Input: a `Function`, the ranks of its float64-array parameters, and whether its parameters are
otherwise unknown arrays or numbers (the default `Spec()`). Output: `Shapes`, read by
`passes/shapes.py`'s rewrites. Nothing is guessed: every fact holds whatever the sizes at run time.

A shape is either a tuple of dimensions (known rank), each an int (a literal 1 from ``x[None]`` or
a keepdims reduction) or a symbol: ``("p", k, i)`` for dimension i of parameter k, a frozenset of
those for the broadcast of dimensions not provably equal (whichever is not 1 at run time: the
same set means the same size); or, rank unknown, a `Bcast`: the broadcast of the shapes of the
parameters it names (broadcasting is associative, commutative and idempotent, so two values
with the same set have the same shape), or of values with a shape of their own (``("v", r)``:
a NumPy function's or elementwise ufunc's array `r` whose operands' shapes are unknown, such as
``np.tanh(X @ w)`` of a global `X`; what elementwise operations make of it shares it).
Besides its shape, a value may be known `arrayish`: a NumPy scalar or an array, never a Python
number, list or tuple (NumPy's functions and the arithmetic on one such operand return one).
Tuples and lists built in the function (a loop's tape of `shape_like` stand-ins) keep the facts
of their elements, so a reverse loop's reads of its tape have shapes too. A ``for`` loop's
counter is a Python int (``range``'s), so ``x[k]`` of an array of known rank drops its first
axis (an element of a 1-D array is a number).

Joins: an ``if``'s result has the facts both branches agree on, and a result one branch yields
as None (the forward sweep's values of the other branch) has the other branch's facts inside the
branches of a later ``if`` on the same condition value (the reverse sweep's); a loop carry has
the facts its initial value and every iteration agree on (a fixpoint).
"""

from __future__ import annotations

import functools

from srcad.passes.shape_chains import Chains, last_round_lists
from srcad.passes.shape_dims import shape_tuple
from srcad.passes.shape_facts import (
    EMPTY,
    FLOAT,
    NUMBER,
    TOP,
    Info,
    Known,
    differ,
    join,
    lists_escape,
)
from srcad.passes.shape_ops import HANDLERS
from srcad.passes.shape_rules import (
    ARITH,
    BINARY,
    LIKE_ARRAY,
    NUMPY_ARRAYS,
    REDUCE,
    RT,
    UNARY,
    Bcast,
    Shape,
    broadcast,
    infer_shape,
    ufunc_nin,
)
from srcad.rules.checks import UNBOUND  # (a name without a value: read nowhere, as None)
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

_UNBROADCAST = RT + "unbroadcast"
_SLICES_VJP = RT + "slices_vjp"
_MATMUL_VJP = RT + "matmul_vjp"
_CHECKED = RT + "matmul_vjp_checked"
_POW_DX = RT + "pow_dx"
_OF_LIKE = frozenset({RT + "sum_vjp", RT + "mean_vjp", RT + "expand_reduced"})
_ARRAYISH = Info(None, True)  # an array or NumPy scalar of unknown shape


# `_srcad.add` of arrays and numbers is `+` (None, containers and records have no shape here)
class Shapes:
    """The facts of a function's values; `active`: those valid inside the branches of an ``if``
    being walked (from `guarded`)."""

    def __init__(self, untracked: frozenset = frozenset()) -> None:
        self.untracked = untracked  # lists (by the op making them) whose elements are not tracked
        self.read: set[Op] = set()  # lists whose elements' facts a read gave
        self.info: dict[Var, Info] = {}
        # (condition, branch) -> the facts of results valid inside that branch of an ``if`` on it
        self.guarded: dict[tuple[Operand, int], dict[Var, Info]] = {}
        self.active: dict[Var, Info] = {}
        self.chains: dict[Op, Chains] = {}  # per loop, its carries only appended to
        self.ints: set[Var] = set()  # the counters of ``for`` loops (``range``'s Python ints)
        self.consts: dict[tuple[str, str], int] = {}  # ranks of global/closure arrays (`infer`)
        self.own: dict[Op, Info] = {}  # the facts `_own_shape` gave an op
        # some parameter or global has a known rank: the facts only such functions' rewrites
        # use are inferred (arithmetic on arrays of unknown shapes, a tape's last round)
        self.ranked = False

    def of(self, a: Operand) -> Info:
        if type(a) is Const:
            t = type(a.value)
            return FLOAT if t is float else NUMBER if t is int else TOP
        return self.info.get(a) or self.active.get(a) or TOP

    def shape(self, a: Operand) -> Shape | None:
        return self.of(a).shape

    def arrayish(self, a: Operand) -> bool:
        return self.of(a).arr


def infer(fn: Function, known: Known) -> Shapes:
    """The facts of `fn`'s values from what is `known` of its parameters: parameter k a float64
    array of rank ``ndims[k]``; with `opaque`, every other parameter an array or a number of
    unknown rank (`Bcast`); the parameters at `scalars` Python numbers (at `floats` Python
    floats); a ``global``/``free`` read of name n a float64 array of rank
    ``consts[("global" | "free", n)]`` (`backend/globalranks.py`: dimension i is
    ``("c", n, i)``). The elements of a list built here (a loop's tape) keep their facts only
    when nothing but appends, reads and ``len`` touches it (no helper or method that might
    change it in place); otherwise the facts are inferred again without."""
    ndims, scalars, floats = known.ndims, known.scalars, known.floats
    untracked: frozenset = frozenset()
    while True:
        sh = Shapes(untracked)
        sh.consts = known.consts or {}
        sh.ranked = bool(ndims or known.consts)
        for k, p in enumerate(fn.params):
            if k in ndims:
                sh.info[p] = Info(tuple(("p", k, i) for i in range(ndims[k])), True)
            elif k in scalars:
                sh.info[p] = FLOAT if k in floats else NUMBER
            elif known.opaque:
                sh.info[p] = Info(Bcast({("p", k)}))
        _block(fn.body, sh)
        if not sh.read:  # no facts of a list's elements were used: none to drop
            return sh
        escaped = lists_escape(fn, sh) & sh.read
        if not escaped:
            return sh
        untracked |= escaped


# `_stored`: the facts of a single-result op that is not structured are kept in `Shapes.info` even
# when nothing is known (TOP): the readers' inline ``info.get(a) or sh.of(a)`` then finds them
# without the call (a value TOP by `_op` is never one with facts in `Shapes.active`: those are
# the results of an ``if``, kept out of `info` by `_set`).
def _set(sh: Shapes, v: Var, info: Info) -> None:
    if info is TOP or info == TOP:
        sh.info.pop(v, None)
    else:
        sh.info[v] = info


def _block(block: Block, sh: Shapes, changed: set[Var] | None = None) -> None:
    """The facts of `block`'s ops. With `changed`, an evaluation again after one that left the
    facts in `sh` (a loop's next round): only the ops reading a value in `changed` (whose facts
    differ from that evaluation's: `differ`) are evaluated (the others would give the facts
    they have: `_op` is a function of the operands' facts), and the values whose facts differ
    now are added to it."""
    info = sh.info
    if changed is None:  # a first evaluation: every single-result op (TOP kept: `_stored`)
        for op in block.ops:
            if op.blocks:
                _structured(op, sh, None)
                continue
            rs = op.results
            if len(rs) == 1:
                info[rs[0]] = _op(op, sh)
        return
    for op in block.ops:
        if op.blocks:
            _structured(op, sh, changed)
        elif len(op.results) == 1:  # `_set`, inline
            # (a set of Vars: no Const is in it; the test runs in C, a Var hashed by identity)
            if changed.isdisjoint(op.args) and (
                not op.kwargs or changed.isdisjoint(op.kwargs.values())
            ):
                continue  # reads nothing that changed: the facts it has
            i = _op(op, sh)
            r = op.results[0]
            if differ(info.get(r, TOP), i):
                changed.add(r)
            info[r] = i


def _structured(op: Op, sh: Shapes, changed: set[Var] | None) -> None:
    """`_block`'s part for an op with blocks (`changed`: as there)."""
    info = sh.info
    if op.prim == "if" and len(op.blocks) == 2:
        _if(op, sh, changed)
    elif op.prim in ("for", "while"):
        old = None if changed is None else [info.get(r, TOP) for r in op.results]
        _loop(op, sh)
        if old is not None:
            changed.update(r for r, o in zip(op.results, old) if differ(o, sh.of(r)))
    else:
        for r in op.results:
            info.pop(r, None)


def _if(op: Op, sh: Shapes, changed: set[Var] | None = None) -> None:
    yields = []
    cond = op.args[0] if isinstance(op.args[0], Var) else None
    old = None
    if changed is not None:  # the facts of the results (and those valid in a branch) before
        g0, g1 = sh.guarded.get((cond, 0), {}), sh.guarded.get((cond, 1), {})
        old = [(sh.info.get(r, TOP), g0.get(r, TOP), g1.get(r, TOP)) for r in op.results]
    for j, b in enumerate(op.blocks):  # `guarded`'s facts of branch j active inside it
        added = sh.guarded.get((cond, j), {}) if cond is not None else {}
        sh.active.update(added)
        try:
            _block(b, sh, changed)
            yields.append(list(zip(b.yields, map(sh.of, b.yields))))
        finally:
            for v in added:
                sh.active.pop(v, None)
    _if_results(op, sh, cond, yields)
    if old is not None:
        g0, g1 = sh.guarded.get((cond, 0), {}), sh.guarded.get((cond, 1), {})
        for r, (i, a, b) in zip(op.results, old):
            if (
                differ(i, sh.info.get(r, TOP))
                or differ(a, g0.get(r, TOP))
                or differ(b, g1.get(r, TOP))
            ):
                changed.add(r)


def _if_results(op: Op, sh: Shapes, cond: Var | None, yields: list) -> None:
    """The facts of the ``if`` `op`'s results from its branches' `yields` (value, facts)."""
    # (the two branches' guarded facts, looked up once: a dict made below for one result holds
    # only the results before it)
    g0, g1 = sh.guarded.get((cond, 0)), sh.guarded.get((cond, 1))
    b0, b1 = yields  # (two branches: `_if`)
    n0, n1, info = len(b0), len(b1), sh.info
    for k, r in enumerate(op.results):
        if g0:
            g0.pop(r, None)
        if g1:
            g1.pop(r, None)
        if k >= n0 or k >= n1:
            info.pop(r, None)
            continue
        (y0, i0), (y1, i1) = b0[k], b1[k]
        none0 = type(y0) is Const and (y0.value is None or y0.value is UNBOUND)
        none1 = type(y1) is Const and (y1.value is None or y1.value is UNBOUND)
        if none0 != none1 and cond is not None:  # the facts of the other branch's value
            j, i = (1, i1) if none0 else (0, i0)
            if i != TOP:
                sh.guarded.setdefault((cond, j), {})[r] = i
            info.pop(r, None)
            continue
        _set(sh, r, join(i0, i1))


def _loop(op: Op, sh: Shapes) -> None:
    """Carries: the fixpoint of joining the initial facts with each iteration's."""
    is_for = op.prim == "for"
    inits = op.args[3:] if is_for else op.args
    body = op.blocks[-1]
    carries = [b.params[1:] if (is_for and b is body) else b.params for b in op.blocks]
    facts = [sh.of(a) for a in inits]
    init: list | None = facts
    for rnd in range(6):
        changed = None
        if rnd:  # the next round: only what the carries' new facts change (`_block`)
            changed = {p for ps in carries for p, f in zip(ps, facts) if differ(sh.of(p), f)}
        for ps in carries:
            for p, f in zip(ps, facts):
                _set(sh, p, f)
        if is_for and body.params:
            sh.info.pop(body.params[0], None)
            sh.ints.add(body.params[0])
        for b in op.blocks:
            _block(b, sh, changed)
        new = [join(f, sh.of(y)) for f, y in zip(facts, body.yields)]
        new += facts[len(new) :]
        if new == facts:
            break
        # (a sixth round would have been the last: no skip)
        if rnd < 5 and _chains_settle(facts, new, op, carries, body, sh):
            facts = new
            break
        facts = new
    else:  # no fixpoint in a few rounds: nothing known of the carries
        facts = [TOP] * len(facts)
        for ps in carries:
            for p in ps:
                sh.info.pop(p, None)
        for b in op.blocks:
            _block(b, sh)
        init = None
    if init is not None and sh.ranked:
        facts = last_round_lists(op, carries, body, (facts, init), sh, _op, _set)
    for r, f in zip(op.results, facts):
        _set(sh, r, f)


def _chains_settle(facts: list, new: list, op: Op, carries: list, body: Block, sh: Shapes) -> bool:
    """The next round given `new` would end the fixpoint, when only carries that the body
    only appends to changed (`passes/shape_chains.py`): the other ops read none of them, so
    their facts stay (the same objects: `_plain` tells `NUMBER` by identity); the chains'
    appends run again and their yields are checked, as that round would."""
    changed = [k for k, (f, g) in enumerate(zip(facts, new)) if f is not g]
    chains = sh.chains.get(op) or sh.chains.setdefault(op, Chains(op, carries))
    if any(chains.of(k) is None for k in changed):
        return False
    for k in changed:
        for ps in carries:
            if k < len(ps):
                _set(sh, ps[k], new[k])
        for o in chains.of(k):
            _set(sh, o.results[0], _op(o, sh))
    return all(join(new[k], sh.of(body.yields[k])) == new[k] for k in changed)


@functools.cache
def _elementwise(prim: str) -> int:
    """2: a binary elementwise operation (the result: the operands' broadcast), 1: a unary one
    (the operand's shape), 0: neither; + 4 when the result is an array or NumPy scalar whatever
    the operands, + 8 when it is one if an operand is."""
    n = ufunc_nin(prim)
    if n in (1, 2):
        return n + 4
    if prim == _POW_DX:
        return 2 + 16
    if prim in ARITH or prim in UNARY:
        return (2 if prim in ARITH else 1) + 8
    return 2 if prim in BINARY else 0


def _op(op: Op, sh: Shapes) -> Info:
    p, args = op.prim, op.args
    kind = _elementwise(p)
    if kind and not op.kwargs and len(args) == 2 - (kind & 1):  # the common case, quickly
        a = args[0]  # `sh.of`, inline for a Var with facts (an Info is never falsy)
        i0 = (type(a) is Var and sh.info.get(a)) or sh.of(a)
        s = i0.shape
        if s is None:  # an array of a shape of its own: a ufunc's, or arithmetic's on arrays
            # (``h @ Wh + b`` of an RNN's carried state)
            if kind & 4 or (
                sh.ranked and kind & 8 and i0.arr and (kind & 1 or sh.arrayish(args[1]))
            ):
                return _own_shape(op, sh)
            return TOP
        if kind & 3 == 2:
            a = args[1]
            i1 = (type(a) is Var and sh.info.get(a)) or sh.of(a)
            s1 = i1.shape
            if s1 is None or s1 != s and broadcast(s, s1) is None:
                own = kind & 4 or (sh.ranked and kind & 8 and i0.arr and i1.arr)
                return _own_shape(op, sh) if own else TOP
            if s1 != s:
                s = broadcast(s, s1)
            arr = i0.arr or i1.arr
            # float arithmetic on Python floats (and ints): a Python float (``**`` may be complex)
            flt = kind & 8 and p != "pow" and (i0.flt or i1.flt) and i0.parts is i1.parts is None
            flt = flt and not (i0.arr or i1.arr) and s == () and _plain(i0) and _plain(i1)
        else:
            arr, flt = i0.arr, kind & 8 and i0.flt
        arr = bool(kind & 4 or (kind & 8 and arr) or (type(s) is tuple and s))
        if kind & 16 and not arr and i0.arr:  # ``pow_dx(x, k)`` of an array or NumPy scalar
            arr = _pow_arrayish(args[1])
        return _make(Info, (s, arr, None, flt))
    h = HANDLERS.get(p)  # (getitem, shape_like, zeros_like: passes/shape_ops.py)
    if h is not None:
        i = h(op, sh)
        if i is not None:
            return i
    if p == _UNBROADCAST and len(args) == 2:
        a = args[0]  # `sh.of`, inline for a Var with facts
        i0 = (type(a) is Var and sh.info.get(a)) or sh.of(a)
        if i0.flt:
            return i0  # a Python float comes back as it is
        if not op.kwargs:  # `infer_shape` and `_arrayish` of it, inline (a third of the ops)
            a = args[1]
            i1 = (type(a) is Var and sh.info.get(a)) or sh.of(a)
            s = i1.shape
            if s is None:  # (an array or NumPy scalar of either: one of the two, `_arrayish`)
                return _ARRAYISH if i0.arr and i1.arr else TOP
            if not (i0.arr or i0.shape == s):
                return TOP  # (`_new_array` is False for it)
            return _make(
                Info, (s, bool(type(s) is tuple and s) or (i1.arr and i0.arr), None, False)
            )
    if p in ("tuple", "list") and not op.kwargs:
        if p == "list":  # the op making it names it
            ok = not args and op not in sh.untracked
            return Info(None, False, ("list", EMPTY, op)) if ok else TOP
        return _make(Info, (None, False, tuple(map(sh.of, args)), False))
    if p == "list_append" and len(args) == 2:
        lp = sh.of(args[0]).parts
        if type(lp) is tuple and lp and lp[0] == "list":
            return Info(None, False, ("list", join(lp[1], sh.of(args[1])), lp[2]))
        return TOP
    if (p == "global" or p == "free") and sh.consts and not op.params.get("generated"):
        name = op.params.get("name")
        n = sh.consts.get((p, name))
        if n is not None:
            return _make(Info, (tuple(("c", name, i) for i in range(n)), True, None, False))
        return TOP
    if p == "attr.shape" and len(args) == 1 and type(sh.shape(args[0])) is tuple:
        # a tuple of ints, each the dimension it is (`passes/shape_dims.py`)
        return shape_tuple(sh.shape(args[0])) if sh.shape(args[0]) else TOP
    s = infer_shape(op, sh)
    if s is None:  # an array of a shape of its own, when it is certainly one
        return (
            _make(Info, (Bcast({("v", op.result)}), True, None, False))
            if _new_array(op, sh)
            else TOP
        )
    return _make(Info, (s, _arrayish(op, s, sh), None, False))


# `Info(...)` without the call of NamedTuple's Python `__new__` (the same tuple): an op's facts are
# made once per evaluation
_make = tuple.__new__


def _own_shape(op: Op, sh: Shapes) -> Info:
    """An elementwise ufunc's result when its operands' shapes are not known (``np.tanh(X @ w)``
    of a global `X`): an array or NumPy scalar of a shape of its own, which the values made from
    it by elementwise operations share (``t ** 2``, ``pow_dx(t, 2)``, ``sum_vjp(g, t)``), so
    ``unbroadcast(.., t)`` of them goes whatever the rank. The same facts object on every
    evaluation of `op` (a loop's rounds compare them: by identity first)."""
    i = sh.own.get(op)
    if i is None:
        i = sh.own[op] = _make(Info, (Bcast({("v", op.results[0])}), True, None, False))
    return i


def _pow_arrayish(k: Operand) -> bool:
    """``pow_dx(x, k)`` of an array or NumPy scalar `x` is one: `k` a constant 0 or >= 1 (a
    NumPy float64 0 and a `k` below 1 give a Python float, `rules/elementwise.pow_dx`)."""
    v = k.value if type(k) is Const else None
    return (type(v) is int or type(v) is float) and (v == 0 or v >= 1)


def _plain(i: Info) -> bool:
    """A Python float, or a Python int constant."""
    return i.flt or i is NUMBER


def _new_array(op: Op, sh: Shapes) -> bool:
    """The result of `op` is an array or NumPy scalar (its shape unknown): a NumPy function that
    returns one, or an index into an array (a parameter of unknown rank that can be indexed is
    no Python number)."""
    if len(op.results) != 1:
        return False
    if op.prim == "getitem" and len(op.args) == 2:
        s = sh.shape(op.args[0])
        return isinstance(s, Bcast) or bool(type(s) is tuple and s) or sh.arrayish(op.args[0])
    if op.prim in REDUCE:
        return True
    if op.prim == _SLICES_VJP:  # the cotangent of sliced `x` (an array: it was sliced), its shape
        return len(op.args) == 4 and sh.arrayish(op.args[1])
    if op.prim == _MATMUL_VJP:  # (a product of arrays, or one summed to an array's shape)
        return len(op.args) == 4 and all(map(sh.arrayish, op.args[:3]))
    if op.prim == _CHECKED:  # (its plain product, or the helper's value of the same shape)
        return len(op.args) == 5 and all(map(sh.arrayish, op.args[:4]))
    if op.prim == "matmul":  # of an array and an array or number (the default Spec's), or of
        # two arrays or NumPy scalars (``h @ Wh`` of an RNN's carried state)
        if all(map(sh.arrayish, op.args)):
            return True
        return all(sh.shape(a) is not None for a in op.args) and any(map(sh.arrayish, op.args))
    return op.prim.startswith("numpy.") and op.prim[6:] in NUMPY_ARRAYS


def _arrayish(op: Op, s: Shape, sh: Shapes) -> bool:
    """The result of `op` (of shape `s`) is a NumPy scalar or an array."""
    p, args = op.prim, op.args
    if type(s) is tuple and s:
        return True
    if ufunc_nin(p) or p in REDUCE or p in LIKE_ARRAY or p == "setitem":
        return True
    if p in ARITH or p in UNARY:
        return any(sh.arrayish(a) for a in args)
    if p == _SLICES_VJP:  # (the cotangent of a sliced array: an array)
        return len(args) == 4 and sh.arrayish(args[1])
    if p in _OF_LIKE:  # (the cotangent of a reduction of an array or NumPy scalar)
        return len(args) > 1 and sh.arrayish(args[1])
    if p == RT + "unbroadcast" or p == RT + "shape_like":
        return sh.arrayish(args[-1]) and (p == RT + "shape_like" or sh.arrayish(args[0]))
    return False

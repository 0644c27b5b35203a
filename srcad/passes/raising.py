"""Unused ops the program wrote that may raise: kept by DCE, as Python runs them.

Input: a lowered `Function` before it is optimised (`passes/prepare.py` runs `record` next to
the other records). Output: the same function with ``may_raise`` set on each op whose result
nothing reads (DCE would drop it) whose primitive may raise (the `raises` fact of its record:
``1 / 0``, ``math.sqrt(-1.0)``, ``[1.0, 2.0][5]``, ``{}["b"]``, ``int("a")``) unless its
operands show it cannot (`_safe`). DCE keeps a marked op (`dce.is_pure`), so the generated code
raises where the primal raises instead of answering a derivative.

Only the ops dead in the program as written are marked: one the optimiser makes dead later (a
read it folded, a copy CSE merged) raised nowhere Python's would not, and stays removable.

Before::                         After::
    y = mul(2, x)                    y = mul(2, x)
    z = truediv(1, 0)   # unused     z = truediv(1, 0) {may_raise}
    return y                         return y

Not raising, so still removable: NumPy's arithmetic and ufuncs (nan or inf, with a warning;
but a power whose exponent may be a negative integer is kept: NumPy integers raise), a division
by a non-zero constant, ``float``/``int``/``complex`` of constants Python converts (of a run-time
value kept: ``int(nan)``, ``int("a")``), ``min``/``max`` of two or more values, a ``math``
function of constants that answers. An item read is marked only where its key is a constant a
literal the function built lacks (``[1.0][5]``, ``{"a": x}["b"]``, ``list([])[0]``, the key
``del d["a"]`` or ``d.pop("a")`` removed) or a run-time key of a list, tuple or dict display
(`_missing_item`): the lowering leaves unused reads behind where the program reads a view or a
container it updates through a name, which are no dead code of the program. Errors of shapes
and types (``a @ b`` of mismatched shapes, a dead ``x[5]`` of a 3-vector the function made,
``x.reshape(n + 1)``) are not looked for.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from srcad.lower.listedits import WITHOUT_KEY
from srcad.passes.dce import dce, has_effects, unread
from srcad.passes.flowfacts import ELEMENTWISE
from srcad.rules import default_registry
from srcad.ssa.census import ops_of, shared_defs
from srcad.ssa.clone import snapshot
from srcad.ssa.core import Block, Const, Function, Op, Var, uses, walk_ops

if TYPE_CHECKING:
    from srcad.ad.rules import Registry

MAY_RAISE = "may_raise"

_ARITH = frozenset({"truediv", "floordiv", "mod", "pow", "divmod", "lshift", "rshift"})
_DIVS = frozenset({"truediv", "floordiv", "mod", "divmod"})
_COPIES = frozenset({"builtins.list", "builtins.tuple"})
_CONCAT = "srcad.runtime.concat"  # (``t.pop()``'s rebuilt list: ``t[:-1] + []``)
# NumPy functions whose result is a Python value (a tuple, int or flag), not a NumPy one
_PY_RESULT = frozenset({"shape", "ndim", "size", "isscalar", "iscomplexobj", "isrealobj",
                        "allclose", "array_equal", "array_equiv", "result_type", "can_cast"})  # fmt: skip
# ints, whose int() and float() answer: ``int(len(x))``
_INTS = frozenset({"len", "int", "attr.size", "attr.ndim", "numpy.size", "numpy.ndim"})
_NP_METHODS = frozenset({"sum", "mean", "prod", "max", "min", "std", "var", "dot", "reshape",
                         "ravel", "flatten", "transpose", "copy", "squeeze", "cumsum", "cumprod",
                         "clip", "astype", "conj", "round", "swapaxes"})  # fmt: skip


def record(fn: Function, memo: dict | None = None) -> None:
    """Mark the unused ops that may raise (module docstring)."""
    reg = default_registry()
    ops = ops_of(fn.body)
    if not any(reg.get(p).raises for p in {op.prim for op in ops}):  # (each primitive once)
        return
    if not _may_die(fn.body, uses(fn.body), reg):  # (most functions: no copy, no DCE run)
        return
    copy = snapshot(fn)
    copied = list(walk_ops(copy.body))
    dropped: list[Op] = []
    if len(copied) == len(ops):
        dce(copy, dropped=dropped)
        gone = {id(op) for op in dropped}
        for op in dropped:  # (a structured op dropped whole: every op inside it too)
            for b in op.blocks:
                gone.update(id(o) for o in walk_ops(b))
        dead = [op for op, c in zip(ops, copied) if id(c) in gone]
    else:  # (cannot be matched op for op: every op may be dead)
        dead = ops
    dead = [op for op in dead if reg.get(op.prim).raises]
    if not dead:
        return
    defs = shared_defs(ops, memo)
    npv = _numpy_values(ops)
    for op in dead:
        if not _safe(op, defs, npv):
            op.params[MAY_RAISE] = True


def _may_die(block: Block, counts: dict[Var, int], reg: Registry) -> bool:
    """Whether DCE could drop an op of `block` whose primitive may raise: a sweep like DCE's
    that drops nothing, counting as unread the yields (and initial values) of every unread `if`
    or loop result (DCE trims a loop's carry only when its block params feed nothing else: more
    ops look dead here than DCE drops, never fewer, so False is exact). `counts` is updated."""
    for op in reversed(block.ops):
        rs = op.results
        if op.blocks:
            head = 3 if op.prim == "for" else 0
            for k, r in enumerate(rs):
                if counts.get(r, 0) <= 0:  # (below 0: read twice less, see `unread`)
                    if op.prim in ("for", "while") and head + k < len(op.args):
                        init = op.args[head + k]  # (a trimmed carry's initial value)
                        if type(init) is Var and init in counts:
                            counts[init] -= 1
                    for b in op.blocks:
                        y = b.yields[k] if k < len(b.yields) else None
                        if type(y) is Var and y in counts:
                            counts[y] -= 1
            for b in op.blocks:
                if _may_die(b, counts, reg):
                    return True
        if any(counts.get(r, 0) > 0 for r in rs) or has_effects(op):
            continue
        if reg.get(op.prim).raises or any(
            reg.get(o.prim).raises for b in op.blocks for o in walk_ops(b)
        ):
            return True
        unread(op, counts)  # (inner reads twice, maybe: more looks dead, never less)
    return False


def _numpy_values(ops: list[Op]) -> set[Var]:
    """The Vars certainly holding a NumPy array or scalar (in program order: a loop's carries
    are not followed)."""
    out: set[Var] = set()
    for op in ops:
        p = op.prim
        if len(op.results) != 1 or op.blocks:
            continue
        if p.startswith("numpy."):
            yes = not p.startswith("numpy.random.") and p.rsplit(".", 1)[-1] not in _PY_RESULT
        elif p.startswith("method.") or p.startswith("attr."):
            yes = p[7:] in _NP_METHODS or p == "attr.T"  # (of NumPy values only: ``x.sum()``)
        elif p in ELEMENTWISE or p == "getitem" or p == "matmul":
            yes = any(type(a) is Var and a in out for a in op.args)
        else:
            yes = False
        if yes:
            out.add(op.results[0])
    return out


def _safe(op: Op, defs: dict, npv: set[Var]) -> bool:
    """`op` cannot raise for its operands (module docstring)."""
    p, args = op.prim, op.args
    if p in _ARITH:
        if any(type(a) is Var and a in npv for a in args):
            # (NumPy: inf or nan, a warning; but integers to a negative integer power raise)
            return p != "pow" or len(args) == 2 and _not_negative_int(args[1])
        return (
            p in _DIVS
            and len(args) == 2
            and type(args[1]) is Const
            and type(args[1].value) in (int, float)
            and args[1].value != 0
        )
    if p == "getitem" and len(args) == 2:
        return not _missing_item(args[0], args[1], defs)
    if p == "setitem" and len(args) == 3:
        return _same_size_write(args, defs, npv)
    if p in ("min", "max"):
        return len(args) >= 2 or "default" in op.kwargs
    if p == "round":
        return len(args) + len(op.kwargs) >= 2
    if p in ("int", "float", "complex"):  # (``int("a")``, ``int(nan)``, ``float(x)`` of a
        # vector: of a run-time value, kept, unless an int (``int(len(x))``); of constants, as
        # Python answers)
        if args and not op.kwargs and all(type(a) is Var and a in defs and defs[a].prim in _INTS
                                          for a in args):  # fmt: skip
            return True
        return _answers(p, args, op.kwargs)
    if p.startswith("math.") and args and not op.kwargs:
        if not all(type(a) is Const and type(a.value) in (int, float) for a in args):
            return False
        f = getattr(math, p[5:], None)
        try:
            f(*(a.value for a in args))  # type: ignore[misc]
        except Exception:
            return False
        return True
    return False


def _missing_item(c: object, k: object, defs: dict) -> bool:
    """``c[k]`` reads a constant key a literal the function built lacks (``[1.0, 2.0][5]``,
    ``{}["b"]``). The unused reads of other containers stay removable: the lowering leaves
    one behind where a view or a container updated through a name is read (``r = A[0];
    r += x``), which Python's run read alike (an argument's are kept: passes/missing_keys.py)."""
    if type(c) is Var and c in defs and defs[c].prim in _FILLS:
        return _out_of_shape(defs[c], k)
    if type(c) is Var and c in defs and defs[c].prim in _COPIES and len(defs[c].args) == 1:
        c = defs[c].args[0]  # (``list(xs)``: `xs`'s length)
    if type(k) is not Const or not isinstance(k.value, (int, str, float, tuple)):
        # (a run-time index or key of a list, tuple or dict the function built, or of a
        # constant one, ``(1.0, 2.0)[k]``: kept)
        if type(c) is Const:
            return isinstance(c.value, (tuple, list, str, dict))
        return type(c) is Var and c in defs and defs[c].prim in ("tuple", "list", "dict")
    key = k.value
    if type(c) is Const:
        v = c.value
    elif type(c) is Var and c in defs and not defs[c].kwargs:
        d = defs[c]
        if d.prim in ("tuple", "list"):
            v = d.args  # (only the length matters)
        elif d.prim in ("getitem", "setitem", "add", "mul", _CONCAT):  # (``t.pop()``: ``t[:-1]``)
            n = _static_len(c, defs, 64, {})
            if n is None:  # (``[v] * n`` of a run-time `n`: kept, Python reads it alike)
                return type(key) is int and _repeat(d, defs)
            v = range(n)
        elif d.prim == "builtins.dict" and WITHOUT_KEY in d.params:  # (``del d[k]``'s)
            return any(key == k for k in d.params[WITHOUT_KEY])
        elif d.prim == "dict" and all(type(a) is Const for a in d.args[::2]):
            try:  # (a display's keys: constants)
                v = {a.value: None for a in d.args[::2]}
            except TypeError:
                return False
        else:
            return False
    else:
        return False
    if isinstance(v, (tuple, list, str, range)):
        return type(key) is int and not -len(v) <= key < len(v)
    if isinstance(v, dict):
        return key not in v
    return False


def _static_len(c: object, defs: dict, depth: int, memo: dict) -> int | None:
    """The length of the list or tuple `c` where the function built it from displays by
    constant slices, slice assignments, concatenation and repeats by a constant (``[v] * 2``)
    (``t.pop()`` lowers to ``t[:-1]``, ``del t[0]`` and ``t.pop(0)`` to ``t[:0 % len(t)] +
    t[0 % len(t) + 1:]``, ``t[1:] = []`` to a ``setitem``); None where it is not known.
    `memo`: the lengths found, per Var (each ``pop(0)`` reads its list twice: without it, the
    walk doubles per pop)."""
    if depth <= 0 or type(c) is not Var or c not in defs or defs[c].kwargs:
        return None
    if c in memo:
        return memo[c]
    memo[c] = n = _len_of(defs[c], defs, depth, memo)
    return n


def _len_of(d: Op, defs: dict, depth: int, memo: dict) -> int | None:
    if d.prim in ("tuple", "list"):
        return len(d.args)
    if d.prim in _COPIES and len(d.args) == 1:
        return _static_len(d.args[0], defs, depth - 1, memo)
    if d.prim in ("add", _CONCAT) and len(d.args) == 2:
        a, b = (_static_len(e, defs, depth - 1, memo) for e in d.args)
        if a is None or b is None:
            return _removed(d, defs, depth, memo)
        return a + b
    if d.prim == "mul" and len(d.args) == 2:  # ``[v] * 2``, ``t *= 2``: a repeat
        k = [int(e.value) for e in d.args if type(e) is Const and _count(e.value)]
        n = [_static_len(e, defs, depth - 1, memo) for e in d.args if type(e) is Var]
        return max(k[0], 0) * n[0] if len(k) == 1 and len(n) == 1 and n[0] is not None else None
    if d.prim in ("getitem", "setitem") and len(d.args) == 2 + (d.prim == "setitem"):
        sl = _static_slice(d.args[1], defs, depth - 1, memo)
        n = _static_len(d.args[0], defs, depth - 1, memo)
        if sl is None or n is None or sl.step == 0:
            return None
        k = len(range(*sl.indices(n)))
        if d.prim == "getitem":
            return k
        m = _static_len(d.args[2], defs, depth - 1, memo)
        if m is None or sl.step not in (None, 1) and m != k:  # (an extended slice: same size)
            return None
        return n - k + m
    return None


def _count(v: object) -> bool:
    """`v` repeats a list: an int, a bool (``[a, b] * True``) or a NumPy integer."""
    return type(v) in (int, bool) or isinstance(v, np.integer)


def _repeat(d: Op, defs: dict) -> bool:
    """`d` is ``t * n`` (``n * t``) of a list or tuple `t` of a known length and a run-time `n`
    (``[x[0]] * len(x)``): its length is known only when it runs."""
    if d.prim != "mul" or len(d.args) != 2:
        return False
    n = [_static_len(e, defs, 64, {}) is not None for e in d.args]
    return sum(n) == 1 and all(type(e) is Var for e, known in zip(d.args, n) if not known)


def _removed(d: Op, defs: dict, depth: int, memo: dict) -> int | None:
    """The length of ``t[:m] + t[m + 1:]`` (``t.remove(v)``, ``t.pop(i)`` of a run-time `i`: `m`
    is ``i % len(t)``, some index of `t`) among parts of known lengths: ``len(t) - 1``."""
    parts, known, todo = [], 0, [d]
    while todo:
        o = todo.pop()
        for e in reversed(o.args):
            n = _static_len(e, defs, depth - 1, memo)
            if n is not None:
                known += n
            elif (
                type(e) is Var and e in defs and defs[e].prim in ("add", _CONCAT) and len(parts) < 3
            ):
                todo.append(defs[e])
            else:
                parts.append(e)
    if len(parts) != 2 or not all(type(e) is Var and e in defs for e in parts):
        return None
    lo, hi = (defs[e] for e in reversed(parts))
    if lo.prim != "getitem" or hi.prim != "getitem" or len(lo.args) != 2 or len(hi.args) != 2:
        return None
    t = lo.args[0]
    s1, s2 = (defs.get(o.args[1]) if type(o.args[1]) is Var else None for o in (lo, hi))
    if hi.args[0] is not t or s1 is None or s2 is None or s1.prim != "slice" or s2.prim != "slice":
        return None
    m, m1 = s1.args[1] if len(s1.args) == 3 else None, s2.args[0] if s2.args else None
    dm, dm1 = defs.get(m) if type(m) is Var else None, defs.get(m1) if type(m1) is Var else None
    ok = (
        _none(s1.args[0]) and _none(s1.args[2]) and _none(s2.args[1]) and _none(s2.args[2])
        and dm is not None and dm.prim == "mod" and len(dm.args) == 2
        and type(dm.args[1]) is Var and defs.get(dm.args[1]) is not None
        and defs[dm.args[1]].prim == "len" and defs[dm.args[1]].args[:1] == [t]
        and dm1 is not None and dm1.prim == "add" and dm1.args[0] is m
        and type(dm1.args[1]) is Const and dm1.args[1].value == 1
    )  # fmt: skip
    n = _static_len(t, defs, depth - 1, memo) if ok else None
    return None if n is None or n < 1 else known + n - 1


def _same_size_write(args: list, defs: dict, npv: set[Var]) -> bool:
    """``t[k] = v`` cannot raise for its sizes: `k` no extended slice (a step other than 1,
    whose write must fill it exactly: ``t[::2] = [1.0]`` raises ValueError), or one of a
    NumPy array written a number (broadcast), or of a list and a value of the same known
    length. Other errors (an index out of range, a shape NumPy cannot broadcast to a basic
    slice) are not looked for."""
    t, k, v = args
    memo: dict = {}
    if type(k) is Const:
        sl = k.value if type(k.value) is slice else None
        step = sl.step if sl is not None else None
    elif type(k) is Var and k in defs and defs[k].prim == "slice":
        sl = _static_slice(k, defs, 64, memo)
        step = sl.step if sl is not None else defs[k].args[2] if len(defs[k].args) == 3 else None
    else:
        return True
    if step is None or step == 1 or type(step) is Const and step.value in (None, 1):
        return True
    if type(t) is Var and t in npv and type(v) is Const and type(v.value) in (int, float):
        return True
    n, m = _static_len(t, defs, 64, memo), _static_len(v, defs, 64, memo)
    if sl is None or n is None or m is None:
        return False
    return len(range(*sl.indices(n))) == m


def _none(e: object) -> bool:
    return type(e) is Const and e.value is None


def _static_slice(s: object, defs: dict, depth: int, memo: dict) -> slice | None:
    """The slice `s` is where its bounds are `_static_int`s or None; else None."""
    if type(s) is Const:
        return s.value if type(s.value) is slice else None
    if type(s) is not Var or s not in defs or defs[s].prim != "slice" or defs[s].kwargs:
        return None
    bounds = []
    for e in defs[s].args:
        if type(e) is Const and e.value is None:
            bounds.append(None)
            continue
        p = _static_int(e, defs, depth, memo)
        if p is None:
            return None
        bounds.append(p)
    return slice(*bounds)


def _static_int(e: object, defs: dict, depth: int, memo: dict) -> int | None:
    """The int `e` is where constants, ``len`` of a list of known length and ``+ - %`` of
    them give it; None otherwise."""
    if type(e) is Const:
        return e.value if type(e.value) is int else None
    if depth <= 0 or type(e) is not Var or e not in defs or defs[e].kwargs:
        return None
    d = defs[e]
    if d.prim == "len" and len(d.args) == 1:
        return _static_len(d.args[0], defs, depth - 1, memo)
    if d.prim in ("add", "sub", "mod") and len(d.args) == 2:
        a, b = (_static_int(x, defs, depth - 1, memo) for x in d.args)
        if a is None or b is None or d.prim == "mod" and b == 0:
            return None
        return a + b if d.prim == "add" else a - b if d.prim == "sub" else a % b
    return None


_FILLS = frozenset({"numpy.zeros", "numpy.ones", "numpy.empty", "numpy.full"})


def _out_of_shape(d: Op, k: object) -> bool:
    """``np.zeros(shape)[k]`` of a constant `shape` and constant index `k` is out of its bounds
    (``np.zeros(3)[5]``, ``np.zeros((3, 4))[None, 3]``: IndexError). NumPy itself answers, on a
    zero-strided view of the shape (nothing allocated), so ``None``, ``...`` and slices pair
    with the axes as they do in the program."""
    shape = d.args[0].value if d.args and type(d.args[0]) is Const else None
    if type(shape) is int:
        shape = (shape,)
    if type(shape) not in (tuple, list) or not all(type(n) is int and n >= 0 for n in shape):
        return False
    if type(k) is not Const or not isinstance(k.value, (int, tuple, slice, type(None))):
        return False
    try:
        np.broadcast_to(np.float64(0.0), tuple(shape))[k.value]
    except IndexError:
        return True
    except Exception:  # (another error, or none Python would raise: left removable)
        return False
    return False


def _not_negative_int(e: object) -> bool:
    """`e` is no negative integer (``2 ** -1`` of NumPy integers raises): a constant float or
    integer at least 0."""
    return type(e) is Const and (type(e.value) is float or type(e.value) is int and e.value >= 0)


def _answers(p: str, args: list, kwargs: dict) -> bool:
    """``int``/``float``/``complex`` of constants that Python converts."""
    if kwargs or not all(type(a) is Const for a in args):
        return False
    try:
        {"int": int, "float": float, "complex": complex}[p](*(a.value for a in args))
    except Exception:
        return False
    return True


__all__ = ["MAY_RAISE", "record"]

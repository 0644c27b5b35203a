"""Derivative rules of the structural primitives: building tuples, lists and dicts, reading and
writing items, appending.

Input: the transform (its state: tangents, cotangent accumulators, varied values), the op and a
`Builder` in the block being written. Output: the tangent of the op's result (JVP) or the
cotangents added to the operands' accumulators (VJP).

These primitives carry containers and object updates, so their rules are Python functions over
the transform rather than expression templates; they sit in the primitives' records like every
other rule (`register` puts them there) and the transforms call them through the record.
Example (``x.1 = setitem(x, i, v)``)::

    jvp: dx.1 = setitem(dx, i, dv)
    vjp: bv = _srcad.setitem_vjp_v(g, i, v);  bx = _srcad.setitem_vjp_x(g, i)
"""

from __future__ import annotations

import functools
import inspect
import types
from typing import Any

from srcad.ad import classmsg
from srcad.ad.activity import is_varied
from srcad.ad.adjoints import put
from srcad.ad.common import ForwardSweep, ReverseSweep, adj_hint, diff_error, zero_like
from srcad.ad.rules import Registry, Rule, parse_signature
from srcad.custom import custom_of
from srcad.lower.reads import module_top
from srcad.lower.values import LIBRARY_MODULES, static_value
from srcad.objtrees import open_class
from srcad.passes.fold import same_key
from srcad.passes.scalars import RANK_MAKERS, array_ranks, element_index, float_ranks
from srcad.ssa.builder import Builder
from srcad.ssa.census import ops_of
from srcad.ssa.core import Const, Op, Operand, Var, uses, walk_ops
from srcad.trees import class_constant, record_fields, simple_init

RT = "srcad.runtime."


# -- forward mode: the same structure over tangents ----------------------------------------------
def jvp_seq(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op(op.prim, [tr.d(a, b) for a in op.args])


def jvp_dict(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op("dict", [a if k % 2 == 0 else tr.d(a, b) for k, a in enumerate(op.args)])


def jvp_getitem(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    """``dx[idx]``; of a namedtuple built in the function (``a, b, c = P(p[0], "s", c)``), whose
    tangent holds None for the fields that are no numbers or arrays and that no varied value
    reaches, a zero like the item there (``_srcad.elem``)."""
    x, idx = op.args
    if x in tr.records:
        return b.op(RT + "elem", [tr.tan[x], idx, op.result])
    return b.op("getitem", [tr.tan[x], idx])


def jvp_setitem(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    """``dx[idx] = dv``; a slice assignment into a list of a value without tangent writes one
    zero per item Python writes (``ls[1:2] = "ab"``: a str's zero is one None, a label's)."""
    x, idx, v = op.args
    if v not in tr.tan and not _number_const(v) and _may_splice(tr, op):
        dv: Operand = b.op(RT + "splice_zero", [v])
    else:
        dv = tr.d(v, b)
    if may_truncate(tr, x):  # an int array keeps int(v): no derivative reaches it
        dv = b.op(RT + "keep_if", [dv, b.op(RT + "is_inexact", [x], hint="inexact")])
    return b.op("setitem", [tr.d(x, b), idx, dv])


def _number_const(v: Operand) -> bool:
    return isinstance(v, Const) and isinstance(v.value, (bool, int, float, complex))


def may_truncate(tr: Any, x: Operand) -> bool:
    """Could ``x[i] = v`` cast `v` (an integer or bool array `x`)? Not when `x` is certainly a
    float array (`srcad.passes.scalars.inexact_vars`); for other `x` (lists and dicts included,
    which store `v` as it is) the dtype is checked at run time (`_srcad.is_inexact`)."""
    return isinstance(x, Var) and x not in tr.inexact()


def jvp_append(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op("list_append", [tr.d(op.args[0], b), tr.d(op.args[1], b)])


# -- reverse mode: cotangents of the parts ---------------------------------------------------------
def vjp_seq(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    for k, a in enumerate(op.args):
        if is_varied(a, tr.varied):
            tr.acc(adj, a, b.op(RT + "elem", [g, Const(k), a]), b)


def vjp_dict(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    """``{k1: v1, k2: v2}``: a value whose key a later entry repeats (``k1 == k2`` at run time)
    was overwritten and gets no cotangent; constant keys are compared here, others at run
    time (``_srcad.dict_entry``)."""
    keys = op.args[0::2]
    for j, (k, v) in enumerate(zip(keys, op.args[1::2])):
        if not is_varied(v, tr.varied):
            continue
        later = keys[j + 1 :]
        const = isinstance(k, Const)
        if any(o is k for o in later) or (
            const and any(isinstance(o, Const) and same_key(k.value, o.value) for o in later)
        ):
            continue  # overwritten: no cotangent
        rest = [o for o in later if not (const and isinstance(o, Const))]
        if not rest:
            tr.acc(adj, v, b.op(RT + "elem", [g, k, v]), b)
            continue
        tr.acc(adj, v, b.op(RT + "dict_entry", [g, k, b.op("tuple", rest), v]), b)


def element(tr: ReverseSweep, x: Operand, idx: Operand) -> bool:
    """``x[idx]`` reads (writes) one number of a float array of known rank: `idx` is an int for
    a 1-D one (`srcad.passes.scalars.float_1d_vars`, `int_vars`, computed by the reverse sweep),
    a tuple of as many ints as the array has dimensions otherwise (`float_ranks`)."""
    if not isinstance(x, Var):
        return False
    ints = getattr(tr, "ints", set())
    if x in getattr(tr, "float1d", ()):
        return element_index(idx, 1, ints, {})
    if not isinstance(idx, (Var, Const)) or getattr(tr, "fn", None) is None:
        return False
    ranks, tuples = _nd_facts(tr)
    r = ranks.get(x)
    return r is not None and r > 1 and element_index(idx, r, ints, tuples)


def _nd_facts(tr: Any) -> tuple[dict[Var, int], dict[Var, list]]:
    """The ranks of the transformed function's float arrays and its index tuples, computed on
    first use (the forward sweep's own Vars: ops the reverse sweep adds are not in them)."""
    facts = tr.__dict__.get("_nd_facts")
    if facts is None:
        fn = tr.fn
        ndims = {fn.params[i]: n for i, n in getattr(tr, "param_ndims", {}).items()}
        # the index tuples and the ops making arrays: from the caller's walk of the same body
        # (`VJP._function`), or here
        given = tr.__dict__.pop("_nd_given", None)
        if given is None:
            ops = ops_of(fn.body)
            tuples = {o.result: list(o.args) for o in ops if o.prim == "tuple"}
            given = (tuples, [o for o in ops if o.prim in RANK_MAKERS])
        # only ranks above 1 are read (`element`): none when no array can have one. Those
        # `compute_scalars` found (`float_ranks` of the same function, ranks and scalars) when
        # it has them: the sweeps since added ops (tapes, flags, results), and a Var holds the
        # value it held (SSA), so the facts found then still hold; a Var added since has none
        # (`element` answers no: the general rule, never a wrong one)
        scal = getattr(tr, "scalar_facts", None)
        known = scal.ranks if scal is not None else None
        ranks = (
            (known if known is not None else float_ranks(fn, ndims, getattr(tr, "scalars", set())))
            if max(array_ranks(fn, ndims, given)) > 1 else {}
        )  # fmt: skip
        tuples = given[0]
        facts = tr.__dict__["_nd_facts"] = (ranks, tuples)
    return facts


def _number(tr: Any, v: Var) -> Var:
    """`v`, noted as a read of one number of a float array (`Function.element_reads` of the
    function the transform makes; the in-place passes read it)."""
    tr.__dict__.setdefault("number_reads", set()).add(v)
    return v


def _maybe_none(tr: ReverseSweep, g: Operand) -> bool:
    return g in getattr(tr, "maybe_none", ())


def vjp_getitem(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    x, idx = op.args
    acc = adj.get(x)
    if acc in tr.owned and element(tr, x, idx) and not _maybe_none(tr, g):  # bx[i] += g
        cplx = getattr(tr, "complex", None)
        if cplx and x not in cplx:  # a real array's entry: the real part of a cotangent that
            g = b.op("attr.real", [g])  # may be complex (NumPy's cast would warn and drop it)
        old = _number(tr, b.op("getitem", [acc, idx]))
        new = b.op("setitem", [acc, idx, b.op("add", [old, g])],
                   params={"inplace": True}, hint=adj_hint(x))  # fmt: skip
        tr.owned.add(new)
        put(tr, adj, x, new)
    elif acc in tr.owned:  # loop accumulator: add into it in place
        new = b.op(RT + "add_at", [adj[x], idx, g, x], hint=adj_hint(x))
        tr.owned.add(new)
        put(tr, adj, x, new)
    else:
        c = b.op(RT + "getitem_vjp", [g, x, idx])
        tr.acc(adj, x, c, b)
        if adj.get(x) is c and x not in getattr(tr, "float1d", ()):
            # a new array (zeros, `g` at `idx`) read only through adj: the next ``x[j]``'s
            # cotangent adds into it in place (`add_at`, which CSE never merges), not zeros + add
            tr.owned.add(c)


_SLICES = ("slice", "builtins.slice")  # xs[a:b], slice(a, b)


def _may_splice(tr: ReverseSweep, op: Op) -> bool:
    """``x[a:b] = v`` where `x` may be a list: the list grows or shrinks when `v` has another
    length, and the cotangent helpers (which see the new list's cotangent and the slice, not
    the old length) would give the old list's later elements the wrong entries."""
    x, idx, _ = op.args
    kind = getattr(tr, "seqkinds", {}).get(x)  # ad/seqs.py's kinds: these four are no list
    if isinstance(kind, str) and kind in ("f", "a", "i", "n"):
        return False
    if isinstance(idx, Const):
        return isinstance(idx.value, slice)
    return any(o.prim in _SLICES and idx in o.results for o in walk_ops(tr.fn.body))


def vjp_setitem(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    x, idx, v = op.args
    if _may_splice(tr, op):  # the list may change length: helpers that read its old length
        if is_varied(v, tr.varied):
            c = b.op(RT + "splice_vjp_v", [g, idx, x, v])
            flag = getattr(tr, "setitem_flags", {}).get(op)  # an int array truncates `v`
            tr.acc(adj, v, c if flag is None else b.op(RT + "keep_if", [c, flag]), b)
        if is_varied(x, tr.varied):
            tr.acc(adj, x, b.op(RT + "splice_vjp_x", [g, idx, x, v]), b)
        return
    if g in tr.owned and element(tr, x, idx) and not _maybe_none(tr, g):  # one number
        if is_varied(v, tr.varied):  # read g[idx] before it is zeroed
            gv = _number(tr, b.op("getitem", [g, idx]))
            tr.acc(adj, v, gv if v in tr.scalars else b.op(RT + "unbroadcast", [gv, v]), b)
        if is_varied(x, tr.varied):
            c: Operand = g
            if x not in adj:  # g becomes x's cotangent: zero the slot in place
                c = b.op("setitem", [g, idx, Const(0.0)], params={"inplace": True})
            else:
                c = b.op(RT + "setitem_vjp_x", [g, idx])
            tr.acc(adj, x, c, b)
            if adj.get(x) is c:
                tr.owned.add(c)
        return
    # v's cotangent reads g[idx] first: g may then be zeroed in place when it is owned
    if is_varied(v, tr.varied):
        c = b.op(RT + "setitem_vjp_v", [g, idx, v])
        flag = getattr(tr, "setitem_flags", {}).get(op)  # x's dtype, known in the forward sweep
        tr.acc(adj, v, c if flag is None else b.op(RT + "keep_if", [c, flag]), b)
    if is_varied(x, tr.varied):
        owned = g in tr.owned and x not in adj
        c = b.op(RT + ("setitem_vjp_x_inplace" if owned else "setitem_vjp_x"), [g, idx])
        tr.acc(adj, x, c, b)
        if adj.get(x) is c:  # a fresh copy, or g updated in place: private either way
            tr.owned.add(c)


def vjp_append(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    lst, v = op.args
    if is_varied(v, tr.varied):  # first: the list's part may then drop it in place
        tr.acc(adj, v, b.op(RT + "elem", [g, Const(-1), v]), b)
    if is_varied(lst, tr.varied):
        if g in tr.owned and lst not in adj:
            c = b.op(RT + "drop_last_inplace", [g])
            tr.acc(adj, lst, c, b)
            tr.owned.add(c)
        else:
            tr.acc(adj, lst, b.op("getitem", [g, Const(slice(None, -1))]), b)


# -- records: namedtuples, dataclasses, small user objects (srcad.trees) --------------------------
def _check_field(tr: Any, op: Op) -> None:
    """A read of ``x.name`` whose class is known here must be a record's field (else refused
    here, located); for classes known only at run time `_srcad.field` checks."""
    x, name = op.args[0], op.prim[5:]
    cls = getattr(tr, "types_of", {}).get(x)
    if cls is None:
        return
    if name not in (record_fields(cls) or ()) and not class_constant(cls, name):
        if isinstance(inspect.getattr_static(cls, name, None), functools.cached_property):
            raise diff_error(
                tr.src,
                op,
                f"`.{name}` is a functools.cached_property of {cls.__name__}, read on an object "
                "not made by a call of its class in this function (its cache may hold any value)",
                "build the object in the function, or use @property",
            )
        if open_record(cls):  # fields known at run time only: `_srcad.field` checks
            return
        raise diff_error(
            tr.src,
            op,
            f"no derivative rule for `.{name}` of a {cls.__name__}",
            "srcad differentiates attribute reads of namedtuples, dataclasses and objects whose "
            "__init__ only stores its arguments (self.a = a)",
        )


def _called_method(tr: Any, op: Op) -> bool:
    """``step = obj._step`` (a plain function of `obj`'s class known here) whose value only
    calls read (``step(y)``): those calls take `obj` itself (ad/boundcalls.py), so the bound
    method needs no tangent (the reverse sweep sends it no cotangent either)."""
    x, name = op.args[0], op.prim[5:]
    cls = getattr(tr, "types_of", {}).get(x)
    if cls is None or name[:2] == "__" or name in (record_fields(cls) or ()):
        return False
    if not isinstance(inspect.getattr_static(cls, name, None), types.FunctionType):
        return False
    v, n = op.result, 0
    for o in walk_ops(tr.fn.body):
        if o.prim == "call" and o.args and o.args[0] is v:
            if any(a is v for a in o.args[1:]) or any(a is v for a in o.kwargs.values()):
                return False
            n += 1
    return n == uses(tr.fn.body).get(v, 0)


def jvp_field(tr: ForwardSweep, op: Op, b: Builder) -> Operand | None:
    if _called_method(tr, op):
        return None
    _check_field(tr, op)
    x = op.args[0]
    return b.op(RT + "field", [tr.tan[x], Const(op.prim[5:]), x])


def vjp_field(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    _check_field(tr, op)
    x = op.args[0]
    tr.acc(adj, x, b.op(RT + "field_vjp", [g, x, Const(op.prim[5:])]), b)


_FIELD_RULES: dict[tuple[str, str], Rule] = {}


def field_rule(tr: Any, op: Op, mode: str, rule: Rule | None) -> Rule | None:
    """The `mode` ("jvp" | "vjp") rule of `op`, `rule` its table's: for an attribute read
    ``attr.<name>`` of a record whose class is known here and has that field (a dataclass field
    named ``T``), or that has no rule of its own, the field rule (checked at run time by
    `_srcad.field` when the class is not known here)."""
    p = op.prim
    if not p.startswith("attr."):
        return rule
    cls = getattr(tr, "types_of", {}).get(op.args[0])
    if rule is not None and (cls is None or p[5:] not in (record_fields(cls) or ())):
        if cls is None or not open_record(cls):
            return rule
    if (p, mode) not in _FIELD_RULES:
        fn = jvp_field if mode == "jvp" else vjp_field
        _FIELD_RULES[p, mode] = Rule(p, parse_signature(p, "x"), fn=fn)
    return _FIELD_RULES[p, mode]


def record_call(tr: Any, op: Op) -> tuple[Any, list[tuple[str, Operand | None]]] | None:
    """``C(args)`` building a record (srcad.trees): -> (the class, (field, operand or None for a
    default) in field order), None for other calls. A call that does not bind is left to
    Python (it raises there)."""
    if op.prim != "call" or op.params:
        return None
    ok, cls = static_value(tr.fn, op.args[0], getattr(tr, "known", None))
    if not ok or not isinstance(cls, type):
        return None
    fields = record_fields(cls)
    if fields is None:
        if user_class_type(cls) and custom_of(cls) is None:
            why, hint = classmsg.why(cls)
            raise diff_error(
                tr.src, op, f"cannot differentiate through `{cls.__name__}(...)`: {why}", hint
            )
        return None
    pairs = dict(simple_init(cls) or ()) if not hasattr(cls, "_make") else {}
    try:
        bound = inspect.signature(cls).bind(*op.args[1:], **op.kwargs).arguments
    except (TypeError, ValueError):
        return None
    return cls, [(f, bound.get(pairs.get(f, f))) for f in fields]


def open_record(cls: type) -> bool:
    """Are the fields of `cls`'s instances their own attributes (srcad.objtrees)?"""
    return record_fields(cls) is None and open_class(cls)


def user_class_type(cls: type) -> bool:
    return module_top(cls) not in LIBRARY_MODULES


def jvp_record_call(tr: ForwardSweep, op: Op, b: Builder) -> Operand | None:
    """The tangent of ``C(args)`` building a record: a record of class C holding the fields'
    tangents (None: zero)."""
    rc = record_call(tr, op)
    if rc is None:
        return None
    vals = [tr.d(a, b) if a is not None and is_varied(a, tr.varied) else _zero_field(tr, a, b)
            for _, a in rc[1]]  # fmt: skip
    return b.op(RT + "record_of", [op.args[0], b.op("tuple", vals)])


def _zero_field(tr: ForwardSweep, a: Operand | None, b: Builder) -> Operand:
    """The tangent of a field no varied value reaches: a zero when the field is a number or an
    array, so that an item read of the record's tangent elsewhere (a namedtuple carried by a
    loop, kept in a list, returned by a helper) is one; None (zero) for other values."""
    if isinstance(a, Const) and type(a.value) in (int, float, bool):
        return Const(0.0)
    if isinstance(a, Var) and (a in tr.inexact() or tr.seqkinds.get(a) in ("f", "a", "i")):
        return zero_like(a, b)
    return Const(None)


def vjp_record_call(tr: Any, op: Op) -> bool:
    """Reverse mode of ``C(args)`` building a record: the arguments' cotangents are the
    fields' (`tr.reversers`). False for other calls."""
    rc = record_call(tr, op)
    if rc is None:
        return False

    def reverse(g: Operand, b: Builder, adj: dict) -> None:
        for name, a in rc[1]:
            if a is not None and is_varied(a, tr.varied):
                tr.acc(adj, a, b.op(RT + "field", [g, Const(name), op.result]), b)

    tr.reversers[op.result] = reverse
    return True


RULES = {
    # primitive: (signature, jvp, vjp)
    "tuple": ("*elts", jvp_seq, vjp_seq),
    "list": ("*elts", jvp_seq, vjp_seq),
    "dict": ("*items", jvp_dict, vjp_dict),
    "getitem": ("x, idx", jvp_getitem, vjp_getitem),
    "setitem": ("x, idx, v", jvp_setitem, vjp_setitem),
    "list_append": ("lst, v", jvp_append, vjp_append),
}


def register(reg: Registry) -> None:
    """Put the structural rules into their primitives' records."""
    for name, (sig, jvp, vjp) in RULES.items():
        rec = reg.record(name)
        signature = parse_signature(name, sig)
        rec.jvp = Rule(name, signature, fn=jvp)
        rec.vjp = Rule(name, signature, fn=vjp)

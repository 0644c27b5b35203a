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

from srcad.ad.activity import is_varied
from srcad.ad.common import ForwardSweep, ReverseSweep, adj_hint
from srcad.ad.rules import Registry, Rule, parse_signature
from srcad.passes.fold import same_key
from srcad.ssa.builder import Builder
from srcad.ssa.core import Const, Op, Operand

RT = "srcad.runtime."


# -- forward mode: the same structure over tangents ----------------------------------------------
def jvp_seq(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op(op.prim, [tr.d(a, b) for a in op.args])


def jvp_dict(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op("dict", [a if k % 2 == 0 else tr.d(a, b) for k, a in enumerate(op.args)])


def jvp_getitem(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    return b.op("getitem", [tr.tan[op.args[0]], op.args[1]])


def jvp_setitem(tr: ForwardSweep, op: Op, b: Builder) -> Operand:
    x, idx, v = op.args
    return b.op("setitem", [tr.d(x, b), idx, tr.d(v, b)])


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


def vjp_getitem(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    x, idx = op.args
    if adj.get(x) in tr.owned:  # loop accumulator: add into it in place
        new = b.op(RT + "add_at", [adj[x], idx, g, x], hint=adj_hint(x))
        tr.owned.add(new)
        adj[x] = new
    else:
        tr.acc(adj, x, b.op(RT + "getitem_vjp", [g, x, idx]), b)


def vjp_setitem(tr: ReverseSweep, op: Op, g: Operand, adj: dict, b: Builder) -> None:
    x, idx, v = op.args
    # v's cotangent reads g[idx] first: g may then be zeroed in place when it is owned
    if is_varied(v, tr.varied):
        tr.acc(adj, v, b.op(RT + "setitem_vjp_v", [g, idx, v]), b)
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

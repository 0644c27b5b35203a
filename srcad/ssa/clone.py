"""Deep copy of IR with fresh Vars.

Input: a `Function` (or `Block`). Output: a structurally identical copy sharing no Var, Op or Block with
the original, so a transform may rewrite it freely while the cached primal IR stays intact.
"""

from __future__ import annotations

import dataclasses

from srcad.ssa.core import Block, Function, Op, Operand, Var, walk_ops


def clone_function(fn: Function) -> Function:
    vmap: dict[Var, Var] = {}
    body = clone_block(fn.body, vmap)
    params = [vmap[p] for p in fn.params]
    return dataclasses.replace(fn, params=params, body=body)


def snapshot(fn: Function) -> Function:
    """A clone of `fn` as it is now, its `augmented` / `item_augmented` ops mapped to the clone's
    and no `alias_recheck` of its own (the mutation check's copy: `passes/alias.py`)."""
    aug = {id(op) for op in fn.augmented}
    items = {id(op) for op in fn.item_augmented}
    marks = [(id(op) in aug, id(op) in items) for op in walk_ops(fn.body)]
    out = clone_function(fn)
    out.augmented = [op for op, k in zip(walk_ops(out.body), marks) if k[0]]
    out.item_augmented = [op for op, k in zip(walk_ops(out.body), marks) if k[1]]
    out.alias_recheck = None
    return out


def clone_block(block: Block, vmap: dict[Var, Var]) -> Block:
    params = [_new(p, vmap) for p in block.params]
    ops = [clone_op(op, vmap) for op in block.ops]
    return Block(params, ops, [_map(y, vmap) for y in block.yields])


def clone_op(op: Op, vmap: dict[Var, Var]) -> Op:
    """What ``Op(op.prim, args, kwargs, results, blocks, dict(op.params), op.loc)`` makes of
    the mapped parts, built in place (a transform clones every op of the primal: the
    constructor's copies of the new lists, and a call per operand, were most of it)."""
    get = vmap.get
    new = _new_op(Op)
    new.prim = op.prim
    new.args = args = []  # (a loop: a comprehension per op cost more, on 3.11)
    for a in op.args:
        args.append(get(a, a) if type(a) is Var else a)
    kw = op.kwargs
    new.kwargs = {k: get(v, v) if type(v) is Var else v for k, v in kw.items()} if kw else {}
    new.blocks = [clone_block(b, vmap) for b in op.blocks] if op.blocks else []
    results = []
    for r in op.results:
        nv = _new_var(Var)  # `Var(r.hint)` without the call of its __init__
        nv.hint = r.hint
        vmap[r] = nv
        results.append(nv)
    new.results = results
    new.params = op.params.copy() if op.params else {}
    new.loc = op.loc
    return new


_new_op = Op.__new__
_new_var = Var.__new__


def _new(v: Var, vmap: dict[Var, Var]) -> Var:
    nv = Var(v.hint)
    vmap[v] = nv
    return nv


def _map(a: Operand, vmap: dict[Var, Var]) -> Operand:
    return vmap.get(a, a) if isinstance(a, Var) else a

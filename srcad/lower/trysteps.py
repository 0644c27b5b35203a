"""The steps of a ``try`` body, each of which may raise, in Python's evaluation order.

Input: the statements of a ``try`` body (gast), one at a time. Output: `Split.steps`, a list of
("check", func, args, keywords, node): ``func(*args, **keywords)`` is evaluated next and may raise
(lower/trys.py checks it with ``try_which`` before it runs), and ("stmt", s): a statement that
cannot raise once its checks passed (the values of earlier steps bound to ``$try{n}v{k}``).

    v = math.log(x[2] - 1.0)   ->   check operator.getitem(x, 2); $try1v1 = x[2];
                                    check operator.sub($try1v1, 1.0); $try1v2 = $try1v1 - 1.0;
                                    check math.log($try1v2); v = math.log($try1v2)
"""

from __future__ import annotations

import operator
import types
from typing import Any

import gast

from srcad.lower.trybodies import Inline, inline
from srcad.lower.withs import _resolve
from srcad.rules.numpy_fns import setitem_check

_BINOPS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul,
    gast.Div: operator.truediv, gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod,
    gast.Pow: operator.pow, gast.MatMult: operator.matmul, gast.BitAnd: operator.and_,
    gast.BitOr: operator.or_, gast.BitXor: operator.xor,
}  # fmt: skip
ARRAY_ATTRS = frozenset({"T", "mT", "shape", "ndim", "size", "real", "imag"})  # (of an array)
_UNARY = {gast.USub: operator.neg, gast.UAdd: operator.pos, gast.Invert: operator.invert}
_COMPARE = {
    gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt, gast.GtE: operator.ge,
    gast.Eq: operator.eq, gast.NotEq: operator.ne,
}  # fmt: skip


def _name(name: str, ctx: Any) -> gast.Name:
    return gast.Name(id=name, ctx=ctx, annotation=None, type_comment=None)


def _load(name: str) -> gast.Name:
    return _name(name, gast.Load())


def _at(node: Any, at: Any) -> Any:
    return gast.copy_location(node, at) if getattr(at, "lineno", None) is not None else node


class Split:
    """The steps of one ``try`` body: ("check", func, args, keywords, node) and ("stmt", s)."""

    def __init__(self, n: int, ns: Any = None) -> None:
        self.n, self.steps, self.temps, self.ns = n, [], 0, ns

    def step(self, func: Any, args: list, keywords: list, expr: Any, top: bool) -> Any:
        """Check `func(*args)`, then `expr` (its value) as it is (`top`) or bound to a temp."""
        self.steps.append(("check", func, args, keywords, expr))
        if top:
            return expr
        self.temps += 1
        temp = f"$try{self.n}v{self.temps}"
        self.steps.append(("stmt", _at(gast.Assign(targets=[_name(temp, gast.Store())],
                                                   value=expr, type_comment=None), expr)))  # fmt: skip
        return _at(_load(temp), expr)

    def expr(self, e: Any, top: bool = False) -> Any:
        """`e` with its parts that may raise made steps (a name, a constant or a display of
        them), or None when `e` is something this does not take."""
        op = _const
        if isinstance(e, (gast.Name, gast.Constant)) or self._module_attr(e):
            return e
        if isinstance(e, (gast.Tuple, gast.List)) and isinstance(e.ctx, gast.Load):
            elts = [self.expr(x) for x in e.elts]
            return None if None in elts else _at(type(e)(elts=elts, ctx=gast.Load()), e)
        if isinstance(e, gast.Dict) and all(isinstance(k, gast.Constant) for k in e.keys):
            vals = [self.expr(x) for x in e.values]  # (constant keys: hashing cannot raise)
            return None if None in vals else _at(gast.Dict(keys=e.keys, values=vals), e)
        if isinstance(e, gast.BinOp) and type(e.op) in _BINOPS:
            left, right = self.expr(e.left), self.expr(e.right)
            if left is None or right is None:
                return None
            new = _at(gast.BinOp(left=left, op=e.op, right=right), e)
            return self.step(op(_BINOPS[type(e.op)], e), [left, right], [], new, top)
        if isinstance(e, gast.UnaryOp) and type(e.op) in _UNARY:
            v = self.expr(e.operand)
            if v is None:
                return None
            new = _at(gast.UnaryOp(op=e.op, operand=v), e)
            return self.step(op(_UNARY[type(e.op)], e), [v], [], new, top)
        if isinstance(e, gast.Compare) and len(e.ops) == 1 and type(e.ops[0]) in _COMPARE:
            left, right = self.expr(e.left), self.expr(e.comparators[0])
            if left is None or right is None:
                return None
            new = _at(gast.Compare(left=left, ops=e.ops, comparators=[right]), e)
            return self.step(op(_COMPARE[type(e.ops[0])], e), [left, right], [], new, top)
        if isinstance(e, gast.Attribute) and e.attr in ARRAY_ATTRS and type(e.ctx) is gast.Load:
            # `X.T`: checked as a read (lower/trys.which_call: of an array only, else refused)
            v = self.expr(e.value)
            if not isinstance(v, gast.Name):
                return None
            new = _at(gast.Attribute(value=v, attr=e.attr, ctx=gast.Load()), e)
            read = _at(gast.Attribute(value=v, attr=e.attr, ctx=gast.Load()), e)
            read.srcad_read = True
            return self.step(read, [], [], new, top)
        if isinstance(e, gast.Subscript):
            v, got = self.expr(e.value), self.index(e.slice)
            if v is None or got is None:
                return None
            new = _at(gast.Subscript(value=v, slice=got[0], ctx=gast.Load()), e)
            return self.step(op(operator.getitem, e), [v, got[1]], [], new, top)
        if isinstance(e, gast.Call) and isinstance(e.func, gast.Attribute) and not _callee(e.func):
            v = self.expr(e.func.value)  # `np.linspace(0.3, 2.5, 16).reshape((4, 4))`
            if v is None:
                return None
            call = gast.Call(func=gast.Attribute(value=v, attr=e.func.attr, ctx=gast.Load()),
                             args=e.args, keywords=e.keywords)  # fmt: skip
            return self.expr(_at(call, e), top)
        if isinstance(e, gast.Call) and type(getattr(e.func, "value", None)) is Inline:
            return inline(self, e, top)  # a helper of the function (lower/trybodies.py)
        if isinstance(e, gast.Call) and _callee(e.func):
            args = [None if isinstance(a, gast.Starred) else self.expr(a) for a in e.args]
            kws = [(k.arg, self.expr(k.value)) for k in e.keywords if k.arg is not None]
            if None in args or len(kws) < len(e.keywords) or any(v is None for _, v in kws):
                return None
            keywords = [gast.keyword(arg=k, value=v) for k, v in kws]
            new = _at(gast.Call(func=e.func, args=args, keywords=keywords), e)
            return self.step(e.func, args, keywords, new, top)
        return None

    def _module_attr(self, e: Any) -> bool:
        """`e` reads an attribute a module has now (``np.pi``, ``math.tau``, ``np.newaxis``),
        which cannot raise: a value as it stands, like a name."""
        if not isinstance(e, gast.Attribute) or not isinstance(e.ctx, gast.Load) or not self.ns:
            return False
        base = _resolve(e.value, self.ns)
        return isinstance(base, types.ModuleType) and hasattr(base, e.attr)

    def index(self, node: Any) -> tuple[Any, Any] | None:
        """(the index `node` with its parts made steps, the same as a value: ``2:3`` as
        ``slice(2, 3, None)``), or None."""
        if isinstance(node, gast.Slice):
            parts = [
                None if p is None else self.expr(p) for p in (node.lower, node.upper, node.step)
            ]
            if any(q is None for p, q in zip((node.lower, node.upper, node.step), parts) if p):
                return None
            lo, hi, step = parts
            value = gast.Call(func=_const(slice, node), keywords=[],
                              args=[p if p is not None else _const(None, node) for p in parts])  # fmt: skip
            return _at(gast.Slice(lower=lo, upper=hi, step=step), node), _at(value, node)
        if isinstance(node, gast.Tuple) and any(isinstance(p, gast.Slice) for p in node.elts):
            got = [self.index(p) for p in node.elts]
            if None in got:
                return None
            idx = gast.Tuple(elts=[g[0] for g in got], ctx=gast.Load())
            return _at(idx, node), _at(gast.Tuple(elts=[g[1] for g in got], ctx=gast.Load()), node)
        v = self.expr(node)
        return None if v is None else (v, v)

    def stmt(self, b: Any) -> bool:
        """Add the steps of the body statement `b`; False when it is not one this takes."""
        if isinstance(b, gast.Assign) and len(b.targets) == 1:
            target, value = b.targets[0], b.value
        elif isinstance(b, gast.AnnAssign) and b.value is not None and b.simple:
            target, value = b.target, b.value
        elif isinstance(b, gast.Return) and b.value is not None:
            v = self.expr(b.value, top=True)
            self.steps.append(("stmt", _at(gast.Return(value=v), b)))
            return v is not None
        elif isinstance(b, gast.AugAssign) and type(b.op) in _BINOPS:
            return self._augassign(b)
        else:
            return False
        if isinstance(target, gast.Subscript) and isinstance(target.value, gast.Name):
            return self._setitem(target, value, b)
        if not isinstance(target, gast.Name):
            return False  # (unpacking could raise)
        v = self.expr(value, top=True)
        new = gast.Assign(targets=[target], value=v, type_comment=None)
        self.steps.append(("stmt", _at(new, b)))
        return v is not None

    def _setitem(self, t: gast.Subscript, value: Any, b: Any) -> bool:
        """``c[i] = e`` (Python: evaluate `e`, then `i`, then the write): the write checked by
        ``setitem_check`` (rules/numpy_fns.py), which raises what it raises, changing nothing."""
        v = self.expr(value)
        got = None if v is None else self.index(t.slice)
        if got is None:
            return False
        self.steps.append(("check", _const(setitem_check, t), [t.value, got[1], v], [], t))
        store = _at(gast.Subscript(value=t.value, slice=got[0], ctx=gast.Store()), t)
        self.steps.append(
            ("stmt", _at(gast.Assign(targets=[store], value=v, type_comment=None), b))
        )
        return True

    def _augassign(self, b: gast.AugAssign) -> bool:
        """``t op= e`` (Python: read `t`, evaluate `e`, the operator, write `t`)."""
        t = b.target
        if isinstance(t, gast.Subscript) and isinstance(t.value, gast.Name):
            i = None if _has_slice(t.slice) else self.expr(t.slice)
            if i is None:
                return False
            read = _at(gast.Subscript(value=t.value, slice=i, ctx=gast.Load()), t)
            self.steps.append(("check", _const(operator.getitem, t), [t.value, i], [], t))
            t = _at(gast.Subscript(value=t.value, slice=i, ctx=gast.Store()), t)
        elif isinstance(t, gast.Name):
            read = _load(t.id)
        else:
            return False
        v = self.expr(b.value)
        if v is None:
            return False
        self.steps.append(("check", _const(_BINOPS[type(b.op)], b), [read, v], [], b))
        self.steps.append(("stmt", _at(gast.AugAssign(target=t, op=b.op, value=v), b)))
        return True


def _const(value: Any, at: Any) -> gast.Constant:
    return _at(gast.Constant(value=value, kind=None), at)


def _callee(f: Any) -> bool:
    """A function named by a name or an attribute path (evaluating it cannot raise)."""
    while isinstance(f, gast.Attribute):
        f = f.value
    return isinstance(f, gast.Name)


def _has_slice(node: Any) -> bool:
    return any(isinstance(x, gast.Slice) for x in gast.walk(node))

"""Backend: IR functions -> Python source text (via `ast` nodes and `backend/unparse.py`).

Input: lowered or generated `Function`s. Output: `Emitted` — the plain ``def`` statements as text, plus
what a factory function must bind for them (module aliases, closure values, non-literal constants).
`srcad.backend.compile.compile_emitted` turns that into callables.

    em = emit_function(fn)
    print(em.source)        # def f(x):\n    y = np.sin(x)\n    return y
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from srcad.backend.layout import Plan, analyze
from srcad.backend.locations import fn_locs
from srcad.backend.names import (
    NAME_OPS,
    FactoryNames,
    Namer,
    is_literal,
    module_of,
)
from srcad.backend.nodes import LOAD, NOT, RULES, STORE, is_const_index, literal_expr
from srcad.backend.nodes import assign as _assign
from srcad.backend.nodes import name as _name
from srcad.backend.tapeloops import tape_loops
from srcad.backend.unparse import unparse
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

_SPECIAL = frozenset(RULES) | NAME_OPS | {"setitem", "comment", "if", "for", "while"}
_STATEMENTS = NAME_OPS | {"comment", "if", "for", "while", "setitem", "list_append"}


@dataclass(frozen=True)
class Emitted:
    """Emitted source and what its factory binds. Modules are imported at compile time."""

    source: str
    bindings: dict[str, Any] = field(default_factory=dict)  # closure values, constants, defaults
    modules: dict[str, str] = field(default_factory=dict)  # factory param -> module ("np": "numpy")
    imports: tuple[str, ...] = ()  # submodules to import first ("scipy.special")
    names: tuple[str, ...] = ()  # emitted function names, in order
    locs: tuple = ()  # per function, its statements' user lines (backend/locations.FnLocs)

    @property
    def factory_params(self) -> list[str]:
        return [*self.modules, *self.bindings]


def emit_function(fn: Function, name: str | None = None) -> Emitted:
    """Emit one function; see `emit_functions`."""
    return emit_functions([fn], None if name is None else [name])


def emit_functions(fns: list[Function], names: list[str] | None = None) -> Emitted:
    """Emit `fns` as ``def`` statements sharing one factory; `names` overrides their names.

    >>> emit_functions([f], ["jvp_f"]).source.splitlines()[0]
    'def jvp_f(x, dx):'
    """
    fnames = list(names) if names is not None else [f.name for f in fns]
    if len(fnames) != len(fns) or len(set(fnames)) != len(fnames):
        raise ValueError(f"need one distinct name per function, got {fnames}")
    fac = FactoryNames(fns, fnames, _SPECIAL)
    defs = [_FnEmitter(fn, i, nm, fac).function() for i, (fn, nm) in enumerate(zip(fns, fnames))]
    texts = [unparse(d) for d in defs]
    source = "\n\n".join(texts) + "\n"
    source = re.sub(r"(?m)^( *)__srcad_(?:comment|stmt)_(\d+)__$", _text_lines(fac.lines), source)
    locs = tuple(fn_locs(fn, d) for fn, d in zip(fns, defs))
    return Emitted(source, fac.bindings, fac.modules, tuple(fac.imports), tuple(fnames), locs)


def _text_lines(texts: list[list[str]]) -> Callable[[re.Match], str]:
    def sub(m: re.Match) -> str:
        return "\n".join(f"{m.group(1)}{line}".rstrip() for line in texts[int(m.group(2))])

    return sub


class _FnEmitter:
    """Emits one function; names are handed out in program order."""

    def __init__(self, fn: Function, index: int, fname: str, fac: FactoryNames) -> None:
        self.fn, self.index, self.fname, self.fac = fn, index, fname, fac
        self.plan: Plan = analyze(fn)
        self.names: dict[Var, str] = {}
        self.class_names: dict[Var, str] = {}  # name class representative -> name
        self.namer = Namer([*fac.fixed, *fac.bindings, *fac.modules, "reversed"])
        self.skip: set[Op] = set()  # ops written as part of a loop header (backend/tapeloops)
        self.tape_loops: dict[Op, tuple[Operand, Op]] = {}
        self.name_nodes: dict[str, ast.Name] = {}
        self.lits: dict[tuple[type, Any], ast.Constant] = {}
        self.heads: dict[str, ast.expr] = {}  # prim -> the called function's expression
        if "reversed" not in (*fac.fixed, *fac.bindings, *fac.modules):
            tape_loops(fn.body, self.plan, self.tape_loops, self.skip)

    def function(self) -> ast.FunctionDef:
        fn = self.fn
        for v, n in zip(fn.params, fn.param_names):
            self.names[v] = self.class_names[self.plan.cls(v)] = self.namer.take(n)
        defaults = [self._default(p) for p in fn.param_names if p in fn.defaults]
        args = ast.arguments(
            posonlyargs=[],
            args=[ast.arg(arg=n, annotation=None) for n in fn.param_names],
            vararg=None,
            kwonlyargs=[],
            kw_defaults=[],
            kwarg=None,
            defaults=defaults,
        )
        last = _return_tuple(fn.body, self.plan)
        if last is not None:  # ``return s, grads``, not ``_t16 = (s, grads); return _t16``
            self.plan.expr_inline[last.result] = last
        body = self.block(fn.body)
        if last is not None and len(last.args) > 1:
            rhs = ", ".join(unparse(self.expr(a)) for a in last.args)
            body.append(self.text_stmt([f"return {rhs}"], "stmt"))
            inl = any(isinstance(a, Var) and a in self.plan.expr_inline for a in last.args)
            if inl and last.loc is not None:  # ``return f(x), g``: that expression's line
                body[-1].srcad_line = last.loc.line  # type: ignore[attr-defined]
        else:
            y = fn.body.yields[0] if fn.body.yields else None
            body.append(ast.Return(None if y is None else self.expr(y)))
            mine = isinstance(y, Var) and (last is None or y is not last.result)
            d = self.plan.expr_inline.get(y) if mine else None
            if d is not None and d.loc is not None:  # ``return x * 2``: that expression's line
                body[-1].srcad_line = d.loc.line  # type: ignore[attr-defined]
        kw: dict[str, Any] = {"decorator_list": [], "returns": None, "type_comment": None}
        if "type_params" in ast.FunctionDef._fields:
            kw["type_params"] = []
        return ast.FunctionDef(name=self.fname, args=args, body=body, **kw)

    def _default(self, p: str) -> ast.expr:
        v = self.fn.defaults[p]
        return literal_expr(v) if is_literal(v) else _name(self.fac.defaults[(self.index, p)])

    # -- names ---------------------------------------------------------------------------------
    def define(self, v: Var, hint: str = "") -> str:
        """The name of `v`: its class's name (see `layout`), given out at the first member."""
        root = self.plan.cls(v)
        name = self.class_names.get(root)
        if name is None:
            name = self.class_names[root] = self.namer.fresh(v.hint or hint)
        self.names[v] = name
        return name

    def expr(self, a: Operand) -> ast.expr:
        if isinstance(a, Const):
            v = a.value
            t = type(v)
            if t is float and v > 0.0 and v != math.inf or t is int and v >= 0 or t is str:
                node = self.lits.get((t, v))  # a Constant: an atom, shared like a name
                if node is None:
                    node = self.lits[(t, v)] = ast.Constant(v)
                return node
            if is_literal(v):
                return literal_expr(v)
            return self.name(self.fac.const_name(v))
        n = self.names.get(a)
        if n is not None:
            return self.name(n)
        d = self.plan.expr_inline.get(a) or self.plan.index_inline.get(a)
        if d is None:
            raise ValueError(f"{self.fn.name}: {a!r} is read before it is defined (run verify)")
        return self.op_expr(d)

    def name(self, n: str) -> ast.Name:
        """One node per name, shared by its reads (unparse writes a name the same anywhere)."""
        node = self.name_nodes.get(n)
        if node is None:
            node = self.name_nodes[n] = ast.Name(n, LOAD)
        return node

    def index_expr(self, a: Operand, top: bool = True) -> ast.expr:
        """A subscript index: inline slices (``i:j``) and tuples of them (``:, None``)."""
        d = self.plan.index_inline.get(a) if isinstance(a, Var) else None
        if isinstance(a, Const) and is_const_index(a):
            v = a.value
            if isinstance(v, slice):
                parts = [None if e is None else literal_expr(e) for e in (v.start, v.stop, v.step)]
                return ast.Slice(*parts)
            if isinstance(v, tuple) and top:
                return ast.Tuple([self.index_expr(Const(e), False) for e in v], LOAD)
            return literal_expr(v)
        if d is not None and d.prim == "slice":
            parts = [None if _is_const(e, None) else self.expr(e) for e in d.args]
            return ast.Slice(*(parts + [None] * (3 - len(parts))))
        if d is not None and d.prim == "tuple" and top:
            return ast.Tuple([self.index_expr(e, False) for e in d.args], LOAD)
        return self.expr(a)

    # -- expressions ---------------------------------------------------------------------------
    def op_expr(self, op: Op) -> ast.expr:
        prim, expr = op.prim, self.expr
        if prim in ("getitem", "setitem") and len(op.args) >= 2:
            args = [expr(op.args[0]), self.index_expr(op.args[1]), *map(expr, op.args[2:])]
        else:
            args = [expr(a) for a in op.args]
        kw = [ast.keyword(arg=k, value=expr(v)) for k, v in op.kwargs.items()] if op.kwargs else []
        rule = RULES.get(prim)
        if rule is not None:
            return rule(op, args, kw)
        if prim.startswith("method."):
            return ast.Call(ast.Attribute(args[0], prim[7:], LOAD), args[1:], kw)
        if prim.startswith("attr."):
            return ast.Attribute(args[0], prim[5:], LOAD)
        f = self.heads.get(prim)
        if f is None:  # ``np.linalg.solve``: one node per function, shared by its calls
            f = self.name(prim)
            if "." in prim:
                mod, _, attrs = module_of(prim)
                f = self.name(self.fac.alias[mod])
                for at in attrs:
                    f = ast.Attribute(f, at, LOAD)
            self.heads[prim] = f
        return ast.Call(f, args, kw)

    # -- statements ----------------------------------------------------------------------------
    def block(self, block: Block) -> list[ast.stmt]:
        out: list[ast.stmt] = []
        for op in block.ops:
            if op in self.skip:
                continue
            stmts = self.op_stmts(op)
            if op.loc is not None:  # the user line of each statement (backend/locations.py)
                for s in stmts:
                    s.srcad_line = op.loc.line  # type: ignore[attr-defined]
                    s.srcad_col = op.loc.col  # type: ignore[attr-defined]
            out += stmts
        return out

    def op_stmts(self, op: Op) -> list[ast.stmt]:
        if op.prim in _STATEMENTS:
            return self.special_stmts(op)
        if len(op.results) == 1:  # the common case, first: ``name = expression``
            r, plan = op.results[0], self.plan
            if r in plan.index_inline or r in plan.expr_inline:
                return []
            value = self.op_expr(op)
            if not plan.uses.get(r):
                self.define(r)
                return [ast.Expr(value)]
            return [_assign(self.define(r), value)]
        return self.value_stmts(op)

    def special_stmts(self, op: Op) -> list[ast.stmt]:
        plan = self.plan
        if op.prim == "global":
            self.names[op.result] = op.params["name"]
            return []
        if op.prim == "free":
            self.names[op.result] = self.fac.free[(self.index, op.params["name"])]
            return []
        if op.prim == "comment":
            text = str(op.params.get("text", "")).splitlines() or [""]
            return [self.text_stmt([f"# {line}" for line in text], "comment")]
        if op.prim == "if":
            return self.if_stmts(op)
        if op.prim in ("for", "while"):
            return self.loop_stmts(op)
        if len(op.results) == 1 and (
            op.result in plan.index_inline or op.result in plan.expr_inline
        ):
            return []
        if op.prim == "setitem" and op.params.get("inplace"):  # see passes/inplace.py
            x, val = self.expr(op.args[0]), self.expr(op.args[2])
            idx = self.index_expr(op.args[1])
            n = self.define(op.result)
            out: list[ast.stmt] = [ast.Assign([ast.Subscript(x, idx, STORE)], val)]
            if not (isinstance(x, ast.Name) and x.id == n):
                out.append(_assign(n, x))
            return out
        if op.prim == "list_append" and op.params.get("inplace"):
            x, val = self.expr(op.args[0]), self.expr(op.args[1])
            n = self.define(op.result)
            out = [ast.Expr(ast.Call(ast.Attribute(x, "append", LOAD), [val], []))]
            if not (isinstance(x, ast.Name) and x.id == n):
                out.append(_assign(n, x))
            return out
        if op.prim == "setitem":
            x, val = self.expr(op.args[0]), self.expr(op.args[2])
            idx = self.index_expr(op.args[1])
            n = self.define(op.result)
            copy = ast.Call(ast.Attribute(x, "copy", LOAD), [], [])
            store = ast.Subscript(self.name(n), idx, STORE)
            return [_assign(n, copy), ast.Assign([store], val)]
        return self.value_stmts(op)

    def value_stmts(self, op: Op) -> list[ast.stmt]:
        """``name = value``, ``a, b = value`` or the bare expression (its value unused)."""
        value, plan = self.op_expr(op), self.plan
        if not op.results or (len(op.results) == 1 and not plan.uses.get(op.result)):
            for r in op.results:
                self.define(r)
            return [ast.Expr(value)]
        names = [self.define(r) for r in op.results]
        if len(names) == 1:
            return [_assign(names[0], value)]
        return [self.tuple_assign(names, [value])]

    def text_stmt(self, lines: list[str], kind: str) -> ast.stmt:
        """A marker replaced by `lines` after unparse (comments; text the same on every Python)."""
        self.fac.lines.append(lines)
        return ast.Expr(_name(f"__srcad_{kind}_{len(self.fac.lines) - 1}__"))

    def tuple_assign(self, targets: list[str], values: list[ast.expr]) -> ast.stmt:
        """``a, b = x, y`` (ast.unparse writes ``(a, b) = ...`` on Python 3.10)."""
        rhs = ", ".join(unparse(v) for v in values)
        return self.text_stmt([f"{', '.join(targets)} = {rhs}"], "stmt")

    def assign_all(self, pairs: list[tuple[str, ast.expr]]) -> list[ast.stmt]:
        """``a = x; b = y``, or ``a, b = b, a`` when a later value reads an earlier target."""
        pairs = [(t, e) for t, e in pairs if not (type(e) is ast.Name and e.id == t)]
        later: set[str] = set()  # names read by the values after the one at hand
        for t, e in reversed(pairs):
            if t in later:
                return [self.tuple_assign([t for t, _ in pairs], [e for _, e in pairs])]
            later |= _read_names(e)
        return [_assign(t, e) for t, e in pairs]

    def if_stmts(self, op: Op) -> list[ast.stmt]:
        test = self.expr(op.args[0])
        names = [self.define(r) for r in op.results]
        flags = _flag_copies(op)
        if flags is not None:  # ``brk = _t5``, not ``if _t5: brk = True else: brk = False``
            known = _is_bool(op.args[0], self.plan)
            return [_assign(n, _flag_value(test, f, known)) for n, f in zip(names, flags)]
        then, orelse = (
            self.block(b) + self.assign_all([(n, self.expr(y)) for n, y in zip(names, b.yields)])
            for b in op.blocks
        )
        return [ast.If(test, _nonempty(then), _nonempty(orelse) if _real(orelse) else [])]

    def loop_stmts(self, op: Op) -> list[ast.stmt]:
        is_for = op.prim == "for"
        inits = op.args[3:] if is_for else op.args
        init_exprs = [self.expr(a) for a in inits]
        if op in self.tape_loops:  # ``for x in reversed(tape):`` reads no range
            range_args = [ast.Constant(0)]
        else:
            range_args = [self.expr(a) for a in op.args[:3]] if is_for else []
        names = [self.define(r) for r in op.results]
        pre = self.assign_all(list(zip(names, init_exprs)))
        body_block = op.blocks[0] if is_for else op.blocks[1]
        params = body_block.params[1:] if is_for else body_block.params
        for p, n in zip(params, names):
            self.names[p] = n
        if not is_for:
            for p, n in zip(op.blocks[0].params, names):
                self.names[p] = n
        n = len(names)
        if is_for:
            ivar = self.define(body_block.params[0], "i")
            if op in self.tape_loops:  # ``for x in reversed(tape):``: `x` named first
                ivar = self.define(self.tape_loops[op][1].result)
            a = op.args
            if _is_int(a[2], 1):
                range_args = range_args[1:2] if _is_int(a[0], 0) else range_args[:2]
        else:
            cond = op.blocks[0]
            head = self.block(cond)
            flag = self.expr(cond.yields[0])
            if op not in self.plan.inline_while:
                head.append(ast.If(ast.UnaryOp(NOT, flag), [ast.Break()], []))
                flag = ast.Constant(True)
        body = self.block(body_block)
        updates = [(nm, self.expr(y)) for nm, y in zip(names, body_block.yields)]
        if op.params.get("has_break") and len(body_block.yields) > n:
            stop = self.expr(body_block.yields[n])
            if any(isinstance(e, ast.Name) and e.id in names for e in ast.walk(stop)):
                stop_name = self.namer.fresh("stop")  # read before the carry updates overwrite it
                body.append(_assign(stop_name, stop))
                stop = _name(stop_name)
            body += self.assign_all(updates)
            if not (isinstance(stop, ast.Constant) and not stop.value):
                body.append(ast.If(stop, [ast.Break()], []))
        else:
            body += self.assign_all(updates)
        if is_for:
            it = ast.Call(_name("range"), range_args, [])
            target = ast.Name(ivar, STORE)
            if op in self.tape_loops:
                it = ast.Call(_name("reversed"), [self.expr(self.tape_loops[op][0])], [])
            return pre + [ast.For(target, it, _nonempty(body), [], type_comment=None)]
        return pre + [ast.While(flag, _nonempty(head + body), [])]


def _read_names(e: ast.expr) -> set[str]:
    if type(e) is ast.Name:
        return {e.id}
    return {n.id for n in ast.walk(e) if type(n) is ast.Name}


def _return_tuple(body: Block, plan: Plan) -> Op | None:
    """The op building the returned tuple, when it is the body's last op and read only there."""
    last = body.ops[-1] if body.ops else None
    if last is None or last.prim != "tuple" or len(last.results) != 1 or last.kwargs:
        return None
    if body.yields != [last.result] or plan.uses.get(last.result) != 1:
        return None
    return last


_BOOL_OPS = frozenset({"not", "is", "is_not", "in", "not_in", "isinstance"})


def _flag_copies(op: Op) -> list[bool] | None:
    """For an ``if`` whose branches do nothing but yield True/False: per result, True when it
    is the condition's truth value, False when it is its negation; None otherwise."""
    if len(op.blocks) != 2 or not op.results or any(_real_ops(b) for b in op.blocks):
        return None
    then, orelse = op.blocks
    out = []
    for a, b in zip(then.yields, orelse.yields):
        if _is_const(a, True) and _is_const(b, False):
            out.append(True)
        elif _is_const(a, False) and _is_const(b, True):
            out.append(False)
        else:
            return None
    return out


def _real_ops(b: Block) -> bool:
    return any(o.prim != "comment" for o in b.ops)


def _flag_value(test: ast.expr, same: bool, known: bool) -> ast.expr:
    """``test`` as a bool (what ``if test`` decides): written bare when it is one already."""
    if not same:
        return ast.UnaryOp(NOT, test)
    return test if known else ast.Call(_name("bool"), [test], [])


def _is_bool(a: Operand, plan: Plan) -> bool:
    """Certainly a Python bool (comparisons of arrays are arrays: those get ``bool(...)``)."""
    if isinstance(a, Const):
        return type(a.value) is bool
    d = plan.defs.get(a)
    return d is not None and d.prim in _BOOL_OPS


def _is_int(a: Operand, n: int) -> bool:
    return isinstance(a, Const) and type(a.value) is int and a.value == n


def _is_const(a: Operand, v: object) -> bool:
    return isinstance(a, Const) and a.value is v


def _real(stmts: list[ast.stmt]) -> bool:
    """Has a statement other than a comment marker."""
    return any(
        not (
            isinstance(s, ast.Expr)
            and isinstance(s.value, ast.Name)
            and s.value.id.startswith("__srcad_comment_")
        )
        for s in stmts
    )


def _nonempty(stmts: list[ast.stmt]) -> list[ast.stmt]:
    return stmts if _real(stmts) else stmts + [ast.Pass()]

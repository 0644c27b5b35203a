"""Backend: IR functions -> Python source text (`backend/text.py` writes each expression).

Input: lowered or generated `Function`s. Output: `Emitted` — the plain ``def`` statements as text, plus
what a factory function must bind for them (module aliases, closure values, non-literal constants).
`srcad.backend.compile.compile_emitted` turns that into callables. The text is what `ast.unparse`
writes for the `ast` nodes of the same statements (the design's rule), written directly.

    em = emit_function(fn)
    print(em.source)        # def f(x):\n    y = np.sin(x)\n    return y
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from srcad.backend import shapes as sh
from srcad.backend import text as tx
from srcad.backend.layout import Plan, analyze
from srcad.backend.locations import FnLocs
from srcad.backend.names import (
    NAME_OPS,
    FactoryNames,
    Namer,
    is_literal,
    module_of,
)
from srcad.backend.tapeloops import tape_loops
from srcad.backend.text import ATOM, NOT, TEST, YIELD, E, St, wrap
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

_SPECIAL = tx.SYNTAX | NAME_OPS | {"setitem", "comment", "if", "for", "while"}
_STATEMENTS = NAME_OPS | {"comment", "if", "for", "while", "setitem", "list_append"}
_PASS = "pass"


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
    texts, locs = [], []
    for i, (fn, nm) in enumerate(zip(fns, fnames)):
        head, body = _FnEmitter(fn, i, nm, fac).function()
        out, lines, cols = [head], [], []  # type: ignore[var-annotated]
        tx.write(body, "    ", out, lines, cols)
        texts.append("\n".join(out))
        locs.append(FnLocs(fn.filename, fn.firstline, tuple(lines), fn.source_lines, tuple(cols)))
    source = "\n\n".join(texts) + "\n"
    return Emitted(
        source, fac.bindings, fac.modules, tuple(fac.imports), tuple(fnames), tuple(locs)
    )


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
        self.heads: dict[str, str] = {}  # prim -> the called function's text
        self.lits: dict[tuple[type, Any], E] = {}
        if "reversed" not in (*fac.fixed, *fac.bindings, *fac.modules):
            tape_loops(fn.body, self.plan, self.tape_loops, self.skip)

    def function(self) -> tuple[str, list[St]]:
        """The ``def`` line and the body's statements."""
        fn = self.fn
        for v, n in zip(fn.params, fn.param_names):
            self.names[v] = self.class_names[self.plan.cls(v)] = self.namer.take(n)
        params = [
            p if p not in fn.defaults else p + "=" + wrap(self._default(p), TEST)
            for p in fn.param_names
        ]
        last = sh.return_tuple(fn.body, self.plan)
        if last is not None:  # ``return s, grads``, not ``_t16 = (s, grads); return _t16``
            self.plan.expr_inline[last.result] = last
        body = self.block(fn.body)
        if last is not None and len(last.args) > 1:
            body.append(St("return " + tx.items([self.expr(a) for a in last.args])))
            inl = any(isinstance(a, Var) and a in self.plan.expr_inline for a in last.args)
            if inl and last.loc is not None:  # ``return f(x), g``: that expression's line
                body[-1].line = last.loc.line
        else:
            y = fn.body.yields[0] if fn.body.yields else None
            body.append(St("return" if y is None else "return " + wrap(self.expr(y), TEST)))
            mine = isinstance(y, Var) and (last is None or y is not last.result)
            d = self.plan.expr_inline.get(y) if mine else None
            if d is not None and d.loc is not None:  # ``return x * 2``: that expression's line
                body[-1].line = d.loc.line
        return f"def {self.fname}({', '.join(params)}):", body

    def _default(self, p: str) -> E:
        v = self.fn.defaults[p]
        return tx.literal(v) if is_literal(v) else (self.fac.defaults[(self.index, p)], ATOM)

    # -- names ---------------------------------------------------------------------------------
    def define(self, v: Var, hint: str = "") -> str:
        """The name of `v`: its class's name (see `layout`), given out at the first member."""
        root = self.plan.cls(v)
        name = self.class_names.get(root)
        if name is None:
            name = self.class_names[root] = self.namer.fresh(v.hint or hint)
        self.names[v] = name
        return name

    def expr(self, a: Operand) -> E:
        if type(a) is Const:
            v = a.value
            t = type(v)
            if t is float and v > 0.0 and v != math.inf or t is int and v >= 0 or t is str:
                e = self.lits.get((t, v))  # the common constants, written once each
                if e is None:
                    e = self.lits[(t, v)] = tx.constant(v)
                return e
            if is_literal(v):
                return tx.literal(v)
            return self.fac.const_name(v), ATOM
        n = self.names.get(a)  # type: ignore[arg-type]
        if n is not None:
            return n, ATOM
        d = self.plan.expr_inline.get(a) or self.plan.index_inline.get(a)  # type: ignore[arg-type]
        if d is None:
            raise ValueError(f"{self.fn.name}: {a!r} is read before it is defined (run verify)")
        return self.op_expr(d)

    def index_expr(self, a: Operand, top: bool = True) -> E | list[E]:
        """A subscript index: inline slices (``i:j``) and tuples of them (``:, None``); a list
        is a tuple index (written without parentheses)."""
        d = self.plan.index_inline.get(a) if isinstance(a, Var) else None
        if isinstance(a, Const) and tx.is_const_index(a.value):
            v = a.value
            if isinstance(v, slice):
                return tx.slice_([None if e is None else tx.literal(e) for e in
                                  (v.start, v.stop, v.step)])  # fmt: skip
            if isinstance(v, tuple) and top:
                return [self.index_expr(Const(e), False) for e in v]  # type: ignore[misc]
            return tx.literal(v)
        if d is not None and d.prim == "slice":
            return tx.slice_([None if sh.is_const(e, None) else self.expr(e) for e in d.args])
        if d is not None and d.prim == "tuple" and top:
            return [self.index_expr(e, False) for e in d.args]  # type: ignore[misc]
        if top:  # another tuple is written without parentheses too (``x[1.5, 2]``)
            if isinstance(a, Const) and type(a.value) is tuple and a.value and is_literal(a.value):
                return [tx.literal(e) for e in a.value]
            d = self.plan.expr_inline.get(a) if isinstance(a, Var) else None
            if d is not None and d.prim == "tuple" and d.args:
                return [self.expr(e) for e in d.args]
        return self.expr(a)

    # -- expressions ---------------------------------------------------------------------------
    def op_expr(self, op: Op) -> E:
        prim, expr = op.prim, self.expr
        if prim in ("getitem", "setitem") and len(op.args) >= 2:
            args = [expr(op.args[0]), self.index_expr(op.args[1]), *map(expr, op.args[2:])]
        else:
            args = [expr(a) for a in op.args]
        kw = [(k, expr(v)) for k, v in op.kwargs.items()] if op.kwargs else []
        if prim in tx.SYNTAX:
            return tx.op_text(prim, args, kw)  # type: ignore[arg-type, return-value]
        if prim.startswith("method."):
            return tx.call(tx.attr(args[0], prim[7:]), args[1:], kw)  # type: ignore[arg-type]
        if prim.startswith("attr."):
            return tx.attr(args[0], prim[5:]), ATOM  # type: ignore[arg-type]
        f = self.heads.get(prim)
        if f is None:  # ``np.linalg.solve``
            f = prim
            if "." in prim:
                mod, _, attrs = module_of(prim)
                f = ".".join([self.fac.alias[mod], *attrs])
            self.heads[prim] = f
        return tx.call(f, args, kw)  # type: ignore[arg-type]

    # -- statements ----------------------------------------------------------------------------
    def block(self, block: Block) -> list[St]:
        out: list[St] = []
        for op in block.ops:
            if op in self.skip:
                continue
            stmts = self.op_stmts(op)
            if op.loc is not None:  # the user line of each statement (backend/locations.py)
                line, col = op.loc.line, op.loc.col
                for s in stmts:
                    s.line, s.col = line, col
            out += stmts
        return out

    def op_stmts(self, op: Op) -> list[St]:
        if op.prim in _STATEMENTS:
            return self.special_stmts(op)
        if len(op.results) == 1:  # the common case, first: ``name = expression``
            r, plan = op.results[0], self.plan
            if r in plan.index_inline or r in plan.expr_inline:
                return []
            value = self.op_expr(op)
            if not plan.uses.get(r):
                self.define(r)
                return [St(wrap(value, YIELD))]
            return [St(self.define(r) + " = " + wrap(value, TEST))]
        return self.value_stmts(op)

    def special_stmts(self, op: Op) -> list[St]:
        plan = self.plan
        if op.prim == "global":
            self.names[op.result] = op.params["name"]
            return []
        if op.prim == "free":
            self.names[op.result] = self.fac.free[(self.index, op.params["name"])]
            return []
        if op.prim == "comment":
            text = str(op.params.get("text", "")).splitlines() or [""]
            return [tx.comment([f"# {line}" for line in text])]
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
            out = [St(tx.subscript(x, idx)[0] + " = " + wrap(val, TEST))]
            if not (x[1] == ATOM and x[0] == n):
                out.append(St(n + " = " + wrap(x, TEST)))
            return out
        if op.prim == "list_append" and op.params.get("inplace"):
            x, val = self.expr(op.args[0]), self.expr(op.args[1])
            n = self.define(op.result)
            out = [St(tx.call(tx.attr(x, "append"), [val])[0])]
            if not (x[1] == ATOM and x[0] == n):
                out.append(St(n + " = " + wrap(x, TEST)))
            return out
        if op.prim == "setitem":
            x, val = self.expr(op.args[0]), self.expr(op.args[2])
            idx = self.index_expr(op.args[1])
            n = self.define(op.result)
            copy = tx.call(tx.attr(x, "copy"), [])
            store = tx.subscript((n, ATOM), idx)[0]
            return [St(n + " = " + copy[0]), St(store + " = " + wrap(val, TEST))]
        return self.value_stmts(op)

    def value_stmts(self, op: Op) -> list[St]:
        """``name = value``, ``a, b = value`` or the bare expression (its value unused)."""
        value, plan = self.op_expr(op), self.plan
        if not op.results or (len(op.results) == 1 and not plan.uses.get(op.result)):
            for r in op.results:
                self.define(r)
            return [St(wrap(value, YIELD))]
        names = [self.define(r) for r in op.results]
        if len(names) == 1:
            return [St(names[0] + " = " + wrap(value, TEST))]
        return [_tuple_assign(names, [value])]

    def assign_all(self, pairs: list[tuple[str, E, Operand]]) -> list[St]:
        """``a = x; b = y``, or ``a, b = b, a`` when a later value reads an earlier target.
        `pairs`: (target, value's text, the operand it is the text of)."""
        pairs = [(t, e, a) for t, e, a in pairs if not (e[1] == ATOM and e[0] == t)]
        later: set[str] = set()  # names read by the values after the one at hand
        for t, _, a in reversed(pairs):
            if t in later:
                return [_tuple_assign([t for t, _, _ in pairs], [e for _, e, _ in pairs])]
            later |= self.read_names(a)
        return [St(t + " = " + wrap(e, TEST)) for t, e, _ in pairs]

    def read_names(self, a: Operand) -> set[str]:
        """The local names the expression of `a` reads (through inlined definitions)."""
        if type(a) is not Var:
            return set()
        n = self.names.get(a)
        if n is not None:
            return {n}
        d = self.plan.expr_inline.get(a) or self.plan.index_inline.get(a)
        out: set[str] = set()
        for e in d.operands() if d is not None else ():
            out |= self.read_names(e)
        return out

    def if_stmts(self, op: Op) -> list[St]:
        test = self.expr(op.args[0])
        names = [self.define(r) for r in op.results]
        flags = sh.flag_copies(op)
        if flags is not None:  # ``brk = _t5``, not ``if _t5: brk = True else: brk = False``
            known = sh.is_bool(op.args[0], self.plan)
            out, req = [], TEST  # one node for `test` in ast: the last parent's precedence stays
            for n, f in zip(names, flags):
                if not f:
                    value, req = "not " + wrap(test, NOT), NOT
                elif known:
                    value = wrap(test, req)
                else:
                    value = "bool(" + wrap(test, req) + ")"
                out.append(St(n + " = " + value))
            return out
        then, orelse = (
            self.block(b) + self.assign_all([(n, self.expr(y), y) for n, y in zip(names, b.yields)])
            for b in op.blocks
        )
        return [St("if " + wrap(test, TEST) + ":", _nonempty(then),
                   _nonempty(orelse) if _real(orelse) else None)]  # fmt: skip

    def loop_stmts(self, op: Op) -> list[St]:
        is_for = op.prim == "for"
        inits = op.args[3:] if is_for else op.args
        init_exprs = [(self.expr(a), a) for a in inits]
        if op in self.tape_loops:  # ``for x in reversed(tape):`` reads no range
            range_args: list[E] = [("0", tx.INT)]
        else:
            range_args = [self.expr(a) for a in op.args[:3]] if is_for else []
        names = [self.define(r) for r in op.results]
        pre = self.assign_all([(n, e, a) for n, (e, a) in zip(names, init_exprs)])
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
            if sh.is_int(a[2], 1):
                range_args = range_args[1:2] if sh.is_int(a[0], 0) else range_args[:2]
        else:
            cond = op.blocks[0]
            head = self.block(cond)
            flag = self.expr(cond.yields[0])
            if op not in self.plan.inline_while:
                head.append(St("if not " + wrap(flag, NOT) + ":", [St("break")]))
                flag = ("True", tx.INT)
        body = self.block(body_block)
        updates = [(nm, self.expr(y), y) for nm, y in zip(names, body_block.yields)]
        if op.params.get("has_break") and len(body_block.yields) > n:
            y = body_block.yields[n]
            stop = self.expr(y)
            if self.read_names(y) & set(names):
                stop_name = self.namer.fresh("stop")  # read before the carry updates overwrite it
                body.append(St(stop_name + " = " + wrap(stop, TEST)))
                stop = (stop_name, ATOM)
            body += self.assign_all(updates)
            if not sh.false_constant(y):
                body.append(St("if " + wrap(stop, TEST) + ":", [St("break")]))
        else:
            body += self.assign_all(updates)
        if is_for:
            it = tx.call("range", range_args)[0]
            if op in self.tape_loops:
                it = tx.call("reversed", [self.expr(self.tape_loops[op][0])])[0]
            return pre + [St(f"for {ivar} in {it}:", _nonempty(body))]
        return pre + [St("while " + wrap(flag, TEST) + ":", _nonempty(head + body))]


def _tuple_assign(targets: list[str], values: list[E]) -> St:
    """``a, b = x, y`` (ast.unparse writes ``(a, b) = ...`` on Python 3.10)."""
    return St(f"{', '.join(targets)} = {tx.items(values)}")


def _real(stmts: list[St]) -> bool:
    """Has a statement other than a comment."""
    return any(s.comment is None for s in stmts)


def _nonempty(stmts: list[St]) -> list[St]:
    return stmts if _real(stmts) else stmts + [St(_PASS)]

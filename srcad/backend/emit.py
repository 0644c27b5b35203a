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
from collections.abc import Callable
from typing import Any

from srcad.backend import emitscan
from srcad.backend import shapes as sh
from srcad.backend import text as tx
from srcad.backend.emitted import Emitted
from srcad.backend.flow import Flow
from srcad.backend.layout import Plan, analyze
from srcad.backend.locations import FnLocs
from srcad.backend.names import (
    NAME_OPS,
    RUNTIME,
    FactoryNames,
    Namer,
    is_literal,
    module_of,
    runtime_defaults,
    written_args,
)
from srcad.backend.quiet import Quiet, errstate_line
from srcad.backend.tapeloops import Unpack, tape_loops, unpacks
from srcad.backend.text import ATOM, TEST, YIELD, E, St, wrap
from srcad.rules.checks import UNBOUND
from srcad.ssa.core import Block, Const, Function, Op, Operand, Var
from srcad.ssa.prims import fold

_SPECIAL = tx.SYNTAX | NAME_OPS | {"setitem", "comment", "if", "for", "while"}
_SYNTAX_OPS = _SPECIAL - NAME_OPS  # ops written as syntax: the factory binds their constants only
_SCALARS = frozenset({int, float, str, bool, type(None)})
_STATEMENTS = NAME_OPS | {"comment", "if", "for", "while", "setitem", "list_append"}


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
    seen: set[str] = set()  # (module prims bound already: the walks go in order)
    found = [emitscan.walk(fn, i, _SYNTAX_OPS, seen) for i, fn in enumerate(fns)]
    fac = FactoryNames(fns, fnames, _SPECIAL, found)
    texts, locs = [], []
    for i, (fn, nm) in enumerate(zip(fns, fnames)):
        head, body = _FnEmitter(fn, i, nm, fac, found[i]).function()
        out, lines, cols = [head], [], []  # type: ignore[var-annotated]
        tx.write(body, "    ", out, lines, cols)
        texts.append("\n".join(out))
        locs.append(FnLocs(fn.filename, fn.firstline, tuple(lines), fn.source_lines, tuple(cols)))
    source = "\n\n".join(texts) + "\n"
    return Emitted(
        source, fac.bindings, fac.modules, tuple(fac.imports), tuple(fnames), tuple(locs)
    )


class _FnEmitter(Flow):
    """Emits one function; names are handed out in program order."""

    def __init__(
        self, fn: Function, index: int, fname: str, fac: FactoryNames, found: emitscan.Census
    ) -> None:
        self.fn, self.index, self.fname, self.fac = fn, index, fname, fac
        self.plan: Plan = analyze(fn, found)
        self.names: dict[Var, str] = {}
        self.class_names: dict[Var, str] = {}  # name class representative -> name
        self.namer = Namer([*fac.fixed, *fac.bindings, *fac.modules, "reversed"])
        # ops written elsewhere (part of a loop header, of an unpacking: backend/tapeloops), or
        # in another form (op -> the tape entry it defines, unpacked: ``a, _, b = tape[k]``)
        self.skip: dict[Op, Var | None] = {}
        self.tape_loops: dict[Op, tuple[Operand, Op]] = {}
        self.unpacks: dict[Var, Unpack] = {}  # tape entry -> its reads (backend/tapeloops)
        self.written: dict[Op, list[Operand]] = {}  # a tape's op -> the operands it writes
        self.junk = ""  # the name of the items an unpacking does not read (``_``)
        self.heads: dict[str, str] = {}  # prim -> the called function's text
        self.pad = 0  # the indentation of the statements at hand
        self.loops = 0  # the loop bodies the statements at hand are in
        self.lits: dict[tuple[type, Any], E] = {}
        # inlined op -> its text as last written inside another expression (`expr`); cleared
        # when `capped` names one of them (then a text that held it is out of date): `capped`
        # takes its operands' texts from here, not writing them again
        self.rendered: dict[Op, E] = {}
        self.defaults: dict[str, tuple[int, tuple] | None] = {}  # runtime helper -> defaults
        self.np_ = fac.alias.get("numpy", "np")  # (numpy as the factory binds it)
        self.quiet_head = errstate_line(self.np_)  # (`block`'s, made once)
        if "reversed" not in (*fac.fixed, *fac.bindings, *fac.modules):
            tape_loops(self.plan, self.tape_loops, self.skip)
        unpacks(self.plan, self.unpacks, self.written)
        for x, (group, _, _) in self.unpacks.items():
            self.skip.update(dict.fromkeys(group))
            d = self.plan.defs[x]
            if d not in self.skip:  # (a loop header's target otherwise)
                self.skip[d] = x

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
        self.pad = 4
        if last is not None and len(last.args) > 1:
            pre, value = self.capped(last, lambda: tx.items([self.expr(a) for a in last.args]), 7)
            body += pre
            body.append(St("return " + value))
            inl = any(isinstance(a, Var) and a in self.plan.expr_inline for a in last.args)
            if inl and last.loc is not None:  # ``return f(x), g``: that expression's line
                body[-1].line = last.loc.line
        else:
            y = fn.body.yields[0] if fn.body.yields else None
            mine = isinstance(y, Var) and (last is None or y is not last.result)
            d = self.plan.expr_inline.get(y) if mine else None  # type: ignore[arg-type]
            if d is not None and y not in self.names:
                body += self.capped(d, lambda: wrap(self.expr(y), TEST), 7)[0]  # type: ignore[arg-type]
            body.append(St("return" if y is None else "return " + wrap(self.expr(y), TEST)))
            if d is not None and d.loc is not None:  # ``return x * 2``: that expression's line
                body[-1].line = d.loc.line
        return f"def {self.fname}({', '.join(params)}):", body

    def _default(self, p: str) -> E:
        v = self.fn.defaults[p]
        return tx.literal(v) if is_literal(v) else (self.fac.defaults[(self.index, p)], ATOM)

    # -- names ---------------------------------------------------------------------------------
    def define(self, v: Var, hint: str = "") -> str:
        """The name of `v`: its class's name (see `layout`), given out at the first member."""
        root = v if v not in self.plan.root else self.plan.cls(v)  # (most values are alone)
        name = self.class_names.get(root)
        if name is None:
            name = self.class_names[root] = self.namer.fresh(v.hint or hint)
        self.names[v] = name
        return name

    def unpack_target(self, x: Var, room: int) -> str:
        """The targets unpacking tape entry `x` (`tapeloops.unpacks`): ``a, _, b, *_``, in
        parentheses when the statement, with `room` characters besides, is too long for a line
        (so that `text.split` can break it)."""
        group, n, at = self.unpacks[x]
        by = {at[o.args[1].value]: o.results[0] for o in group}  # type: ignore[union-attr]
        top = max(by)
        if not self.junk:
            self.junk = self.namer.fresh("_")
        names = [self.define(by[j]) if j in by else self.junk for j in range(top + 1)]
        if n > top + 1:
            names.append("*" + self.junk)
        if len(names) == 1:
            return "(" + names[0] + ",)"  # (``a, = x`` is easily misread)
        text = ", ".join(names)
        return text if len(text) + room <= tx.WIDTH - self.pad else "(" + text + ")"

    def expr(self, a: Operand) -> E:
        if type(a) is Const:
            v = a.value
            t = type(v)
            if t in _SCALARS and not (t is float and (v != v or not v and math.copysign(1, v) < 0)):
                e = self.lits.get((t, v))  # written once each (not nan, not -0.0: == 0.0)
                if e is None:
                    e = self.lits[(t, v)] = tx.literal(v)
                return e
            if is_literal(v):
                return tx.literal(v)
            if v is UNBOUND:  # (a name with no value: lower/unbound.py)
                return self.fac.alias["srcad.runtime"] + ".UNBOUND", ATOM
            return self.fac.const_name(v), ATOM
        n = self.names.get(a)  # type: ignore[arg-type]
        if n is not None:
            return n, ATOM
        d = self.plan.expr_inline.get(a) or self.plan.index_inline.get(a)  # type: ignore[arg-type]
        if d is None:
            raise ValueError(f"{self.fn.name}: {a!r} is read before it is defined (run verify)")
        e = self.rendered[d] = self.op_expr(d)
        return e

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
        f = self.heads.get(prim)  # a function called before (the commonest op): `call`, inline
        if f is not None and prim != "setitem":
            names, parts = self.names, []
            for a in op.args if op not in self.written else self.written[op]:
                n = names.get(a) if type(a) is Var else None  # type: ignore[arg-type]
                if n is None:
                    t, p = expr(a)
                    parts.append(t if p >= TEST else "(" + t + ")")
                else:
                    parts.append(n)
            d = self.defaults.get(prim)
            if d and len(op.args) >= d[0]:
                parts = parts[: written_args(op.args, d)]
            if op.kwargs:
                for k, v in op.kwargs.items():
                    parts.append(("**" if k is None else k + "=") + wrap(expr(v), TEST))
            return f + "(" + ", ".join(parts) + ")", ATOM
        b = tx.BIN.get(prim)
        if b is not None and not op.kwargs:  # ``a + b``: `tx.op_text`'s, inline
            src = op.args if op not in self.written else self.written[op]
            if len(src) == 2:
                u, w = src
                names = self.names
                n = names.get(u) if type(u) is Var else None  # type: ignore[arg-type]
                x, xp = expr(u) if n is None else (n, ATOM)
                n = names.get(w) if type(w) is Var else None  # type: ignore[arg-type]
                y, yp = expr(w) if n is None else (n, ATOM)
                sym, p, lp, rp = b
                return (x if xp >= lp else "(" + x + ")") + sym + (
                    y if yp >= rp else "(" + y + ")"
                ), p
        if prim in ("getitem", "setitem") and len(op.args) >= 2:
            args = [expr(op.args[0]), self.index_expr(op.args[1]), *map(expr, op.args[2:])]
        else:  # a named operand's text here, without a call (the commonest operand)
            names, args = self.names, []
            for a in op.args if op not in self.written else self.written[op]:
                n = names.get(a) if type(a) is Var else None  # type: ignore[arg-type]
                args.append(expr(a) if n is None else (n, ATOM))
        kw = [(k, expr(v)) for k, v in op.kwargs.items()] if op.kwargs else []
        f = self.heads.get(prim)  # (None but for a setitem: a function called before is above)
        if f is None:  # syntax, a method, an attribute, a first call
            if prim in ("is", "is_not") and len(op.args) == 2:
                done = fold(prim, list(op.args))  # (``1 is not None``: fold read a literal tuple)
                if done is not None:
                    return tx.literal(done.value)
                args = [tx.identity_operand(a, t) for a, t in zip(op.args, args)]
            if prim in tx.SYNTAX:
                return tx.op_text(prim, args, kw)  # type: ignore[arg-type, return-value]
            if prim.startswith("method."):
                return tx.call(tx.attr(args[0], prim[7:]), args[1:], kw)  # type: ignore[arg-type]
            if prim.startswith("attr."):
                return tx.attr(args[0], prim[5:]), ATOM  # type: ignore[arg-type]
            f = prim  # ``np.linalg.solve``
            if "." in prim:
                mod, _, attrs = module_of(prim)
                f = ".".join([self.fac.alias[mod], *attrs])
            self.heads[prim] = f
            if prim.startswith(RUNTIME):
                self.defaults[prim] = runtime_defaults(prim)
        d = self.defaults.get(prim)
        if d and len(op.args) >= d[0]:
            args = args[: written_args(op.args, d)]
        return tx.call(f, args, kw)  # type: ignore[arg-type]

    # -- statements ----------------------------------------------------------------------------
    def block(self, block: Block) -> list[St]:
        """The statements of `block`'s ops; runs of ``quiet`` ops' statements (masked terms that
        may divide by zero where their value is dropped: ad/maskemit.py) under one ``with
        np.errstate(all="ignore"):``, except in a loop body (its cost would be per iteration);
        runs of ops of a user's ``with np.errstate(divide="ignore"):`` under that, loops too."""
        out: list[St] = []
        self.pad += 4
        runs = Quiet(self.quiet_head)  # (backend/quiet.py)
        skip, loops, op_stmts = self.skip, self.loops, self.op_stmts  # (`loops`: as it was
        index, inline = self.plan.index_inline, self.plan.expr_inline  # after each op)
        for op in block.ops:
            if op in skip:
                x = skip[op]
                if x is None:
                    continue
                quiet = None
                value = wrap(self.op_expr(op), TEST)  # ``a, _, b = tape[k]``
                stmts = [St(self.unpack_target(x, len(value) + 3) + " = " + value)]
            else:
                res = op.results  # written inside the expression reading it: no statement
                if len(res) == 1 and (res[0] in inline or res[0] in index):
                    continue  # (what `op_stmts` answers, without the call)
                quiet = op.params.get("quiet") if op.params else None
                if quiet is True and loops:
                    quiet = None
                if quiet:
                    self.pad += 4
                    stmts = op_stmts(op)
                    self.pad -= 4
                else:
                    stmts = op_stmts(op)
            loc = op.loc
            if loc is not None:  # the user line of each statement (backend/locations.py)
                line, col = loc.line, loc.col
                for s in stmts:
                    if not s.line:  # (`capped` gives the ones it writes their own)
                        s.line, s.col = line, col
            if quiet and stmts:
                runs.add(op, stmts, out, None if quiet is True else errstate_line(self.np_, quiet))
            elif stmts:
                if runs.group is not None:
                    runs.close(out)
                out += stmts
        runs.close(out)
        self.pad -= 4
        return out

    def capped(
        self, op: Op, render: Callable[[], str], room: int, text: str | None = None
    ) -> tuple[list[St], str]:
        """`render()` (or `text`, what it returns now), the text of `op` in a statement with
        `room` characters besides, and the statements before it: `op`'s inlined operands, in
        evaluation order, while the line is longer than `text.WIDTH` (when taking them all out
        would make it fit)."""
        text, plan = render() if text is None else text, self.plan
        width = tx.WIDTH - self.pad - room
        if len(text) <= width:
            return [], text
        inl = self.inlined(op)
        rendered = self.rendered  # (as `text` has them: written since the last name was given)
        es = [rendered.get(d) or self.op_expr(d) for d in [plan.expr_inline[a] for a in inl]]
        # (taking one out changes no other)
        if len(text) - sum(len(e[0]) - 4 for e in es) > width:
            return [], text  # `text.split` breaks it after commas instead
        pre: list[St] = []
        for a, e in zip(inl, es):
            d = plan.expr_inline[a]
            sub, value = self.capped(d, lambda d=d: wrap(self.op_expr(d), TEST), 6, wrap(e, TEST))
            st = St(self.define(a) + " = " + value)
            rendered.clear()  # (the texts that held `a` are out of date)
            if d.loc is not None:
                st.line, st.col = d.loc.line, d.loc.col
            pre += [*sub, st]
            text = render()
            if len(text) <= width:
                break
        return pre, text

    def inlined(self, op: Op) -> list[Var]:
        """The operands of `op` written inside its expression, in evaluation order."""
        out: list[Var] = []
        for a in op.operands() if op not in self.written else self.written[op]:
            if type(a) is Var and a not in self.names:
                d = self.plan.index_inline.get(a)
                if d is not None:
                    out += self.inlined(d)
                elif a in self.plan.expr_inline:
                    out.append(a)
        return out

    def op_stmts(self, op: Op) -> list[St]:
        if op.prim in _STATEMENTS:
            return self.special_stmts(op)
        if len(op.results) == 1:  # the common case, first: ``name = expression``
            r, plan = op.results[0], self.plan
            if r in plan.index_inline or r in plan.expr_inline:
                return []
            if op.kwargs and op.prim in tx.AUGMENTED and op.params.get("inplace"):
                aug = self.augmented(op)
                if aug is not None:
                    return aug
            value = self.op_expr(op)
            text = value[0]
            if len(text) > tx.WIDTH - 16 - self.pad:  # long: see `capped`
                return self.value_stmts(op, value)
            # `define(r)`, inline (the commonest statement)
            root = r if r not in plan.root else plan.cls(r)
            cname = self.class_names.get(root)
            if cname is None:
                cname = self.class_names[root] = self.namer.fresh(r.hint or "")
            self.names[r] = cname
            if not plan.uses.get(r):
                return [St(wrap(value, YIELD))]
            return [St(cname + " = " + (text if value[1] >= TEST else "(" + text + ")"))]
        return self.value_stmts(op)

    def augmented(self, op: Op) -> list[St] | None:
        """``bx += g`` for ``bx_1 = np.add(bx, g, out=bx)`` (passes/inplace_ops.py) when the
        result shares the name of its buffer (`coalesce`), the buffer is the first operand or
        the ufunc commutes (``t *= g`` for ``np.multiply(g, t, out=t)``: a product or sum of
        floats is the same either way); None otherwise (the call is written)."""
        t, plan = op.kwargs.get("out"), self.plan
        r = op.results[0]
        if len(op.kwargs) != 1 or type(t) is not Var or len(op.args) != 2 or r not in plan.root:
            return None
        name = self.names.get(t)
        if name is None or plan.cls(r) is not plan.cls(t):
            return None
        a, b = op.args
        sym, commutes = tx.AUGMENTED[op.prim]
        other = b if a is t else a if b is t and commutes else None
        if other is None:
            return None
        pre, value = self.capped(op, lambda: wrap(self.expr(other), TEST), len(name) + 4)
        self.define(r)
        return [*pre, St(name + " " + sym + " " + value)]

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
            x, val = self.expr(op.args[0]), self.expr(self.written.get(op, op.args)[1])
            n = self.define(op.result)
            out = [St(tx.call(tx.attr(x, "append"), [val])[0])]
            if not (x[1] == ATOM and x[0] == n):
                out.append(St(n + " = " + wrap(x, TEST)))
            return out
        if op.prim == "setitem":
            x, val = self.expr(op.args[0]), self.expr(op.args[2])
            idx = self.index_expr(op.args[1])
            n = self.define(op.result)
            mod, _, attrs = module_of(emitscan.LAYOUT_COPY)  # (an array's layout kept)
            copy = tx.call(".".join([self.fac.alias[mod], *attrs]), [x])
            store = tx.subscript((n, ATOM), idx)[0]
            return [St(n + " = " + copy[0]), St(store + " = " + wrap(val, TEST))]
        return self.value_stmts(op)

    def value_stmts(self, op: Op, first: E | None = None) -> list[St]:
        """``name = value``, ``a, b = value`` or the bare expression (its value unused);
        `first`: the value's text, when made already."""
        plan = self.plan
        if not op.results or (len(op.results) == 1 and not plan.uses.get(op.result)):
            now = None if first is None else wrap(first, YIELD)
            pre, value = self.capped(op, lambda: wrap(self.op_expr(op), YIELD), 0, now)
            for r in op.results:
                self.define(r)
            return [*pre, St(value)]
        room = sum(len(r.hint or "_t10") + 2 for r in op.results) + 1
        now = None if first is None else wrap(first, TEST)
        pre, value = self.capped(op, lambda: wrap(self.op_expr(op), TEST), room, now)
        names = [self.define(r) for r in op.results]
        return [*pre, St(", ".join(names) + " = " + value)]

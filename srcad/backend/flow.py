"""The emitter's control flow: IR ``if``/``for``/``while`` ops and loop-carry copies -> `St`s.

Input: a structured op, read through the emitter (`emit._FnEmitter`, which this class is a part
of: names, expressions, blocks). Output: its statements: ``if``/``else``, flag copies
(``brk = _t5``), ``for i in range(...)`` (``for x in reversed(tape)`` for a tape loop), ``while``
with its condition inline or as a ``break``, and the carries' copies (``a, b = b, a`` when a
later value reads an earlier target).
"""

from __future__ import annotations

from srcad.backend import shapes as sh
from srcad.backend import text as tx
from srcad.backend.text import ATOM, NOT, TEST, E, St, wrap
from srcad.ssa.core import Op, Operand, Var


class Flow:
    """Statements of structured ops; mixed into the emitter (see the module docstring)."""

    def assign_all(self, pairs: list[tuple[str, E, Operand]]) -> list[St]:
        """``a = x; b = y``, or ``a, b = b, a`` when a later value reads an earlier target.
        `pairs`: (target, value's text, the operand it is the text of)."""
        pairs = [(t, e, a) for t, e, a in pairs if not (e[1] == ATOM and e[0] == t)]
        later: set[str] = set()  # names read by the values after the one at hand
        for t, _, a in reversed(pairs):
            if t in later:
                return [tuple_assign([t for t, _, _ in pairs], [e for _, e, _ in pairs])]
            later |= self.read_names(a)
        out, nones = [], None  # ``a = b = None``: one statement for consecutive Nones
        for t, e, _ in pairs:
            if e[0] != "None":
                out.append(St(t + " = " + wrap(e, TEST)))
                nones = None
            elif nones is None:
                nones = St(t + " = None")
                out.append(nones)
            else:
                nones.text = nones.text[:-4] + t + " = None"
        return out

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
        if not then and _real(orelse):  # ``if not c: ...``, not ``if c: pass`` / ``else: ...``
            return [St("if not " + wrap(test, NOT) + ":", orelse)]
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
                x = self.tape_loops[op][1].results[0]
                if x in self.unpacks:  # ``for a, _, b in reversed(tape):``
                    room = 22 + len(self.expr(self.tape_loops[op][0])[0])
                    ivar = self.unpack_target(x, room)
                else:
                    ivar = self.define(x)
            a = op.args
            if sh.is_int(a[2], 1):
                range_args = range_args[1:2] if sh.is_int(a[0], 0) else range_args[:2]
        else:
            cond = op.blocks[0]
            self.loops += 1
            head = self.block(cond)
            self.loops -= 1
            flag = self.expr(cond.yields[0])
            if op not in self.plan.inline_while:
                head.append(St("if not " + wrap(flag, NOT) + ":", [St("break")]))
                flag = ("True", tx.INT)
        self.loops += 1  # (no ``with np.errstate`` per iteration: emit.py's `block`)
        body = self.block(body_block)
        self.loops -= 1
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


def tuple_assign(targets: list[str], values: list[E]) -> St:
    """``a, b = x, y`` (ast.unparse writes ``(a, b) = ...`` on Python 3.10)."""
    return St(f"{', '.join(targets)} = {tx.items(values)}")


def _real(stmts: list[St]) -> bool:
    """Has a statement other than a comment."""
    for s in stmts:  # (a loop: a generator per call cost more)
        if s.comment is None:
            return True
    return False


def _nonempty(stmts: list[St]) -> list[St]:
    return stmts if _real(stmts) else stmts + [St("pass")]

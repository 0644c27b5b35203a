"""IR printer: `Function` -> readable text, the same text for the same IR on every Python version.

Input: a `Function`. Output: a string such as

    def loss(w):
        %0 = matmul(X, w)                               # line 3
        s.1 = for %i in range(0, n, 1) carry(s = 0.0) {  # line 5
            %1 = add(s, %i)                             # line 6
            yield %1
        }
        return s.1

Names are handed out at print time in program order: a Var with hint ``x`` prints as ``x``, the next
one with the same hint as ``x.1``, ``x.2``; Vars without a hint print as ``%0``, ``%1``.
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Block, Const, Function, Op, Operand, Var

COMMENT_COLUMN = 48
_INDENT = "    "


def format_function(fn: Function) -> str:
    """The text of `fn` (see the module docstring)."""
    return _Printer().function(fn)


def format_op(op: Op) -> str:
    """One op on its own, with names local to it (for error messages)."""
    return "\n".join(_Printer().op(op, 0))


def format_const(c: Const) -> str:
    return _value(c.value)


def _value(v: Any) -> str:
    if isinstance(v, slice):
        return f"slice({_value(v.start)}, {_value(v.stop)}, {_value(v.step)})"
    if v is Ellipsis:
        return "..."
    if isinstance(v, tuple):
        inner = ", ".join(_value(e) for e in v)
        return f"({inner},)" if len(v) == 1 else f"({inner})"
    if isinstance(v, (bool, int, float, complex, str, bytes)) or v is None:
        return repr(v)
    return f"<{type(v).__name__}>"  # arrays etc.: identity-free, so stable


class _Printer:
    def __init__(self) -> None:
        self.names: dict[Var, str] = {}
        self.counts: dict[str, int] = {}
        self.temps = 0

    def name(self, v: Var) -> str:
        n = self.names.get(v)
        if n is None:
            if v.hint:
                k = self.counts.get(v.hint, 0)
                self.counts[v.hint] = k + 1
                n = v.hint if k == 0 else f"{v.hint}.{k}"
            else:
                n = f"%{self.temps}"
                self.temps += 1
            self.names[v] = n
        return n

    def operand(self, a: Operand) -> str:
        if isinstance(a, Var):
            return self.names.get(a) or f"<undefined {a.hint or '%'}>"
        return format_const(a) if isinstance(a, Const) else f"<bad operand {a!r}>"

    def operands(self, op: Op, args: list[Operand] | None = None) -> str:
        parts = [self.operand(a) for a in (op.args if args is None else args)]
        parts += [f"{k}={self.operand(v)}" for k, v in op.kwargs.items()]
        return ", ".join(parts)

    def function(self, fn: Function) -> str:
        params = []
        for v, n in zip(fn.params, fn.param_names):
            self.names[v] = n
            self.counts[n] = self.counts.get(n, 0) + 1
            params.append(n + (f"={_value(fn.defaults[n])}" if n in fn.defaults else ""))
        lines = [f"def {fn.name}({', '.join(params)}):"]
        lines += self.block(fn.body, 1, final="return")
        return "\n".join(lines) + "\n"

    def block(self, block: Block, depth: int, final: str = "yield", brk: bool = False) -> list[str]:
        """`brk`: the last yield is the stop flag of a loop with ``has_break``."""
        lines: list[str] = []
        for op in block.ops:
            lines += self.op(op, depth)
        ys = [self.operand(y) for y in block.yields]
        tail = f"; break if {ys.pop()}" if brk and ys else ""
        lines.append(_INDENT * depth + " ".join([final, ", ".join(ys)]).rstrip() + tail)
        return lines

    def op(self, op: Op, depth: int) -> list[str]:
        pad = _INDENT * depth
        brk = bool(op.params.get("has_break")) and op.prim in ("for", "while")
        params = {k: v for k, v in op.params.items() if k != "has_break" or not brk}
        params.pop("read_may_insert", None)  # (every read of an argument: passes/missing_keys)
        params.pop("quiet", None)  # (how the backend writes it: ad/maskemit.py, backend/quiet.py)
        head = op.prim
        if op.prim == "comment":
            return [f"{pad}# {op.params.get('text', '')}"]
        if op.prim == "for" and len(op.args) >= 3 and op.blocks and op.blocks[0].params:
            body = op.blocks[0]
            rng = self.operands(op, op.args[:3])
            carry = self._carry(body.params[1:], op.args[3:])
            head = f"for {self.name(body.params[0])} in range({rng}){carry}"
        elif op.prim == "while":
            ps = op.blocks[0].params if op.blocks else []
            head = f"while{self._carry(ps, op.args)}"
        elif op.prim in ("global", "free") and not op.args and "name" in params:
            head = f"{op.prim} {params.pop('name')}"
        elif not op.blocks:
            head = f"{op.prim}({self.operands(op)})"
        else:
            head = f"{op.prim} {self.operands(op)}"
        if params:
            head += " [" + ", ".join(f"{k}={_value(v)}" for k, v in params.items()) + "]"
        results = ", ".join(self.name(r) for r in op.results)
        text = f"{pad}{results} = {head}" if results else f"{pad}{head}"
        lines = [text + (" {" if op.blocks else "")]
        if op.loc is not None:
            lines[0] = lines[0].ljust(COMMENT_COLUMN) + f"  # line {op.loc.line}"
        for i, b in enumerate(op.blocks):
            if i > 0:
                label = "else" if op.prim == "if" else "do"
                ps = ", ".join(self.name(p) for p in b.params)
                lines.append(f"{pad}}} {label}{f' ({ps})' if ps and op.prim == 'while' else ''} {{")
            is_body = op.prim in ("for", "while") and i == len(op.blocks) - 1
            lines += self.block(b, depth + 1, brk=brk and is_body)
        if op.blocks:
            lines.append(pad + "}")
        return lines

    def _carry(self, params: list[Var], inits: list[Operand]) -> str:
        pairs = [f"{self.name(p)} = {self.operand(a)}" for p, a in zip(params, inits)]
        extra = [self.operand(a) for a in inits[len(params) :]]
        extra += [self.name(p) for p in params[len(inits) :]]
        return f" carry({', '.join(pairs + extra)})" if pairs or extra else ""

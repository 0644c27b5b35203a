"""The statements of the wild generator (tests/fuzz/gen_wild.py).

Input: the generator's state (its locals so far, a decision source, `gen_wild_expr.WildExpr`'s
expressions). Output: one statement's lines (indented one level, for the body of `f`), which may
raise `Reject`: assignments, augmented assignments on slices of fresh arrays, tuple and starred
unpacking, walrus in conditions and comprehensions, nested functions with defaults and closures,
lambdas, `while` with a counter and `break`, `for ... else`, `try/except`, early `return` inside
loops, `match` on ints, shapes and tuples, `if/elif/else` on float conditions; state, aliases
and linear algebra: tests/fuzz/gen_wild_state.py; session-27 forms: tests/fuzz/gen_wild_27.py;
session-30 forms: tests/fuzz/gen_wild_30.py; session-32 forms: tests/fuzz/gen_wild_32.py;
session-33 forms: tests/fuzz/gen_wild_33.py; session-34 forms: tests/fuzz/gen_wild_34.py;
session-35 forms (Python scalar code mixed with arrays): tests/fuzz/gen_wild_35.py; session-37
forms (features the others draw apart, combined): tests/fuzz/gen_wild_37.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .gen_wild_26 import Wild26
from .gen_wild_27 import Wild27
from .gen_wild_30 import Wild30
from .gen_wild_32 import Wild32
from .gen_wild_33 import Wild33
from .gen_wild_34 import Wild34
from .gen_wild_35 import Wild35
from .gen_wild_37 import Wild37
from .gen_wild_expr import Reject, WildExpr, kind
from .gen_wild_extra import WildExtra
from .gen_wild_more import WildMore
from .gen_wild_py import WildPy
from .gen_wild_state import WildState


class WildStmts(
    WildState,
    WildPy,
    WildMore,
    Wild26,
    Wild27,
    Wild30,
    Wild32,
    Wild33,
    Wild34,
    Wild35,
    Wild37,
    WildExtra,
    WildExpr,
):
    """Mixin: `statement()` returns the lines of one random statement."""

    scope: dict[str, Any]
    counter: int
    w30_weight: float = 2.0  # the session-30 forms (``--grammar wild30``: mostly those)
    w32_weight: float = 2.0  # the session-32 forms (``--grammar wild32``: mostly those)
    # the session-33 forms (``--grammar wild33``: mostly those; 0 elsewhere, so that the other
    # grammars' seeds keep drawing the programs they drew)
    w33_weight: float = 0.0
    w34_weight: float = 0.0  # the session-34 forms (``--grammar wild34``), 0 elsewhere as w33
    w35_weight: float = 0.0  # the session-35 forms (``--grammar wild35``), 0 elsewhere as w33
    w37_weight: float = 0.0  # the session-37 forms (``--grammar wild37``), 0 elsewhere as w33

    def fresh(self, p: str = "v") -> str:
        self.counter += 1
        return f"{p}{self.counter}"

    def depth(self) -> int:
        return self.r.pick([1, 2, 2, 3, 3, 4])

    def scoped(self, **vals: Any) -> None:
        self.scope = dict(vals)

    def statement(self) -> list[str]:
        self.scope = {}
        opts = [
            (4, self.s_assign),
            (1.5, self.s_aug),
            (1, self.s_unpack),
            (1, self.s_walrus),
            (1, self.s_func),
            (1, self.s_while),
            (1, self.s_for_else),
            (0.8, self.s_try),
            (0.5, self.s_early),
            (1, self.s_match),
            (1, self.s_loop_acc),
            (1, self.s_if),
            (1.2, self.s_view),
            (0.6, self.s_lambdas),
            (3, self.s_py),
            (2.5, self.s_state),
            (3, self.s_extra),
            (2.5, self.s_w26),
            (2.5, self.s_w27),
            (self.w30_weight, self.s_w30),
            (self.w32_weight, self.s_w32),
            (self.w33_weight, self.s_w33),
            (self.w34_weight, self.s_w34),
            (self.w35_weight, self.s_w35),
            (self.w37_weight, self.s_w37),
        ]
        try:
            return self.r.pick_w(opts)()
        finally:
            self.scope = {}

    def s_assign(self) -> list[str]:
        n = self.fresh()
        e, _ = self.fexpr(self.depth())
        return [f"    {n} = {e}"]

    def s_aug(self) -> list[str]:
        a, av = self.fexpr(self.depth() - 1)
        if np.ndim(av) == 0:
            raise Reject("aug on a scalar")
        w = self.fresh("w")
        head = f"    {w} = np.array({a}, dtype=float)"
        if self.r.chance(0.3):
            head = f"    {w} = ({a}).copy()"
        s = np.shape(av)
        r = self.r
        ix = r.pick(
            [
                "::2",
                "1:",
                "::-1",
                str(r.int(-s[0], s[0] - 1)),
                "...",
                f"[{r.int(0, s[0] - 1)}, {r.int(0, s[0] - 1)}]",
                f"{w} > {r.normal()}",
                ":, 0" if len(s) == 2 else ":1",
                "-1, ..." if len(s) == 2 else "-1:",
            ]
        )
        op = r.pick(["+=", "-=", "*=", "/=", "**=", "="])
        self.scoped(**{w: np.array(av, dtype=float)})
        b, _ = self.fexpr(self.depth() - 1) if r.chance(0.6) else self.leaf("f")
        if op == "/=":
            b = f"({b} ** 2 + 0.5)"
        if op == "**=":
            head += f"\n    {w} = np.abs({w}) + 0.5"
            b = r.pick(["2", "0.5", "3"])
        self.use("aug_" + op)
        lines = [head, f"    {w}[{ix}] {op} {b}"]
        if r.chance(0.3):
            lines.append(f"    {w} += {w}[::-1] if {w}.ndim == 1 else {w}.T[::-1].T")
        return lines

    def s_unpack(self) -> list[str]:
        r = self.r
        a, b = self.fresh(), self.fresh()
        form = r.pick(["pair", "split", "star", "nested", "swap", "rows"])
        self.use("unpack_" + form)
        if form == "pair":
            e1, _ = self.fexpr(self.depth())
            e2, _ = self.fexpr(self.depth())
            return [f"    {a}, {b} = {e1}, {e2}"]
        if form == "split":
            e, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] % 2 == 0)
            return [f"    {a}, {b} = np.split({e}, 2)"]
        if form == "star":
            e, _ = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] >= 2)
            return [f"    {a}, *{b} = {e}", f"    {b} = np.array({b}) if {b} else {a} * 0.0"]
        if form == "nested":
            e1, _ = self.fexpr(self.depth())
            e2, _ = self.fexpr(1)
            c = self.fresh()
            return [f"    ({a}, {b}), {c} = ({e1}, {e2}), {e1}"]
        if form == "swap":
            e1, _ = self.fexpr(self.depth())
            e2, _ = self.fexpr(self.depth())
            return [f"    {a}, {b} = {e1}, {e2}", f"    {a}, {b} = {b}, {a} * 0.5"]
        e, _ = self.leaf("f", lambda x: x.ndim == 2 and x.shape[0] >= 2)
        return [f"    {a}, {b} = {e}[:2]"]

    def s_walrus(self) -> list[str]:
        r = self.r
        t, n = self.fresh("t"), self.fresh()
        self.use("walrus")
        if r.chance(0.5):
            e, _ = self.fexpr(self.depth())
            self.scoped(**{t: self.ev(e)})
            b1, _ = self.fexpr(self.depth())
            b2, _ = self.fexpr(self.depth())
            c = r.normal()
            test = f"np.sum({t}) > {c}" if r.chance(0.5) else f"({t} := {e}).size"
            if test.startswith("np.sum"):
                test = f"np.sum({t} := {e}) > {c}"
            return [f"    if {test}:", f"        {n} = {b1}", "    else:", f"        {n} = {b2}"]
        a, _ = self.leaf("f", lambda x: x.ndim == 1 and x.size > 0)
        c = r.normal()
        return [
            f"    {n} = [y for e in {a} if (y := e * 2.0 - 0.1) > {c}]",
            f"    {t} = sum({n}) + len({n}) * 0.5",
        ]

    def s_func(self) -> list[str]:
        r = self.r
        scal = self.names("f", lambda x: x.ndim == 0)
        cap = r.pick(scal) if scal and r.chance(0.6) else None
        capv = self.ev(cap) if cap else 0.0
        self.use("closure" if cap else "nested_def")
        if r.chance(0.4):
            g = self.fresh("h")
            self.scoped(a=np.array([0.3, -0.8, 1.1]))
            self.scope[cap or "_"] = capv
            body = self.elementwise("a", cap)
            self.use("lambda")
            return [f"    {g} = lambda a: {body}"]
        g = self.fresh("g")
        dflt = r.normal()
        self.scoped(a=np.array([0.3, -0.8, 1.1]), b=dflt)
        body = self.elementwise("a", cap, "b")
        lines = [f"    def {g}(a, b={dflt}):"]
        if r.chance(0.4):
            lines += ["        if np.ndim(a) == 0:", f"            return {body} + 0.0"]
        if r.chance(0.3):
            lines += [f"        c = {body}", "        return c * b + np.cos(c)"]
        else:
            lines += [f"        return {body}"]
        return lines

    def elementwise(self, *names: str | None) -> str:
        """An elementwise expression of the given names (shape-preserving in the first)."""
        ns = [n for n in names if n]
        r = self.r
        out = ns[0]
        for _ in range(r.int(1, 3)):
            o = r.pick(ns + ["0.7", "2"])
            t = r.pick(["np.sin({})", "np.tanh({})", "{} ** 2", "np.exp(np.cos({}))", "{}"])
            out = f"({out} {r.pick(['+', '*', '-'])} {t.format(o)})"
        return out

    def s_while(self) -> list[str]:
        r = self.r
        k, acc = self.fresh("k"), self.fresh()
        init, iv = self.fexpr(self.depth() - 1)
        self.scoped(**{acc: iv, k: 0})
        step, _ = self.fexpr(self.depth() - 1)
        n = r.int(1, 5)
        lines = [f"    {k} = 0", f"    {acc} = {init}", f"    while {k} < {n}:"]
        lines.append(f"        {acc} = {acc} * {r.pick(['0.5', '0.9', '-0.3'])} + np.tanh({step})")
        lines.append(f"        {k} += 1")
        if r.chance(0.6):
            lines.append(f"        if np.max({acc}) > {abs(r.normal()) + 1.0}:")
            lines.append("            break")
        self.use("while")
        return lines

    def s_for_else(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)
        e, n = self.fresh("e"), self.fresh()
        self.scoped(**{e: np.asarray(av)[0]})
        b1, _ = self.fexpr(self.depth() - 1)
        self.scope = {}
        b2, _ = self.fexpr(self.depth() - 1)
        c = r.normal()
        self.use("for_else")
        return [
            f"    for {e} in {a}:",
            f"        if np.sum({e}) > {c}:",
            f"            {n} = {b1}",
            "            break",
            "    else:",
            f"        {n} = {b2}",
        ]

    def s_try(self) -> list[str]:
        r = self.r
        n = self.fresh()
        b, _ = self.fexpr(self.depth())
        self.use("try")
        form = r.pick(["index", "key", "linalg", "zero"])
        pre = []
        if form == "index":
            a, av = self.leaf("f", lambda x: x.ndim >= 1)
            k = r.int(0, np.shape(av)[0] + 1)
            body = f"{a}[{k}] * 2.0"
            exc = "IndexError"
        elif form == "key":
            # (not ``{'p': b}['q']``, a dict display subscripted in the `try`: refused)
            dn = self.fresh("d")
            pre = [f"    {dn} = {{'p': {b}}}"]
            body, exc = f"{dn}[{r.pick(['p', 'q'])!r}]", "KeyError"
        elif form == "linalg":
            a, _ = self.leaf("f", lambda x: x.ndim == 2 and x.shape[0] == x.shape[1])
            body, exc = f"np.linalg.cholesky({a}).sum()", "np.linalg.LinAlgError"
        else:
            s, _ = self.leaf("f", lambda x: x.ndim == 0)
            body, exc = f"1.0 / float({s} * {r.pick([0, 1])})", "ZeroDivisionError"
        return pre + [
            "    try:",
            f"        {n} = {body}",
            f"    except {exc}:",
            f"        {n} = {b}",
        ]

    def s_early(self) -> list[str]:
        r = self.r
        if not getattr(self, "early_ok", True):
            raise Reject("too early for an early return")
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)
        i = self.fresh("i")
        self.scoped(**{i: 0})
        ret, _ = self.fexpr(self.depth() - 1)
        c = r.normal() + 1.0
        self.use("early_return")
        return [
            f"    for {i} in range(len({a})):",
            f"        if np.sum({a}[{i}]) > {c}:",
            f"            return float(np.sum({ret})) + {i}",
        ]

    def s_match(self) -> list[str]:
        r = self.r
        n = self.fresh()
        bodies = [self.fexpr(self.depth() - 1)[0] for _ in range(3)]
        form = r.pick(["int", "shape", "tuple"])
        self.use("match_" + form)
        if form == "int":
            s, _ = self.iexpr()
            head = f"    match {s}:"
            cases = ["0", "1 | 2", "_"]
        elif form == "shape":
            a, _ = self.leaf("f", lambda x: x.ndim >= 1)
            head = f"    match np.shape({a}):"
            cases = ["(1,)", "(m, 2) if m > 1", "_"]
        else:
            s, _ = self.iexpr()
            head = f"    match ({s}, 'k'):"
            cases = ["(0, 'k')", "(k, 'k') if k > 2", "_"]
        lines = [head]
        for c, b in zip(cases, bodies):
            lines += [f"        case {c}:", f"            {n} = {b}"]
        return lines

    def s_loop_acc(self) -> list[str]:
        r = self.r
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.shape[0] > 0)
        e, acc, k = self.fresh("e"), self.fresh(), self.fresh("k")
        loop = r.pick([f"{e} in {a}", f"{k}, {e} in enumerate({a})", f"{e} in {a}[::-1]"])
        self.scoped(**{e: np.asarray(av)[0]})
        if "enumerate" in loop:
            self.scope[k] = 0
        step, _ = self.fexpr(self.depth() - 1)
        lines = [f"    {acc} = 0.0", f"    for {loop}:"]
        if r.chance(0.3):
            lines.append(f"        if np.sum({e}) < {r.normal() - 1.0}:")
            lines.append("            continue")
        lines.append(f"        {acc} = {acc} + {step}")
        self.use("loop_acc")
        return lines

    def s_if(self) -> list[str]:
        r = self.r
        n = self.fresh()
        c, cv = self.bexpr(0)
        if np.ndim(cv):
            c = f"np.{r.pick(['any', 'all'])}({c})"
        b = [self.fexpr(self.depth() - 1)[0] for _ in range(3)]
        self.use("if")
        lines = [f"    if {c}:", f"        {n} = {b[0]}"]
        if r.chance(0.5):
            c2, _ = self.bexpr(0, ())
            lines += [f"    elif {c2}:", f"        {n} = {b[1]}"]
        lines += ["    else:", f"        {n} = {b[2]}"]
        return lines


__all__ = ["WildStmts", "kind"]

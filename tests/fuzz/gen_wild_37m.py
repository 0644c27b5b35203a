"""The module-level prelude and the in-place mutation forms of the session-37 wild statements
(tests/fuzz/gen_wild_37.py).

Input: the host generator's state (`gen_wild_stmts.WildStmts`). Output: `PRELUDE` (module-level
definitions `gen_wild_37.Wild37.prelude37` draws: a class whose methods update ``self`` fields,
one updating an array field in place, a dataclass stepped in a loop, a recursive function with
a depth parameter, a helper with keyword-only parameters returning a tuple) and the lines of one
statement group (`p_mutate`), or `Reject`: a method writing ``self.buf[i] += v`` and
``self.buf *= k`` in a loop; a nested function writing into an array of `f` (``buf[i] += t``);
``op=`` through a view held in a name; fancy indices with repeats (``w[[i, i, j]] += c``: one
update per position, as NumPy does); ``np.multiply(.., out=w[1:])`` over an overlapping slice;
``w[::-1] += w``; ``np.add.at`` with repeats; arrays of a list or dict changed in place through
the loop variable or another name (reading that name after it: refused, drawn less often).
"""

from __future__ import annotations

from typing import Any

_ACC = """class Acc37:
    def __init__(self, w, lr=0.1):
        self.w = w
        self.lr = lr
        self.hist = []
        self.n = 0

    def step(self, g, scale=1.0):
        self.w = self.w - self.lr * scale * g
        self.hist.append(float(np.sum(self.w ** 2)))
        self.n += 1
        return self.w

    def total(self):
        return sum(self.hist) / max(self.n, 1)
"""

_STATE = """@dataclasses.dataclass
class State37:
    x: np.ndarray
    v: np.ndarray
    t: float = 0.0
    steps: int = 0

    def advance(self, dt=0.1):
        self.v = self.v - dt * np.sin(self.x)
        self.x = self.x + dt * self.v
        self.t += dt
        self.steps += 1

    def energy(self):
        return 0.5 * float(np.sum(self.v ** 2)) - float(np.sum(np.cos(self.x)))
"""

_REC = """def rec37(x, depth=2, scale=1.0):
    if depth <= 0:
        return x * scale
    y = rec37(np.sin(x) + 0.5 * x, depth - 1, scale * 0.9)
    return y + 0.1 * x
"""

_STATS = """def stats37(x, *, ddof=0, eps=1e-3):
    m = float(np.mean(x))
    s = math.sqrt(float(np.var(x, ddof=ddof)) + eps)
    return m, s
"""


_BUF = """class Buf37:
    def __init__(self, n, scale=1.0):
        self.buf = np.zeros(n)
        self.scale = scale
        self.count = 0

    def add(self, i, v):
        self.buf[i] += v * self.scale
        self.count += 1
        return self.buf[i]

    def decay(self, k=0.9):
        self.buf *= k
"""

PRELUDE = {"Acc37": _ACC, "State37": _STATE, "rec37": _REC, "stats37": _STATS, "Buf37": _BUF}


class Wild37Mut:
    """Mixin of `gen_wild_37.Wild37`: the in-place forms of the module docstring."""

    r: Any
    consts: dict[str, Any]

    def p_mutate(self) -> list[str]:
        r = self.r
        a, av = self._vec35(3, 6)  # type: ignore[attr-defined]
        n = len(av)
        v, w, u, i, t, s, o, L = (self._n35(p) for p in "v w u i t s o L".split())  # type: ignore
        k = self._k33()  # type: ignore[attr-defined]
        opts = ["closure_buf", "view_op", "dup_idx", "out_slice", "rev", "add_at", "list", "dict"]
        if "Buf37" in self.consts:
            opts += ["buf", "buf"]
        form = r.pick(opts)
        self._u37("mut_" + form)  # type: ignore[attr-defined]
        if form == "buf":
            return [
                f"    {o} = Buf37({n}, scale={k})",
                f"    for {i} in range({n}):",
                f"        {t} = {o}.add({i}, {a}[{i}] ** 2)",
                f"        if {i} % 2:",
                f"            {o}.decay(k={t} * 0.1 + 0.5)",
                f"    {v} = {o}.buf * {a} + {o}.count",
                f"    del {o}",
            ]
        if form == "closure_buf":
            g = self._n35("g")  # type: ignore[attr-defined]
            return [
                f"    {w} = np.zeros({n})",
                f"    def {g}(j, t, c=1.0):",
                f"        {w}[j] += t * c",
                f"        return {w}[j]",
                f"    {s} = 0.0",
                f"    for {i}, {t} in enumerate({a}):",
                f"        {s} += {g}({i}, {t} * {t}) * {g}(({i} + 1) % {n}, {t}, c={k})",
                f"    {v} = {w} * {s}",
            ]
        lo = r.int(0, n - 2)
        hi = r.int(lo + 1, n)
        head = [f"    {w} = {a} * 1.0"]
        if form == "view_op":
            body = [
                f"    {u} = {w}[{lo}:{hi}]",
                f"    {u} *= {k}",
                f"    {u} += np.sin({a}[:{hi - lo}])",
                f"    {v} = {w} + {u}.sum()",
            ]
        elif form == "dup_idx":
            j, m = r.int(0, n - 1), r.int(0, n - 1)
            op = r.pick(["+=", "*=", "-="])
            body = [f"    {w}[[{j}, {j}, {m}]] {op} {a}[{r.int(0, n - 1)}] * 0.5 + 1.0"]
            body.append(f"    {v} = {w} * 1.0")
        elif form == "out_slice":
            fn = r.pick(["multiply", "add", "subtract"])
            body = [f"    np.{fn}({w}[:-1], {w}[1:], out={w}[1:])", f"    {v} = {w} * 1.0"]
        elif form == "rev":
            body = [r.pick([f"    {w}[::-1] += {w}", f"    {w} += {w}[::-1]"])]
            body.append(f"    {v} = {w} * {a}")
        elif form == "add_at":
            idx = [r.int(0, n - 1) for _ in range(3)]
            body = [f"    np.add.at({w}, {idx}, {a}[:3] * {k})", f"    {v} = {w} ** 2"]
        elif form == "list":
            body = [
                f"    {L} = [{w}, np.cos({a})]",
                f"    for {t} in {L}:",
                f"        {t} *= 1.5",
                f"        {t}[0] += {a}[-1]",
                f"    {v} = {L}[0] + {L}[1]" + (f" + {w}" if r.chance(0.25) else ""),
                f"    del {L}",
            ]
        else:
            body = [
                f"    {L} = {{'a': {w}, 'b': {a} ** 2}}",
                f"    {u} = {L}['a']",
                f"    {u}[{lo}] = {a}[-1] ** 2",
                f"    {L}['b'][{hi - 1}] *= {k}",
                f"    {v} = {L}['a'] * 2.0 + {L}['b']" + (f" + {w}" if r.chance(0.25) else ""),
                f"    del {L}",
            ]
        return head + body

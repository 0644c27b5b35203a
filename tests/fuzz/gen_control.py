"""Control flow and nested functions for the program generator: `if`/`elif`/`else`, `for` over
ranges, arrays, rows, `enumerate` and `zip`, bounded `while`, `break`/`continue`, early `return`,
`append`, nested `def` (closures) and `lambda`.

Input: the generator's state (see gen.Gen). Output: statement lines appended to `self.lines`.
"""

from __future__ import annotations

from .gen_expr import ROOT_FEATURE, Var


class ControlMixin:
    """Statements with bodies; the host class is gen.Gen."""

    def s_if(self, depth: int) -> None:
        self.emit(f"if {self.cond(1)}:")
        self.ind += 1
        self.block(self.r.int(1, 3), depth - 1)
        self.ind -= 1
        while self.r.chance(0.3):
            self.emit(f"elif {self.cond(1)}:")
            self.ind += 1
            self.block(self.r.int(1, 2), depth - 1)
            self.ind -= 1
        if self.r.chance(0.5):
            self.emit("else:")
            self.ind += 1
            self.block(self.r.int(1, 2), depth - 1)
            self.ind -= 1

    def _loop_body(self, depth: int, names: dict[str, Var]) -> None:
        self.ind += 1
        self.loop += 1
        saved = dict(self.env)
        self.env.update(names)
        self.block(self.r.int(1, 3), depth - 1)
        self.env = self.join(saved)
        self.loop -= 1
        self.ind -= 1

    def s_for(self, depth: int) -> None:
        r = self.r
        i = self.fresh("i")
        opts = [(3, "range3"), (1, "range13")]
        if [n for n in self.vars("i") if self.is_param(n)]:
            opts.append((2, "rangen"))
        if self.vars("v"):
            opts.append((2, "iter_v"))
        if self.vars("m"):
            opts.append((1, "iter_m"))
        if self.vars("lf"):
            opts.append((1, "enum_lf"))
        if len(self.vars("v")) >= 1:
            opts.append((1, "zip"))
        kind = r.pick_w(opts)
        F = self.fid
        if kind == "range3":
            self.emit(f"for {i} in range(3):")
            names = {i: Var(i, "i", owner=F, bound=3)}
        elif kind == "range13":
            self.emit(f"for {i} in range(1, 3):")
            names = {i: Var(i, "i", owner=F, bound=3)}
        elif kind == "rangen":
            n = r.pick([n for n in self.vars("i") if self.is_param(n)])
            self.emit(f"for {i} in range({n}):")
            names = {i: Var(i, "i", owner=F, bound=3)}
        elif kind == "iter_v":
            self.emit(f"for {i} in {r.pick(self.vars('v'))}:")
            names = {i: Var(i, "f", owner=F)}
        elif kind == "iter_m":
            self.use("view")
            m = r.pick(self.vars("m"))
            self.emit(f"for {i} in {m}:")
            names = {i: Var(i, "v", owner=F, root=self.root_of(m))}
        elif kind == "enum_lf":
            e = self.fresh("e")
            self.emit(f"for {i}, {e} in enumerate({r.pick(self.vars('lf'))}):")
            names = {i: Var(i, "i", owner=F, bound=8), e: Var(e, "f", owner=F)}
        else:
            e = self.fresh("e")
            self.emit(f"for {i}, {e} in zip({r.pick(self.vars('v'))}, {self.e_v(1)}):")
            names = {i: Var(i, "f", owner=F), e: Var(e, "f", owner=F)}
        self._loop_body(depth, names)

    def s_while(self, depth: int) -> None:
        self.use("while")
        k = self.new_var("i", "0", bound=4)
        lim = self.r.int(1, 3)
        extra = f" and {self.cond(0)}" if self.r.chance(0.4) else ""
        self.emit(f"while {k} < {lim}{extra}:")
        self.ind += 1
        self.emit(f"{k} += 1")
        self.ind -= 1
        saved = self.in_while
        self.in_while = self.in_while or self.loop + 1
        self._loop_body(depth, {})
        self.in_while = saved

    def s_break(self, depth: int) -> None:
        self.use("break")
        self.emit(f"if {self.cond(0)}:")
        self.ind += 1
        self.emit(self.r.pick(["break", "continue"]))
        self.ind -= 1

    def s_return(self, depth: int) -> None:
        if self.ret is None:
            return
        if self.in_while and not self.ok("return_in_while"):
            return
        if self.in_while:
            self.use("return_in_while")
        self.use("early_return")
        self.emit(f"if {self.cond(0)}:")
        self.ind += 1
        self.emit(f"return {self.out_expr()}")
        self.ind -= 1

    def s_append(self, depth: int) -> None:
        n = self.r.pick(self.vars("lf") + self.vars("lv"))
        v = self.env[n]
        if v.owner != self.fid and not self.ok("closure_mutate"):
            return
        root = self.root_of(n)
        if root:
            if not self.ok(ROOT_FEATURE[root]):
                return
            self.use(ROOT_FEATURE[root])
        self.use("append")
        self.emit(f"{n}.append({self.e('f' if v.ty == 'lf' else 'v', 1)})")

    def s_inner(self, depth: int) -> None:
        """A nested def reading enclosing names (a closure), called later as an expression."""
        self.use("closure")
        if self.ind != self.base_ind:
            self.use("def_in_branch")
        name, t = self.fresh("g"), self.fresh("t")
        ret = self.r.pick(["f", "f", "v"])
        pty = self.r.pick(["f", "v"])
        self.emit(f"def {name}({t}):")
        first = len(self.lines)
        saved, saved_fid, saved_loop, saved_ret = dict(self.env), self.fid, self.loop, self.ret
        saved_while, self.in_while = self.in_while, 0
        self.counter += 1
        self.fid, self.loop, self.ret = 1000 + self.counter, 0, ret
        self.env[t] = Var(t, pty, owner=self.fid, kind="local")
        self.ind += 1
        saved_base, self.base_ind = self.base_ind, self.ind
        if self.r.chance(0.5):
            self.block(self.r.int(1, 2), 0)
        self.emit(f"return {self.e(ret, 2)}")
        self.ind -= 1
        self.base_ind = saved_base
        self.env, self.fid, self.loop, self.ret = saved, saved_fid, saved_loop, saved_ret
        self.captures("\n".join(self.lines[first:]))
        self.in_while = saved_while
        self.env[name] = Var(name, "fn", owner=self.fid, params=(pty,), ret=ret)

    def s_lambda(self, depth: int) -> None:
        self.use("lambda")
        if self.ind != self.base_ind:
            self.use("def_in_branch")
        name, t = self.fresh("q"), self.fresh("t")
        saved = dict(self.env)
        self.env[t] = Var(t, "f", owner=-2)
        body = self.e_f(2)
        self.env = saved
        self.emit(f"{name} = lambda {t}: {body}")
        self.captures(body)
        self.env[name] = Var(name, "fn", owner=-2, params=("f",), ret="f")

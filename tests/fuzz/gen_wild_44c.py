"""The statement blocks of the wild44 grammar (tests/fuzz/gen_wild_44.py), and `block`.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new scalar ``s<k>`` or vector ``a<k>``: ``with`` on ``np.errstate``, on the
prelude's ``contextmanager`` managers (one yields a value) and both at once; ``try/except E as
e`` reading the exception (a helper raising on data, ``LinAlgError`` of a Cholesky, a ``KeyError``
of a dict); ``statistics`` (``pvariance(mu=)``, ``pstdev``, ``fmean``, ``fmean(weights=)`` on
3.11+ only); ``contract(spec, a, b)`` (einsum subscripts handed to a helper);
``sorted(set(..))`` of indices; a dict of arrays updated in loops (built here or the ``params``
argument); while loops with data-dependent exits; ``x[i] = v`` writes; ``np.where`` masks.
"""

from __future__ import annotations

import sys
from typing import Any

from .gen_host import HostStubs


class Blocks44c(HostStubs):
    """Mixin of `gen_wild_44.Gen44`: the productions of the module docstring, and `block`."""

    r: Any
    n: int
    env: dict
    types: dict

    def use(self, f: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def unary(self, e: str) -> str:  # pragma: no cover - 43b's
        raise NotImplementedError

    def block(self) -> list[str]:
        """One block, drawn by weight (session 43's features mostly, with older ones)."""
        has_dict = "params" in self.types
        return self.r.pick_w(
            [
                (3.0, self.nbody),
                (2.0, self.modules),
                (1.5, self.composed),
                (1.0, self.solver),
                (1.2, self.with_block),
                (1.2, self.try_block44),
                (1.0, self.stats),
                (0.8, self.einsum),
                (0.8, self.sets),
                (1.2, self.dict_arrays),
                (1.5 if has_dict else 0.0, self.dict_loop),
                (1.0, self.while_exit),
                (1.0, self.writes),
                (1.0, self.where),
                (1.0, self.objects),
                (0.5, self.named_items),
                (0.8, self.gathers),
                (0.8, self.control),
                (0.5, self.switch),
                (0.5, self.integrator),
                (0.6, self.arith),
            ]
        )()

    # -- with -----------------------------------------------------------------------------------

    def with_block(self) -> list[str]:
        r = self.r
        form = r.pick(["errstate", "timed", "both", "gain", "nested"])
        self.use("with_" + form)
        a, lg = self.fresh("a"), self.fresh("log")
        v = self.vx(0)
        e = f"{v} / (1.0 + {v} * {v})"
        if form == "errstate":
            return [
                f"    with np.errstate({r.pick(['all', 'divide', 'invalid'])}='ignore'):",
                f"        {a} = {e}",
            ]
        if form == "timed":
            return [f"    {lg} = []", f"    with timed({lg}):", f"        {a} = {e}",
                    f"    {a} = {a} * len({lg})"]  # fmt: skip
        if form == "both":
            return [
                f"    {lg} = []",
                f"    with np.errstate(divide='ignore', invalid='ignore'), timed({lg}):",
                f"        {a} = {e}",
            ]
        if form == "gain":
            c = self.sx(0) if r.chance(0.3) else self.const(0.5, 1.5)  # (a value: refused)
            return [f"    with gain({c}) as g:", f"        {a} = g * {v}"]
        return [
            f"    {lg} = []",
            f"    with timed({lg}):",
            "        with np.errstate(over='ignore'):",
            f"            {a} = np.exp(-{v} * {v}) + {self.sx(0)}",
        ]

    # -- try/except -----------------------------------------------------------------------------

    def try_block44(self) -> list[str]:
        r = self.r
        form = r.pick(["value", "value_str", "chol", "key", "noexc"])
        self.use("try_" + form)
        a = self.fresh("a")
        v = r.pick(self.vecs()[-3:])
        t = self.const(-1.0, 1.0)
        if form in ("value", "value_str"):
            fix = (f"{v} * (2.0 if 'below' in str(e) else 1.0)" if form == "value_str"
                   else f"np.tanh({v})")  # fmt: skip
            return [
                "    try:",
                f"        {a} = checked_log({v}, {t})",
                "    except ValueError as e:",
                f"        {a} = {fix}",
            ]
        if form == "chol":
            return [
                f"    k = np.outer({v}, {v}) + {self.const(0.01, 0.2)} * np.eye({self.n})",
                "    try:",
                f"        low = np.linalg.cholesky(k - {self.const(0.2, 1.0)} * np.eye({self.n}))",
                "    except np.linalg.LinAlgError as e:",
                "        low = np.linalg.cholesky(k + (1.0 if 'definite' in str(e) else 2.0) "
                f"* np.eye({self.n}))",
                f"    {a} = low @ {v}",
            ]
        if form == "key":
            d = self.fresh("dd")
            return [
                f"    {d} = {{'u': {self.vx(0)}}}",
                "    try:",
                f"        {a} = {d}[{r.pick(['u', 'w'])!r}] * 2.0",
                "    except KeyError as e:",
                f"        {a} = {v} * len(str(e))",
            ]
        return [
            "    try:",
            f"        {a} = np.sin({v}) * {self.sx(0)}",
            "    except (ValueError, ZeroDivisionError):",
            f"        {a} = {v}",
        ]

    # -- statistics -----------------------------------------------------------------------------

    def stats(self) -> list[str]:
        r = self.r
        forms = ["pvar_mu", "pstdev", "fmean", "pvar", "stdev_xbar"]
        if sys.version_info >= (3, 11):
            forms.append("fmean_w")
        form = r.pick(forms)
        self.use("stat_" + form)
        s, xs = self.fresh("s"), self.fresh("xs")
        v = r.pick(self.vecs()[-3:])
        pre = [f"    {xs} = list({v})"] if r.chance(0.5) else [f"    {xs} = [e for e in {v}]"]
        e = {
            "pvar_mu": f"statistics.pvariance({xs}, mu=statistics.fmean({xs}))",
            "pstdev": f"statistics.pstdev({xs}) + 0.1 * statistics.fmean({xs})",
            "fmean": f"statistics.fmean({xs}) * {self.sx(0)}",
            "pvar": f"statistics.pvariance({xs})",
            "stdev_xbar": f"statistics.stdev({xs}, xbar=statistics.mean({xs}))",
            "fmean_w": f"statistics.fmean({xs}, weights=[1.0 + e * e for e in {xs}])",
        }[form]
        return pre + [f"    {s} = {e}"]

    # -- einsum through a helper ----------------------------------------------------------------

    def einsum(self) -> list[str]:
        r = self.r
        form = r.pick(["dot", "outer", "mv", "spec_var", "ew"])
        self.use("ein_" + form)
        u, w = self.vx(0), self.vx(0)
        if form == "dot":
            return [f"    {self.fresh('s')} = contract('i,i->', {u}, {w})"]
        if form == "outer":
            return [f"    {self.fresh('a')} = contract('i,j->ij', {u}, {w}) @ {self.vx(0)}"]
        if form == "mv":
            return [
                f"    {self.fresh('a')} = contract('ij,j->i', np.outer({u}, {w}), {self.vx(0)})"
            ]
        if form == "ew":
            return [f"    {self.fresh('a')} = contract('i,i->i', {u}, {w})"]
        sp = self.fresh("spec")
        return [f"    {sp} = 'i,i->'", f"    {self.fresh('s')} = contract({sp}, {u}, {w})"]

    # -- sorted(set(..)) ------------------------------------------------------------------------

    def sets(self) -> list[str]:
        r, n = self.r, self.n
        form = r.pick(["list", "comp", "loop", "member"])
        self.use("set_" + form)
        ks = [r.int(0, n - 1) for _ in range(r.int(2, 5))]
        v = r.pick(self.vecs()[-3:])
        ix = self.fresh("ix")
        src = f"set({ks})" if form != "comp" else f"{{i % {max(1, n - 1)} for i in range({n + 2})}}"
        head = f"    {ix} = sorted({src})"
        if form in ("list", "comp"):
            return [head, f"    {self.fresh('s')} = float(np.sum({v}[{ix}] ** 2))"]
        s = self.fresh("s")
        if form == "loop":
            return [head, f"    {s} = 0.0", f"    for i in {ix}:",
                    f"        {s} = {s} + {self.unary(f'{v}[i]')}"]  # fmt: skip
        return [
            f"    {ix} = set({ks})",
            f"    {s} = 0.0",
            f"    for i in range({n}):",
            f"        if i in {ix}:",
            f"            {s} = {s} + {v}[i] * {self.const(0.5, 1.5)}",
        ]

    # -- dicts of arrays updated in loops -------------------------------------------------------

    def dict_arrays(self) -> list[str]:
        r = self.r
        form = r.pick(["gd", "keys", "items", "comp", "arg"] if "params" in self.types
                      else ["gd", "keys", "items", "comp"])  # fmt: skip
        self.use("darr_" + form)
        pp, a = self.fresh("pp"), self.fresh("a")
        lr = self.const(0.05, 0.3)
        init = [f"    {pp} = {{'w': {self.vx(0)}, 'b': {self.vx(0)}}}"]
        if form == "arg":
            init = [f"    {pp} = dict(params)"]
        trips = r.int(1, 3)
        if form == "gd":
            body = [
                f"        gr = {{q: np.tanh(val) for q, val in {pp}.items()}}",
                f"        for q in {pp}:",
                f"            {pp}[q] = {pp}[q] - {lr} * gr[q]",
            ]
        elif form == "keys":
            body = [
                "        for q in ['w', 'b']:",
                f"            {pp}[q] = np.sin({pp}[q]) * {lr} + {pp}[q]",
            ]
        elif form == "items":
            body = [
                f"        for q, val in list({pp}.items()):",
                f"            {pp}[q] = val * {self.const(0.7, 1.0)} + {lr}",
            ]
        elif form == "comp":
            body = [f"        {pp} = {{q: val - {lr} * val ** 3 for q, val in {pp}.items()}}"]
        else:
            body = [
                f"        for q in {pp}:",
                f"            {pp}[q] = {pp}[q] * {self.const(0.5, 1.0)} + {self.sx(0)} * {lr}",
            ]
        out = (f"{pp}['w'] * {self.vx(0)} + {pp}['b']" if form != "arg"
               else f"{pp}['scale'] * {self.vx(0)} + {pp}['shift']")  # fmt: skip
        return init + [f"    for _ in range({trips}):"] + body + [f"    {a} = {out}"]

    # -- while loops with data-dependent exits ----------------------------------------------------

    def while_exit(self) -> list[str]:
        r = self.r
        form = r.pick(["halve", "newton", "cond_break", "vec"])
        self.use("wh_" + form)
        s, j = self.fresh("s"), self.fresh("j")
        if form == "halve":
            return ["    " + x for x in [
                f"{s} = {self.sx(0)} + 2.0",
                f"{j} = 0",
                f"while {s} * {s} > {self.const(0.1, 0.5)} and {j} < 8:",
                f"    {s} = {s} * {self.const(0.4, 0.7)}",
                f"    {j} += 1",
            ]]  # fmt: skip
        if form == "newton":
            c = self.sx(0)
            return ["    " + x for x in [
                f"cc = 1.0 + ({c}) ** 2",
                f"{s} = cc",
                f"{j} = 0",
                f"while abs({s} * {s} - cc) > 1e-10 and {j} < 30:",
                f"    {s} = 0.5 * ({s} + cc / {s})",
                f"    {j} += 1",
            ]]  # fmt: skip
        if form == "cond_break":
            v = r.pick(self.vecs()[-3:])
            return ["    " + x for x in [
                f"{s} = 0.0",
                f"{j} = 0",
                "while True:",
                f"    {s} = {s} + {self.unary(f'{v}[{j} % {self.n}]')}",
                f"    {j} += 1",
                f"    if {j} >= {r.int(1, 6)} or {s} > {self.const(0.5, 2.0)}:",
                "        break",
            ]]  # fmt: skip
        a = self.fresh("a")
        return ["    " + x for x in [
            f"{a} = {self.vx(0)}",
            f"{j} = 0",
            f"while np.max(np.abs({a})) > {self.const(0.2, 0.6)} and {j} < 6:",
            f"    {a} = {a} * {self.const(0.5, 0.8)}",
            f"    {j} += 1",
        ]]  # fmt: skip

    # -- x[i] = v writes and np.where masks -----------------------------------------------------

    def writes(self) -> list[str]:
        r, n = self.r, self.n
        form = r.pick(["zeros_loop", "copy_one", "copy_loop", "aug", "neg"])
        self.use("wr_" + form)
        a = self.fresh("a")
        if form == "zeros_loop":
            v = r.pick(self.vecs()[-3:])
            return [f"    {a} = np.zeros({n})", f"    for i in range({n}):",
                    f"        {a}[i] = {self.unary(f'{v}[i]')}"]  # fmt: skip
        if form == "copy_one":
            return [
                f"    {a} = np.copy({self.vx(0)})",
                f"    {a}[{r.int(0, n - 1)}] = {self.sx(0)}",
            ]
        if form == "copy_loop":
            v = r.pick(self.vecs()[-3:])
            return [f"    {a} = {v}.copy()", f"    for i in range(1, {n}):",
                    f"        {a}[i] = {a}[i - 1] * {self.const(0.3, 0.9)} + {v}[i]"]  # fmt: skip
        if form == "aug":
            return [
                f"    {a} = np.array({self.vx(0)})",
                f"    {a}[{r.int(0, n - 1)}] *= {self.sx(0)}",
            ]
        return [
            f"    {a} = np.ones({n})",
            f"    {a}[-1] = {self.sx(0)}",
            f"    {a}[0] += {self.sx(0)}",
        ]

    def where(self) -> list[str]:
        r = self.r
        form = r.pick(["plain", "sqrt_safe", "log_safe", "mask_mul", "scalar"])
        self.use("where_" + form)
        a = self.fresh("a")
        v = r.pick(self.vecs()[-3:])
        c = self.const(-0.5, 0.5)
        if form == "plain":
            return [f"    {a} = np.where({v} > {c}, np.sin({v}), {v} * {v})"]
        if form == "sqrt_safe":
            return [
                f"    {a} = np.where({v} > {c}, np.sqrt(np.where({v} > {c}, {v} - {c}, 1.0)), 0.0)"
            ]
        if form == "log_safe":
            return [
                f"    mk = {v} > {c}",
                f"    {a} = np.where(mk, np.log(np.where(mk, {v} - {c}, 1.0) + 1.0), {v})",
            ]
        if form == "mask_mul":
            return [f"    {a} = ({v} > {c}) * {v} + np.tanh({v})"]
        return [f"    {self.fresh('s')} = float(np.sum(np.where({v} < {c}, {v}, 0.0)))"]

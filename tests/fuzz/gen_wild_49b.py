"""The statement blocks of the wild49 grammar (tests/fuzz/gen_wild_49.py): session 48's features.

Input: the host's variables and their values at the example point. Output: lines of ``f``'s
body binding a new vector ``a<k>``: C-style element loops ``A[i][j]`` over a matrix made here,
a list of rows, a row view written, negative indices, ``.shape``/``.ndim`` reads
(passes/rowelems.py, passes/inplace.py); roots of variances, ``ddof``/``axis``/``keepdims``,
``x.var()``, a user class's own ``var`` (passes/stdroots.py); convergence loops whose test is
read by nothing else or by the result too, values reaching the result through a dict, an
object's field, a closure's list, a generator (ad/live.py); ``lfilter`` with ``zi``,
``lfilter_zi``, ``filtfilt`` (srcad/libsignal.py); plain nested cached functions
(lower/lrucache.py); loops under ``np.errstate(all="raise")`` (the quiet reverse loops);
magnitudes in branches of input-independent flags (ad/rootbranch.py); a list shortened then
read past its end in ``try`` (passes/raising.py).
"""

from __future__ import annotations

from typing import Any

from .gen_host import HostStubs


class Blocks49(HostStubs):
    """Mixin of `gen_wild_49.Gen49`: the productions of the module docstring."""

    r: Any
    n: int
    env: dict
    trial: set

    def use49(self, f: str) -> None:
        self.trial.add("w49_" + f)

    def block49(self) -> list[str]:
        """One of this module's blocks, drawn by weight."""
        return self.r.pick_w(
            [
                (2.5, self.rows49),
                (2.0, self.std49),
                (2.0, self.live49),
                (1.5, self.signal49),
                (1.0, self.lru49),
                (1.0, self.quiet49),
                (1.0, self.flags49),
                (0.7, self.raise49),
            ]
        )()

    # -- C-style element loops (passes/rowelems.py, passes/inplace.py) ---------------------------

    def rows49(self) -> list[str]:
        r = self.r
        a, m, i, j = self.fresh("a"), self.fresh("M"), self.fresh("i"), self.fresh("j")
        c = self.const(0.2, 0.8)
        form = r.pick(["sym", "aug", "prev", "view", "neg", "list", "shape", "chain"])
        self.use49("rows_" + form)
        lines = [f"    {m} = np.outer({self.vx(0)}, {self.vx(0)}) * {c}"]
        if form == "list":
            lines = [f"    {m} = [{self.vx(0)} * 1.0 for _ in range({self.n})]"]
        n = f"{m}.shape[0]" if form in ("shape", "chain") else str(self.n)
        if form == "shape":
            lines.append(f"    assert {m}.ndim == 2 and {m}.size == {self.n * self.n}")
        lo = "1" if form == "prev" else "0"
        body = {
            "sym": f"{m}[{i}][{j}] = {m}[{i}][{j}] * {c} + {m}[{j}][{i}] * 0.5",
            "aug": f"{m}[{i}][{j}] += {m}[{j}][{j}] * {m}[{i}][{i}] * {c}",
            "prev": f"{m}[{i}][{j}] += {m}[{i}][{j} - 1] * {c}",
            "view": f"{m}[{i}][{j}] = np.tanh({m}[{i}][{j}]) + {m}[0][{j}] * {c}",
            "neg": f"{m}[-1 - {i}][{j}] = {m}[{i}][-1 - {j}] * {c} + {m}[-1 - {i}][{j}]",
            "list": f"{m}[{i}][{j}] = {m}[{i}][{j}] * {m}[{j}][{i}] * {c}",
            "shape": f"{m}[{i}][{j}] -= {m}[{j}][0] * {c} / {m}.shape[1]",
            "chain": f"{m}[{i}][{j}] *= {c} + {m}[{i}][{i}] * 0.1",
        }[form]
        lines += [f"    for {i} in range({n}):", f"        for {j} in range({lo}, {n}):",
                  f"            {body}"]  # fmt: skip
        if form == "chain":  # (a second in-place loop over the same rows)
            lines += [f"    for {i} in range({m}.shape[0]):",
                      f"        {m}[{i}][{i}] = {m}[{i}][{i}] + {m}[{i}][-1] * {c}"]  # fmt: skip
        if form == "view":
            rv = self.fresh("row")
            lines += [
                f"    {rv} = {m}[{self.r.int(0, self.n - 1)}]",
                f"    {rv}[0] = {rv}[-1] * {c}",
                f"    {a} = {rv} * 1.0",
            ]
            return lines
        out = r.pick(
            [
                f"np.array([{m}[{i}][{i}] for {i} in range({self.n})])",
                f"np.sum({m}, axis=0)" if form != "list" else f"sum({m})",
                f"{m}[{r.int(0, self.n - 1)}] * 1.0",
            ]
        )
        return lines + [f"    {a} = {out}"]

    # -- roots of variances (passes/stdroots.py) -------------------------------------------------

    def std49(self) -> list[str]:
        r = self.r
        a, w = self.fresh("a"), self.fresh("w")
        form = r.pick(["np", "ddof", "axis", "keep", "method", "user", "user_std", "nan", "twice"])
        self.use49("std_" + form)
        lines = [f"    {w} = {self.vx(1)} * 1.0"]
        v = self.vx(0)
        if form == "np":
            return lines + [f"    {a} = {v} * np.sqrt(np.var({w}))"]
        if form == "ddof":
            return lines + [
                f"    {a} = {v} * np.sqrt(np.var({w}, ddof=1)) + np.sqrt({w}.var(ddof=1))"
            ]
        if form in ("axis", "keep"):
            mm = self.fresh("M")
            kd = ", keepdims=True" if form == "keep" else ""
            lines.append(f"    {mm} = np.outer({w}, {self.vx(0)}) + np.diag({w})")
            return lines + [
                f"    {a} = np.sqrt(np.var({mm}, axis={r.pick([0, 1, -1])}{kd})).ravel() * {v}"
            ]
        if form == "method":
            return lines + [
                f"    {a} = {v} * np.sqrt({w}.var()) / (1.0 + np.sqrt(({w} * 2.0).var()))"
            ]
        if form == "user":
            return lines + [f"    {a} = {v} * np.sqrt(Stats49({w}).var())"]
        if form == "user_std":
            o = self.fresh("o")
            return lines + [f"    {o} = Stats49({w})",
                            f"    {a} = {v} * (np.sqrt({o}.var()) + {o}.std() * 0.01)"]  # fmt: skip
        if form == "nan":
            return lines + [f"    {w}[0] = np.nan", f"    {a} = {v} * np.sqrt(np.nanvar({w}))"]
        t = self.fresh("t")
        return lines + [f"    {t} = np.var({w})", f"    {a} = {v} * np.sqrt({t}) + {t} * {v}"]

    # -- activity: values read by conditions, results through containers (ad/live.py) -----------

    def live49(self) -> list[str]:
        r = self.r
        a, u, err, it = self.fresh("a"), self.fresh("u"), self.fresh("err"), self.fresh("it")
        c = self.const(0.3, 0.7)
        form = r.pick(["conv", "conv_used", "dict", "field", "cell", "gen", "inplace"])
        self.use49("live_" + form)
        v = self.vx(0)
        head = [f"    {u} = {v} * 1.0", f"    {err} = 1.0", f"    {it} = 0"]
        cond = f"while {err} > 1e-3 and {it} < 12:"
        if form in ("conv", "conv_used"):
            lines = head + [f"    {cond}",
                            f"        {u} = {u} * {c} + (1.0 - {c}) * np.mean({u})",
                            f"        {err} = np.std({u}) + 0.01 * {it}",
                            f"        {it} += 1"]  # fmt: skip
            tail = f" + {err} * 0.1" if form == "conv_used" else ""
            return lines + [f"    {a} = {u}{tail}"]
        if form == "dict":
            d = self.fresh("d")
            return head + [f"    {d} = {{}}", f"    {cond}",
                           f"        {d}['last'] = {u} * 1.0",
                           f"        {u} = {u} * {c}",
                           f"        {err} = float(np.sum({u} * {u}))",
                           f"        {it} += 1",
                           f"    {a} = {d}.get('last', {u}) + {u}"]  # fmt: skip
        if form == "field":
            o = self.fresh("acc")
            return head + [f"    {o} = Acc49()", f"    {cond}",
                           f"        {o}.add({u} * 1.0)",
                           f"        {u} = {u} * {c}",
                           f"        {err} = float(np.max(np.abs({u})))",
                           f"        {it} += 1",
                           f"    {a} = {o}.total * 1.0"]  # fmt: skip
        if form == "cell":
            box, h = self.fresh("box"), self.fresh("upd")
            return head + [f"    {box} = [{u} * 0.0]", f"    def {h}(t):",
                           f"        {box}[0] = {box}[0] + t", f"    {cond}",
                           f"        {h}({u} * {c})",
                           f"        {u} = {u} * {c}",
                           f"        {err} = float(np.sum({u} ** 2))",
                           f"        {it} += 1",
                           f"    {a} = {box}[0] * 1.0"]  # fmt: skip
        if form == "gen":
            g = self.fresh("gen")
            return [f"    def {g}(z):", "        e = 1.0", "        k = 0",
                    "        while e > 1e-3 and k < 10:",
                    "            yield z", f"            z = z * {c}",
                    "            e = float(np.sum(z * z))", "            k += 1",
                    f"    {a} = sum({g}({v} * 1.0))"]  # fmt: skip
        k = r.int(0, self.n - 1)
        return head + [f"    for {it} in range(4):", f"        if {u}[{k}] > {self.sx(0)}:",
                       f"            {u}[{k}] -= {c} * {u}[{(k + 1) % self.n}]",
                       f"    {a} = {u} * 1.0"]  # fmt: skip

    # -- scipy.signal (srcad/libsignal.py) -------------------------------------------------------

    def signal49(self) -> list[str]:
        r = self.r
        a, y, zf = self.fresh("a"), self.fresh("y"), self.fresh("zf")
        b = r.pick(["[0.3, 0.3]", "[0.2, 0.5, 0.1]", "[1.0]", "[0.4, -0.2]"])
        den = r.pick(["[1.0, -0.4]", "[2.0, 0.3]", "[1.0, -0.5, 0.2]", "[1.0, 0.25]"])
        form = r.pick(["zi", "zi_scaled", "zi_carried", "filtfilt", "plain"])
        self.use49("signal_" + form)
        v = self.vx(0)
        if form == "plain":
            return [f"    {a} = scipy.signal.lfilter({b}, {den}, {v})"]
        if form == "filtfilt":
            return [
                f"    {a} = scipy.signal.filtfilt({b}, {den}, {v}, padlen={r.int(0, self.n - 1)})"
            ]
        zi = self.fresh("zi")
        lines = [f"    {zi} = scipy.signal.lfilter_zi({b}, {den})"]
        if form == "zi":
            return lines + [f"    {y}, {zf} = scipy.signal.lfilter({b}, {den}, {v}, zi={zi})",
                            f"    {a} = {y} + np.sum({zf})"]  # fmt: skip
        if form == "zi_scaled":
            return lines + [f"    {y}, {zf} = scipy.signal.lfilter({b}, {den}, {v}, zi={zi} * {self.sx(0)})",
                            f"    {a} = {y} * {zf}[-1]"]  # fmt: skip
        k = self.fresh("k")
        return lines + [f"    {zf} = {zi} * 0.5", f"    {a} = {v} * 0.0",
                        f"    for {k} in range(2):",
                        f"        {y}, {zf} = scipy.signal.lfilter({b}, {den}, {v} * ({k} + 1.0), zi={zf})",
                        f"        {a} = {a} + {y}"]  # fmt: skip

    # -- plain nested cached functions (lower/lrucache.py) ---------------------------------------

    def lru49(self) -> list[str]:
        r = self.r
        a, w, g = self.fresh("a"), self.fresh("w"), self.fresh("cg")
        c = self.const(0.3, 1.5)
        form = r.pick(["read", "kw", "nested", "twice"])
        self.use49("lru_" + form)
        lines = [f"    {w} = {self.vx(0)} * 1.0", "    @functools.lru_cache(maxsize=None)",
                 f"    def {g}(i, s):",
                 f"        return np.tanh({w}[i]) * s + {w}[i] * {w}[-1]"]  # fmt: skip
        if form == "kw":
            return lines + [
                f"    {a} = np.array([{g}(i % 2, {c}) + {g}(i % 2, 0.5) for i in range({self.n})])"
            ]
        if form == "nested":
            h = self.fresh("ch")
            return lines + ["    @functools.cache", f"    def {h}(i):",  # (refused: `{g}` as a value)
                            f"        return {g}(i, {c}) * {g}(0, {c})",
                            f"    {a} = np.array([{h}(i) for i in range({self.n})])"
                            f" * {self.vx(0)}"]  # fmt: skip
        if form == "twice":
            return lines + [
                f"    {a} = {self.vx(0)} * ({g}(0, {c}) + {g}(0, {c}) + {g}({self.n - 1}, 1.0))"
            ]
        return lines + [f"    {a} = np.array([{g}(i, {c}) for i in range({self.n})])"]

    # -- loops under np.errstate (the quiet reverse loops) ---------------------------------------

    def quiet49(self) -> list[str]:
        r = self.r
        a, s, k = self.fresh("a"), self.fresh("s"), self.fresh("k")
        c = self.const(0.2, 0.8)
        how = r.pick(['np.errstate(all="raise")', 'np.errstate(divide="raise", invalid="raise")',
                      'np.errstate(over="ignore")'])  # fmt: skip
        body = r.pick([f"np.sqrt({{v}} * {{v}} + {c})", f"np.arcsin(np.tanh({{v}}) * {c})",
                       f"np.log(np.abs({{v}}) + {c})", "np.arctanh({v} / (1.0 + np.abs({v})))"])  # fmt: skip
        form = r.pick(["sum", "sum", "items"])  # (items: `a[k] = ..` in the with is refused)
        self.use49("quiet_" + form)
        v = self.vx(0)
        if form == "sum":
            w = self.fresh("w")
            return [f"    {w} = {v} * 1.0", f"    {s} = 0.0", f"    with {how}:",
                    f"        for {k} in range({self.n}):",
                    f"            {s} = {s} * {c} + " + body.format(v=f"{w}[{k}]"),
                    f"    {a} = {w} * {s}"]  # fmt: skip
        return [f"    {a} = {v} * 1.0", f"    with {how}:", f"        for {k} in range({self.n}):",
                f"            {a}[{k}] = " + body.format(v=f"{a}[{k}]") + f" + {a}[{k}] * {c}"]  # fmt: skip

    # -- magnitudes under input-independent flags (ad/rootbranch.py) -----------------------------

    def flags49(self) -> list[str]:
        r = self.r
        a, m = self.fresh("a"), self.fresh("mag")
        flag = r.pick([f"{self.n} > 3", f"{self.n} <= 3", "True", "False"])
        self.use49("flag")
        p, q = self.sx(0), self.sx(0)
        mag = r.pick(
            [f"np.hypot({p}, {q})", f"math.hypot({p}, {q})", f"np.linalg.norm({self.vx(0)})"]
        )
        if r.chance(0.5):
            return [f"    if {flag}:", f"        {m} = {mag}", "    else:", f"        {m} = 1.0",
                    f"    {a} = {self.vx(0)} * {m}"]  # fmt: skip
        return [f"    {m} = np.where({flag}, {mag}, 0.5)", f"    {a} = {self.vx(0)} * {m}"]

    # -- reads past the end of a shortened list (passes/raising.py) ------------------------------

    def raise49(self) -> list[str]:
        a, t = self.fresh("a"), self.fresh("t")
        self.use49("raise")
        u = self.fresh("u")
        return [f"    {t} = list({self.vx(0)})", f"    {t}.pop()", "    try:",
                f"        {u} = {t}[{self.n - 1}]", "    except IndexError:",
                f"        {u} = {self.sx(0)}", f"    {a} = np.array({t} + [{u}]) * 1.0"]  # fmt: skip

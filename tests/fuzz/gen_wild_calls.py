"""NumPy calls, methods and library expressions of the wild generator (tests/fuzz/gen_wild.py).

Input: the host's current locals and decision source (`gen_wild_expr.WildExpr`, which inherits
these). Output: (text, value) pairs: reductions with random `axis=`, `keepdims=`, `dtype=`,
`ddof=`, `where=`/`initial=` and `ord=`; methods (`x.T`, `x.reshape(-1)`, `x.clip(a, b)`,
`x.mean(axis=0, keepdims=True)`); shape and product functions; complex round trips; calls of the
program's own nested functions and lambdas; comprehensions; `math` on Python scalars; `np.linalg`
on matrices made symmetric positive definite in the text. Also `Reject`, `kind`, `sane`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

BOUND = 1e4


class Reject(Exception):
    """A drawn candidate does not run, is not finite, or is not what its caller needs."""


def kind(v: Any) -> str:
    """'f' float, 'c' complex, 'i' int, 'b' bool, '' other (functions, lists)."""
    if isinstance(v, bool | np.bool_):
        return "b"
    if isinstance(v, int | float | complex | np.generic | np.ndarray):
        k = np.asarray(v).dtype.kind
        return {"u": "i"}.get(k, k) if k in "fciub" else ""
    return ""


def sane(v: Any) -> Any:
    k = kind(v)
    if k in "fc" and k:
        a = np.asarray(v)
        if a.ndim > 2 or a.size > 60:
            raise Reject("too big")
        if a.size and not (np.all(np.isfinite(a)) and float(np.max(np.abs(a))) < BOUND):
            raise Reject("not finite or too large")
    return v


class WildCalls:
    """Mixin of `gen_wild_expr.WildExpr`: the call-shaped expressions."""

    r: Any

    def fexpr(self, d: int) -> tuple[str, Any]:  # pragma: no cover - the host's
        raise NotImplementedError

    def leaf(self, k: str = "f", pred: Any = None) -> tuple[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def bexpr(self, d: int, shape: tuple | None = None) -> tuple[str, Any]:  # pragma: no cover
        raise NotImplementedError

    def ev(self, src: str) -> Any:  # pragma: no cover - the host's
        raise NotImplementedError

    def use(self, feature: str) -> None:  # pragma: no cover - the host's
        raise NotImplementedError

    def ns(self) -> dict[str, Any]:  # pragma: no cover - the host's
        raise NotImplementedError

    def e_reduce(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        nd = np.ndim(av)
        fn = self.r.pick(
            ["sum", "mean", "prod", "max", "min", "std", "var", "ptp", "median", "average"]
            + ["nansum", "nanmean", "amax", "cumsum", "cumprod", "diff", "sort", "linalg.norm"]
            + ["trapezoid", "count_nonzero", "any", "all", "argmax", "argmin", "nanmax"]
        )
        kw = []
        ax = self.axis_for(nd)
        tuple_ok = fn in ("sum", "mean", "prod", "max", "min", "std", "var", "ptp", "median")
        tuple_ok = tuple_ok or fn in ("nansum", "nanmean", "amax", "nanmax", "linalg.norm")
        if ax is not None and (not ax.startswith("(") or tuple_ok):
            kw.append(f"axis={ax}")
        if fn in ("sum", "mean", "prod", "max", "min", "std", "var", "nansum", "linalg.norm"):
            if self.r.chance(0.4):
                kw.append(f"keepdims={self.r.pick(['True', 'False'])}")
        if fn in ("sum", "mean", "prod", "cumsum", "nansum") and self.r.chance(0.25):
            kw.append(f"dtype={self.r.pick(['np.float64', 'np.float32', 'float'])}")
        if fn in ("std", "var") and self.r.chance(0.4):
            kw.append(f"ddof={self.r.pick(['0', '1'])}")
        if fn in ("sum", "mean", "max", "min") and nd and self.r.chance(0.25):
            m, _ = self.bexpr(0, np.shape(av))
            kw.append(f"where={m}")
            if fn in ("max", "min"):
                kw.append(
                    f"initial={self.r.pick(['-5.0', '5.0'])}" if fn == "max" else "initial=5.0"
                )
        if fn == "linalg.norm" and self.r.chance(0.5):
            ords = ["1", "2", "np.inf", "-np.inf", "3"] if nd <= 1 or "axis" in "".join(kw) else []
            ords += ["'fro'", "1", "np.inf"] if nd == 2 else []
            kw.append(f"ord={self.r.pick(ords or ['2'])}")
        if fn == "diff" and self.r.chance(0.3):
            kw.append("n=2")
        self.use("r_" + fn + ("_kw" if kw else ""))
        wrap = fn in ("count_nonzero", "any", "all", "argmax", "argmin")
        src = f"np.{fn}({a}{''.join(', ' + k for k in kw)})"
        if wrap:
            src = f"({src} * 0.5 + {a})"
        if self.r.chance(0.3) and fn in ("sum", "mean", "max", "min", "prod", "std", "var"):
            src = f"({a}).{fn}({', '.join(kw)})"  # the method form
        return src, self.ev(src)

    def e_method(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        if not isinstance(av, np.ndarray):
            a, av = f"np.asarray({a})", self.ev(f"np.asarray({a})")
        nd, n = av.ndim, av.size
        opts = ["T", "reshape(-1)", "ravel()", "flatten()", "copy()", "clip(-0.6, 0.8)"]
        opts += ["cumsum()", "squeeze()", "astype(np.float32)", "astype(float)", "conj()"]
        opts += ["real", "transpose()", "sum(-1)" if nd else "sum()", "mean(axis=0, keepdims=True)"]
        opts += [f"reshape({n}, 1)", f"reshape(1, {n})", "repeat(2)", "round(3)", "max(0)"]
        if nd == 2:
            opts += ["sum(1)", "swapaxes(0, 1)", "diagonal()", "trace()", "T.reshape(-1)"]
            opts += [f"dot(np.ones({av.shape[1]}))", "cumprod(axis=1)", "std(0)", "min(axis=1)"]
        if n and n % 2 == 0:
            opts.append("reshape(2, -1)")
        m = self.r.pick(opts)
        self.use("m_" + m.split("(")[0])
        src = f"({a}).{m}"
        return src, self.ev(src)

    def e_shape(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        r = self.r
        if np.ndim(av) == 0:
            a = f"np.atleast_1d({a})"
            av = self.ev(a)
        b, bv = self.leaf("f", lambda x: x.ndim == np.ndim(av))
        n = np.shape(av)[-1]
        opts = [
            f"np.concatenate([{a}, {b}], axis={r.pick([0, -1])})",
            f"np.stack([{a}, {a} * 2.0])",
            f"np.vstack([{a}, {b}])",
            f"np.hstack([{a}, {b}])",
            f"np.outer({a}, {b})",
            f"np.tile({a}, {r.pick([2, '(2, 1)'])})",
            f"np.repeat({a}, 2, axis={r.pick([0, -1])})",
            f"np.roll({a}, {r.int(-2, 2)})",
            f"np.flip({a})",
            f"np.expand_dims({a}, {r.pick([0, -1])})",
            f"np.broadcast_to({a}, (2,) + np.shape({a}))",
            f"np.atleast_2d({a})",
            f"np.diag({a})",
            f"np.triu({a})",
            f"np.tril({a}, -1)",
            f"np.take({a}, [{r.int(0, n - 1)}, 0], axis=-1)",
            f"np.einsum('...i,...i->...', {a}, {a})",
            f"np.einsum('i...->...i', {a})",
            f"np.dot({a}, {b})",
            f"np.inner({a}, {b})",
            f"np.matmul({a}, {b})",
            f"np.kron({a}, {b})",
            f"np.convolve(np.ravel({a}), np.ravel({b}))",
            f"np.polyval(np.ravel({b}), {a})",
            f"np.cross(np.resize(np.ravel({a}), 3), np.resize(np.ravel({b}), 3))",
            f"np.append({a}, {b})",
            f"np.insert(np.ravel({a}), 1, 0.5)",
            f"np.delete(np.ravel({a}), 0)",
            f"np.pad({a}, 1, mode={r.pick(['constant', 'edge', 'reflect', 'wrap'])!r})",
            f"np.moveaxis(np.atleast_2d({a}), 0, -1)",
            f"np.take_along_axis({a}, np.argsort({a}, axis=-1), axis=-1)",
            f"np.cumsum({a}, axis=-1)[..., ::-1]",
            f"np.linspace(0.0, 1.0, {n}) * {a}",
            f"np.zeros_like({a}) + {a}",
            f"np.full(np.shape({a}), 0.5) * {a}",
            f"np.array([{a}, {b}]).sum(0)",
            f"np.asarray([np.sum({a}), np.max({b})])",
        ]
        src = r.pick(opts)
        self.use("s_" + src.split("(")[0].replace("np.", ""))
        return src, self.ev(src)

    def e_complex(self, d: int) -> tuple[str, Any]:
        a, _ = self.fexpr(d - 1)
        b, _ = self.leaf("f")
        z = self.r.pick([f"({a} + 1j * {b})", f"np.exp(1j * {a}) * {b}", f"({a} * (0.5 - 2j))"])
        w = self.r.pick([z, f"{z} * {z}", f"np.conj({z}) * {z}", f"np.sin({z})", f"{z} ** 2"])
        src = self.r.pick([f"np.real({w})", f"({w}).imag", f"np.abs({w} + 2.0)", f"({w}).real"])
        self.use("complex")
        return src, self.ev(src)

    def e_call_user(self, d: int) -> tuple[str, Any]:
        fns = [n for n, v in self.ns().items() if callable(v) and n.startswith(("g", "h"))]
        if not fns:
            raise Reject("no user function")
        fn = self.r.pick(sorted(fns))
        a, _ = self.fexpr(d - 1)
        self.use("call_user")
        src = f"{fn}({a})"
        return src, self.ev(src)

    def e_comp(self, d: int) -> tuple[str, Any]:
        a, av = self.leaf("f", lambda x: x.ndim == 1 and x.size > 0)
        c = self.r.normal()
        body, _ = self.r.pick([("e * e", 0), ("np.sin(e) * 2.0", 0), ("e ** 3 - e", 0)])
        form = self.r.pick(
            [
                f"np.array([{body} for e in {a} if e > {c}] + [0.0])",
                f"sum({body} for e in {a} if e < {c})",
                f"np.array([{body} for e in {a}])",
                f"max([{body} for e in {a}], default=0.0)",
                f"np.array([e * k for k, e in enumerate({a})])",
                f"np.array([u * w for u, w in zip({a}, {a}[::-1])])",
            ]
        )
        self.use("comprehension")
        return form, self.ev(form)

    def e_pyscalar(self, d: int) -> tuple[str, Any]:
        a, av = self.fexpr(d - 1)
        s = f"float(np.sum({a}))" if np.ndim(av) else f"float({a})"
        src = self.r.pick(
            [
                f"math.sin({s})",
                f"math.exp(math.tanh({s}))",
                f"math.sqrt({s} ** 2 + 1)",
                f"math.hypot({s}, 1.0)",
                f"abs({s})",
                f"max({s}, 0.25)",
                f"min({s}, {s} * 2)",
                f"math.log(1 + {s} ** 2)",
                f"{s} ** 2",
                f"math.atan2({s}, 2.0)",
                f"round({s}, 2) * 0.0 + {s}",
            ]
        )
        self.use("pyscalar")
        return src, self.ev(src)

    def e_linalg(self, d: int) -> tuple[str, Any]:
        a, av = self.leaf("f", lambda x: x.ndim == 2 and x.shape[0] == x.shape[1])
        n = np.shape(av)[0]
        spd = f"({a} @ {a}.T + {n} * np.eye({n}))"
        src = self.r.pick(
            [
                f"np.linalg.det({spd})",
                f"np.linalg.inv({spd})",
                f"np.linalg.solve({spd}, np.ones({n}))",
                f"np.linalg.slogdet({spd})[1]",
                f"np.linalg.cholesky({spd})",
                f"np.linalg.eigh({spd})[0]",
                f"np.trace({a} @ {a})",
                f"np.linalg.matrix_power({a}, 2)",
                f"np.linalg.norm({a}, {self.r.pick(['2', 'None', chr(39) + 'nuc' + chr(39)])})",
                f"np.linalg.pinv({spd})",
            ]
        )
        self.use("linalg_" + src[: src.index("(")].split(".")[-1])
        return src, self.ev(src)

    def iexpr(self) -> tuple[str, Any]:
        """An int scalar expression (an index, a count)."""
        a, av = self.leaf("f", lambda x: x.ndim >= 1 and x.size > 0)
        n = np.shape(av)[0]
        src = self.r.pick(
            [f"int(np.argmax({a}))", f"len({a}) - 1", f"{a}.shape[0] // 2", f"min({n}, 2) - 1"]
        )
        return src, self.ev(src)

    def axis_for(self, nd: int) -> str | None:
        opts: list[str | None] = [None]
        if nd >= 1:
            opts += ["0", "-1"]
        if nd == 2:
            opts += ["1", "(0, 1)", "(1, 0)", "-2"]
        return self.r.pick(opts)

"""Statements of the NumPy-API generator (`gen_api.py`): `np.linalg` on matrices built in the
program, the numerically delicate elementwise functions, dtype mixing, statistics.

Input: the generator's state (see gen_arrays.ArrayGen). Output: a candidate statement's lines
(guarded text, indented one level); `Reject` when a choice does not fit. Matrices are built well
conditioned (SPD as ``B B^T + n I``, general as ``tanh(B) + n I``) with eigenvalue and singular
value gaps guarded, and eigenvectors used only through sign-free expressions.
"""

from __future__ import annotations

import numpy as np

from .gen_api_more import ApiMore
from .gen_arrays_stmts import Reject


class ApiLinalg(ApiMore):
    """Statement generators, continued; the host is gen_api.ApiGen."""

    def square(self) -> tuple[str, int, str]:
        """(a general well-conditioned matrix expression, n, an SPD matrix expression)."""
        r = self.r
        n = r.pick(self.dims)
        b = self.shaped((n, n), 1)
        gen = f"(np.tanh({b}) + {float(n)} * np.eye({n}))"
        spd = f"({b} @ {b}.T + {float(n)} * np.eye({n}))"
        return gen, n, spd

    def a_linalg(self) -> list[str]:
        r = self.r
        t = self.fresh("t")
        m, n, s = self.square()
        kind = r.pick(
            ["solve_v", "solve_m", "inv", "det", "slogdet", "slogdet_unpack", "cholesky"]
            + ["cholesky_up", "eigh_w", "eigh_proj", "eigh_sq", "eigh_upper", "eigh_nonsym"]
            + [
                "eigvalsh",
                "pinv",
                "lstsq",
                "matrix_power",
                "cond",
                "svdvals",
                "qr_r",
                "tensorsolve",
            ]
        )
        self.use(f"api_la_{kind}")
        if kind == "solve_v":
            return [f"    {t} = np.linalg.solve({m}, {self.shaped((n,), 1)})"]
        if kind == "solve_m":
            k = r.pick(self.dims)
            src = r.pick([m, s])
            return [f"    {t} = np.linalg.solve({src}, {self.shaped((n, k), 1)})"]
        if kind == "inv":
            return [f"    {t} = np.linalg.inv({r.pick([m, s])})"]
        if kind == "det":
            return [f"    {t} = np.linalg.det({m} / {float(n)})"]
        if kind == "slogdet":
            return [f"    {t} = np.linalg.slogdet({m})[1] * np.linalg.slogdet({m}).sign"]
        if kind == "slogdet_unpack":
            sg = self.fresh("sg")
            return [f"    {sg}, {t} = np.linalg.slogdet({s})", f"    {t} = {t} * {sg}"]
        if kind == "cholesky":
            return [f"    {t} = np.linalg.cholesky({s})"]
        if kind == "cholesky_up":
            return [f"    {t} = np.linalg.cholesky({s}, upper=True)"]
        w = self.fresh("w")
        v = self.fresh("v")
        gap = f"_kgap(np.linalg.eigvalsh({s}))"
        if kind == "eigh_w":
            return [f"    {w}, {v} = np.linalg.eigh(_kw({s}, {gap}))", f"    {t} = {w} * 1.0"]
        if kind == "eigh_proj":
            return [
                f"    {w}, {v} = np.linalg.eigh(_kw({s}, {gap}))",
                f"    {t} = ({v} * np.sin({w})) @ {v}.T",
            ]
        if kind == "eigh_sq":
            return [
                f"    {w}, {v} = np.linalg.eigh(_kw({s}, {gap}))",
                f"    {t} = {v}[:, {r.int(0, n - 1)}] ** 2 + {v}[0] * {v}[0]",
            ]
        if kind == "eigh_upper":
            return [
                f"    {w}, {v} = np.linalg.eigh(_kw({s}, {gap}), UPLO='U')",
                f"    {t} = {w} + np.sum({v} ** 2, axis=0)",
            ]
        if kind == "eigh_nonsym":
            # NumPy reads one triangle of a non-symmetric argument: the other one has no effect
            b = self.shaped((n, n), 1)
            ns = f"({s} + 0.3 * np.triu({b}, 1))"
            uplo = r.pick(["", ", UPLO='U'", ", UPLO='L'"])
            g = f"_kgap(np.linalg.eigvalsh({ns}{uplo}))"
            f = r.pick(["eigvalsh", "eigh", "cholesky"])
            if f == "cholesky":
                return [f"    {t} = np.linalg.cholesky({ns})"]
            if f == "eigvalsh":
                return [f"    {t} = np.linalg.eigvalsh(_kw({ns}, {g}){uplo})"]
            return [
                f"    {w}, {v} = np.linalg.eigh(_kw({ns}, {g}){uplo})",
                f"    {t} = {w} + ({v} ** 2).sum(axis=1)",
            ]
        if kind == "eigvalsh":
            return [f"    {t} = np.linalg.eigvalsh(_kw({s}, {gap}))"]
        if kind in ("pinv", "lstsq", "svdvals", "qr_r", "cond"):
            k = r.pick([d for d in self.dims if d <= n] or [n])
            b = self.shaped((n, k), 1)
            tall = f"({b} + 2.0 * np.eye({n}, {k}))"
            sv = f"np.linalg.svd({tall}, compute_uv=False)"
            tall_g = f"_kw({tall}, _kgap({sv}), _kpos({sv}, 0.2))"
            if kind == "pinv":
                src = r.pick([tall_g, f"{tall_g}.T"])
                return [f"    {t} = np.linalg.pinv({src})"]
            if kind == "svdvals":
                call = r.pick(
                    [f"np.linalg.svdvals({tall_g})", f"np.linalg.svd({tall_g}, compute_uv=False)"]
                )
                return [f"    {t} = {call}"]
            if kind == "cond":
                if k != n:
                    raise Reject("cond of a square matrix")
                return [f"    {t} = np.linalg.cond({tall_g})"]
            if kind == "qr_r":
                q = self.fresh("q")
                return [
                    f"    {q}, {t} = np.linalg.qr({tall_g})",
                    f"    {t} = ({q} @ {t}) ** 2 + {t}[0] ** 2",
                ]
            rhs = self.shaped(r.pick([(n,), (n, 2)]), 1)
            return [f"    {t} = np.linalg.lstsq({tall_g}, {rhs}, rcond=None)[0]"]
        if kind == "matrix_power":
            p = r.int(-2, 4)
            return [f"    {t} = np.linalg.matrix_power({m} / {float(n + 1)}, {p})"]
        b = self.shaped((n, 2), 1)
        return [f"    {t} = np.linalg.tensorsolve({m}, {b})"]

    def a_delicate(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr(0, 2)
        t = self.fresh("t")
        sh = va.shape
        b = self.shaped(sh if r.chance(0.7) else (), 1)
        kind = r.pick(
            ["logaddexp", "logaddexp2", "logaddexp_same", "logaddexp_inf", "log1p", "expm1"]
            + ["hypot", "arctan2", "sinc", "i0", "heaviside", "fmod", "remainder", "mod_op"]
            + ["divmod", "modf", "copysign", "float_power", "fmax_nan", "log2", "arccosh"]
            + ["arctanh", "exp2", "nan_to_num", "reciprocal", "ldexp", "cbrt", "deg"]
        )
        self.use(f"api_{kind}")
        if kind in ("logaddexp", "logaddexp2"):
            return [f"    {t} = np.{kind}({a}, {b})"]
        if kind == "logaddexp_same":
            return [f"    {t} = np.logaddexp({a}, {a}) + np.logaddexp2({a}, {a})"]
        if kind == "logaddexp_inf":
            return [f"    {t} = np.logaddexp({a}, -np.inf) + np.logaddexp(-np.inf, {b} * 2.0)"]
        if kind == "log1p":
            return [f"    {t} = np.log1p(_kpos({a}, -1.0)) + np.log1p({a} * {a})"]
        if kind == "expm1":
            return [f"    {t} = np.expm1({a}) * np.expm1(1e-6 * {b})"]
        if kind == "hypot":
            return [f"    {t} = np.hypot({a}, {b}) + np.hypot(3.0, {a})"]
        if kind == "arctan2":
            return [f"    {t} = np.arctan2(_kz({a}), {b}) + np.arctan2({b}, 1.5)"]
        if kind == "sinc":
            return [
                f"    {t} = np.sinc({a}) + np.sinc({a} * {self.mask_lit(sh, 0.4) if sh else 'False'})"
            ]
        if kind == "i0":
            return [f"    {t} = np.i0({a})" if sh else f"    {t} = np.i0(np.atleast_1d({a}))"]
        if kind == "heaviside":
            return [f"    {t} = np.heaviside(_kz({a}), {r.pick(['0.5', '1.0', b])}) * {b}"]
        if kind in ("fmod", "remainder"):
            den = r.pick(["1.5", "-0.7", f"(np.exp({b}) + 0.5)"])
            return [f"    {t} = np.{kind}(_kw({a} * 2.0, _kfrac({a} * 2.0 / {den})), {den})"]
        if kind == "mod_op":
            return [f"    {t} = _kw({a} * 3.0, _kfrac({a} * 3.0)) % 1.0 + {a} // 0.5 * 0.1"]
        if kind == "divmod":
            q = self.fresh("q")
            return [
                f"    {q}, {t} = np.divmod(_kw({a}, _kfrac({a} / 0.8)), 0.8)",
                f"    {t} = {t} + {q}",
            ]
        if kind == "modf":
            q = self.fresh("q")
            return [
                f"    {t}, {q} = np.modf(_kw({a} * 2.0, _kfrac({a} * 2.0)))",
                f"    {t} = {t} * {q}",
            ]
        if kind == "copysign":
            return [f"    {t} = np.copysign({a}, _kz({b})) + np.copysign(0.5, _kz({a})) * {b}"]
        if kind == "float_power":
            return [f"    {t} = np.float_power(_kpos({a}), 2.5) + np.float_power({a}, 2)"]
        if kind == "fmax_nan":
            if not sh:
                raise Reject("rank")
            nb = f"np.where({self.mask_lit(sh, 0.4)}, np.nan, {b})"
            f = r.pick(["fmax", "fmin"])
            return [
                f"    {t} = np.{f}(_kne({a}, {b}), {nb}) + np.{f}({nb}, 0.5 * _kne({a}, 2.0 * {b}))"
            ]
        if kind == "log2":
            return [f"    {t} = np.log2(_kpos({a})) + np.log10({a} * {a} + 1.0)"]
        if kind == "arccosh":
            return [
                f"    {t} = np.arccosh({a} * {a} + 1.1) + np.arcsinh({a}) + np.arccos(0.9 * np.tanh({a}))"
            ]
        if kind == "arctanh":
            return [
                f"    {t} = np.arctanh(0.8 * np.tanh({a})) + np.cosh({b}) + np.tan(0.5 * np.tanh({a}))"
            ]
        if kind == "exp2":
            pw = f"np.power({a}, 2) + np.power(np.cos({a}) + 1.2, {b})"
            return [f"    {t} = np.exp2({a}) + np.power(2.0, {b}) + {pw}"]
        if kind == "nan_to_num":
            m = self.mask_lit(sh) if sh else "False"
            nb = f"np.where({m}, np.nan, {b})"
            return [f"    {t} = np.nan_to_num({a}) + np.nan_to_num({nb}, nan=0.5)"]
        if kind == "reciprocal":
            return [f"    {t} = np.reciprocal(_kz({a})) * 0.1 + np.true_divide({b}, 3)"]
        if kind == "ldexp":
            return [f"    {t} = np.ldexp({a}, 2) + np.ldexp({b}, np.array(-1))"]
        if kind == "cbrt":
            return [
                f"    {t} = np.cbrt(_kz({a})) + np.square({b}) + np.positive({a}) + np.negative({b})"
            ]
        return [f"    {t} = np.deg2rad({a}) + np.rad2deg({b}) * 0.01 + np.radians({a})"]

    def a_dtype(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr(1, 2)
        t = self.fresh("t")
        sh = va.shape
        kind = r.pick(
            ["int_arr", "bool_arr", "f32_scalar", "f32_arr", "complex_abs", "complex_real"]
            + ["complex_mul", "astype", "asarray", "int_sum", "bool_sum", "angle", "conj"]
        )
        self.use(f"api_dt_{kind}")
        if kind == "int_arr":
            ints = [r.int(-3, 3) for _ in range(int(np.prod(sh)))]
            return [f"    {t} = {a} * np.array({ints}).reshape({sh}) + np.array({ints[:1]})"]
        if kind == "bool_arr":
            return [f"    {t} = {a} * {self.mask_lit(sh)} - {self.mask_lit(sh)}"]
        if kind == "f32_scalar":
            return [f"    {t} = {a} * np.float32(1.5) + np.float32(0.5)"]
        if kind == "f32_arr":
            return [f"    {t} = {a} + np.ones({sh}, dtype=np.float32)"]
        b = self.shaped(sh, 1)
        if kind == "complex_abs":
            return [f"    {t} = np.abs(_kw({a} + 1j * {b}, _kpos({a} * {a} + {b} * {b})))"]
        if kind == "complex_real":
            return [f"    {t} = np.real({a} * np.exp(1j * {b})) + (({a} + 2j) ** 2).imag"]
        if kind == "complex_mul":
            return [f"    {t} = (({a} + 1j * {b}) * np.conj({a} - 1j * {b})).real"]
        if kind == "astype":
            return [f"    {t} = {a}.astype(np.float64) + {a}.astype(complex).real"]
        if kind == "asarray":
            return [f"    {t} = np.asarray({a}, dtype=float) * np.asarray([{r.int(1, 3)}])"]
        if kind == "int_sum":
            return [f"    {t} = {a} * np.sum(np.arange(4)) + {a}.shape[0]"]
        if kind == "bool_sum":
            return [f"    {t} = {a} * np.sum(_kz({b}) > 0) + np.mean({self.mask_lit(sh)})"]
        if kind == "angle":
            return [f"    {t} = np.angle(_kw({a} + 1j * {b}, _kz({b})))"]
        return [f"    {t} = np.conjugate({a} * (1 + 1j)).imag + np.imag({b} * 1j)"]

    def a_stats(self) -> list[str]:
        r = self.r
        a, va = self.nd_arr(1, 2)
        t = self.fresh("t")
        kind = r.pick(
            ["cov", "cov_rowvar", "cov_ddof", "cov_two", "corrcoef", "ptp", "average_ret"]
        )
        self.use(f"api_{kind}")
        if kind == "cov":
            return [f"    {t} = np.cov({a})"]
        if kind == "cov_rowvar":
            return [f"    {t} = np.cov({a}, rowvar=False)"]
        if kind == "cov_ddof":
            return [f"    {t} = np.cov({a}, {r.pick(['ddof=0', 'bias=True', 'ddof=2'])})"]
        if kind == "cov_two":
            b = self.shaped(va.shape, 1)
            return [f"    {t} = np.cov({a}, {b})"]
        if kind == "corrcoef":
            if va.ndim != 2:
                raise Reject("rank")
            return [f"    {t} = np.corrcoef(_kw({a}, _kpos(np.std({a}, axis=1))))"]
        if kind == "ptp":
            return [f"    {t} = np.ptp(_kgap({a}, -1), axis=-1)"]
        w = self.fresh("w")
        return [f"    {t}, {w} = np.average({a}, axis=0, weights=np.exp({a}), returned=True)"]

    def a_misc(self) -> list[str]:
        """Decompositions used in full (svd, qr, eig of a symmetric matrix), lstsq residuals,
        weights of bincount, differentiable coordinates of trapezoid/gradient, take modes,
        choose, FFTs."""
        r = self.r
        t = self.fresh("t")
        m, n, s = self.square()
        kind = r.pick(
            ["svd_full", "svd_sq", "qr", "qr_complete", "eigvals_sym", "eig_sym", "residuals"]
            + [
                "bincount",
                "trapz_x",
                "gradient_x",
                "take_mode",
                "choose",
                "fft",
                "rfft",
                "eigh_stack",
            ]
        )
        self.use(f"api_misc_{kind}")
        k = r.pick([d for d in self.dims if d <= n] or [n])
        b = self.shaped((n, k), 1)
        tall = f"({b} + 2.0 * np.eye({n}, {k}))"
        sv = f"np.linalg.svd({tall}, compute_uv=False)"
        tall_g = f"_kw({tall}, _kgap({sv}), _kpos({sv}, 0.2))"
        u, v, w = self.fresh("u"), self.fresh("v"), self.fresh("w")
        if kind == "svd_full":
            return [
                f"    {u}, {w}, {v} = np.linalg.svd({tall_g}, full_matrices=False)",
                f"    {t} = ({u} * np.sin({w})) @ {v} + {u}[:, :1] * {v}[:1, :]",
            ]
        if kind == "svd_sq":
            return [f"    {u}, {w}, {v} = np.linalg.svd({tall_g})", f"    {t} = {u}[:, :{k}] ** 2"]
        if kind in ("qr", "qr_complete"):
            mode = (
                ", mode='complete'" if kind == "qr_complete" else r.pick(["", ", mode='reduced'"])
            )
            return [f"    {u}, {v} = np.linalg.qr({tall_g}{mode})", f"    {t} = {u} @ {v} + {u}"]
        gap = f"_kgap(np.linalg.eigvalsh({s}))"
        if kind == "eigvals_sym":
            return [f"    {t} = np.sort(np.linalg.eigvals(_kw({s}, {gap})))"]
        if kind == "eig_sym":
            return [
                f"    {w}, {v} = np.linalg.eig(_kw({s}, {gap}))",
                f"    {t} = {w} + ({v} ** 2).sum(0)",
            ]
        if kind == "residuals":
            if k >= n:
                raise Reject("square: no residuals")
            rhs = self.shaped(r.pick([(n,), (n, 2)]), 1)
            return [f"    {t} = np.linalg.lstsq({tall_g}, {rhs})[1]"]
        if kind == "eigh_stack":
            c = self.shaped((2, n, n), 1)
            st = f"({c} @ np.swapaxes({c}, -1, -2) + {float(n)} * np.eye({n}))"
            g = f"_kgap(np.linalg.eigvalsh({st}), -1)"
            return [
                f"    {w}, {v} = np.linalg.eigh(_kw({st}, {g}))",
                f"    {t} = {w} * ({v} ** 2)[:, 0]",
            ]
        a, va = self.arr(1, 1, 1)
        nn = va.shape[0]
        if kind == "bincount":
            idx = [r.int(0, 3) for _ in range(nn)]
            return [f"    {t} = np.bincount({idx}, weights={a}, minlength=5) * 1.0"]
        if kind == "trapz_x":
            x = self.shaped((nn,), 1)
            return [f"    {t} = np.trapezoid({a}, x=np.cumsum(np.exp({x})))"]
        if kind == "gradient_x":
            if nn < 3:
                raise Reject("short")
            x = self.shaped((nn,), 1)
            eo = r.pick(["", ", edge_order=2"])
            return [f"    {t} = np.gradient({a}, np.cumsum(np.exp({x})){eo})"]
        if kind == "take_mode":
            idx = [r.int(-2 * nn, 2 * nn) for _ in range(r.int(2, 5))]
            return [
                f"    {t} = np.take({a}, {idx}, mode={r.pick(['{0}wrap{0}', '{0}clip{0}']).format(chr(39))})"
            ]
        if kind == "choose":
            c = self.shaped((nn,), 1)
            ch = [r.int(0, 1) for _ in range(nn)]
            return [f"    {t} = np.choose({ch}, [{a}, {c}])"]
        if kind == "fft":
            return [f"    {t} = np.fft.fft({a}).real + np.fft.ifft({a} * 2.0).imag"]
        nfft = r.pick(["", f", n={nn + 1}", f", n={max(nn - 1, 1)}"])
        spec = f"np.fft.rfft({a} + 3.0)"
        mag = f"np.abs(_kw({spec}, _kpos(np.abs({spec}))))"
        return [f"    {t} = np.fft.irfft(np.fft.rfft({a}){nfft}) + {mag}"]

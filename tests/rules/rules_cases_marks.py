"""Rule cases that bind floats to `zero_in` parameters (part of `tests/rules/rules_cases.py`,
imported at its end): a float condition, a cutoff, a threshold, bin edges. Differentiated in
the other arguments (`wrt`); tests/rules/test_nondiff_marks.py moves the `zero_in` operand alone
and checks that the primitive does not change to first order."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn

_c = np.array([0.7, 0.0, -1.3, 2.0])  # a float condition: read as != 0
case("numpy.where", "np.where(c, x, y)", ("x", "y"), c=_c, x=randn(3, 4), y=randn(4))
_c2 = np.array([0.7, -1.3, 2.0, 0.4])  # (no zero: a small step keeps the selection's size)
case("numpy.compress", "np.compress(c, x)", ("x",), c=_c2, x=randn(4))
case("method.compress", "x.compress(c)", ("x",), c=_c2, x=randn(4))
case("srcad.runtime.compress_vjp", "_srcad.compress_vjp(t, c, a, None)", ("t",), t=randn(4),
     c=_c2, a=randn(4))  # fmt: skip
case("numpy.linalg.lstsq", "np.linalg.lstsq(a, b, rcond=r)", ("a", "b"), a=randn(5, 3),
     b=randn(5), r=1e-8)  # fmt: skip
case("numpy.linalg.pinv", "np.linalg.pinv(a, rtol=r)", ("a",), a=randn(4, 3), r=1e-8)
case("numpy.polyfit", "np.polyfit(x, y, 2, rcond=r)", ("y",), x=np.arange(5.0), y=randn(5),
     r=1e-10)  # fmt: skip
case("srcad.runtime.polyfit_lin", "_srcad.polyfit_lin(t, x, 2, r, False, None, False)", ("t",),
     t=randn(5), x=randn(5), r=1e-10)  # fmt: skip
case("srcad.runtime.polyfit_vjp", "_srcad.polyfit_vjp(t, x, y, 2, r, False, None, False)",
     ("t",), t=randn(3), x=randn(5), y=randn(5), r=1e-10)  # fmt: skip
case("numpy.real_if_close", "np.real_if_close(x, tol=r)", ("x",), x=randn(3), r=50.0)
case("numpy.unwrap", "np.unwrap(x, discont=d)", ("x",), d=4.0,
     x=np.array([0.1, 3.0, 6.5, 0.2, -3.5]))  # fmt: skip
_hx = np.array([-0.9, -0.2, 0.3, 0.35, 0.8, 1.4])  # (no value near an edge)
case("srcad.runtime.histogram_w", "_srcad.histogram_w(t, x, e, None, None)", ("t",), t=randn(6),
     x=_hx, e=np.array([-1.0, 0.0, 0.5, 1.5]))  # fmt: skip
case("srcad.runtime.histogram_w", "_srcad.histogram_w(t, x, 3, (lo, hi), None)", ("t",),
     t=randn(6), x=_hx, lo=-1.0, hi=1.5)  # fmt: skip
case("srcad.runtime.histogram_w_vjp", "_srcad.histogram_w_vjp((t, e), x, b, None, None, w)",
     ("t", "e"), t=randn(3), e=randn(4), x=_hx, b=np.array([-1.0, 0.0, 0.5, 1.5]),
     w=randn(6))  # fmt: skip
case("srcad.runtime.histogram_w_vjp", "_srcad.histogram_w_vjp((t, e), x, 3, (lo, hi), None, w)",
     ("t", "e"), t=randn(3), e=randn(4), x=_hx, lo=-1.0, hi=1.5, w=randn(6))  # fmt: skip
_he = np.array([-1.0, 0.0, 0.5, 1.5])
for _b, _rng, _kw in ((_he, None, {"b": _he}), (3, (-1.0, 1.5), {"lo": -1.0, "hi": 1.5})):
    _bs, _rs = ("b", "None") if _rng is None else ("3", "(lo, hi)")
    _res = np.histogram(_hx, _b, _rng)
    case("srcad.runtime.histogram_jvp", f"_srcad.histogram_jvp(t, x, {_bs}, {_rs}, None, r)",
         ("t",), t=randn(6), x=_hx, r=_res, **_kw)  # fmt: skip
    case("srcad.runtime.histogram_vjp", f"_srcad.histogram_vjp((c, e), x, {_bs}, {_rs}, None, r)",
         ("c", "e"), c=randn(3), e=randn(4), x=_hx, r=_res, **_kw)  # fmt: skip
# np.histogram2d's helpers (rules/histograms2d.py): float edges and ranges, far from the samples
_h2x = np.array([-0.9, -0.2, 0.3, 0.35, 0.8, 1.4])
_h2y = np.array([0.45, -1.1, 2.05, 0.2, -0.35, 1.3])
_h2b = np.array([-2.0, -0.5, 0.6, 2.5])
_h2g = np.array([[-1.0, 1.5], [-1.2, 2.1]])
for _b, _rg in ((_h2b, None), (3, _h2g)):
    _res = np.histogram2d(_h2x, _h2y, _b, _rg)
    _kw = {"b": _b} if _rg is None else {"g": _rg}
    _bs, _rs = ("b", "None") if _rg is None else ("3", "g")
    _a = f"x, y, {_bs}, {_rs}, None, r"
    case("srcad.runtime.histogram2d_a", f"_srcad.histogram2d_a(t, {_a}, 0)", ("t",), t=randn(6),
         x=_h2x, y=_h2y, r=_res, **_kw)  # fmt: skip
    case("srcad.runtime.histogram2d_a_vjp", f"_srcad.histogram2d_a_vjp((c, e, f), {_a}, 1)",
         ("c", "e", "f"), c=randn(3, 3), e=randn(4), f=randn(4), x=_h2x, y=_h2y, r=_res,
         **_kw)  # fmt: skip
    case("srcad.runtime.histogram2d_w", f"_srcad.histogram2d_w(t, {_a})", ("t",), t=randn(6),
         x=_h2x, y=_h2y, r=_res, **_kw)  # fmt: skip
    case("srcad.runtime.histogram2d_w_vjp", f"_srcad.histogram2d_w_vjp((c, e, f), {_a}, w)",
         ("c", "e", "f"), c=randn(3, 3), e=randn(4), f=randn(4), x=_h2x, y=_h2y, r=_res,
         w=randn(6), **_kw)  # fmt: skip

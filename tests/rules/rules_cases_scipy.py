"""Rule cases of scipy.special functions (present only when scipy is importable).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import HAS_SCIPY, case, pos, randn, unit, zero

SP = "scipy.special."
RT = "srcad.runtime."

if HAS_SCIPY:
    import scipy.special

    # -- logsumexp (a and b), softmax, log_softmax ----------------------------------------------
    case(SP + "logsumexp", "sp.logsumexp(a)", a=randn(5))
    case(SP + "logsumexp", "sp.logsumexp(a)", a=randn())
    case(SP + "logsumexp", "sp.logsumexp(a, axis=1)", a=randn(3, 4))
    case(SP + "logsumexp", "sp.logsumexp(a, axis=0, keepdims=True)", a=randn(3, 4))
    case(SP + "logsumexp", "sp.logsumexp(a, axis=(0, 2))", a=randn(2, 3, 2))
    case(SP + "logsumexp", "sp.logsumexp(a, axis=-1, b=b)", a=randn(3, 4), b=pos(3, 4))
    case(SP + "logsumexp", "sp.logsumexp(a, b=b)", a=randn(3, 4), b=pos(4))
    case(SP + "logsumexp", "sp.logsumexp(a, 1, b, True)", a=randn(2, 3), b=pos(2, 1))
    case(SP + "logsumexp", "sp.logsumexp(a)", a=np.array([1000.0, 999.0, -1000.0]))
    case(SP + "softmax", "sp.softmax(x)", x=randn(4))
    case(SP + "softmax", "sp.softmax(x, axis=1)", x=randn(3, 4))
    case(SP + "softmax", "sp.softmax(x, axis=0)", x=np.array([[1000.0, 0.0], [999.0, -1000.0]]))
    case(SP + "log_softmax", "sp.log_softmax(x)", x=randn(4))
    case(SP + "log_softmax", "sp.log_softmax(x, axis=-1)", x=randn(3, 4))
    case(SP + "log_softmax", "sp.log_softmax(x, 0)", x=np.array([[1000.0, 0.0], [-1000.0, 2.0]]))
    case(RT + "sp_lse_w", "_srcad.sp_lse_w(a, b, 1)", a=randn(3, 4), b=pos(3, 4))
    case(RT + "sp_lse_w", "_srcad.sp_lse_w(a, None, None)", a=randn(4))
    case(RT + "sp_lse_w", "_srcad.sp_lse_w(a, b, (0, 1))", a=randn(2, 3), b=pos(3))
    zero(RT + "sp_lse_sign", "_srcad.sp_lse_sign(a, 1, b, False)", a=randn(2, 3), b=randn(2, 3))
    case(RT + "sp_lse_e", "_srcad.sp_lse_e(a, b, 0)", a=randn(3, 4), b=pos(3, 4))
    case(RT + "sp_lse_e", "_srcad.sp_lse_e(a, b, None)", a=randn(2, 3), b=pos(2, 1))
    case(RT + "sp_lse_e", "_srcad.sp_lse_e(a, None, -1)", a=randn(2, 3))

    # -- elementwise: one argument ----------------------------------------------------------------
    case(SP + "expit", "sp.expit(x)", x=randn(5))
    case(SP + "expit", "sp.expit(x)", x=randn())
    case(SP + "logit", "sp.logit(x)", x=np.array([0.1, 0.5, 0.93]))
    case(SP + "logit", "sp.logit(x)", x=0.3)
    case(SP + "log_expit", "sp.log_expit(x)", x=randn(5))
    zero(SP + "gammasgn", "sp.gammasgn(x)", x=np.array([-2.5, -1.5, -0.3, 0.7, 3.2]))
    case(SP + "log_expit", "sp.log_expit(x)", x=np.array([-1000.0, -40.0, 40.0, 1000.0]))
    case(SP + "gammaln", "sp.gammaln(x)", x=pos(4))
    case(SP + "gammaln", "sp.gammaln(x)", x=np.array([-2.5, -0.3, 3.7, 40.0]))
    case(SP + "gammaln", "sp.gammaln(x)", x=2.5)
    case(SP + "loggamma", "sp.loggamma(x)", x=pos(4))
    case(SP + "loggamma", "sp.loggamma(x)", x=1.7)
    case(SP + "psi", "sp.psi(x)", x=np.array([-1.5, 0.3, 2.0, 30.0]))
    case(SP + "psi", "sp.digamma(x)", x=pos(3))
    case(SP + "erf", "sp.erf(x)", x=randn(4))
    case(SP + "erfc", "sp.erfc(x)", x=randn(4))
    case(SP + "erfinv", "sp.erfinv(x)", x=unit(4))
    case(SP + "erfcinv", "sp.erfcinv(x)", x=np.array([0.05, 0.7, 1.2, 1.9]))
    case(SP + "ndtr", "sp.ndtr(x)", x=randn(4))
    case(SP + "log_ndtr", "sp.log_ndtr(x)", x=randn(4))
    case(SP + "log_ndtr", "sp.log_ndtr(x)", x=np.array([-200.0, -40.0, -5.0, 10.0]))
    case(SP + "log_ndtr", "sp.log_ndtr(x)", x=-3.0)
    case(SP + "entr", "sp.entr(x)", x=pos(4))
    case(SP + "gamma", "sp.gamma(x)", x=np.array([-1.5, 0.3, 2.0, 5.5]))
    case(SP + "rgamma", "sp.rgamma(x)", x=np.array([-2.0, -1.0, 0.0, -0.5, 0.3, 0.5, 4.0]))
    case(SP + "rgamma", "sp.rgamma(x)", x=1.5)
    case(SP + "ndtri", "sp.ndtri(x)", x=np.array([0.02, 0.3, 0.5, 0.97]))
    case(SP + "ndtri", "sp.ndtri(x)", x=0.8)
    case(SP + "erfcx", "sp.erfcx(x)", x=np.array([-2.0, -0.3, 0.4, 30.0]))
    case(SP + "dawsn", "sp.dawsn(x)", x=randn(4))
    case(SP + "erfi", "sp.erfi(x)", x=np.array([-1.7, -0.3, 0.4, 2.1]))
    case(SP + "erfi", "sp.erfi(x)", x=0.6)
    case(SP + "log1p", "sp.log1p(x)", x=np.array([-0.9, -0.2, 0.5, 3.0]))
    case(SP + "log1p", "sp.log1p(x)", x=0.4)
    case(SP + "expm1", "sp.expm1(x)", x=randn(4))
    case(SP + "cosm1", "sp.cosm1(x)", x=np.array([1e-5, -0.7, 2.0]))
    case(SP + "exp1", "sp.exp1(x)", x=np.array([0.3, 1.0, 5.0]))
    case(SP + "exp1", "sp.exp1(x)", x=0.7)
    if hasattr(scipy.special, "softplus"):  # scipy >= 1.15
        case(SP + "softplus", "sp.softplus(x)", x=np.array([-50.0, -1.0, 0.3, 40.0]))

    # -- elementwise: two arguments ---------------------------------------------------------------
    case(SP + "xlogy", "sp.xlogy(x, y)", x=randn(3, 4), y=pos(3, 4))
    case(SP + "xlogy", "sp.xlogy(x, y)", x=randn(3, 4), y=pos(4))
    case(SP + "xlogy", "sp.xlogy(x, y)", x=randn(), y=pos(3))
    case(SP + "xlogy", "sp.xlogy(x, y)", x=pos(), y=pos())
    case(SP + "xlog1py", "sp.xlog1py(x, y)", x=randn(3, 4), y=unit(4))
    case(SP + "beta", "sp.beta(a, b)", a=pos(3), b=pos(3))
    case(SP + "beta", "sp.beta(a, b)", a=pos(2, 3), b=pos())
    case(SP + "betaln", "sp.betaln(a, b)", a=pos(3), b=pos(2, 1))
    case(SP + "betaln", "sp.betaln(a, b)", a=pos(), b=pos())
    case(SP + "polygamma", "sp.polygamma(1, x)", x=pos(4))
    case(SP + "polygamma", "sp.polygamma(3, x)", x=np.array([-1.5, 0.7, 2.0]))
    case(SP + "polygamma", "sp.polygamma(n, x)", x=pos(3), n=np.array([0, 1, 2]))
    case(SP + "polygamma", "sp.polygamma(0, x)", x=2.0)
    case(SP + "multigammaln", "sp.multigammaln(a, 3)", a=np.array([1.2, 2.0, 5.5]))
    case(SP + "multigammaln", "sp.multigammaln(a, 1)", a=2.5)
    case(SP + "zeta", "sp.zeta(x, q)", _wrt=("q",), x=np.array([2.0, 3.5, 1.5]), q=pos(3))
    case(SP + "rel_entr", "sp.rel_entr(x, y)", x=pos(3, 4), y=pos(4))
    case(SP + "rel_entr", "sp.rel_entr(x, y)", x=np.array([0.0, 0.5]), y=pos(2), _wrt=("y",))
    case(SP + "kl_div", "sp.kl_div(x, y)", x=pos(3), y=pos(2, 3))
    case(SP + "kl_div", "sp.kl_div(x, y)", x=pos(), y=pos())
    case(SP + "kl_div", "sp.kl_div(x, y)", x=np.array([0.0, 0.5]), y=pos(2), _wrt=("y",))
    case(SP + "powm1", "sp.powm1(x, y)", x=pos(3), y=randn(3))
    case(SP + "powm1", "sp.powm1(x, y)", x=pos(2, 3), y=2.5)
    case(SP + "zeta", "sp.zeta(3.0, q)", q=pos(2, 2))

    # -- the helpers that wrap SciPy --------------------------------------------------------------
    case(RT + "sp_gammaln", "_srcad.sp_gammaln(x)", x=pos(3))
    case(RT + "sp_gammaln", "_srcad.sp_gammaln(x)", x=3.5)
    case(RT + "sp_digamma", "_srcad.sp_digamma(x)", x=pos(3))
    case(RT + "sp_polygamma", "_srcad.sp_polygamma(0, x)", x=pos(3))
    case(RT + "sp_polygamma", "_srcad.sp_polygamma(2, x)", x=1.7)
    case(RT + "sp_betaln", "_srcad.sp_betaln(a, b)", a=pos(3), b=pos())
    case(RT + "sp_xlogy", "_srcad.sp_xlogy(x, y)", x=randn(3), y=pos(3))
    case(RT + "sp_xlog1py", "_srcad.sp_xlog1py(x, y)", x=randn(3), y=unit(3))
    case(RT + "sp_ndtr", "_srcad.sp_ndtr(x)", x=randn(3))
    case(RT + "sp_log_ndtr", "_srcad.sp_log_ndtr(x)", x=np.array([-50.0, -2.0, 0.5, 3.0]))
    case(RT + "sp_ndtr_ratio", "_srcad.sp_ndtr_ratio(x)", x=np.array([-50.0, -2.0, 0.5, 3.0]))
    case(RT + "sp_ndtr_ratio", "_srcad.sp_ndtr_ratio(x)", x=-1.0)
    case(RT + "sp_ndtr_shift", "_srcad.sp_ndtr_shift(x)", x=np.array([-50.0, -3.1, -2.9, 0.5, 3.0]))
    case(RT + "sp_ndtr_shift", "_srcad.sp_ndtr_shift(x)", x=-7.0)
    case(RT + "sp_xlogy_dy", "_srcad.sp_xlogy_dy(x, y)", x=randn(3, 2), y=pos(2))
    case(RT + "sp_xlogy_dy", "_srcad.sp_xlogy_dy(x, y)", x=randn(), y=pos())
    case(RT + "sp_zeta", "_srcad.sp_zeta(x, q)", _wrt=("q",), x=np.array([2.0, 4.0]), q=pos(2))
    case(RT + "sp_multipolygamma", "_srcad.sp_multipolygamma(1, a, 3)", a=np.array([1.5, 3.0]))
    case(RT + "sp_gauss_d", "_srcad.sp_gauss_d(x, 0.5, 0)", x=np.array([-3.0, 0.0, 0.4, 1.5]))
    case(RT + "sp_gauss_d", "_srcad.sp_gauss_d(x, 1.0, 2)", x=np.array([-1.2, 0.3, 2.0]))
    case(RT + "sp_gauss_d", "_srcad.sp_gauss_d(x, 0.5, 3)", x=0.7)
    case(RT + "sp_rgamma_d", "_srcad.sp_rgamma_d(x, 1)", x=np.array([-1.0, 0.0, 0.2, 0.5, 2.0]))
    case(RT + "sp_rgamma_d", "_srcad.sp_rgamma_d(x, 2)", x=np.array([-2.5, 0.0, 0.7, 3.0]))
    case(RT + "sp_rgamma_d", "_srcad.sp_rgamma_d(x, 3)", x=-0.4)

    # -- scipy_special3: cbrt, expi, owens_t (h and a); scipy_special4: Box-Cox (x/y, lmbda) --
    case(SP + "cbrt", "sp.cbrt(x)", x=np.array([-2.7, -0.4, 0.8, 5.0]))
    case(SP + "expi", "sp.expi(x)", x=np.array([-2.0, -0.3, 0.6, 3.0]))
    case(SP + "boxcox", "sp.boxcox(x, lmbda)", ("x",), x=pos(4), lmbda=0.4)
    case(SP + "boxcox", "sp.boxcox(x, 0.0)", x=pos(3))
    case(SP + "boxcox1p", "sp.boxcox1p(x, lmbda)", ("x",), x=pos(4), lmbda=-0.7)
    case(
        SP + "inv_boxcox", "sp.inv_boxcox(y, lmbda)", ("y",), y=np.array([0.2, 0.9, 1.7]), lmbda=0.5
    )
    case(SP + "inv_boxcox", "sp.inv_boxcox(y, 0.0)", y=randn(3))
    case(
        SP + "inv_boxcox1p", "sp.inv_boxcox1p(y, lmbda)", ("y",), y=np.array([0.2, 0.9]), lmbda=0.3
    )
    case(SP + "owens_t", "sp.owens_t(h, a)", ("h", "a"), h=randn(4), a=randn(4))
    case(SP + "owens_t", "sp.owens_t(h, a)", ("h", "a"), h=randn(2, 3), a=randn(3))
    case(SP + "owens_t", "sp.owens_t(h, 1.5)", h=np.array([-1.2, 0.0, 0.7]))

    # -- scipy_special4: exp10, stdtr (t), expn (x), Box-Cox in lmbda, and their helpers --------
    case(SP + "exp10", "sp.exp10(x)", x=randn(4))
    case(SP + "spence", "sp.spence(z)", z=np.array([0.2, 0.9, 1.0, 1.1, 3.0]))
    case(SP + "spence", "sp.spence(z)", z=2.5)
    case(SP + "stdtr", "sp.stdtr(df, t)", ("t",), df=np.array([1.5, 3.0, 30.0]), t=randn(3))
    case(SP + "stdtr", "sp.stdtr(4.0, t)", t=np.array([-2.0, 0.0, 0.7]))
    case(SP + "expn", "sp.expn(n, x)", ("x",), n=np.array([0, 1, 2, 5]), x=pos(4))
    case(SP + "expn", "sp.expn(1, x)", x=0.8)
    case(SP + "boxcox", "sp.boxcox(x, lmbda)", x=pos(4), lmbda=np.array([-0.7, 0.0, 1e-12, 1.3]))
    case(SP + "boxcox", "sp.boxcox(x, lmbda)", ("lmbda",), x=pos(3), lmbda=0.4)
    case(SP + "boxcox1p", "sp.boxcox1p(x, lmbda)", x=pos(2, 3), lmbda=np.array([0.0, -2.0, 0.5]))
    case(
        SP + "inv_boxcox",
        "sp.inv_boxcox(y, lmbda)",
        y=np.array([0.2, 0.9, -0.4, 1.7]),
        lmbda=np.array([0.5, 0.0, -0.3, 2.0]),
    )
    case(SP + "inv_boxcox", "sp.inv_boxcox(y, lmbda)", ("lmbda",), y=unit(3), lmbda=0.8)
    case(
        SP + "inv_boxcox1p",
        "sp.inv_boxcox1p(y, lmbda)",
        y=np.array([0.3, 1.2]),
        lmbda=np.array([0.0, 0.6]),
    )
    case(RT + "sp_expn", "_srcad.sp_expn(n, x)", ("x",), n=np.array([-2, -1, 0, 3]), x=pos(4))
    case(RT + "sp_exprel", "_srcad.sp_exprel(1, u)", u=np.array([-30.0, -2.0, 0.0, 0.4, 7.0, 9.0]))
    case(RT + "sp_exprel", "_srcad.sp_exprel(0, u)", u=np.array([-8.0, 1e-9, 3.0]))
    case(RT + "sp_log1prel", "_srcad.sp_log1prel(1, u)", u=np.array([-0.7, -0.5, 0.0, 0.45, 3.0]))
    case(RT + "sp_log1prel", "_srcad.sp_log1prel(2, u)", u=np.array([-0.3, 0.6, 5.0]))
    # wofz (Faddeeva): real arguments give complex values; complex arguments (holomorphic,
    # cotangents paired without a conjugate as in rules_cases_fft) on the templates only
    case(SP + "wofz", "sp.wofz(x)", x=randn(4))
    case(SP + "wofz", "sp.wofz(z)", ("z",), z=randn(3) + 1j * randn(3))
    case(SP + "wofz", "sp.wofz(z)", ("z",), z=complex(0.4, -1.3))

    # -- scipy_extra24: exprel, wrightomega; the helpers of library_lib24's rewrites ------------
    case(SP + "exprel", "sp.exprel(x)", x=np.array([-2.0, -1e-9, 0.0, 0.4, 3.0]))
    case(SP + "exprel", "sp.exprel(x)", x=0.7)
    case(SP + "wrightomega", "sp.wrightomega(x)", x=np.array([-3.0, -0.4, 0.0, 1.3, 8.0]))
    zero(RT + "struct_index", "_srcad.struct_index('toeplitz', c, r)", c=randn(3), r=randn(2))
    zero(RT + "struct_index", "_srcad.struct_index('hankel', c, None)", c=randn(3))
    zero(RT + "struct_index", "_srcad.struct_index('circulant', c, None)", c=randn(4))
    zero(RT + "struct_index", "_srcad.struct_index('squareform', c, ('no', True))", c=randn(3))
    zero(RT + "pair_rows", "_srcad.pair_rows('cdist', a, b)", a=randn(3, 2), b=randn(4, 2))
    zero(RT + "pair_rows", "_srcad.pair_rows('pdist', a, a)", a=randn(4, 2))
    zero(RT + "pair_rows", "_srcad.pair_rows('pair', a, b)", a=randn(3), b=randn(3))
    case(RT + "simpson_apply", "_srcad.simpson_apply(y, x, 1.0, (False, None))", ("y",),
         y=randn(2, 5), x=np.array([0.0, 0.4, 1.0, 1.3, 2.0]))  # fmt: skip
    for _n in (2, 3, 5, 6):  # (in x too: both parities, SciPy's last-interval correction)
        case(RT + "simpson_apply", "_srcad.simpson_apply(y, x, 1.0, (False, None))", ("y", "x"),
             y=randn(2, _n), x=np.cumsum(np.linspace(0.3, 0.9, _n)))  # fmt: skip
    _xs = np.cumsum(np.linspace(0.3, 0.9, 5))
    case(RT + "simpson_x_t", "_srcad.simpson_x_t(t, y, x, (False, None))", ("t",),
         t=randn(5), y=randn(2, 5), x=_xs)  # fmt: skip
    case(RT + "simpson_x_ct", "_srcad.simpson_x_ct(c, y, x, (False, None))", ("c",),
         c=randn(2), y=randn(2, 5), x=_xs)  # fmt: skip
    case(RT + "simpson_apply", "_srcad.simpson_apply(y, None, dx, (True, 0.0))", ("y",),
         y=randn(4), dx=0.5)  # fmt: skip
    case(RT + "simpson_apply", "_srcad.simpson_apply(y, None, 0.3, (True, None))", y=randn(3, 4))
    case(
        RT + "simpson_apply_t", "_srcad.simpson_apply_t(g, None, 1.0, (False, None), 5)", g=randn(2)
    )
    case(RT + "simpson_apply_t", "_srcad.simpson_apply_t(t, x, 1.0, (True, 0.0), 3)", ("t",),
         t=randn(2, 3), x=np.array([0.0, 0.5, 1.5]))  # fmt: skip

    # -- scipy_signal24: lfilter (b, a, x) through sp_lfilter, its transpose, the lag sums -------
    _B, _A = np.array([0.5, -0.3, 0.2]), np.array([1.2, -0.4, 0.1])
    case(RT + "sp_lfilter", "_srcad.sp_lfilter(b, a, x, -1)", b=_B, a=_A, x=randn(6))
    case(RT + "sp_lfilter", "_srcad.sp_lfilter(b, a, x, 0)", b=randn(2), a=_A, x=randn(5, 2))
    case(RT + "sp_lfilter_t", "_srcad.sp_lfilter_t(b, a, t, -1)", b=_B, a=_A, t=randn(2, 5))
    case(RT + "sp_lfilter_t", "_srcad.sp_lfilter_t(b, a, t, 0)", b=randn(4), a=_A[:2], t=randn(3))
    case(RT + "sp_lag_corr", "_srcad.sp_lag_corr(v, x, 3, -1)", v=randn(2, 5), x=randn(2, 5))
    case(RT + "sp_lag_corr", "_srcad.sp_lag_corr(v, x, 7, 0)", v=randn(4, 2), x=randn(4, 1))

    # -- scipy_extra24: ellipk / ellipe (through hyp2f1), hyp2f1 in z -----------------------------
    case(SP + "ellipk", "sp.ellipk(m)", m=np.array([-3.0, -0.2, 0.0, 0.4, 0.93]))
    case(SP + "ellipk", "sp.ellipk(m)", m=0.5)
    case(SP + "ellipe", "sp.ellipe(m)", m=np.array([-3.0, -0.2, 0.0, 0.4, 0.93]))
    case(SP + "hyp2f1", "sp.hyp2f1(a, b, c, z)", ("z",), a=0.7, b=1.3, c=2.5, z=unit(4))
    case(SP + "hyp2f1", "sp.hyp2f1(1.0, 2.0, 3.5, z)", z=np.array([-2.0, 0.0, 0.5]))
    case(RT + "sp_h2f1", "_srcad.sp_h2f1(1.5, 1.5, 2.0, z)", z=np.array([-1.0, 0.0, 0.6]))
    case(SP + "ndtri_exp", "sp.ndtri_exp(x)", x=np.array([-800.0, -30.0, -2.0, -0.3, -1e-3]))

    # -- scipy_ndimage25: ndimage correlate/convolve (ndi_corr and its two transposes), the
    # separable filters (ndi_sep), savgol_filter (savgol_apply) ---------------------------------
    for _mode in ("reflect", "mirror", "nearest", "wrap", "constant"):
        case(RT + "ndi_corr", f"_srcad.ndi_corr(x, w, (3,), ({_mode!r}, 0, None, False))",
             x=randn(5), w=randn(3))  # fmt: skip
    case(RT + "ndi_corr", "_srcad.ndi_corr(x, w, (2, 3), ('reflect', (0, -1), None, True))",
         x=randn(3, 4), w=randn(2, 3))  # fmt: skip
    case(RT + "ndi_corr", "_srcad.ndi_corr(x, w, (4,), ('wrap', 1, 0, False))",
         x=randn(3, 2), w=randn(4))  # fmt: skip
    case(RT + "ndi_corr_tx", "_srcad.ndi_corr_tx(t, w, (3,), ('reflect', -1, -1, False))",
         t=randn(2, 4), w=randn(3))  # fmt: skip
    case(RT + "ndi_corr_tx", "_srcad.ndi_corr_tx(t, w, (2, 2), ('constant', 0, None, True))",
         t=randn(3, 3), w=randn(2, 2))  # fmt: skip
    case(RT + "ndi_corr_tw", "_srcad.ndi_corr_tw(x, t, (3,), ('mirror', 0, None, False))",
         x=randn(4), t=randn(4))  # fmt: skip
    case(RT + "ndi_corr_tw", "_srcad.ndi_corr_tw(x, t, (2,), ('nearest', 0, 1, False))",
         x=randn(2, 3), t=randn(2, 3))  # fmt: skip
    case(RT + "ndi_sep", "_srcad.ndi_sep(x, w, ('reflect', 0, None))", ("x",),
         x=randn(3, 4), w=np.array([0.25, 0.5, 0.25]))  # fmt: skip
    case(RT + "ndi_sep", "_srcad.ndi_sep(x, w, ('constant', 1, (1,)))", ("x",),
         x=randn(2, 5), w=np.array([0.2, 0.3, 0.1, 0.4]))  # fmt: skip
    case(RT + "ndi_sep_t", "_srcad.ndi_sep_t(t, w, ('mirror', 0, (0, 1)))", ("t",),
         t=randn(3, 4), w=np.array([0.2, 0.5, 0.3]))  # fmt: skip
    case(RT + "savgol_apply", "_srcad.savgol_apply(y, 1.0, (5, 2, 0, 'interp', 0.0))",
         y=randn(2, 7))  # fmt: skip
    case(RT + "savgol_apply", "_srcad.savgol_apply(y, d, (3, 1, 1, 'mirror', 0.0))", ("y",),
         y=randn(6), d=0.5)  # fmt: skip
    case(RT + "savgol_apply_t", "_srcad.savgol_apply_t(t, 0.3, (5, 3, 2, 'nearest', 0.0), 6)",
         t=randn(2, 6))  # fmt: skip

    # -- scipy_special25: lambertw in z (holomorphic, every branch) -------------------------------
    case(SP + "lambertw", "sp.lambertw(z)", ("z",), z=randn(3) + 1j * randn(3))
    case(SP + "lambertw", "sp.lambertw(z, 1)", ("z",), z=randn(3) + 1j * randn(3))
    case(SP + "lambertw", "sp.lambertw(z)", z=np.array([-0.3, 0.0, 0.4, 5.0]))
    case(SP + "lambertw", "sp.lambertw(z, -1)", z=np.array([-0.3, -0.2, -0.05]))

    # -- scipy_special27: ellipkm1, the incomplete gamma/beta inverses (in y), Struve (in x) -------
    case(SP + "ellipkm1", "sp.ellipkm1(p)", p=np.array([0.05, 0.3, 0.8, 1.0]))
    case(SP + "gammaincinv", "sp.gammaincinv(a, y)", ("y",), a=pos(3) + 0.5,
         y=np.array([0.1, 0.5, 0.9]))  # fmt: skip
    case(SP + "gammainccinv", "sp.gammainccinv(a, y)", ("y",), a=pos(3) + 0.5,
         y=np.array([0.1, 0.5, 0.9]))  # fmt: skip
    case(SP + "betaincinv", "sp.betaincinv(a, b, y)", ("y",), a=pos(3) + 0.5, b=pos(3) + 0.5,
         y=np.array([0.1, 0.5, 0.9]))  # fmt: skip
    if hasattr(scipy.special, "betainccinv"):
        case(SP + "betainccinv", "sp.betainccinv(a, b, y)", ("y",), a=pos(3) + 0.5,
             b=pos(3) + 0.5, y=np.array([0.1, 0.5, 0.9]))  # fmt: skip
    case(SP + "struve", "sp.struve(v, x)", ("x",), v=np.array([0.0, 1.0, 2.5, -2.3]),
         x=np.array([0.0, 0.7, 2.0, 3.5]))  # fmt: skip
    case(SP + "modstruve", "sp.modstruve(v, x)", ("x",), v=np.array([0.0, 1.5, 3.0]),
         x=np.array([0.0, 0.4, 2.2]))  # fmt: skip
    case(RT + "sp_struve", "_srcad.sp_struve(1.5, x)", x=pos(3))
    case(RT + "sp_modstruve", "_srcad.sp_modstruve(0.5, x)", x=pos(3))
    case(RT + "sp_rgamma", "_srcad.sp_rgamma(x)", x=np.array([-2.5, -0.3, 0.5, 3.2]))

    # -- scipy_special39: sici, fresnel (two outputs), voigt_profile (in x) and its helper ---------
    case(SP + "sici", "sp.sici(x)", x=np.array([-2.3, -0.4, 0.3, 0.7, 6.0]))
    case(SP + "sici", "sp.sici(x)", x=0.9)
    case(SP + "sici", "sp.sici(x)", x=randn(2, 3))
    case(SP + "fresnel", "sp.fresnel(x)", x=np.array([-1.7, -0.2, 0.0, 0.6, 2.4]))
    case(SP + "fresnel", "sp.fresnel(x)", x=1.3)
    case(SP + "voigt_profile", "sp.voigt_profile(x, s, w)", ("x",), x=randn(4),
         s=np.array([0.7, 0.0, 1.2, 0.5]), w=np.array([0.3, 0.4, 0.0, 2.0]))  # fmt: skip
    case(SP + "voigt_profile", "sp.voigt_profile(x, 0.8, 0.25)", x=randn(2, 3))
    case(SP + "voigt_profile", "sp.voigt_profile(x, -0.6, 0.3)", x=0.4)  # (scipy's signs)
    case(RT + "sp_voigt_d", "_srcad.sp_voigt_d(x, 0.7, 0.3, 2)", x=randn(4))
    case(RT + "sp_voigt_d", "_srcad.sp_voigt_d(x, 0.0, 0.6, 1)", x=randn(3))

    # -- scipy_special41: orthogonal polynomials, confluent hypergeometric functions (in x),
    # kn, exp2, sindg/cosdg/tandg/cotdg, radian, round, and their helpers ------------------------
    ux = np.array([-0.8, -0.1, 0.35, 0.9])
    case(SP + "eval_legendre", "sp.eval_legendre(n, x)", ("x",), n=np.array([0, 1, 3, 6]), x=ux)
    case(SP + "eval_legendre", "sp.eval_legendre(2.5, x)", x=ux)  # (a float degree: 2F1)
    case(SP + "eval_chebyt", "sp.eval_chebyt(n, x)", ("x",), n=np.array([0, 1, 2, 5]), x=ux)
    case(SP + "eval_chebyu", "sp.eval_chebyu(4, x)", x=ux)
    case(SP + "eval_chebyu", "sp.eval_chebyu(1.5, x)", x=ux)
    case(SP + "eval_chebyc", "sp.eval_chebyc(3, x)", x=2.0 * ux)
    case(SP + "eval_chebys", "sp.eval_chebys(4, x)", x=2.0 * ux)
    case(SP + "eval_sh_legendre", "sp.eval_sh_legendre(3, x)", x=np.array([0.1, 0.45, 0.8]))
    case(SP + "eval_sh_chebyt", "sp.eval_sh_chebyt(4, x)", x=np.array([0.1, 0.45, 0.8]))
    case(SP + "eval_sh_chebyu", "sp.eval_sh_chebyu(3, x)", x=np.array([0.1, 0.45, 0.8]))
    case(SP + "eval_gegenbauer", "sp.eval_gegenbauer(n, alpha, x)", ("x",),
         n=np.array([0, 1, 4, 2]), alpha=np.array([0.7, 1.5, 0.3, 2.0]), x=ux)  # fmt: skip
    case(SP + "eval_gegenbauer", "sp.eval_gegenbauer(3, 0.0, x)", x=ux)
    case(SP + "eval_hermite", "sp.eval_hermite(n, x)", ("x",), n=np.array([0, 1, 3, 5]), x=ux)
    case(SP + "eval_hermitenorm", "sp.eval_hermitenorm(4, x)", x=randn(3))
    case(SP + "eval_laguerre", "sp.eval_laguerre(n, x)", ("x",), n=np.array([0, 2, 5]),
         x=pos(3))  # fmt: skip
    case(SP + "eval_genlaguerre", "sp.eval_genlaguerre(3, 0.5, x)", x=pos(4))
    case(SP + "eval_jacobi", "sp.eval_jacobi(n, 0.3, 1.2, x)", ("x",), n=np.array([0, 1, 4]),
         x=np.array([-0.5, 0.2, 0.7]))  # fmt: skip
    case(SP + "hyp0f1", "sp.hyp0f1(1.5, z)", z=randn(4))
    case(SP + "hyp1f1", "sp.hyp1f1(0.5, 1.5, x)", x=randn(4))
    case(SP + "hyp1f1", "sp.hyp1f1(a, b, x)", ("x",), a=pos(3), b=pos(3), x=randn(3))
    case(SP + "hyperu", "sp.hyperu(0.5, 1.2, x)", x=pos(4))
    case(SP + "kn", "sp.kn(n, x)", ("x",), n=np.array([0, 1, 3]), x=pos(3))
    case(SP + "exp2", "sp.exp2(x)", x=randn(4))
    case(SP + "sindg", "sp.sindg(x)", x=np.array([-100.0, 0.0, 30.0, 90.0, 275.0]))
    case(SP + "cosdg", "sp.cosdg(x)", x=np.array([-100.0, 0.0, 30.0, 90.0, 275.0]))
    case(SP + "tandg", "sp.tandg(x)", x=np.array([-100.0, 0.0, 30.0, 60.0]))
    case(SP + "cotdg", "sp.cotdg(x)", x=np.array([-100.0, 20.0, 30.0, 60.0]))
    case(SP + "radian", "sp.radian(d, m, s)", d=randn(3), m=randn(3), s=randn(3))
    zero(SP + "round", "sp.round(x)", x=np.array([-1.3, 0.2, 2.7]))
    case(RT + "sp_degree", "_srcad.sp_degree(2, d)", d=randn(3))
    case(RT + "sp_gegen", "_srcad.sp_gegen(3, 1.5, x)", x=ux)
    case(RT + "sp_genlag", "_srcad.sp_genlag(2, 1.0, x)", x=pos(3))
    case(RT + "sp_jacobi", "_srcad.sp_jacobi(3, 1.3, 0.6, x)", x=np.array([-0.5, 0.2, 0.7]))
    case(RT + "sp_hermite", "_srcad.sp_hermite(3, x)", x=randn(3))
    case(RT + "sp_hermitenorm", "_srcad.sp_hermitenorm(2, x)", x=randn(3))
    case(RT + "sp_hyp0f1", "_srcad.sp_hyp0f1(2.5, z)", z=randn(3))
    case(RT + "sp_hyp1f1", "_srcad.sp_hyp1f1(1.5, 2.5, x)", x=randn(3))
    case(RT + "sp_hyperu", "_srcad.sp_hyperu(1.5, 2.2, x)", x=pos(3))
    case(RT + "sp_sindg", "_srcad.sp_sindg(x)", x=np.array([10.0, 45.0, 200.0]))
    case(RT + "sp_cosdg", "_srcad.sp_cosdg(x)", x=np.array([10.0, 45.0, 200.0]))

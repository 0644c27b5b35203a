"""Rule cases of scipy.stats distributions and scipy.signal (present only when scipy is importable).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import HAS_SCIPY, case, pos, randn, unit, zero

ST = "scipy.stats."
SP = "scipy.special."
RT = "srcad.runtime."


def simplex(k, n=None):
    """Points of the simplex: (k,) or (k, n) with columns summing to 1."""
    w = pos(k) if n is None else pos(k, n)
    return w / np.sum(w, axis=0)


if HAS_SCIPY:
    # -- norm: x, loc, scale everywhere; positional and keyword ----------------------------------
    for m in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"):
        case(ST + f"norm.{m}", f"scipy.stats.norm.{m}(x, loc, scale)",
             x=randn(4), loc=randn(), scale=pos())  # fmt: skip
        case(ST + f"norm.{m}", f"scipy.stats.norm.{m}(x, loc=loc, scale=scale)",
             x=randn(), loc=randn(3), scale=pos(2, 1))  # fmt: skip
    case(ST + "norm.logpdf", "scipy.stats.norm.logpdf(x)", x=randn(3))
    case(ST + "norm.logcdf", "scipy.stats.norm.logcdf(x, 0.5, scale)",
         x=np.array([-30.0, -5.0, 0.3, 6.0]), scale=pos())  # fmt: skip
    case(ST + "norm.logsf", "scipy.stats.norm.logsf(x)", x=np.array([-6.0, 0.3, 5.0, 30.0]))
    # -- t, gamma, chi2, beta: shapes in logpdf/pdf; the cdfs in x, loc, scale --------------------
    for m in ("logpdf", "pdf"):
        case(ST + f"t.{m}", f"scipy.stats.t.{m}(x, df, loc, scale)",
             x=randn(4), df=pos() + 1.0, loc=randn(), scale=pos())  # fmt: skip
        case(ST + f"gamma.{m}", f"scipy.stats.gamma.{m}(x, a, loc, scale=scale)",
             x=pos(4) + 0.5, a=pos(4) + 0.5, loc=unit() * 0.2, scale=pos())  # fmt: skip
        case(ST + f"chi2.{m}", f"scipy.stats.chi2.{m}(x, df, loc=loc, scale=scale)",
             x=pos(4) + 0.5, df=pos() + 2.0, loc=unit() * 0.2, scale=pos())  # fmt: skip
        case(ST + f"beta.{m}", f"scipy.stats.beta.{m}(x, a, b, loc, scale)",
             x=np.array([0.2, 0.5, 0.7]), a=pos(3) + 0.5, b=pos() + 0.5, loc=unit() * 0.05,
             scale=pos() * 0.1 + 1.0)  # fmt: skip
    for m in ("cdf", "logcdf", "sf", "logsf"):
        case(ST + f"t.{m}", f"scipy.stats.t.{m}(x, df, loc, scale)", _wrt=("x", "loc", "scale"),
             x=randn(4), df=pos() + 1.0, loc=randn(), scale=pos())  # fmt: skip
        case(ST + f"gamma.{m}", f"scipy.stats.gamma.{m}(x, a, loc, scale)",
             _wrt=("x", "loc", "scale"), x=pos(4) + 0.5, a=pos(4) + 0.5, loc=unit() * 0.2,
             scale=pos())  # fmt: skip
        case(ST + f"chi2.{m}", f"scipy.stats.chi2.{m}(x, df, loc, scale)",
             _wrt=("x", "loc", "scale"), x=pos(4) + 0.5, df=pos() + 2.0, loc=unit() * 0.2,
             scale=pos())  # fmt: skip
        case(ST + f"beta.{m}", f"scipy.stats.beta.{m}(x, a, b, loc, scale)",
             _wrt=("x", "loc", "scale"), x=np.array([0.2, 0.5, 0.7]), a=pos(3) + 0.5,
             b=pos() + 0.5, loc=unit() * 0.05, scale=pos() * 0.1 + 1.0)  # fmt: skip
    case(RT + "t_logpdf", "_srcad.t_logpdf(x, df, loc, scale)",
         x=randn(3), df=pos(3) + 1.0, loc=randn(), scale=pos())  # fmt: skip
    case(RT + "gamma_logpdf", "_srcad.gamma_logpdf(x, a, loc, scale)",
         x=pos(3) + 0.5, a=pos(3) + 0.5, loc=unit() * 0.2, scale=pos())  # fmt: skip
    case(RT + "chi2_logpdf", "_srcad.chi2_logpdf(x, df, loc, scale)",
         x=pos(3) + 0.5, df=pos() + 2.0, loc=unit() * 0.2, scale=pos())  # fmt: skip
    case(RT + "beta_logpdf", "_srcad.beta_logpdf(x, a, b, loc, scale)",
         x=np.array([0.3, 0.6]), a=pos(2) + 0.5, b=pos() + 0.5, loc=0.01, scale=1.02)  # fmt: skip
    # -- poisson: in mu ----------------------------------------------------------------------------
    k = np.array([0.0, 1.0, 3.0, 7.0])
    for m in ("logpmf", "pmf", "cdf", "logcdf", "sf"):
        case(
            ST + f"poisson.{m}", f"scipy.stats.poisson.{m}(k, mu)", _wrt=("mu",), k=k, mu=pos(4) * 2
        )
        kk = k + (1.0 if "pm" in m else 1.5)  # the pmf at lattice points, the cdf between
        case(ST + f"poisson.{m}", f"scipy.stats.poisson.{m}(k, mu, loc=1)", _wrt=("mu",), k=kk,
             mu=pos() * 2)  # fmt: skip
    case(RT + "poisson_logpmf", "_srcad.poisson_logpmf(k, mu)", _wrt=("mu",), k=k, mu=pos(4))
    # -- binom, nbinom: in p (k, n counts) ---------------------------------------------------------
    for d in ("binom", "nbinom"):
        for m in ("logpmf", "pmf"):
            case(ST + f"{d}.{m}", f"scipy.stats.{d}.{m}(k, n, p)", _wrt=("p",), k=k, n=8.0,
                 p=np.array([0.2, 0.35, 0.5, 0.8]))  # fmt: skip
            case(ST + f"{d}.{m}", f"scipy.stats.{d}.{m}(k, n, p, loc=1)", _wrt=("p",), k=k + 1.0,
                 n=np.array([7.0, 9.0, 9.0, 12.0]), p=0.3)  # fmt: skip
        # nbinom in its real dispersion n too
        case(ST + f"nbinom.{m}", f"scipy.stats.nbinom.{m}(k, n, p)", _wrt=("n", "p"), k=k,
             n=np.array([0.7, 2.5, 4.0, 9.3]), p=np.array([0.2, 0.35, 0.5, 0.8]))  # fmt: skip
        case(ST + f"nbinom.{m}", f"scipy.stats.nbinom.{m}(k, n, p, loc=1)", _wrt=("n",), k=k + 1.0,
             n=1.7, p=0.3)  # fmt: skip
    # -- bernoulli, geom: in p (k counts; geom's from 1) -------------------------------------------
    for m in ("logpmf", "pmf"):
        case(ST + f"bernoulli.{m}", f"scipy.stats.bernoulli.{m}(k, p)", _wrt=("p",),
             k=np.array([0.0, 1.0, 1.0, 0.0]), p=np.array([0.2, 0.35, 0.5, 0.8]))  # fmt: skip
        case(ST + f"bernoulli.{m}", f"scipy.stats.bernoulli.{m}(k, p, loc=1)", _wrt=("p",),
             k=np.array([1.0, 2.0]), p=0.3)  # fmt: skip
        case(ST + f"geom.{m}", f"scipy.stats.geom.{m}(k, p)", _wrt=("p",), k=k + 1.0,
             p=np.array([0.2, 0.35, 0.5, 0.8]))  # fmt: skip
        case(ST + f"geom.{m}", f"scipy.stats.geom.{m}(k, p, loc=2)", _wrt=("p",), k=k + 3.0,
             p=0.3)  # fmt: skip
    # -- dirichlet (alpha), multivariate_normal (x, mean, cov) --------------------------------------
    for m in ("logpdf", "pdf"):
        case(ST + f"dirichlet.{m}", f"scipy.stats.dirichlet.{m}(x, alpha)", _wrt=("alpha",),
             x=simplex(3), alpha=pos(3) + 0.5)  # fmt: skip
        case(ST + f"dirichlet.{m}", f"scipy.stats.dirichlet.{m}(x, alpha)", _wrt=("alpha",),
             x=simplex(3, 4), alpha=pos(3) + 0.5)  # fmt: skip
        # in x: differences would leave the simplex (scipy raises): the modes' agreement here,
        # the values against differences of normalised points in tests/soundness/test_lib23.py
        case(ST + f"dirichlet.{m}", f"scipy.stats.dirichlet.{m}(x, alpha)", _fd=False,
             x=simplex(3), alpha=pos(3) + 0.5)  # fmt: skip
        case(ST + f"dirichlet.{m}", f"scipy.stats.dirichlet.{m}(x, alpha)", _fd=False,
             x=simplex(3, 4), alpha=pos(3) + 0.5)  # fmt: skip
        mvn = ST + f"multivariate_normal.{m}"
        c3 = np.array([[2.0, 0.3, -0.2], [0.3, 1.5, 0.4], [-0.2, 0.4, 1.2]])
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean, cov)",
             x=randn(3) * 0.5, mean=randn(3) * 0.5, cov=c3)  # fmt: skip
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean=mean, cov=cov)",
             x=randn(4, 3) * 0.5, mean=randn(3) * 0.5, cov=c3)  # fmt: skip
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, cov=cov)", x=randn(1, 2), cov=c3[:2, :2])
        # cov a number (times the identity) or 1-D (the diagonal), or scipy's default 1; with
        # neither mean nor a 2-D cov the dimension is 1 and each element of x is a point
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean, cov)",
             x=randn(4, 3) * 0.5, mean=randn(3) * 0.5, cov=pos())  # fmt: skip
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean, cov)",
             x=randn(4, 3) * 0.5, mean=randn(3) * 0.5, cov=pos(3))  # fmt: skip
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean)", x=randn(4, 2), mean=randn(2))
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, cov=cov)", x=randn(5), cov=pos())
        case(mvn, f"scipy.stats.multivariate_normal.{m}(x, mean, cov)", x=randn(), mean=randn(),
             cov=pos())  # fmt: skip
    case(RT + "mvn_resid", "_srcad.mvn_resid(x, mean, (3, 3))", x=randn(4, 3), mean=randn(3))
    case(RT + "mvn_resid", "_srcad.mvn_resid(x, None, (2, 2), False)", x=randn(2))
    case(RT + "mvn_resid", "_srcad.mvn_resid(x, None, (), False)", x=randn(4))
    case(RT + "mvn_resid", "_srcad.mvn_resid(x, mean, (3,))", x=randn(3), mean=randn(3))
    for cs in ((), (3,), (3, 3)):
        case(RT + "mvn_cov", "_srcad.mvn_cov(cov, 3)", cov=randn(*cs))
        case(RT + "mvn_cov_t", "_srcad.mvn_cov_t(t, cov)", ("t",), t=randn(3, 3), cov=randn(*cs))
    # -- scipy.signal.convolve / correlate, 1-D and n-D, every mode ---------------------------------
    for fn in ("convolve", "correlate"):
        for mode in ("full", "same", "valid"):
            for sa, sb in (((6,), (3,)), ((3,), (5,)), ((4, 5), (2, 3))):
                case(f"scipy.signal.{fn}", f"scipy.signal.{fn}(a, b, mode={mode!r})",
                     a=randn(*sa), b=randn(*sb))  # fmt: skip
        case(f"scipy.signal.{fn}", f"scipy.signal.{fn}(a, b)", a=randn(5), b=randn(2))
    for mode in ("full", "same", "valid"):
        case(
            RT + "conv_crop",
            f"_srcad.conv_crop(u, v, {mode!r}, (5,), (3,))",
            u=randn(5),
            v=randn(3),
        )
        case(RT + "conv_adjoint", f"_srcad.conv_adjoint(t, v, {mode!r}, (4, 3), (2, 2))",
             t=randn(*{"full": (5, 4), "same": (4, 3), "valid": (3, 2)}[mode]), v=randn(2, 2))  # fmt: skip
    # -- scipy.special: Bessel functions (in x), incomplete gamma/beta (in x) -----------------------
    xs = np.array([0.3, 1.1, 2.5, 4.0])
    for fn in ("iv", "ive", "jv", "yv", "kv", "kve"):
        case(SP + fn, f"sp.{fn}(v, x)", _wrt=("x",), v=1.5, x=xs)
        case(SP + fn, f"sp.{fn}(2, x)", x=xs)
        case(
            RT + f"bessel_{fn}",
            f"_srcad.bessel_{fn}(v, x)",
            _wrt=("x",),
            v=np.array([0.0, 0.5, 2.0, 3.0]),
            x=xs,
        )
    case(SP + "iv", "sp.iv(0, x)", x=-xs)
    case(SP + "ive", "sp.ive(1, x)", x=-xs)
    case(SP + "yn", "sp.yn(n, x)", n=2, x=xs)
    case(SP + "yn", "sp.yn(0, x)", x=xs)
    for fn in ("i0", "i1", "i0e", "i1e", "j0", "j1"):
        case(SP + fn, f"sp.{fn}(x)", x=np.array([-2.0, -0.4, 0.3, 1.1, 5.0]))
    for fn in ("y0", "y1", "k0", "k1", "k0e", "k1e"):
        case(SP + fn, f"sp.{fn}(x)", x=xs)
    case(SP + "i1", "sp.i1(x)", x=0.0)
    case(SP + "gammainc", "sp.gammainc(a, x)", _wrt=("x",), a=pos(4) + 0.5, x=pos(4))
    case(SP + "gammaincc", "sp.gammaincc(a, x)", _wrt=("x",), a=pos() + 0.5, x=pos(4))
    case(
        SP + "betainc",
        "sp.betainc(a, b, x)",
        _wrt=("x",),
        a=pos(3),
        b=pos(),
        x=np.array([0.1, 0.5, 0.8]),
    )
    case(RT + "gammainc_dx", "_srcad.gammainc_dx(a, x)", a=pos(3) + 0.5, x=pos(3))
    case(RT + "betainc_dx", "_srcad.betainc_dx(a, b, x)", a=pos(3) + 0.5, b=pos() + 0.5,
         x=np.array([0.2, 0.5, 0.7]))  # fmt: skip

if HAS_SCIPY:
    case(
        "srcad.runtime.dirichlet_x",
        "_srcad.dirichlet_x(x, alpha)",
        ("x",),
        x=pos(3, 2),
        alpha=pos(3),
    )
    case(
        "srcad.runtime.dirichlet_x", "_srcad.dirichlet_x(x, alpha)", ("x",), x=pos(3), alpha=pos(3)
    )
    zero("srcad.runtime.mvn_dim", "_srcad.mvn_dim(mean, cov)", mean=randn(3), cov=pos(3))

"""scipy.stats distributions and scipy.signal
(rules registered only when scipy is importable),
with the runtime helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

Distributions are called as methods of the `scipy.stats` singletons (``scipy.stats.norm.logpdf(x,
loc, scale)``, named ``scipy.stats.norm.logpdf`` by `srcad.frontend.resolve`): ``logpdf``,
``pdf``, ``cdf``, ``logcdf``, ``sf``, ``logsf`` of ``norm``, ``t``, ``gamma``, ``beta``, ``chi2``
(``logpmf``, ``pmf``, ``cdf``, ``logcdf``, ``sf`` of ``poisson``), ``logpdf``/``pdf`` of
``dirichlet`` (in ``alpha`` and ``x``) and ``multivariate_normal`` (in ``x``, ``mean``, ``cov``). A
parameter with no closed-form derivative (the shape of a cdf, the point of a pmf) gets no term:
an active one is refused at transform time. Example (``norm.cdf`` in ``scale``)::

    jvp: dscale * -(np.exp(-0.5 * Z ** 2) / (scale * sqrt(2 pi)) * Z),  Z = (x - loc) / scale

`scipy.signal.convolve`/`correlate` are bilinear: their JVPs are convolutions of the tangents
(`conv_crop`), their VJPs correlations with the cotangent padded to the full output
(`conv_adjoint`); the two helpers are each other's transposes, so every order closes.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported

try:
    import scipy.signal
    import scipy.stats
except ImportError:  # pragma: no cover - scipy is optional
    scipy = None

Z = "((x - loc) / scale)"
_SQ2PI = "2.5066282746310002"  # sqrt(2 pi)
LOCSCALE = "loc=0.0, scale=1.0"


# -- helpers: log-densities the cdf rules exponentiate (the same rules as the public methods) ----
@helper
def t_logpdf(x, df, loc=0.0, scale=1.0):
    """``scipy.stats.t.logpdf``."""
    return scipy.stats.t.logpdf(x, df, loc, scale)


@helper
def gamma_logpdf(x, a, loc=0.0, scale=1.0):
    """``scipy.stats.gamma.logpdf``."""
    return scipy.stats.gamma.logpdf(x, a, loc, scale)


@helper
def beta_logpdf(x, a, b, loc=0.0, scale=1.0):
    """``scipy.stats.beta.logpdf``."""
    return scipy.stats.beta.logpdf(x, a, b, loc, scale)


@helper
def chi2_logpdf(x, df, loc=0.0, scale=1.0):
    """``scipy.stats.chi2.logpdf``."""
    return scipy.stats.chi2.logpdf(x, df, loc, scale)


@helper
def poisson_logpmf(k, mu, loc=0):
    """``scipy.stats.poisson.logpmf``."""
    return scipy.stats.poisson.logpmf(k, mu, loc)


@helper
def mvn_dim(mean, cov):
    """The dimension scipy's ``multivariate_normal`` reads from ``mean`` (its size) or, without
    one, ``cov`` (the order of a matrix, else 1), after scipy's checks of both shapes (its
    ValueError)."""
    c = np.asarray(cov, dtype=float)
    m = None if mean is None else np.asarray(mean, dtype=float)
    dim = m.size if m is not None else (c.shape[0] if c.ndim >= 2 else 1)
    m = np.zeros(dim) if m is None else m
    if dim == 1:
        m, c = m.reshape(1), c.reshape(1, 1)
    if m.ndim != 1 or m.shape[0] != dim:
        raise ValueError(f"Array 'mean' must be a vector of length {dim}.")
    if c.ndim > 2 or (c.ndim == 1 and c.shape[0] != dim) or (c.ndim == 2 and c.shape != (dim, dim)):
        raise ValueError(
            f"Array 'cov' must be a number, a vector of length {dim} or a square matrix of order {dim}."
        )
    return dim


@helper
def dirichlet_x(x, alpha):
    """``x`` of ``dirichlet.logpdf(x, alpha)`` as a (K, n) array, K = ``len(alpha)``; scipy also
    takes K - 1 components (the last one implied), which the rules do not: a located error."""
    if np.shape(x)[0] != np.size(alpha):
        raise _unsupported(
            "dirichlet derivatives in x need all K components of x (scipy's form with the last "
            "one implied is not supported): pass np.append(x, 1 - np.sum(x))"
        )
    return np.reshape(x, (np.shape(x)[0], -1))


@helper
def mvn_resid(x, mean, cov_shape, allow_singular=False):
    """``x - mean`` for ``multivariate_normal(x, mean, cov)`` as an (m, d) array, one row per
    point, in the forms its rules support; otherwise a located error. The dimension d is scipy's:
    the size of ``mean``, else the order of a 2-D ``cov``, else 1 (then each element of a 1-D
    ``x`` is a point). ``cov`` a number (times the identity), 1-D (the diagonal) or 2-D."""
    if len(cov_shape) > 2 or allow_singular:
        raise _unsupported(
            "multivariate_normal derivatives need a covariance that is a number, 1-D or 2-D "
            f"and allow_singular=False (got a covariance of shape {tuple(cov_shape)})"
        )
    d = np.size(mean) if mean is not None else cov_shape[0] if len(cov_shape) == 2 else 1
    xs, ms = np.shape(x), np.shape(mean) if mean is not None else (d,)
    x_ok = (len(xs) >= 1 and xs[-1] == d) or (d == 1 and len(xs) <= 1)
    if ms not in ((d,), () if d == 1 else (d,)) or not x_ok or len(xs) > 2:
        raise _unsupported(
            f"multivariate_normal derivatives need x of shape (d,) or (n, d) and mean None or "
            f"(d,) for d = {d}; got x {xs}, mean {ms}"
        )
    r = x - mean if mean is not None else x + 0.0
    return np.reshape(r, (-1, d))


@helper
def mvn_cov(cov, d):
    """The (d, d) covariance scipy reads from ``cov``: a number times the identity, a 1-D
    diagonal, or a 2-D matrix's lower triangle (like np.linalg.cholesky); linear in `cov`."""
    c = np.asarray(cov)
    if c.ndim == 0:
        return c * np.eye(d)
    if c.ndim == 1:
        return np.diag(c)
    return np.tril(c) + np.swapaxes(np.tril(c, -1), -1, -2)


@helper
def mvn_cov_t(t, cov):
    """The transpose of `mvn_cov`: a (d, d) cotangent `t` in the shape of ``cov``."""
    c = np.asarray(cov)
    if c.ndim == 0:
        return np.trace(t)
    if c.ndim == 1:
        return np.diagonal(t).copy()
    return np.tril(t) + np.tril(np.swapaxes(t, -1, -2), -1)


# -- scipy.signal: full convolution cropped to the mode, and its transpose ------------------------
def _starts(mode, s1, s2):
    """Offsets and shape of ``convolve(a, b, mode)`` inside the full convolution (shapes s1, s2)."""
    full = tuple(p + q - 1 for p, q in zip(s1, s2))
    if mode == "full":
        out = full
    elif mode == "same":
        out = tuple(s1)
    elif mode == "valid":
        out = tuple(abs(p - q) + 1 for p, q in zip(s1, s2))
    else:
        raise _unsupported(f"convolve: unknown mode {mode!r}")
    return tuple((f - o) // 2 for f, o in zip(full, out)), out, full


@helper
def conv_crop(u, v, mode, s1, s2):
    """``scipy.signal.convolve(u, v, "full")`` cropped as ``convolve(a, b, mode)`` crops it for
    inputs of shapes `s1`, `s2` (bilinear in `u`, `v`)."""
    starts, out, _ = _starts(mode, s1, s2)
    full = scipy.signal.convolve(u, v, "full")
    return full[tuple(slice(s, s + n) for s, n in zip(starts, out))]


@helper
def conv_adjoint(t, other, mode, s1, s2):
    """The transpose of ``a -> convolve(a, other, mode)`` applied to `t`: `t` put back into the full
    convolution's shape, correlated with `other` ("valid")."""
    starts, out, full = _starts(mode, s1, s2)
    big = np.zeros(full)
    big[tuple(slice(s, s + n) for s, n in zip(starts, out))] = t
    return scipy.signal.correlate(big, other, "valid")


def _elementwise(jvp, vjp, prims, sig, nondiff=(), **factors):
    """Rules ``d out = sum_p dp * factor_p`` (VJP: ``unbroadcast(g * factor_p, p)``) for each
    name in `prims` (the public method and the helper computing the same)."""
    for prim in prims:
        jvp.defjvp(prim, sig, nondiff=nondiff, **{p: f"d{p} * ({f})" for p, f in factors.items()})
        vjp.defvjp(
            prim, sig, nondiff=nondiff,
            **{p: f"_srcad.unbroadcast(g * ({f}), {p})" for p, f in factors.items()},
        )  # fmt: skip


def _locscale(dens):
    """Partial derivatives in x, loc, scale of a cdf-like function whose x-derivative is `dens`."""
    return {"x": dens, "loc": f"-({dens})", "scale": f"-({dens}) * {Z}"}


def _family(jvp, vjp, dist, sig, logpdf, logpdf_helper, helper_fn):
    """logpdf, pdf (times ``ans``), cdf, logcdf, sf, logsf of a location-scale family whose
    logpdf partials are `logpdf`; `logpdf_helper` is the call computing the logpdf (its
    exponential is the cdf's derivative in x); the cdfs get no term in shape parameters."""
    prims = [f"scipy.stats.{dist}.logpdf"] + ([rt(helper_fn)] if helper_fn else [])
    _elementwise(jvp, vjp, prims, sig, **logpdf)
    pdf = {p: f"ans * ({f})" for p, f in logpdf.items()}
    _elementwise(jvp, vjp, [f"scipy.stats.{dist}.pdf"], sig, **pdf)
    dens = f"np.exp({logpdf_helper})"
    _elementwise(jvp, vjp, [f"scipy.stats.{dist}.cdf"], sig, **_locscale(dens))
    _elementwise(jvp, vjp, [f"scipy.stats.{dist}.sf"], sig, **_locscale(f"-{dens}"))
    logd = f"np.exp({logpdf_helper} - ans)"
    _elementwise(jvp, vjp, [f"scipy.stats.{dist}.logcdf"], sig, **_locscale(logd))
    _elementwise(jvp, vjp, [f"scipy.stats.{dist}.logsf"], sig, **_locscale(f"-{logd}"))


def _scale_of(dx):
    """x-, loc- and scale- partials of a logpdf ``f((x - loc) / scale) - log(scale)`` from its
    x-partial `dx` (already divided by scale)."""
    return {"x": dx, "loc": f"-({dx})", "scale": f"-({dx}) * {Z} - 1.0 / scale"}


def _distributions(jvp: RuleTable, vjp: RuleTable) -> None:
    norm = _scale_of(f"-{Z} / scale")
    _family(jvp, vjp, "norm", f"x, {LOCSCALE}", norm,
            f"-0.5 * {Z} ** 2 - np.log(scale * {_SQ2PI})", None)  # fmt: skip
    psi = "_srcad.sp_digamma"
    t = _scale_of(f"-(df + 1.0) * {Z} / (scale * (df + {Z} ** 2))")
    t["df"] = (
        f"0.5 * ({psi}(0.5 * (df + 1.0)) - {psi}(0.5 * df) - 1.0 / df - np.log1p({Z} ** 2 / df)"
        f" + (df + 1.0) * {Z} ** 2 / (df * (df + {Z} ** 2)))"
    )
    _family(jvp, vjp, "t", f"x, df, {LOCSCALE}", t, "_srcad.t_logpdf(x, df, loc, scale)", t_logpdf)
    gamma = _scale_of(f"((a - 1.0) / {Z} - 1.0) / scale")
    gamma["a"] = f"np.log({Z}) - {psi}(a)"
    _family(jvp, vjp, "gamma", f"x, a, {LOCSCALE}", gamma,
            "_srcad.gamma_logpdf(x, a, loc, scale)", gamma_logpdf)  # fmt: skip
    chi2 = _scale_of(f"((0.5 * df - 1.0) / {Z} - 0.5) / scale")
    chi2["df"] = f"0.5 * (np.log(0.5 * {Z}) - {psi}(0.5 * df))"
    _family(jvp, vjp, "chi2", f"x, df, {LOCSCALE}", chi2,
            "_srcad.chi2_logpdf(x, df, loc, scale)", chi2_logpdf)  # fmt: skip
    beta = _scale_of(f"((a - 1.0) / {Z} - (b - 1.0) / (1.0 - {Z})) / scale")
    beta["a"] = f"np.log({Z}) - {psi}(a) + {psi}(a + b)"
    beta["b"] = f"np.log1p(-{Z}) - {psi}(b) + {psi}(a + b)"
    _family(jvp, vjp, "beta", f"x, a, b, {LOCSCALE}", beta,
            "_srcad.beta_logpdf(x, a, b, loc, scale)", beta_logpdf)  # fmt: skip
    # the counts k may be a list or tuple (`poisson.logpmf([1, 2], mu)`): read as an array
    # poisson: in mu only (k and loc are lattice points: no term, refused when active)
    sig = "k, mu, loc=0"
    _elementwise(jvp, vjp, ["scipy.stats.poisson.logpmf", rt(poisson_logpmf)], sig,
                 mu="(np.asarray(k) - loc) / mu - 1.0")  # fmt: skip
    _elementwise(
        jvp, vjp, ["scipy.stats.poisson.pmf"], sig, mu="ans * ((np.asarray(k) - loc) / mu - 1.0)"
    )
    pmf = "_srcad.poisson_logpmf(np.floor(np.asarray(k) - loc), mu)"  # d/dmu P(K <= k) = -pmf(floor(k))
    _elementwise(jvp, vjp, ["scipy.stats.poisson.cdf"], sig, mu=f"-np.exp({pmf})")
    _elementwise(jvp, vjp, ["scipy.stats.poisson.sf"], sig, mu=f"np.exp({pmf})")
    _elementwise(jvp, vjp, ["scipy.stats.poisson.logcdf"], sig, mu=f"-np.exp({pmf} - ans)")
    # binom: in p only (k, n and loc are counts: no term, refused when active, never the
    # derivative of the gammaln terms in n, which a count does not have); nbinom: in p and in
    # n, which SciPy takes real (n > 0, the dispersion of a negative binomial regression):
    # d/dn [gammaln(k + n) - gammaln(n) + n log p] = psi(k + n) - psi(n) + log p
    sig = "k, n, p, loc=0"
    dbinom = "(np.asarray(k) - loc) / p - (n - (np.asarray(k) - loc)) / (1.0 - p)"
    _elementwise(jvp, vjp, ["scipy.stats.binom.logpmf"], sig, p=dbinom)
    _elementwise(jvp, vjp, ["scipy.stats.binom.pmf"], sig, p=f"ans * ({dbinom})")
    dnbinom = "n / p - (np.asarray(k) - loc) / (1.0 - p)"
    dn = f"{psi}(np.asarray(k) - loc + n) - {psi}(n) + np.log(p)"
    _elementwise(jvp, vjp, ["scipy.stats.nbinom.logpmf"], sig, p=dnbinom, n=dn)
    _elementwise(
        jvp, vjp, ["scipy.stats.nbinom.pmf"], sig, p=f"ans * ({dnbinom})", n=f"ans * ({dn})"
    )
    # bernoulli (binom with n = 1) and geom (trials to the first success, k - loc >= 1): in p
    sig = "k, p, loc=0"
    dbern = "(np.asarray(k) - loc) / p - (1.0 - (np.asarray(k) - loc)) / (1.0 - p)"
    _elementwise(jvp, vjp, ["scipy.stats.bernoulli.logpmf"], sig, p=dbern)
    _elementwise(jvp, vjp, ["scipy.stats.bernoulli.pmf"], sig, p=f"ans * ({dbern})")
    dgeom = "1.0 / p - (np.asarray(k) - loc - 1.0) / (1.0 - p)"
    _elementwise(jvp, vjp, ["scipy.stats.geom.logpmf"], sig, p=dgeom)
    _elementwise(jvp, vjp, ["scipy.stats.geom.pmf"], sig, p=f"ans * ({dgeom})")


# dirichlet: x (K,) or (K, n) on the simplex (x off it is refused by scipy), in alpha and x
_LOGX = "np.reshape(np.log(x), (np.shape(x)[0], -1))"
_PSI_A = "(_srcad.sp_digamma(alpha) - _srcad.sp_digamma(np.sum(alpha)))"
# d logpdf / dx: (alpha - 1) / x, per column of x (K, n); x taken as free coordinates (a user
# normalising x = y / sum(y) gets the simplex's derivative by the chain rule)
_DX = "((alpha - 1.0)[:, None] / _srcad.dirichlet_x(x, alpha))"

# multivariate_normal: r = x - mean, (m, d); S = the (d, d) covariance scipy reads (mvn_cov);
# w = S^-1 r per row.
_R = "_srcad.mvn_resid(x, mean, np.shape(cov), allow_singular)"
_S = f"_srcad.mvn_cov(cov, np.shape({_R})[1])"
_W = f"np.swapaxes(np.linalg.solve({_S}, np.swapaxes({_R}, -1, -2)), -1, -2)"


def _multivariate(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "x, alpha"
    for name, scale in (("logpdf", ""), ("pdf", "ans * ")):
        prim = f"scipy.stats.dirichlet.{name}"
        jvp.defjvp(
            prim,
            sig,
            alpha=f"{scale}np.reshape(dalpha @ ({_LOGX} - {_PSI_A}[:, None]), np.shape(ans))",
            x=f"{scale}np.reshape(np.sum(_srcad.dirichlet_x(dx, alpha) * {_DX}, axis=0), np.shape(ans))",
        )  # noqa: E501
        vjp.defvjp(
            prim,
            sig,
            alpha=f"({_LOGX} - {_PSI_A}[:, None]) @ np.reshape({scale}g, (-1,))",
            x=f"np.reshape({_DX} * np.reshape({scale}g, (1, -1)), np.shape(x))",
        )
    jvp.defzero(rt(mvn_dim))  # (an integer)
    vjp.defzero(rt(mvn_dim))
    # dirichlet_x: a reshape of x (alpha read for its size)
    jvp.defjvp(rt(dirichlet_x), "x, alpha", zero_in=("alpha",), x="_srcad.dirichlet_x(dx, alpha)")
    vjp.defvjp(rt(dirichlet_x), "x, alpha", zero_in=("alpha",), x="np.reshape(g, np.shape(x))")
    sig = "x, mean=None, cov=1, allow_singular=False"
    nd = ("allow_singular",)
    dsym = f"_srcad.mvn_cov(dcov, np.shape({_R})[1])"
    shape = "np.shape(ans)"
    for name, scale in (("logpdf", ""), ("pdf", "ans * ")):
        prim = f"scipy.stats.multivariate_normal.{name}"
        jvp.defjvp(
            prim, sig, nondiff=nd,
            x=f"{scale}np.reshape(-np.sum(np.reshape(dx, np.shape({_W})) * {_W}, axis=-1), {shape})",
            mean=f"{scale}np.reshape(np.sum(np.reshape(dmean, (1, -1)) * {_W}, axis=-1), {shape})",
            cov=f"{scale}np.reshape(0.5 * (np.einsum('ni,ij,nj->n', {_W}, {dsym}, {_W})"
            f" - np.trace(np.linalg.solve({_S}, {dsym}))), {shape})",
        )  # fmt: skip
        gg = f"np.reshape({scale}g, (-1, 1))"
        cov_bar = f"0.5 * ({_W}.T @ ({gg} * {_W}) - np.sum({gg}) * np.linalg.inv({_S}))"
        vjp.defvjp(
            prim, sig, nondiff=nd,
            x=f"np.reshape(-{gg} * {_W}, np.shape(x))",
            mean=f"np.reshape(np.sum({gg} * {_W}, axis=0), np.shape(mean))",
            cov=f"_srcad.mvn_cov_t({cov_bar}, cov)",
        )  # fmt: skip


def _signal(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "in1, in2, mode='full', method='auto'"
    nd = ("mode", "method")
    shp = "mode, np.shape(in1), np.shape(in2)"
    jvp.defjvp("scipy.signal.convolve", sig, nondiff=nd,
               in1=f"_srcad.conv_crop(din1, in2, {shp})", in2=f"_srcad.conv_crop(in1, din2, {shp})")  # fmt: skip  # noqa: E501
    vjp.defvjp("scipy.signal.convolve", sig, nondiff=nd,
               in1=f"_srcad.conv_adjoint(g, in2, {shp})", in2=f"_srcad.conv_adjoint(g, in1, {shp})")  # fmt: skip  # noqa: E501
    # correlate(a, b, mode) == convolve(a, flip(b), mode) for real arrays
    jvp.defjvp("scipy.signal.correlate", sig, nondiff=nd,
               in1=f"_srcad.conv_crop(din1, np.flip(in2), {shp})",
               in2=f"_srcad.conv_crop(in1, np.flip(din2), {shp})")  # fmt: skip
    vjp.defvjp("scipy.signal.correlate", sig, nondiff=nd,
               in1=f"_srcad.conv_adjoint(g, np.flip(in2), {shp})",
               in2=f"np.flip(_srcad.conv_adjoint(g, in1, {shp}))")  # fmt: skip
    # the helpers: conv_crop is bilinear, conv_adjoint its transpose in each argument
    sig = "u, v, mode, s1, s2"
    nd = ("mode", "s1", "s2")
    jvp.defjvp(rt(conv_crop), sig, nondiff=nd,
               u="_srcad.conv_crop(du, v, mode, s1, s2)", v="_srcad.conv_crop(u, dv, mode, s1, s2)")  # fmt: skip  # noqa: E501
    vjp.defvjp(rt(conv_crop), sig, nondiff=nd,
               u="_srcad.conv_adjoint(g, v, mode, s1, s2)", v="_srcad.conv_adjoint(g, u, mode, s1, s2)")  # fmt: skip  # noqa: E501
    sig = "t, other, mode, s1, s2"
    jvp.defjvp(rt(conv_adjoint), sig, nondiff=nd,
               t="_srcad.conv_adjoint(dt, other, mode, s1, s2)",
               other="_srcad.conv_adjoint(t, dother, mode, s1, s2)")  # fmt: skip
    vjp.defvjp(rt(conv_adjoint), sig, nondiff=nd,
               t="_srcad.conv_crop(g, other, mode, s1, s2)",
               other="_srcad.conv_adjoint(t, g, mode, s1, s2)")  # fmt: skip
    # mvn_resid: x - mean (the covariance's shape and the flag only check the form)
    sig = "x, mean, cov_shape, allow_singular=False"
    nd = ("cov_shape", "allow_singular")
    jvp.defjvp(rt(mvn_resid), sig, nondiff=nd, x="np.reshape(dx, np.shape(ans)) + 0.0 * ans",
               mean="-np.reshape(dmean, (1, -1)) + 0.0 * ans")  # fmt: skip
    vjp.defvjp(rt(mvn_resid), sig, nondiff=nd, x="np.reshape(g, np.shape(x))",
               mean="-np.reshape(np.sum(g, axis=0), np.shape(mean))")  # fmt: skip
    # mvn_cov: linear in the covariance, mvn_cov_t its transpose
    jvp.defjvp(rt(mvn_cov), "cov, d", nondiff=("d",), cov="_srcad.mvn_cov(dcov, d)")
    vjp.defvjp(rt(mvn_cov), "cov, d", nondiff=("d",), cov="_srcad.mvn_cov_t(g, cov)")
    jvp.defjvp(rt(mvn_cov_t), "t, cov", zero_in=("cov",), t="_srcad.mvn_cov_t(dt, cov)")
    vjp.defvjp(rt(mvn_cov_t), "t, cov", zero_in=("cov",), t="_srcad.mvn_cov(g, np.shape(t)[0])")


# facts (srcad/rules/facts.py): the methods with rules are pure; those of the location-scale
# families and poisson are elementwise (np.where masks apply); empty without scipy
_LS = ("norm", "t", "gamma", "beta", "chi2")
_LS_METHODS = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf")
_COUNTS = ("binom", "nbinom", "bernoulli", "geom")
ELEMENTWISE: tuple[str, ...] = () if scipy is None else (
    *(f"scipy.stats.{d}.{m}" for d in _LS for m in _LS_METHODS),
    *(f"scipy.stats.poisson.{m}" for m in ("logpmf", "pmf", "cdf", "logcdf", "sf")),
    *(f"scipy.stats.{d}.{m}" for d in _COUNTS for m in ("logpmf", "pmf")),
)  # fmt: skip
PURE: tuple[str, ...] = () if scipy is None else (
    *ELEMENTWISE, "scipy.stats.dirichlet.logpdf", "scipy.stats.dirichlet.pdf",
    "scipy.stats.multivariate_normal.logpdf", "scipy.stats.multivariate_normal.pdf",
    "scipy.signal.convolve", "scipy.signal.correlate",
)  # fmt: skip

FROZEN = (
    "a frozen distribution (`norm(mu, s).logpdf(x)`) is not differentiated: call the method of "
    "the distribution with its parameters, `scipy.stats.norm.logpdf(x, mu, s)`"
)
DISTRIBUTIONS = ("norm", "t", "gamma", "beta", "chi2", "poisson", "dirichlet",
                 "multivariate_normal")  # fmt: skip
FROZEN_METHODS = ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "logpmf", "pmf")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if scipy is None:
        return
    for name in (*(f"scipy.stats.{d}" for d in DISTRIBUTIONS),
                 *(f"method.{m}" for m in FROZEN_METHODS)):  # fmt: skip
        jvp.registry.record(name).no_rules = FROZEN  # why they are refused
    _distributions(jvp, vjp)
    _multivariate(jvp, vjp)
    _signal(jvp, vjp)

"""scipy.special functions (rules registered only when scipy is importable), with the runtime
helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``logsumexp``,
``softmax``, ``log_softmax``, ``expit``, ``logit``, ``log_expit``, ``gammaln``, ``loggamma``, ``psi``
(``digamma``), ``polygamma``, ``erf``, ``erfc``, ``erfinv``, ``erfcinv``, ``ndtr``,
``log_ndtr``, ``xlogy``, ``xlog1py``, ``entr``, ``gamma``, ``rgamma``, ``beta``, ``betaln``,
``zeta`` (in ``q`` only), ``multigammaln``, ``ndtri``, ``erfcx``, ``dawsn``, ``erfi``, ``log1p``,
``expm1``, ``cosm1``, ``exp1``, ``softplus``, ``rel_entr``, ``kl_div`` and ``powm1``, and of the
helpers (`srcad.runtime.sp_*`) that wrap SciPy for the templates, each with rules of its own so
every order closes. Without scipy nothing is registered and `PURE`/`ELEMENTWISE` are empty.
Example (``log_ndtr``)::

    jvp: dx * _srcad.sp_ndtr_ratio(x)        # pdf / cdf = sqrt(2/pi) / erfcx(-x/sqrt 2): no 0/0

Singular points: ``xlogy(0, y)`` has d/dy = 0 (also at y = 0) and d/dx = log(y) (-inf at
y = 0, as JAX); ``entr`` has d/dx = -(log x + 1): +inf at 0, nan below (entr is -inf there);
``rgamma`` is entire: its derivatives at 0, -1, -2, ... are finite (by reflection).
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.trees import _SCALARS

try:  # scipy is optional: without it this family registers nothing
    import scipy.special as sp
except ImportError:  # pragma: no cover - exercised only without scipy
    sp = None

SP = "scipy.special."
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)

# name -> derivative factor f'(x) over x and ans (the result).
UNARY = {
    "expit": "(ans * (1.0 - ans))",
    "logit": "_srcad.fdiv(1.0, x * (1.0 - x))",
    "log_expit": "np.exp(ans - x)",  # expit(-x), computed without exp overflow
    "gammaln": "_srcad.sp_polygamma(0, x)",
    "loggamma": "_srcad.sp_polygamma(0, x)",  # real x (NaN below 0: no derivative to give)
    "psi": "_srcad.sp_polygamma(1, x)",
    # (``exp(-a x^2)`` as `sp_gauss_d`: its derivatives are 0, not ``0 * inf``, at x = +-inf)
    "erf": f"({2.0 / math.sqrt(math.pi)!r} * _srcad.sp_gauss_d(x, 1.0, 0))",
    "erfc": f"({-2.0 / math.sqrt(math.pi)!r} * _srcad.sp_gauss_d(x, 1.0, 0))",
    "erfinv": f"({math.sqrt(math.pi) / 2.0!r} * np.exp(ans * ans))",
    "erfcinv": f"({-math.sqrt(math.pi) / 2.0!r} * np.exp(ans * ans))",
    "ndtr": f"({1.0 / math.sqrt(2.0 * math.pi)!r} * _srcad.sp_gauss_d(x, 0.5, 0))",
    "log_ndtr": "_srcad.sp_ndtr_ratio(x)",
    "entr": "(-(np.log(x) + 1.0))",
    "gamma": "(ans * _srcad.sp_polygamma(0, x))",
    "rgamma": "_srcad.sp_rgamma_d(x, 1)",
    "ndtri": f"({math.sqrt(2.0 * math.pi)!r} * np.exp(0.5 * ans * ans))",
    "erfcx": f"(2.0 * x * ans - {2.0 / math.sqrt(math.pi)!r})",
    "dawsn": "(1.0 - 2.0 * x * ans)",
    "erfi": f"({2.0 / math.sqrt(math.pi)!r} * np.exp(x * x))",  # (sympy's scipy printer's erfi)
    "log1p": "_srcad.fdiv(1.0, 1.0 + x)",
    "expm1": "(ans + 1.0)",
    "cosm1": "(-np.sin(x))",
    "exp1": "_srcad.fdiv(-np.exp(-x), x)",
    "softplus": "np.exp(x - ans)",  # expit(x) = e^x / (1 + e^x), without overflow
}
# name -> (signature, {parameter: derivative factor}); results broadcast the two arguments.
BINARY = {
    "xlogy": ("x, y, /", {"x": "np.log(y)", "y": "_srcad.sp_xlogy_dy(x, y)"}),
    "xlog1py": ("x, y, /", {"x": "np.log1p(y)", "y": "_srcad.sp_xlogy_dy(x, 1.0 + y)"}),
    "beta": ("a, b, /", {
        "a": "ans * (_srcad.sp_polygamma(0, a) - _srcad.sp_polygamma(0, a + b))",
        "b": "ans * (_srcad.sp_polygamma(0, b) - _srcad.sp_polygamma(0, a + b))",
    }),
    "betaln": ("a, b, /", {
        "a": "(_srcad.sp_polygamma(0, a) - _srcad.sp_polygamma(0, a + b))",
        "b": "(_srcad.sp_polygamma(0, b) - _srcad.sp_polygamma(0, a + b))",
    }),
    # polygamma's order and multigammaln's dimension are ints; zeta has no derivative in x.
    "polygamma": ("n, x", {"x": "_srcad.sp_polygamma(n + 1, x)"}),
    "multigammaln": ("a, d", {"a": "_srcad.sp_multipolygamma(0, a, d)"}),
    "zeta": ("x, q=None", {"q": "(-x * _srcad.sp_zeta(x + 1.0, q))"}),
    # x log(x / y) (- x + y): d/dy is -x / y (0 at x == 0, as xlogy's), d/dx -inf at x == 0
    "rel_entr": ("x, y, /", {"x": "(np.log(x) - np.log(y) + 1.0)", "y": "(-_srcad.sp_xlogy_dy(x, y))"}),
    "kl_div": ("x, y, /", {"x": "(np.log(x) - np.log(y))", "y": "(1.0 - _srcad.sp_xlogy_dy(x, y))"}),
    "powm1": ("x, y, /", {"x": "(y * np.power(x, y - 1.0))", "y": "((ans + 1.0) * np.log(x))"}),
}  # fmt: skip
NONDIFF = {"polygamma": ("n",), "multigammaln": ("d",)}
REDUCTIONS = ("logsumexp", "softmax", "log_softmax")

if sp is None:  # pragma: no cover
    PURE: tuple[str, ...] = ()
    ELEMENTWISE: tuple[str, ...] = ()
else:
    ELEMENTWISE = tuple(SP + n for n in (*UNARY, *BINARY, "digamma"))
    PURE = (*ELEMENTWISE, *(SP + n for n in REDUCTIONS))


def _out(out, *xs):
    """`out` as a Python float when the arguments `xs` are Python numbers (or None), else as it
    is (0-d arrays unwrapped)."""
    if np.ndim(out) == 0:
        if all(x is None or type(x) in _SCALARS for x in xs):
            return float(out)
        return out[()] if isinstance(out, np.ndarray) else out
    return out


# -- helpers that wrap SciPy for the templates (each has the rules of the function it wraps) ----
def sp_gammaln(x):
    """``scipy.special.gammaln(x)`` (log |Gamma(x)|)."""
    return _out(sp.gammaln(x), x)


def sp_digamma(x):
    """``scipy.special.psi(x)``."""
    return _out(sp.psi(x), x)


def sp_polygamma(n, x):
    """``scipy.special.polygamma(n, x)`` (``psi`` for n = 0): the n-th derivative of digamma."""
    out = sp.psi(x) if isinstance(n, int) and n == 0 else sp.polygamma(n, x)
    return _out(out, x)


def sp_betaln(a, b):
    """``scipy.special.betaln(a, b)``."""
    return _out(sp.betaln(a, b), a, b)


def sp_xlogy(x, y):
    """``scipy.special.xlogy(x, y)`` (0 where x == 0)."""
    return _out(sp.xlogy(x, y), x, y)


def sp_xlog1py(x, y):
    """``scipy.special.xlog1py(x, y)`` (0 where x == 0)."""
    return _out(sp.xlog1py(x, y), x, y)


def sp_ndtr(x):
    """``scipy.special.ndtr(x)``, the standard normal cdf."""
    return _out(sp.ndtr(x), x)


def sp_log_ndtr(x):
    """``scipy.special.log_ndtr(x)``."""
    return _out(sp.log_ndtr(x), x)


def sp_ndtr_ratio(x):
    """``pdf(x) / cdf(x)`` of the standard normal, the derivative of ``log_ndtr``, as
    ``sqrt(2/pi) / erfcx(-x / sqrt 2)``: finite for very negative x (about -x) where pdf / cdf is
    0 / 0, and 0 (not nan) for large x."""
    return _out(_SQRT_2_OVER_PI / sp.erfcx(np.negative(x) / math.sqrt(2.0)), x)


def sp_ndtr_shift(x):
    """``x + pdf(x) / cdf(x)`` (so ``log_ndtr'' = -r (x + r)``), without the cancellation of the
    sum for very negative x: there it is the tail ``1 / (t + 2 / (t + 3 / (t + ...)))`` (t = -x)
    of Laplace's continued fraction of the Mills ratio, ``cdf / pdf = 1 / (t + 1 / (t + ...))``."""
    x_arr = real_operand(x, "scipy.special.log_ndtr")
    far = x_arr < -3.0
    t = np.where(far, -x_arr, 4.0)
    acc = np.zeros_like(t)
    for n in range(60, 1, -1):  # converged to 1 ulp at t >= 3
        acc = n / (t + acc)
    near = x_arr + sp_ndtr_ratio(np.where(far, 0.0, x_arr))
    return _out(np.where(far, 1.0 / (t + acc), near), x)


def sp_xlogy_dy(x, y):
    """``x / y``, 0 where ``x == 0`` (also at y == 0): d xlogy(x, y) / dy."""
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = np.equal(x, 0)
        out = np.where(zero, 0.0, np.divide(x, np.where(zero, 1.0, y)))
    return _out(out, x, y)


def sp_zeta(x, q=None):
    """``scipy.special.zeta(x, q)`` (Hurwitz; Riemann without q)."""
    return _out(sp.zeta(x, q), x, q)


def sp_multipolygamma(n, a, d):
    """``sum_{j < d} polygamma(n, a - j / 2)``: the (n+1)-th derivative of ``multigammaln(a, d)``."""
    d = int(d)
    out = sum(sp_polygamma(n, np.subtract(a, j / 2.0)) for j in range(d))
    return _out(real_operand(out, "scipy.special.multigammaln"), a)


def _bell(xs: list) -> list:
    """Complete Bell polynomials B_0 .. B_k at (x_1 .. x_k): the k-th derivative of exp(u) over
    exp(u) when x_j is u's j-th derivative."""
    out = [1.0]
    for m in range(len(xs)):
        out.append(sum(math.comb(m, i) * out[m - i] * xs[i] for i in range(m + 1)))
    return out


def sp_gauss_d(x, a, n):
    """The n-th derivative (n >= 0, an int) of ``exp(-a x^2)`` (a > 0), ``(-sqrt a)^n H_n(sqrt(a)
    x) exp(-a x^2)`` (H_n: Hermite's), 0 where ``exp(-a x^2)`` is (``x = +-inf``: the Hessian of
    ``np.log(ndtr(e - b))`` with an inf in `e` had ``exp(-inf) * inf``, nan, for its limit 0)."""
    x_arr = real_operand(x, "scipy.special.ndtr")
    with np.errstate(all="ignore"):
        u = math.sqrt(a) * x_arr
        e = np.exp(-u * u)
        h0, h1 = np.ones_like(u), 2.0 * u
        for j in range(1, n):  # (H_{j+1} = 2 u H_j - 2 j H_{j-1})
            h0, h1 = h1, 2.0 * u * h1 - 2.0 * j * h0
        h = h0 if n == 0 else h1
        out = np.where(e == 0, 0.0, (-math.sqrt(a)) ** n * h * e)
    return _out(out, x)


def sp_rgamma_d(x, k):
    """The k-th derivative (k >= 1, an int) of ``rgamma = 1 / Gamma``, an entire function: for
    x >= 0.5 ``rgamma(x) B_k(-psi(x), -psi'(x), ...)``; below, by reflection ``1 / Gamma(x) =
    Gamma(1 - x) sin(pi x) / pi`` and Leibniz's rule (finite at the poles 0, -1, ...)."""
    x_arr = real_operand(x, "scipy.special.rgamma")
    hi = x_arr >= 0.5
    with np.errstate(all="ignore"):
        xa = np.where(hi, x_arr, 1.0)
        ua = [-sp.polygamma(j, xa) for j in range(k)]  # derivatives of -gammaln(x)
        right = sp.rgamma(xa) * _bell(ua)[k]
        xb = np.where(hi, 0.0, x_arr)
        vb = [(-1.0) ** (j + 1) * sp.polygamma(j, 1.0 - xb) for j in range(k)]  # of gammaln(1-x)
        gb = sp.gamma(1.0 - xb)
        bell = _bell(vb)
        left = sum(
            math.comb(k, j)
            * bell[j]
            * math.pi ** (k - j - 1)
            * np.sin(math.pi * xb + (k - j) * math.pi / 2)
            for j in range(k + 1)
        )
        out = np.where(hi, right, gb * left)
    return _out(out, x)


# -- logsumexp: the weights of its terms --------------------------------------------------------
def _check_sign(return_sign) -> None:
    if return_sign:
        raise _unsupported("scipy.special.logsumexp(..., return_sign=True) is not differentiable")


def sp_lse_e(a, b, axis, return_sign=False):
    """``exp(a - logsumexp(a, axis, b, keepdims=True))`` (the weights without b: d lse / db)."""
    _check_sign(return_sign)
    lse = sp.logsumexp(a, axis=axis, b=b, keepdims=True)
    with np.errstate(invalid="ignore"):
        out = np.exp(np.subtract(a, lse))
    if not np.iscomplexobj(a) and np.any(np.isneginf(a)):
        # a term exp(-inf) stays 0 nearby: weight 0, also where every term is -inf (lse -inf,
        # where exp(a - lse) is nan: a CTC or HMM recursion's unreachable states)
        out = np.where(np.isneginf(a), 0.0, out)
    return _out(out, a)


def sp_lse_w(a, b, axis, return_sign=False):
    """The softmax weights ``b * exp(a - logsumexp(a, axis, b, keepdims=True))`` (d lse / da)."""
    e = sp_lse_e(a, b, axis, return_sign)
    return e if b is None else _out(np.multiply(b, e), a, b)


def sp_lse_sign(a, axis, b, keepdims):
    """The sign ``logsumexp(a, axis, b, keepdims, return_sign=True)`` returns, as the installed
    SciPy gives it (a sum of zero: 0 on SciPy 1.16+, the sign of `b` before): locally constant."""
    return sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)[1]


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules (nothing without scipy)."""
    if sp is None:  # pragma: no cover
        return
    _pointwise(jvp, vjp)
    _reductions(jvp, vjp)
    jvp.defzero(rt(sp_lse_sign))
    vjp.defzero(rt(sp_lse_sign))


HELPERS = (
    sp_gammaln, sp_digamma, sp_polygamma, sp_betaln, sp_xlogy, sp_xlog1py, sp_ndtr, sp_log_ndtr,
    sp_ndtr_ratio, sp_ndtr_shift, sp_xlogy_dy, sp_zeta, sp_multipolygamma, sp_rgamma_d, sp_lse_e, sp_lse_w,
    sp_lse_sign, sp_gauss_d,
)  # fmt: skip
if sp is not None:  # runtime helpers only with scipy (srcad.runtime re-exports them on import)
    for _fn in HELPERS:
        helper(_fn)


def _pointwise(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the elementwise functions and of the helpers that wrap them."""
    wrapped = {"gammaln": sp_gammaln, "psi": sp_digamma, "ndtr": sp_ndtr, "log_ndtr": sp_log_ndtr}
    for name, factor in UNARY.items():
        for prim in (SP + name, *((rt(wrapped[name]),) if name in wrapped else ())):
            jvp.defjvp(prim, "x, /", x=f"dx * {factor}")
            vjp.defvjp(prim, "x, /", x=f"g * {factor}")
    wrapped2 = {"xlogy": sp_xlogy, "xlog1py": sp_xlog1py, "betaln": sp_betaln,
                "polygamma": sp_polygamma, "zeta": sp_zeta}  # fmt: skip
    for name, (sig, factors) in BINARY.items():
        nondiff = NONDIFF.get(name, ())
        for prim in (SP + name, *((rt(wrapped2[name]),) if name in wrapped2 else ())):
            _binary(jvp, vjp, prim, sig, factors, nondiff)
    _binary(jvp, vjp, rt(sp_multipolygamma), "n, a, d",
            {"a": "_srcad.sp_multipolygamma(n + 1, a, d)"}, ("n", "d"))  # fmt: skip
    # ndtr_ratio r = pdf / cdf: r' = -r s with s = x + r (ndtr_shift), s' = 1 + r' = 1 - r s
    jvp.defjvp(rt(sp_ndtr_ratio), "x", x="-dx * ans * _srcad.sp_ndtr_shift(x)")
    vjp.defvjp(rt(sp_ndtr_ratio), "x", x="-g * ans * _srcad.sp_ndtr_shift(x)")
    jvp.defjvp(rt(sp_ndtr_shift), "x", x="dx * (1.0 - _srcad.sp_ndtr_ratio(x) * ans)")
    vjp.defvjp(rt(sp_ndtr_shift), "x", x="g * (1.0 - _srcad.sp_ndtr_ratio(x) * ans)")
    # xlogy_dy(x, y) = x / y (0 at x == 0): d/dx = 1 / y, d/dy = -ans / y (0 where ans == 0),
    # times dy before the division (ans / y overflows where ans is 1e160: the Hessian of xlogy)
    jvp.defjvp(rt(sp_xlogy_dy), "x, y", x="dx * _srcad.fdiv(1.0, y)",
               y="-_srcad.sp_xlogy_dy(dy * ans, y)")  # fmt: skip
    vjp.defvjp(rt(sp_xlogy_dy), "x, y", x="_srcad.unbroadcast(g * _srcad.fdiv(1.0, y), x)",
               y="_srcad.unbroadcast(-_srcad.sp_xlogy_dy(g * ans, y), y)")  # fmt: skip
    jvp.defjvp(
        rt(sp_gauss_d), "x, a, n", nondiff=("a", "n"), x="dx * _srcad.sp_gauss_d(x, a, n + 1)"
    )
    vjp.defvjp(
        rt(sp_gauss_d), "x, a, n", nondiff=("a", "n"), x="g * _srcad.sp_gauss_d(x, a, n + 1)"
    )
    jvp.defjvp(rt(sp_rgamma_d), "x, k", nondiff=("k",), x="dx * _srcad.sp_rgamma_d(x, k + 1)")
    vjp.defvjp(rt(sp_rgamma_d), "x, k", nondiff=("k",), x="g * _srcad.sp_rgamma_d(x, k + 1)")


def _binary(jvp: RuleTable, vjp: RuleTable, prim: str, sig: str, factors: dict, nondiff) -> None:
    """JVP ``d<p> * factor`` summed, VJP ``unbroadcast(g * factor, p)`` per parameter `p`."""
    jvp.defjvp(prim, sig, nondiff=nondiff, **{p: f"d{p} * {f}" for p, f in factors.items()})
    vjp.defvjp(prim, sig, nondiff=nondiff,
               **{p: f"_srcad.unbroadcast(g * {f}, {p})" for p, f in factors.items()})  # fmt: skip


def _reductions(jvp: RuleTable, vjp: RuleTable) -> None:
    """logsumexp (also in b), softmax and log_softmax, and the logsumexp weight helpers.

    With w = b e the softmax weights and e = exp(a - lse): d lse = sum(w da + e db);
    dw = w (da - S) + e db - w T and de = e (da - S) - e T with S = sum(w da), T = sum(e db)."""
    nd = ("axis", "keepdims", "return_sign")
    sig = "a, axis=None, b=None, keepdims=False, return_sign=False"
    w, e = "_srcad.sp_lse_w(a, b, axis, return_sign)", "_srcad.sp_lse_e(a, b, axis, return_sign)"
    red = "axis=axis, keepdims=keepdims"
    jvp.defjvp(SP + "logsumexp", sig, nondiff=nd,
               a=f"np.sum(da * {w}, {red})", b=f"np.sum(db * {e}, {red})")  # fmt: skip
    vjp.defvjp(SP + "logsumexp", sig, nondiff=nd,
               a=f"_srcad.unbroadcast(_srcad.sum_vjp(g, {w}, {red}) * {w}, a)",
               b=f"_srcad.unbroadcast(_srcad.sum_vjp(g, {e}, {red}) * {e}, b)")  # fmt: skip
    hsig, hnd = "a, b, axis, return_sign=False", ("axis", "return_sign")
    s_ = "np.sum({} * {}, axis=axis, keepdims=True)"
    jvp.defjvp(rt(sp_lse_w), hsig, nondiff=hnd,
               a=f"ans * (da - {s_.format('ans', 'da')})",
               b=f"db * {e} - ans * {s_.format(e, 'db')}")  # fmt: skip
    vjp.defvjp(rt(sp_lse_w), hsig, nondiff=hnd,
               a=f"_srcad.unbroadcast(ans * (g - {s_.format('g', 'ans')}), a)",
               b=f"_srcad.unbroadcast({e} * (g - {s_.format('g', 'ans')}), b)")  # fmt: skip
    jvp.defjvp(rt(sp_lse_e), hsig, nondiff=hnd,
               a=f"ans * (da - {s_.format(w, 'da')})",
               b=f"-ans * {s_.format('ans', 'db')}")  # fmt: skip
    vjp.defvjp(rt(sp_lse_e), hsig, nondiff=hnd,
               a=f"_srcad.unbroadcast(ans * g - {w} * {s_.format('g', 'ans')}, a)",
               b=f"_srcad.unbroadcast(-ans * {s_.format('g', 'ans')}, b)")  # fmt: skip
    # softmax s: ds = s (dx - sum(s dx)); log_softmax l: dl = dx - sum(exp(l) dx). An entry
    # x = -inf (a masked logit) gives a constant s = 0 (l = -inf): its cotangent, maybe infinite
    # (``xlogy(s, s)``'s log(0)), reaches nothing (``G``; else 0 * inf = nan in the sums)
    s_sum = "np.sum({} * {}, axis=axis, keepdims=True)"
    G = "np.where(np.isneginf(x), 0.0, g)"
    jvp.defjvp(SP + "softmax", "x, axis=None", nondiff=("axis",),
               x=f"ans * (dx - {s_sum.format('ans', 'dx')})")  # fmt: skip
    vjp.defvjp(SP + "softmax", "x, axis=None", nondiff=("axis",),
               x=f"ans * ({G} - {s_sum.format(G, 'ans')})")  # fmt: skip
    jvp.defjvp(SP + "log_softmax", "x, axis=None", nondiff=("axis",),
               x=f"dx - {s_sum.format('np.exp(ans)', 'dx')}")  # fmt: skip
    vjp.defvjp(SP + "log_softmax", "x, axis=None", nondiff=("axis",),
               x=f"{G} - np.exp(ans) * np.sum({G}, axis=axis, keepdims=True)")  # fmt: skip

"""scipy.special Bessel functions and the regularised incomplete gamma/beta functions
(rules registered only when scipy is importable), with the runtime helpers their rules call.

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``iv``, ``ive``, ``jv``,
``yv``, ``yn``, ``kv``, ``kve``, ``i0``, ``i1``, ``i0e``, ``i1e``, ``k0``, ``k1``, ``k0e``,
``k1e``, ``j0``, ``j1``, ``y0``, ``y1`` (in ``x``; a
float order ``v`` has no term, so an active order is refused; the integer order of ``yn`` is
nondiff), ``gammainc``, ``gammaincc`` (in ``x``; ``a`` refused) and ``betainc`` (in ``x``; ``a``,
``b`` refused), and of the helpers (`bessel_iv`, ..., `bessel_kve`, `gammainc_dx`, `betainc_dx`), so every
order closes. Example::

    jvp of scipy.special.jv(v, x): dx * (0.5 * (_srcad.bessel_jv(v - 1, x) - _srcad.bessel_jv(v + 1, x)))
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None


@helper
def bessel_iv(v, x):
    """``scipy.special.iv``: modified Bessel function of the first kind."""
    return sp.iv(v, x)


@helper
def bessel_ive(v, x):
    """``scipy.special.ive``: ``iv(v, x) * exp(-|x|)``; where scipy gives nan for |x| >= 2**31
    (``i0e``/``i1e`` are finite there: their derivatives read ``ive``), the asymptotic series
    ``(1 - (4v^2 - 1) / (8|x|) + ...) / sqrt(2 pi |x|)`` (exact to rounding there)."""
    out = sp.ive(v, x)
    bad = np.isnan(out) & (np.abs(x) > 1e9) & ~np.isnan(x)
    if not np.any(bad):
        return out
    ax = np.abs(x)
    mu, z = 4.0 * np.square(v), 8.0 * ax
    series = 1.0 - (mu - 1.0) / z + ((mu - 1.0) / z) * ((mu - 9.0) / (2.0 * z))
    with np.errstate(invalid="ignore"):  # (iv of a negative x: an integer order only)
        sign = np.where(x < 0, np.cos(np.pi * np.asarray(v, float)), 1.0)
        sign = np.where((x < 0) & (np.asarray(v, float) % 1.0 != 0.0), np.nan, sign)
    asym = sign * series / np.sqrt(2.0 * np.pi * ax)
    return np.where(bad, asym, out)[()]


@helper
def bessel_jv(v, x):
    """``scipy.special.jv``: Bessel function of the first kind."""
    return sp.jv(v, x)


@helper
def bessel_yv(v, x):
    """``scipy.special.yv``: Bessel function of the second kind."""
    return sp.yv(v, x)


@helper
def bessel_kv(v, x):
    """``scipy.special.kv``: modified Bessel function of the second kind."""
    return sp.kv(v, x)


@helper
def bessel_kve(v, x):
    """``scipy.special.kve``: ``kv(v, x) * exp(x)``."""
    return sp.kve(v, x)


@helper
def gammainc_dx(a, x):
    """``d/dx gammainc(a, x) = x^(a-1) exp(-x) / Gamma(a)``."""
    return np.exp(sp.xlogy(a - 1.0, x) - x - sp.gammaln(a))


@helper
def betainc_dx(a, b, x):
    """``d/dx betainc(a, b, x) = x^(a-1) (1-x)^(b-1) / B(a, b)``."""
    return np.exp(sp.xlogy(a - 1.0, x) + sp.xlog1py(b - 1.0, -x) - sp.betaln(a, b))


def _iv(n):
    return f"_srcad.bessel_iv({n}, x)"


def _ive(n):
    return f"_srcad.bessel_ive({n}, x)"


def _kv(n):
    return f"_srcad.bessel_kv({n}, x)"


def _kve(n):
    return f"_srcad.bessel_kve({n}, x)"


def _jv(n):
    return f"_srcad.bessel_jv({n}, x)"


def _yv(n):
    return f"_srcad.bessel_yv({n}, x)"


# name -> (signature, nondiff, x-partial); v is a float order without a term (refused if active)
_X_ONLY = {
    "iv": ("v, x", (), f"0.5 * ({_iv('v - 1')} + {_iv('v + 1')})"),
    "ive": ("v, x", (), f"0.5 * ({_ive('v - 1')} + {_ive('v + 1')}) - np.sign(x) * ans"),
    "jv": ("v, x", (), f"0.5 * ({_jv('v - 1')} - {_jv('v + 1')})"),
    "yv": ("v, x", (), f"0.5 * ({_yv('v - 1')} - {_yv('v + 1')})"),
    "yn": ("n, x", ("n",), f"0.5 * ({_yv('n - 1')} - {_yv('n + 1')})"),
    "i0": ("x", (), _iv(1)),
    "i1": ("x", (), f"0.5 * ({_iv(0)} + {_iv(2)})"),
    "i0e": ("x", (), f"{_ive(1)} - np.sign(x) * ans"),
    "i1e": ("x", (), f"0.5 * ({_ive(0)} + {_ive(2)}) - np.sign(x) * ans"),
    "kv": ("v, x", (), f"-0.5 * ({_kv('v - 1')} + {_kv('v + 1')})"),
    "kve": ("v, x", (), f"ans - 0.5 * ({_kve('v - 1')} + {_kve('v + 1')})"),
    "k0": ("x", (), f"-{_kv(1)}"),
    "k1": ("x", (), f"-0.5 * ({_kv(0)} + {_kv(2)})"),
    "k0e": ("x", (), f"ans - {_kve(1)}"),
    "k1e": ("x", (), f"ans - 0.5 * ({_kve(0)} + {_kve(2)})"),
    "j0": ("x", (), f"-{_jv(1)}"),
    "j1": ("x", (), f"0.5 * ({_jv(0)} - {_jv(2)})"),
    "y0": ("x", (), f"-{_yv(1)}"),
    "y1": ("x", (), f"0.5 * ({_yv(0)} - {_yv(2)})"),
    "gammainc": ("a, x", (), "_srcad.gammainc_dx(a, x)"),
    "gammaincc": ("a, x", (), "-_srcad.gammainc_dx(a, x)"),
    "betainc": ("a, b, x", (), "_srcad.betainc_dx(a, b, x)"),
}
# facts (srcad/rules/facts.py): pure and elementwise (np.where masks apply); empty without scipy
ELEMENTWISE: tuple[str, ...] = () if sp is None else tuple(f"scipy.special.{n}" for n in _X_ONLY)
PURE = ELEMENTWISE
_HELPERS = {"iv": bessel_iv, "ive": bessel_ive, "jv": bessel_jv, "yv": bessel_yv, "kv": bessel_kv,
            "kve": bessel_kve}  # fmt: skip


def partial_rules(
    jvp: RuleTable, vjp: RuleTable, prim: str, sig: str, nondiff, **factors: str
) -> None:
    """The JVP and VJP of an elementwise `prim` from its partial derivatives (`factors`:
    argument -> its partial, an expression); also scipy_special3's."""
    jvp.defjvp(prim, sig, nondiff=nondiff, **{p: f"d{p} * ({f})" for p, f in factors.items()})
    vjp.defvjp(
        prim, sig, nondiff=nondiff,
        **{p: f"_srcad.unbroadcast(g * ({f}), {p})" for p, f in factors.items()},
    )  # fmt: skip


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, (sig, nondiff, dx) in _X_ONLY.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", sig, nondiff, x=dx)
        if name in _HELPERS:
            partial_rules(jvp, vjp, rt(_HELPERS[name]), sig, nondiff, x=dx)
    psi = "_srcad.sp_digamma"
    partial_rules(jvp, vjp, rt(gammainc_dx), "a, x", (),
                  x="ans * ((a - 1.0) / x - 1.0)", a=f"ans * (np.log(x) - {psi}(a))")  # fmt: skip
    partial_rules(jvp, vjp, rt(betainc_dx), "a, b, x", (),
                  x="ans * ((a - 1.0) / x - (b - 1.0) / (1.0 - x))",
                  a=f"ans * (np.log(x) - {psi}(a) + {psi}(a + b))",
                  b=f"ans * (np.log1p(-x) - {psi}(b) + {psi}(a + b))")  # fmt: skip

"""scipy.special's orthogonal polynomials (``eval_legendre``, ``eval_chebyt``/``u``/``c``/``s``,
their shifted forms, ``eval_gegenbauer``, ``eval_hermite``/``hermitenorm``, ``eval_laguerre``,
``eval_genlaguerre``, ``eval_jacobi``) in ``x``, the confluent hypergeometric functions
``hyp0f1``, ``hyp1f1`` and ``hyperu`` in ``x``, ``kn`` in ``x``, ``exp2``, the degree-based
``sindg``/``cosdg``/``tandg``/``cotdg``, ``radian``, and ``round`` (a zero derivative).
Registered only when scipy is importable.

Input: the `RuleTable` pair. Output: the tables filled with these rules and the rules of the
runtime helpers their templates call (each the next derivative's, so every order closes).

The polynomials' slopes are other polynomials one degree lower (``d/dx C_n^a = 2a C_{n-1}^{a+1}``,
``d/dx L_n^a = -L_{n-1}^{a+1}``, ``d/dx P_n^{(a,b)} = (n+a+b+1)/2 P_{n-1}^{(a+1,b+1)}``,
``H_n' = 2n H_{n-1}``, ``He_n' = n He_{n-1}``), through the Gegenbauer form for Legendre and
Chebyshev (``P_n = C_n^{3/2}``'s antiderivative: ``P_n' = C_{n-1}^{3/2}``, ``T_n' = n U_{n-1} =
n C_{n-1}^1``, ``U_n' = 2 C_{n-1}^2``). scipy evaluates a float degree by the hypergeometric
series, for which the same identities hold; a degree below 0, which scipy maps by reflections
(``P_{-n-1} = P_n``, ``T_{-n} = T_n``) the identities do not follow, is refused when the
derivative runs (`sp_degree`). The parameters ``alpha``, ``beta`` and the hypergeometric ``a``,
``b`` have no term: varied, they are refused. Example::

    jvp of scipy.special.eval_legendre(n, x):
        dx * _srcad.sp_degree(n, _srcad.sp_gegen(n - 1, 1.5, x))
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.errors import DiffError
from srcad.rules.helpers import helper, rt
from srcad.rules.scipy_special2 import partial_rules

try:
    import scipy.special as sp
except ImportError:  # pragma: no cover - scipy is optional
    sp = None

_DEG = repr(math.pi / 180.0)
_LN2 = repr(math.log(2.0))


def sp_degree(n, d):
    """`d`, the slope of an orthogonal polynomial of degree `n`, when every `n` is at least 0
    (a negative degree is one scipy reflects; its slope is not `d`): a DiffError otherwise."""
    if np.any(np.asarray(n) < 0):
        raise DiffError(
            "the derivative of a scipy.special orthogonal polynomial of negative degree is not "
            "defined here (scipy maps it to another degree)"
        )
    return d


def sp_gegen(n, alpha, x):
    """``eval_gegenbauer(n, alpha, x)`` (0 for a negative integer `n`, as scipy gives)."""
    return sp.eval_gegenbauer(n, alpha, x)


def sp_genlag(n, alpha, x):
    """``eval_genlaguerre(n, alpha, x)`` (0 for a negative integer `n`, as scipy gives)."""
    return sp.eval_genlaguerre(n, alpha, x)


def sp_jacobi(n, a, b, x):
    """``eval_jacobi(n, a, b, x)`` (0 for a negative integer `n`, as scipy gives)."""
    return sp.eval_jacobi(n, a, b, x)


def sp_hermite(n, x):
    """``eval_hermite(n, x)``, 0 where `n` is negative (scipy: NaN; the slope of degree 0)."""
    n = np.asarray(n)
    return np.where(n >= 0, sp.eval_hermite(np.maximum(n, 0), x), 0.0)[()]


def sp_hermitenorm(n, x):
    """``eval_hermitenorm(n, x)``, 0 where `n` is negative (as `sp_hermite`)."""
    n = np.asarray(n)
    return np.where(n >= 0, sp.eval_hermitenorm(np.maximum(n, 0), x), 0.0)[()]


def sp_hyp0f1(v, z):
    """``scipy.special.hyp0f1(v, z)``."""
    return sp.hyp0f1(v, z)


def sp_hyp1f1(a, b, x):
    """``scipy.special.hyp1f1(a, b, x)``."""
    return sp.hyp1f1(a, b, x)


def sp_hyperu(a, b, x):
    """``scipy.special.hyperu(a, b, x)``."""
    return sp.hyperu(a, b, x)


def sp_sindg(x):
    """``scipy.special.sindg(x)`` (x in degrees)."""
    return sp.sindg(x)


def sp_cosdg(x):
    """``scipy.special.cosdg(x)`` (x in degrees)."""
    return sp.cosdg(x)


def _deg(t: str) -> str:
    return f"_srcad.sp_degree(n, {t})"


_G = "_srcad.sp_gegen"
_SH = "(2.0 * x - 1.0)"
# name -> (signature, nondiff, {argument: partial}); an argument without a partial has no term
_PARTIALS: dict[str, tuple[str, tuple[str, ...], dict[str, str]]] = {
    "eval_legendre": ("n, x", ("n",), {"x": _deg(f"{_G}(n - 1, 1.5, x)")}),
    "eval_chebyt": ("n, x", ("n",), {"x": _deg(f"n * {_G}(n - 1, 1.0, x)")}),
    "eval_chebyu": ("n, x", ("n",), {"x": _deg(f"2.0 * {_G}(n - 1, 2.0, x)")}),
    "eval_chebyc": ("n, x", ("n",), {"x": _deg(f"n * {_G}(n - 1, 1.0, 0.5 * x)")}),
    "eval_chebys": ("n, x", ("n",), {"x": _deg(f"{_G}(n - 1, 2.0, 0.5 * x)")}),
    "eval_sh_legendre": ("n, x", ("n",), {"x": _deg(f"2.0 * {_G}(n - 1, 1.5, {_SH})")}),
    "eval_sh_chebyt": ("n, x", ("n",), {"x": _deg(f"2.0 * n * {_G}(n - 1, 1.0, {_SH})")}),
    "eval_sh_chebyu": ("n, x", ("n",), {"x": _deg(f"4.0 * {_G}(n - 1, 2.0, {_SH})")}),
    "eval_gegenbauer": ("n, alpha, x", ("n",),
                        {"x": _deg(f"2.0 * alpha * {_G}(n - 1, alpha + 1.0, x)")}),
    "eval_hermite": ("n, x", ("n",), {"x": _deg("2.0 * n * _srcad.sp_hermite(n - 1, x)")}),
    "eval_hermitenorm": ("n, x", ("n",), {"x": _deg("n * _srcad.sp_hermitenorm(n - 1, x)")}),
    "eval_laguerre": ("n, x", ("n",), {"x": _deg("-_srcad.sp_genlag(n - 1, 1.0, x)")}),
    "eval_genlaguerre": ("n, alpha, x", ("n",),
                         {"x": _deg("-_srcad.sp_genlag(n - 1, alpha + 1.0, x)")}),
    "eval_jacobi": ("n, alpha, beta, x", ("n",), {"x": _deg(
        "0.5 * (n + alpha + beta + 1.0) * _srcad.sp_jacobi(n - 1, alpha + 1.0, beta + 1.0, x)")}),
    "hyp0f1": ("v, z", (), {"z": "_srcad.sp_hyp0f1(v + 1.0, z) / v"}),
    "hyp1f1": ("a, b, x", (), {"x": "a / b * _srcad.sp_hyp1f1(a + 1.0, b + 1.0, x)"}),
    "hyperu": ("a, b, x", (), {"x": "-a * _srcad.sp_hyperu(a + 1.0, b + 1.0, x)"}),
    "kn": ("n, x", ("n",), {"x": "-0.5 * (_srcad.bessel_kv(n - 1, x) + _srcad.bessel_kv(n + 1, x))"}),
    "exp2": ("x", (), {"x": f"{_LN2} * ans"}),
    "sindg": ("x", (), {"x": f"{_DEG} * _srcad.sp_cosdg(x)"}),
    "cosdg": ("x", (), {"x": f"-{_DEG} * _srcad.sp_sindg(x)"}),
    "tandg": ("x", (), {"x": f"{_DEG} * (1.0 + np.square(ans))"}),
    "cotdg": ("x", (), {"x": f"-{_DEG} * (1.0 + np.square(ans))"}),
    "radian": ("d, m, s", (), {"d": _DEG, "m": repr(math.pi / 180.0 / 60.0),
                               "s": repr(math.pi / 180.0 / 3600.0)}),
}  # fmt: skip
# the helpers' own rules, in the arguments their templates vary
_HELPER_PARTIALS = {
    sp_gegen: ("n, alpha, x", ("n",), {"x": f"2.0 * alpha * {_G}(n - 1, alpha + 1.0, x)"}),
    sp_genlag: ("n, alpha, x", ("n",), {"x": "-_srcad.sp_genlag(n - 1, alpha + 1.0, x)"}),
    sp_jacobi: ("n, a, b, x", ("n",), {
        "x": "0.5 * (n + a + b + 1.0) * _srcad.sp_jacobi(n - 1, a + 1.0, b + 1.0, x)"}),
    sp_hermite: ("n, x", ("n",), {"x": "2.0 * n * _srcad.sp_hermite(n - 1, x)"}),
    sp_hermitenorm: ("n, x", ("n",), {"x": "n * _srcad.sp_hermitenorm(n - 1, x)"}),
    sp_hyp0f1: ("v, z", (), {"z": "_srcad.sp_hyp0f1(v + 1.0, z) / v"}),
    sp_hyp1f1: ("a, b, x", (), {"x": "a / b * _srcad.sp_hyp1f1(a + 1.0, b + 1.0, x)"}),
    sp_hyperu: ("a, b, x", (), {"x": "-a * _srcad.sp_hyperu(a + 1.0, b + 1.0, x)"}),
    sp_sindg: ("x", (), {"x": f"{_DEG} * _srcad.sp_cosdg(x)"}),
    sp_cosdg: ("x", (), {"x": f"-{_DEG} * _srcad.sp_sindg(x)"}),
}  # fmt: skip

# facts (srcad/rules/facts.py): pure and elementwise (np.where masks apply); empty without scipy
ELEMENTWISE: tuple[str, ...] = (
    () if sp is None else tuple(f"scipy.special.{n}" for n in (*_PARTIALS, "round"))
)
PURE = ELEMENTWISE
if sp is not None:  # runtime helpers only with scipy (srcad.runtime re-exports them on import)
    for _fn in (sp_degree, *_HELPER_PARTIALS):
        helper(_fn)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if sp is None:
        return
    for name, (sig, nondiff, partials) in _PARTIALS.items():
        partial_rules(jvp, vjp, f"scipy.special.{name}", sig, nondiff, **partials)
    for fn, (sig, nondiff, partials) in _HELPER_PARTIALS.items():
        partial_rules(jvp, vjp, rt(fn), sig, nondiff, **partials)
    jvp.defzero("scipy.special.round")
    vjp.defzero("scipy.special.round")
    # sp_degree(n, d) is `d` (or raises): linear in `d`, nothing in the integer degree
    jvp.defjvp(rt(sp_degree), "n, d", nondiff=("n",), d="_srcad.sp_degree(n, dd)")
    vjp.defvjp(rt(sp_degree), "n, d", nondiff=("n",), d="_srcad.sp_degree(n, g)")

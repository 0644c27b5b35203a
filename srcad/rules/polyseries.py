"""The rules of ``numpy.polynomial``'s series evaluations: ``polyval``, ``chebval``, ``legval``,
``hermval``, ``hermeval``, ``lagval`` (``np.polynomial.chebyshev.chebval(x, c)``), for 1-D
coefficients, with the runtime helpers their rules call and those helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

A series ``val(x, c) = sum_j c_j B_j(x)`` is linear in `c`; its derivative in `x` is the series
of the derivative coefficients (``chebder(c)``), so every derivative is the family's own ``val``
and ``der``, which keeps NumPy's evaluation (a Clenshaw recurrence, no change of basis)::

    jvp: dx * _srcad.series_dx('chebyshev', x, c, 1) + _srcad.series_dx('chebyshev', x, dc, 0)
    vjp: bx = _srcad.unbroadcast(g * _srcad.series_dx('chebyshev', x, c, 1), x)
         bc = _srcad.series_cvjp('chebyshev', g, x, c, 0)

``series_dx(kind, x, c, k)`` is ``val(x, der(c, k))``; ``series_cvjp(kind, t, x, c, k)`` its
cotangent in `c`, ``sum(t * val(x, der(e_j, k)))`` for each unit vector e_j (`c` only gives the
length). Coefficients of more dimensions (the `tensor` forms) are refused at run time.
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.reductions import _like_input

# prim -> (the numpy.polynomial module, its val and der functions' names)
SERIES = {
    "numpy.polynomial.polynomial.polyval": ("polynomial", "polyval", "polyder"),
    "numpy.polynomial.chebyshev.chebval": ("chebyshev", "chebval", "chebder"),
    "numpy.polynomial.legendre.legval": ("legendre", "legval", "legder"),
    "numpy.polynomial.hermite.hermval": ("hermite", "hermval", "hermder"),
    "numpy.polynomial.hermite_e.hermeval": ("hermite_e", "hermeval", "hermeder"),
    "numpy.polynomial.laguerre.lagval": ("laguerre", "lagval", "lagder"),
}
_BY_KIND = {kind: (val, der) for kind, val, der in SERIES.values()}


def _family(kind):
    val, der = _BY_KIND[kind]
    module = getattr(np.polynomial, kind)
    return getattr(module, val), getattr(module, der)


def _coefs(c, kind):
    c = np.asarray(c, np.result_type(np.asarray(c), float))
    if c.ndim != 1 or np.iscomplexobj(c):
        raise _unsupported(
            f"np.polynomial.{kind}'s series evaluation has a derivative rule for 1-D real "
            "coefficients only"
        )
    return c


def _derived(der, c, k):
    return der(c, k) if k else c


@helper
def series_dx(kind, x, c, k):
    """The k-th derivative in x of the series `kind` with coefficients `c` (k = 0: its value)."""
    val, der = _family(kind)
    return val(x, _derived(der, _coefs(c, kind), k))


@helper
def series_cvjp(kind, t, x, c, k):
    """Cotangent of `c` for ``series_dx(kind, x, c, k)`` with cotangent `t` (linear in t)."""
    val, der = _family(kind)
    n = len(_coefs(c, kind))
    t = np.asarray(t, float)
    eye = np.eye(n)
    r = np.array([np.sum(t * val(x, _derived(der, eye[j], k))) for j in range(n)])
    return _like_input(r, c)


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    for prim, (kind, _, _) in SERIES.items():
        jvp.defjvp(
            prim, "x, c, tensor=True", nondiff=("tensor",),
            x=f"dx * _srcad.series_dx({kind!r}, x, c, 1)",
            c=f"_srcad.series_dx({kind!r}, x, dc, 0)",
        )  # fmt: skip
        vjp.defvjp(
            prim, "x, c, tensor=True", nondiff=("tensor",),
            x=f"_srcad.unbroadcast(g * _srcad.series_dx({kind!r}, x, c, 1), x)",
            c=f"_srcad.series_cvjp({kind!r}, g, x, c, 0)",
        )  # fmt: skip
    jvp.defjvp(
        rt(series_dx), "kind, x, c, k", nondiff=("kind", "k"),
        x="dx * _srcad.series_dx(kind, x, c, k + 1)", c="_srcad.series_dx(kind, x, dc, k)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series_dx), "kind, x, c, k", nondiff=("kind", "k"),
        x="_srcad.unbroadcast(g * _srcad.series_dx(kind, x, c, k + 1), x)",
        c="_srcad.series_cvjp(kind, g, x, c, k)",
    )  # fmt: skip
    # series_cvjp(t, ..)_j = sum_i t_i D^k B_j(x_i): linear in t; c gives only the length
    jvp.defjvp(
        rt(series_cvjp), "kind, t, x, c, k", nondiff=("kind", "k"),
        t="_srcad.series_cvjp(kind, dt, x, c, k)", c="_srcad.zeros_like(ans)",
        x="_srcad.series_cvjp(kind, t * dx, x, c, k + 1)",
    )  # fmt: skip
    vjp.defvjp(
        rt(series_cvjp), "kind, t, x, c, k", nondiff=("kind", "k"),
        t="_srcad.unbroadcast(_srcad.series_dx(kind, x, g, k) + 0.0 * t, t)",
        c="_srcad.zeros_like(c)",
        x="_srcad.unbroadcast(t * _srcad.series_dx(kind, x, g, k + 1), x)",
    )  # fmt: skip

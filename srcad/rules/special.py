"""Special functions the `math` rules' derivatives call: digamma (the derivative of ``lgamma``)
and the polygamma functions (its derivatives), as runtime helpers with their own rules.

Input: the `RuleTable` pair. Output: the tables filled with the helpers' rules: ``digamma' =
polygamma(1, .)``, ``polygamma(n, .)' = polygamma(n + 1, .)``, so the chain closes at every
order. Example (``math.lgamma``'s second derivative)::

    jvp of _srcad.digamma(x): dx * _srcad.polygamma(1, x)
"""

from __future__ import annotations

import math
import operator

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand
from srcad.rules.helpers import helper, rt
from srcad.rules.trees import _SCALARS


@helper
def digamma(x):
    """The digamma function (derivative of ``lgamma``), for Python floats or arrays."""
    scalar = type(x) is float or type(x) is int
    x = real_operand(x, "digamma")
    refl = x < 0.5
    # Reflection psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0.5, then recurrence up to z >= 6.
    z = np.where(refl, 1.0 - x, x)
    acc = np.zeros_like(z)
    for _ in range(6):
        small = z < 6.0
        acc = acc - np.where(small, 1.0 / np.where(small, z, 1.0), 0.0)
        z = np.where(small, z + 1.0, z)
    w = 1.0 / (z * z)
    series = (
        np.log(z)
        - 0.5 / z
        - w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))))
    )
    out = acc + series
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(refl, out - np.pi / np.tan(np.pi * x), out)
    return float(out) if scalar else out


# Bernoulli numbers B_2, B_4, ..., B_20 (the asymptotic series of the polygamma functions).
_BERNOULLI = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510,
              43867 / 798, -174611 / 330)  # fmt: skip


@helper
def polygamma(n, x):
    """The polygamma function psi^(n)(x) (n >= 1, an int: the n-th derivative of `digamma`;
    n = 0 is `digamma`), for Python floats (a float back) or arrays. By the recurrence
    ``psi^(n)(x) = psi^(n)(x + 1) + (-1)^(n+1) n! / x^(n+1)`` up to z >= 10 + n, then the
    asymptotic series ``(-1)^(n+1) [(n-1)!/z^n + n!/(2 z^(n+1)) + sum_k B_2k (2k+n-1)! /
    ((2k)! z^(2k+n))]`` (terms below 1e-16 of the first at z >= 10 + n): ~1e-15 relative;
    inf or nan at the poles 0, -1, -2, ... like SciPy's."""
    n = operator.index(n)
    if n < 0:
        raise ValueError(f"polygamma: the order n must be >= 0, got {n}")
    if n == 0:
        return digamma(x)
    scalar = type(x) in _SCALARS
    x = real_operand(x, "polygamma")
    top = 10.0 + n
    with np.errstate(divide="ignore", invalid="ignore"):
        steps = np.where(np.isfinite(x), np.ceil(np.maximum(top - x, 0.0)), 0.0)
        acc = np.zeros_like(x)
        for k in range(int(np.max(steps, initial=0.0))):
            acc = acc + np.where(k < steps, 1.0 / (x + k) ** (n + 1), 0.0)
        z = x + steps
        w = 1.0 / (z * z)
        series = 0.0
        for k in range(len(_BERNOULLI), 0, -1):  # Horner in w over the Bernoulli terms
            c = _BERNOULLI[k - 1] * math.factorial(2 * k + n - 1) / math.factorial(2 * k)
            series = (series + c) * w
        tail = math.factorial(n - 1) / z**n + math.factorial(n) / (2.0 * z ** (n + 1))
        out = (-1.0) ** (n + 1) * (math.factorial(n) * acc + tail + series / z**n)
        out = np.where(np.isposinf(x), 0.0, out)
    return float(out) if scalar else out


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of `digamma` and `polygamma`."""
    jvp.defjvp(rt(digamma), "x", x="dx * _srcad.polygamma(1, x)")
    vjp.defvjp(rt(digamma), "x", x="g * _srcad.polygamma(1, x)")
    jvp.defjvp(rt(polygamma), "n, x", nondiff=("n",), x="dx * _srcad.polygamma(n + 1, x)")
    vjp.defvjp(rt(polygamma), "n, x", nondiff=("n",), x="g * _srcad.polygamma(n + 1, x)")

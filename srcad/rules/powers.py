"""The second derivative of ``x ** y`` in ``x``, a runtime helper with its own rules (the
x-rule of `srcad.rules.elementwise.pow_dx` calls it).

Input: the `RuleTable` pair. Output: the tables filled with the rules of ``pow_d2``:

- ``pow_d2(x, y) = y * pow_dx(x, y - 1)`` (``y (y - 1) x ** (y - 2)``), 0 where ``y == 0``:
  ``x ** 0`` is constant, so its second derivative is 0 at ``x == 0`` too (not ``0 * inf``:
  polynomial features ``x ** np.arange(k)`` at 0);
- ``d/dx = y * pow_d2(x, y - 1)`` (0 where ``y == 0``), ``d/dy = pow_dx(x, y - 1) + y *
  pow_dx_dy(x, y - 1)`` (0 where the exponent's tangent is 0), so every order closes.

Example (``x ** 3``'s Hessian-vector product)::

    jvp of _srcad.pow_dx(x, 3): dx * _srcad.pow_d2(x, 3)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.elementwise import _zero_safe, pow_dx
from srcad.rules.helpers import helper, rt


@helper
def pow_d2(x, y):
    """``d^2(x ** y)/dx^2 = y * pow_dx(x, y - 1)``, 0 where ``y == 0`` (``x ** 0`` is constant:
    no ``0 * inf`` at ``x == 0``)."""
    if type(y) is int or type(y) is float:
        return 0.0 * x if y == 0 else y * pow_dx(x, y - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.equal(y, 0), 0.0, np.multiply(y, pow_dx(x, np.subtract(y, 1))))


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of ``pow_d2``."""
    d2y = "(_srcad.pow_dx(x, y - 1) + y * _srcad.pow_dx_dy(x, y - 1))"
    jvp.defjvp(
        rt(pow_d2), "x, y",
        x=_zero_safe("y", "dx * _srcad.pow_d2(x, y - 1)"), y=_zero_safe("dy", d2y),
    )  # fmt: skip
    vjp.defvjp(
        rt(pow_d2), "x, y",
        x=f"_srcad.unbroadcast({_zero_safe('y', 'g * _srcad.pow_d2(x, y - 1)')}, x)",
        y=f"_srcad.unbroadcast(g * {d2y}, y)",
    )  # fmt: skip

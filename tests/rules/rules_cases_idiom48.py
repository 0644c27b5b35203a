"""Cases of idiom48's rules (part of `tests/rules/rules_cases.py`, imported at its end):
``srcad.runtime.nditer_c_order``, the identity on an array whose ``np.nditer`` order is C order
(srcad/rules/iterorder.py)."""

from __future__ import annotations

from tests.rules.rules_cases import case, randn

case("srcad.runtime.nditer_c_order", "_srcad.nditer_c_order(x)", x=randn(3, 2))
case("srcad.runtime.nditer_c_order", "_srcad.nditer_c_order(x)", x=randn(4))
case("srcad.runtime.nditer_c_order", "_srcad.nditer_c_order(x)", x=randn())

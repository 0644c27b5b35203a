"""Rule cases of session 13's NumPy calls: ``np.nextafter``, ``np.add.reduceat`` (its helpers).
The `xp` rows of ``np.interp`` are with the others in `rules_cases_numpy`.

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

from tests.rules.rules_cases import case, randn

RT = "srcad.runtime."

# nextafter(x, y): x moved by one ulp towards y (slope 1 in x, locally constant in y)
case("numpy.nextafter", "np.nextafter(x, y)", ("x",), x=randn(4), y=randn(4))
case("numpy.nextafter", "np.nextafter(x, y)", ("x",), x=randn(), y=randn(3, 1))
case("numpy.nextafter", "np.nextafter(x, 5.0)", x=randn(2, 3))

# np.add.reduceat(a, indices, axis) lowers to add_reduceat; its transpose reduceat_vjp
case(RT + "add_reduceat", "_srcad.add_reduceat(a, [0, 2, 3], 0)", ("a",), a=randn(6))
case(RT + "add_reduceat", "_srcad.add_reduceat(a, [3, 1, 4, 4], 0)", ("a",), a=randn(6))
case(RT + "add_reduceat", "_srcad.add_reduceat(a, [0, 2, 1], 1)", ("a",), a=randn(3, 4))
case(RT + "add_reduceat", "_srcad.add_reduceat(a, np.array([1, 3]), -2)", ("a",), a=randn(5, 2))
case(RT + "reduceat_vjp", "_srcad.reduceat_vjp(t, a, [3, 1, 4, 4], 0)", ("t",), t=randn(4),
     a=randn(6))  # fmt: skip
case(RT + "reduceat_vjp", "_srcad.reduceat_vjp(t, a, [0, 2, 1], 1)", ("t",), t=randn(3, 3),
     a=randn(3, 4))  # fmt: skip

"""Rule cases of `srcad.rules.reduceat_unique`: ``np.maximum/minimum.reduceat`` and
``np.unique``'s values, through the helpers the lowering writes for them.

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

E = "srcad.runtime.ext_reduceat"
case(E, "_srcad.ext_reduceat(a, [0, 2, 5], 0, 'maximum')", a=randn(6))
case(E, "_srcad.ext_reduceat(a, [0, 3, 1], 1, 'minimum')", a=randn(3, 5))
case(E, "_srcad.ext_reduceat(a, [1, 2], -2, 'maximum')", a=randn(4, 2))
# a tie: the maximum 2 of the first segment is shared by a[1] and a[2] (as np.max shares)
case(E, "_srcad.ext_reduceat(a, [0, 3], 0, 'maximum')", _fd=False,
     _jac={"a": np.array([[0, 0.5, 0.5, 0], [0, 0, 0, 1]])},
     a=np.array([1.0, 2.0, 2.0, -1.0]))  # fmt: skip
A = "srcad.runtime.ext_reduceat_apply"
case(A, "_srcad.ext_reduceat_apply(t, a, [0, 2], 0, 'maximum', False)", ("t", "a"),
     t=randn(5), a=randn(5))  # fmt: skip
case(A, "_srcad.ext_reduceat_apply(t, a, [0, 2, 1], 1, 'minimum', True)", ("t", "a"),
     t=randn(2, 3), a=randn(2, 4))  # fmt: skip
U = "srcad.runtime.unique_values"
case(U, "_srcad.unique_values(ar, True)", ar=randn(5))
case(U, "_srcad.unique_values(ar, False)", ar=randn(2, 3))
case("srcad.runtime.unique_apply", "_srcad.unique_apply(t, ar, True, False)", ("t", "ar"),
     t=randn(4), ar=randn(4))  # fmt: skip
case("srcad.runtime.unique_apply", "_srcad.unique_apply(t, ar, True, True)", ("t", "ar"),
     t=randn(6), ar=randn(2, 3))  # fmt: skip
zero("srcad.runtime.unique_ints", "_srcad.unique_ints(x, True, True, True, True)", x=randn(5))

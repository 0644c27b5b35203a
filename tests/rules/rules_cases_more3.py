"""Rule cases of `srcad.rules.numpy_more3` (``np.modf``, ``np.linalg.matrix_rank`` and their
helpers).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

# -- modf: (fraction, whole part); away from the integers, where both jump ----------------------
case("numpy.modf", "np.modf(x)", x=np.array([0.3, -1.7, 2.45, -0.2]))
case("numpy.modf", "np.modf(x)", x=2.3)
case("numpy.modf", "np.modf(x)", x=np.array([[1.25, -3.6], [0.1, 4.9]]))
case("srcad.runtime.modf_jvp", "_srcad.modf_jvp(t, x)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.modf_vjp", "_srcad.modf_vjp((t, u), x)", ("t", "u"), t=randn(2, 2),
     u=randn(2, 2), x=randn(2, 2))  # fmt: skip
case("srcad.runtime.modf_vjp", "_srcad.modf_vjp((t, None), x)", ("t",), t=randn(), x=randn())
zero("numpy.linalg.matrix_rank", "np.linalg.matrix_rank(a)", a=randn(3, 3))
zero("numpy.linalg.matrix_rank", "np.linalg.matrix_rank(a)", a=np.outer(randn(3), randn(4)))

"""Rule cases of `srcad.rules.numpy_api2` (the helpers of NumPy 2's array-API functions that
`srcad.lower.api_np` writes as older primitives; the functions themselves have no rules of their
own: tests/rules/test_numpy_api2.py checks them end to end) and of `srcad.rules.pad_modes`.

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added with `rules_cases.case` / `zero`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

# vector_norm_layout returns a tuple of shapes (test_zero_rule compares arrays): checked by
# tests/rules/test_numpy_api2.py
zero("srcad.runtime.cumulative_axis", "_srcad.cumulative_axis(x, None)", x=randn(4))
zero("srcad.runtime.cumulative_axis", "_srcad.cumulative_axis(x, -1)", x=randn(2, 4))

# np.pad's statistic modes (srcad.rules.pad_modes): linear in the tangent / cotangent
case("srcad.runtime.pad_jvp", "_srcad.pad_jvp(t, x, 1, 'maximum')", ("t",), t=randn(2, 3),
     x=randn(2, 3))  # fmt: skip
case("srcad.runtime.pad_jvp", "_srcad.pad_jvp(t, x, (1, 2), 'median')", ("t",), t=randn(4),
     x=randn(4))  # fmt: skip
case("srcad.runtime.pad_jvp", "_srcad.pad_jvp(t, x, ((0, 1), (2, 0)), 'edge')", ("t",),
     t=randn(2, 3), x=randn(2, 3))  # fmt: skip
case("srcad.runtime.pad_stat_vjp", "_srcad.pad_stat_vjp(t, x, 1, 'minimum')", ("t",),
     t=randn(4, 5), x=randn(2, 3))  # fmt: skip
case("srcad.runtime.pad_stat_vjp", "_srcad.pad_stat_vjp(t, x, ((2, 1), (0, 1)), 'linear_ramp')",
     ("t",), t=randn(5, 4), x=randn(2, 3))  # fmt: skip
case("srcad.runtime.pad_stat_vjp", "_srcad.pad_stat_vjp(t, x, (1, 2), 'mean')", ("t",),
     t=randn(6), x=randn(3))  # fmt: skip

# np.gradient with a computed spacing (srcad.lower.gradient_np): the coordinates' factor (zero),
# the call over all axes (linear in f; its spacing's derivative a refusal when it runs)
_xs = np.array([0.0, 0.4, 1.1, 1.3, 2.0])
zero("srcad.runtime.gradient_scale", "_srcad.gradient_scale(a, x, 2)", a=randn(2, 5), x=randn(5))
zero("srcad.runtime.gradient_scale", "_srcad.gradient_scale(a, 0.5 + x, 1)", a=randn(3), x=randn())
zero("srcad.runtime.gradient_axes", "_srcad.gradient_axes(a, None, 2)", a=randn(2, 5))
zero("srcad.runtime.gradient_axes", "_srcad.gradient_axes(a, (-1,), 1)", a=randn(2, 5))
case("srcad.runtime.gradient_all", "_srcad.gradient_all(a, x, 1)", ("a",), a=randn(5), x=_xs)
case("srcad.runtime.gradient_all", "_srcad.gradient_all(a, 0.7, 2)", ("a",), a=randn(4))
case("srcad.runtime.gradient_all_t", "_srcad.gradient_all_t(t, a, x, 2, False)", ("t",),
     t=randn(5), a=randn(5), x=_xs)  # fmt: skip
case("srcad.runtime.gradient_all_t", "_srcad.gradient_all_t(t, a, x, 1, True)", ("t",),
     t=randn(5), a=randn(5), x=_xs)  # fmt: skip

"""The public API as JAX users call it: functions taking ``*args`` (session 10, api10).

1. A lambda taking ``*args`` that transformed code calls (``lam = lambda *a: ...; def f(x):
   return lam(x)``) crashed the transform (an internal error: the inliner of lower/varargs.py
   walked the lambda's expression body as a list of statements).
"""

from __future__ import annotations

import numpy as np
import srcad

X = np.array([1.0, 2.0, 3.0])
Y = np.array([0.5, -1.0, 2.0])

LAM = lambda *a: np.sum(a[0] * np.sin(a[-1]))  # noqa: E731 - the case: a lambda with *args


def _calls_lam(x):
    return LAM(x, x * 2.0)


def test_lambda_with_star_args_called_from_transformed_code():
    g = srcad.grad(_calls_lam)(X)
    np.testing.assert_allclose(g, np.sin(2 * X) + 2 * X * np.cos(2 * X))

"""Session 47, hunt47b: a wrong derivative found (fixed by sq47) (fuzz seed 4757, grammar users).

``h = np.hypot(x, 0.5); t = h * h; return t * t`` at x = 1.5: srcad's gradient is 14.25, the
true one 15 (``4 x (x**2 + 0.25)``); ``t = np.hypot(x, 0.5) ** 2`` is right. The generated
reverse sweep reads ``bh = 1.0 * (x0 * x0 * h)``: ad/squares.py's "terms" of ``h * h`` (``x**2 +
0.5**2``) stand for `t` in the other factor of ``t * t`` without the constant part ``0.25``.
Present on 0665875f (from c8eadda8's "fterms", whose smooth value dropped hypot's constant
parts). Fixed by sq47: a constant part is a "const" term, in the value, without a derivative.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def _hypot_square_product(x):
    h = np.hypot(x, 0.5)
    t = h * h
    return t * t


def test_product_of_a_hypot_square_with_itself():
    x = 1.5
    assert srcad.grad(_hypot_square_product)(x) == pytest.approx(4 * x * (x * x + 0.25))

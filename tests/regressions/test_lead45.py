"""Session 45's lead: what reviewing the merged helpers' code found.

- `lower/nextgens.py` rewrote ``b = next(g)`` inside a ``try`` body that the ``try`` lowering
  had copied (one statement object reached twice): the second splice found no parent and the
  transform failed with an internal error. Such a generator is left as it was (refused cleanly
  as a one-shot iterator, or taken by the older paths), never half rewritten.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def next_in_try(x):
    g = (v for v in x[:1])
    a = next(g)
    try:
        b = next(g)
    except StopIteration:
        b = 3.0
    return a * b


def test_next_inside_try_is_refused_cleanly_not_an_internal_error():
    x = np.array([0.5, 1.0, 2.0])
    assert next_in_try(x) == 1.5
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(next_in_try)(x)
    assert "internal error" not in str(e.value)
    with pytest.raises(srcad.SrcadError) as e:
        srcad.jvp(next_in_try, (x,), (np.ones(3),))
    assert "internal error" not in str(e.value)

"""Regressions found by porting other projects' programs (session 10, corp10: autograd's
examples, scikit-learn/PyTorch losses in NumPy, simulations). Each test failed before its fix (a
wrong value, or a refusal of a program srcad differentiates correctly); /tmp/s10/findings.md and
/tmp/s10/refusals_found.md name the program."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import srcad


def _windows_then_write(p):
    x = np.zeros(5)
    w = sliding_window_view(x, 2)  # a read-only view of x: it sees the write below
    x[1:3] = 1.0
    return np.sum(w) * p


def _trimmed_then_write(p):
    x = np.array([0.0, 1.0, 2.0, 0.0, 3.0, 0.0])
    w = np.trim_zeros(x)  # NumPy returns a slice of x
    x[1:3] = 5.0
    return np.sum(w) * p


@pytest.mark.parametrize("f", [_windows_then_write, _trimmed_then_write])
def test_view_returning_numpy_functions_are_views(f) -> None:
    # `sliding_window_view` and `trim_zeros` were taken for functions returning new arrays, so
    # the write into `x` was not seen through `w`: the primal and the derivative were the
    # values before the write (0.0 instead of 2.8). Now reading `w` after the write is refused
    # like reading any view of a changed array.
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.primal(f)(0.7)
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(f)(0.7)

"""Refusals idiom48 keeps, each at transform time with the call named:

- ``lfilter(..., zi=...)`` along another axis than the last, ``filtfilt`` with another padding
  or method (srcad/libsignal.py writes the last-axis, odd-padding forms only);
- ``rows = [[0.0] * 2] * 2``: the rows are one list, a write through ``rows[0]`` shows in
  ``rows[1]`` (Python's aliasing): refused, never a derivative of unshared rows.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X6 = np.array([0.31, 0.72, 1.13, 1.64, 0.47, 0.93])


def _refused(f, needle, *args):
    with pytest.raises(srcad.SrcadError, match=needle):
        srcad.grad(f)(*args)


def test_lfilter_state_other_axis_and_filtfilt_options_refused() -> None:
    signal = pytest.importorskip("scipy.signal")

    def axis0(x):
        y, _ = signal.lfilter([1.0], [1.0, -0.5], x.reshape(3, 2), axis=0, zi=np.zeros((1, 2)))
        return np.sum(y)

    def even(x):
        return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x, padtype="even"))

    def gust(x):
        return np.sum(signal.filtfilt([0.2, 0.3], [1.0, -0.5], x, method="gust"))

    _refused(axis0, r"scipy\.signal\.lfilter", X6)
    _refused(even, r"scipy\.signal\.filtfilt", X6)
    _refused(gust, r"scipy\.signal\.filtfilt", X6)


def test_shared_rows_stay_refused() -> None:
    def shared(x):
        rows = [[0.0] * 2] * 2
        rows[0][0] = x
        return rows[1][0] * 2.0 + rows[0][0] ** 2

    assert shared(0.7) == pytest.approx(1.4 + 0.49)  # (Python: rows[1] is rows[0])
    _refused(shared, "shares", 0.7)


def test_lfilter_state_shapes_and_leading_zero_raise_as_scipy_or_refuse() -> None:
    """A `zi` SciPy rejects is rejected (no broadcast SciPy would not make); ``lfilter_zi`` with
    ``a[0] == 0`` (SciPy drops the leading zeros) raises rather than dividing by zero."""
    signal = pytest.importorskip("scipy.signal")

    def state(x, zi):
        y, zf = signal.lfilter([0.5, 0.2], [1.0, -0.3], x, zi=zi)
        return np.sum(y) + np.sum(zf)

    def lead_zero(b):
        return np.sum(signal.lfilter_zi(b, [0.0, 1.0, -0.3]))

    for x, zi in ((np.ones((3, 4)), np.zeros(1)), (np.ones((1, 4)), np.zeros((3, 1)))):
        with pytest.raises(ValueError):
            state(x, zi)
        with pytest.raises(ValueError, match="Unexpected shape for zi"):
            srcad.grad(state)(x, zi)
    with pytest.raises(ValueError, match=r"a\[0\] == 0"):
        srcad.grad(lead_zero)(np.array([0.3, 0.2]))

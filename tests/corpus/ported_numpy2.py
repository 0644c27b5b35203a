"""Ported cases: autograd's NumPy tests (test_numpy, test_systematic).

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, P5, V3, V5


def ag_nan_to_num(x):
    return np.nan_to_num(x) * x


def ag_nansum(x):
    return np.nansum(x) + np.nanmean(x)


def ag_average(x):
    return np.average(x, weights=np.arange(1.0, 6.0)) * np.average(x)


def ag_select_max_by_argmax(x):
    return x[np.argmax(x)] - x[np.argmin(x)]


def ag_median(x):
    return np.median(x)


def ag_percentile(x):
    return np.percentile(x, 30.0)


def ag_diff(x):
    return np.diff(x) * np.diff(x, n=2).sum()


def ag_ediff_ptp(x):
    return np.ptp(x) + np.ediff1d(x).sum()


def ag_interp(x):
    return np.interp(x, np.array([-2.0, 0.0, 2.0]), np.array([1.0, 3.0, 2.0]))


def ag_polyval(c, x):
    return np.polyval(c, x)


def ag_cross(x, y):
    return np.cross(x, y)


def ag_vdot(A, B):
    return np.vdot(A, B)


def ag_pad(x):
    return np.pad(x, (1, 2)) * np.arange(8.0)


def ag_full_like(x):
    return np.full_like(x, 2.0) * x + np.ones_like(x) * x


def ag_astype(x):
    return x.astype(np.float64) * 2.0


def ag_take(x):
    return np.take(x, [0, 2, 2]) * 2.0


def ag_take_along(A):
    idx = np.argsort(A, axis=1)
    return np.take_along_axis(A, idx, axis=1)


def ag_choose_where_eq(x):
    return np.where(x == np.max(x), 1.0, x)


def ag_trapezoid(y):
    return np.sum(0.5 * (y[1:] + y[:-1]))


def ag_gradient(x):
    return np.gradient(x)


CASES: list[Case] = [
    Case(ag_nan_to_num, (V5,), (0,)),
    Case(ag_nansum, (V5,), (0,)),
    Case(ag_average, (V5,), (0,)),
    Case(ag_select_max_by_argmax, (V5,), (0,)),
    Case(ag_median, (V5,), (0,)),
    Case(ag_percentile, (V5,), (0,)),
    Case(ag_diff, (V5,), (0,)),
    Case(ag_ediff_ptp, (V5,), (0,)),
    Case(ag_interp, (V5,), (0,)),
    Case(ag_polyval, (V3, P5), (0, 1)),
    Case(ag_cross, (V3, P5[:3].copy()), (0, 1)),
    Case(ag_vdot, (M23, M23[::-1].copy()), (0, 1)),
    Case(ag_pad, (V5,), (0,)),
    Case(ag_full_like, (V5,), (0,)),
    Case(ag_astype, (V5,), (0,)),
    Case(ag_take, (V5,), (0,)),
    Case(ag_take_along, (M23,), (0,)),
    Case(ag_choose_where_eq, (V5,), (0,)),
    Case(ag_trapezoid, (V5,), (0,)),
    Case(ag_gradient, (V5,), (0,)),
]

"""Soundness hunt 14: wrong results and crashes found by probes written like users' code and by
the order-2 fuzz campaigns (seeds 20050000-20099999).

- WRONG derivative (nan): reverse mode through ``np.nan_to_num(u)`` where `u` is nan/inf and its
  local derivative too (``np.nan_to_num(np.sqrt(x))`` at x < 0, ``1 / (x - x[0])``): the
  cotangent 0 was multiplied by inf. nan_to_num now masks like ``np.where(np.isfinite(u), ..)``.
- WRONG derivative (nan): a value used under two different ``np.where`` conditions
  (``y = np.sqrt(x); np.where(x > 0, y, 0) + np.where(x > 0.1, y, 1)``) was masked by neither:
  masks are now a union over the uses (ad/masks.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X6 = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58])


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


def _nan_sqrt(x):
    return np.sum(np.nan_to_num(np.sqrt(x), nan=x[0] * 2) ** 2)


def _nan_log_div(x):
    a = np.sum(np.nan_to_num(np.log(x), nan=x[0] * 2, neginf=-3.0) ** 2)
    return a + np.sum(np.nan_to_num(1.0 / (x - x[0]), posinf=x[1], neginf=x[2]) * 0.01)


def _nan_and_where(x):
    y = np.sqrt(x)
    return np.sum(np.nan_to_num(y) * x) + np.sum(np.where(x > 0, y, 0.0))


def _two_wheres(x):
    y = np.sqrt(x)
    return np.sum(np.where(x > 0, y, 0.0)) + np.sum(np.where(x > 0.1, y, 1.0) ** 2)


def _where_of_nan_to_num(x):
    return np.sum(np.where(x > 0.1, np.nan_to_num(np.sqrt(x)), 0.0) * x)


def _many_wheres(x):
    # five conditions (more than masks._MAX_ALTS): masked by the one they all share
    y, c = np.sqrt(x), x > 0.01
    v = np.where(c, np.where(x > 0.0, y, 0.0), 0.0) + np.where(c, np.where(x > 1.0, y, 0.0), 0.0)
    w = np.where(c, np.where(x > 0.2, y, 0.0), 0.0) + np.where(c, np.where(x > 0.3, y, 0.0), 0.0)
    return np.sum(v + w + np.where(c, np.where(x > 0.4, y, 0.0), 0.0))


@pytest.mark.parametrize("fn", [_nan_sqrt, _nan_log_div, _nan_and_where, _two_wheres, _many_wheres])
def test_replaced_values_have_zero_cotangent(fn):
    v = np.linspace(-1.0, 1.0, 6)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(fn)(X6)
        want = _fd(fn, X6, v)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(g @ v, want, rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(srcad.jvp(fn, (X6,), (v,))[1], want, rtol=1e-6, atol=1e-9)
        hv = srcad.hessian(fn)(X6) @ v
        assert np.all(np.isfinite(hv))


def test_where_around_nan_to_num():
    x = np.array([0.0, 1.0, -1.0, 0.5])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = srcad.grad(_where_of_nan_to_num)(x)
    np.testing.assert_allclose(g, [0.0, 1.5, 0.0, 1.5 * np.sqrt(0.5)])


# -- np.gradient with a differentiated spacing (srcad.lower.gradient_np) -------------------------
Y = np.array([[0.3, 1.2, -0.4], [0.8, 0.1, 0.6], [-0.5, 0.9, 1.4], [0.2, -0.3, 0.7]])


def _coords(x):
    return np.sum(np.gradient(np.sin(x) * x, np.cumsum(np.exp(x)), edge_order=2) ** 2)


def _coords_e1(x):
    return np.sum(np.gradient(np.sin(x), np.cumsum(np.exp(x))) ** 2)


def _number(x):
    return np.sum(np.gradient(x**3, x[0] ** 2 + 0.5, edge_order=2) * x)


def _uniform(x):
    t = np.linspace(0.0, 1.0 + x[0] ** 2, 6)
    return np.sum(np.gradient(x**2, t) ** 2) + np.sum(np.gradient(x**2, t, edge_order=2) * x)


def _axis0(y):
    return np.sum(np.gradient(y**2, np.cumsum(np.exp(y[:, 0])), axis=0) * np.cos(y))


def _axis_last(y):
    return np.sum(np.gradient(y**2, np.cumsum(np.exp(y[0])), axis=-1, edge_order=2) ** 2)


@pytest.mark.parametrize(
    "fn, x", [(_coords, X6), (_coords_e1, X6), (_number, X6), (_uniform, X6),
              (_axis0, Y), (_axis_last, Y)],
)  # fmt: skip
def test_gradient_with_differentiated_spacing(fn, x):
    v = np.cos(np.arange(x.size)).reshape(x.shape)
    want = _fd(fn, x, v)
    np.testing.assert_allclose(srcad.primal(fn)(x), fn(x), rtol=1e-12)
    np.testing.assert_allclose(np.sum(srcad.grad(fn)(x) * v), want, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(srcad.jvp(fn, (x,), (v,))[1], want, rtol=1e-6, atol=1e-9)
    grad = srcad.grad(fn)
    hfd = (grad(x + 1e-5 * v) - grad(x - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(srcad.hvp(fn, (x,), (v,))[1], hfd, rtol=1e-5, atol=1e-7)


def test_gradient_over_all_axes_with_differentiated_spacing_refused():
    def fn(y):
        return np.sum(np.gradient(y**2, 0.5 + y[0, 0] ** 2)[1] ** 2)

    with pytest.raises(srcad.SrcadError, match="pass axis=k"):
        srcad.grad(fn)(Y)
    np.testing.assert_allclose(srcad.primal(fn)(Y), fn(Y))


# -- lowering followed a module global named like a nested def (lower/argwrites.py) --------------
def _rk(x):
    def step(s):
        return [s[1], -s[0]]

    y = [x[0], x[1]]
    k1 = step(y)
    k2 = step([a + 0.05 * b for a, b in zip(y, k1)])
    k3 = step([a + 0.05 * b for a, b in zip(y, k2)])
    k4 = step([a + 0.1 * b for a, b in zip(y, k3)])
    return sum(a + (p + 2 * q + 2 * r + s) / 60 for a, p, q, r, s in zip(y, k1, k2, k3, k4))


step = _rk  # a module global of the nested def's name: the function itself (`for f in fs:`)


def test_nested_def_shadowing_a_global_is_not_followed(monkeypatch):
    # the nested `step` was resolved in the module (the function itself), recursively: four
    # calls per level, eight levels deep (4**8 source parses: lowering seemed to hang)
    from srcad.lower import argwrites

    calls = []
    real = argwrites.updated_params

    def counted(*args, **kwargs):
        calls.append(1)
        assert len(calls) < 200, "updated_params asked too often"
        return real(*args, **kwargs)

    monkeypatch.setattr(argwrites, "updated_params", counted)
    x = np.array([0.3, 0.5])
    v = np.array([0.7, -0.2])
    g = srcad.grad(_rk)(x)
    np.testing.assert_allclose(g @ v, _fd(_rk, x, v), rtol=1e-7)

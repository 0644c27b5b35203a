"""Ported cases (session 46, idiom46): ordinary Python refused before: a dict argument of numbers
updated in a loop over its keys (an SGD step on a parameter dict), ``contextlib.nullcontext`` /
``contextlib.ExitStack`` around plain code, ``try``/``except`` around a module-level helper that
raises on data, a ``@contextmanager`` generator given the differentiated value, and a NaN-free
gradient through a log evaluated where only some positions are read, of a dict argument's item;
``np.fmax``/``np.fmin.accumulate`` and ``np.hypot.reduce``.

Float64 arrays, floats and dicts of floats -> floats. Each checked forward, reverse and at second
order."""

from __future__ import annotations

import contextlib

import numpy as np

from . import Case

X3 = np.array([0.3, -0.7, 1.2])


def sgd_on_params(x, params):
    for q in ("scale", "shift"):
        params[q] -= 0.1 * (params[q] - np.tanh(np.sum(x)))
    return np.sum(np.sin(params["scale"] * x + params["shift"]))


def scale_all_keys(x, params):
    for q in params:
        params[q] *= 1.0 + 0.5 * x[0] ** 2
    return params["a"] * x[1] + params["b"] * x[2]


def null_managers(x):
    with contextlib.nullcontext():
        y = np.sin(x)
    with contextlib.ExitStack(), contextlib.nullcontext(y * 2.0) as z:
        y = y + z * x
    return np.sum(y**2)


def _checked_log(v, t):
    if np.min(v) < t:
        raise ValueError("below threshold")
    return np.log(v - t + 1.0)


def try_module_helper(x):
    try:
        a = _checked_log(x, -0.5)
    except ValueError as e:
        a = x * (2.0 if "below" in str(e) else 1.0)
    return np.sum(np.sin(a))


@contextlib.contextmanager
def _gain(c):
    g = c * 1.152
    yield g


def gain_manager(x):
    with _gain(np.sin(x[1])) as g:
        y = g * x * 0.518
    return np.sum(y**2)


def running_extremes(x):
    up = np.fmax.accumulate(x)
    down = np.fmin.accumulate(x[::-1])
    return np.sum(up * np.arange(1.0, 1.0 + x.size)) + np.sum(down**2)


def hypot_norms(a):
    rows = np.hypot.reduce(a, axis=1)
    return np.sum(rows**2) + np.hypot.reduce(a, axis=None)


def masked_log_of_dict_item(x, params):
    a = params["scale"] * np.sin(x) + params["shift"]
    b = np.log(a + 0.392)
    return np.sum(np.sin((b * a + 1.0)[[1]]))


CASES = [
    Case(sgd_on_params, (X3, {"scale": 1.3, "shift": 0.2}), (0, 1), extra="hvp"),
    Case(scale_all_keys, (X3, {"a": 0.7, "b": -1.1}), (0, 1), extra="hvp"),
    Case(null_managers, (X3,), (0,), extra="hvp"),
    Case(try_module_helper, (X3,), (0,), extra="hvp"),
    Case(try_module_helper, (np.abs(X3),), (0,), name="try_module_helper_returns", extra="hvp"),
    Case(gain_manager, (X3,), (0,), extra="hvp"),
    Case(running_extremes, (np.array([0.3, -0.7, 1.2, 0.4]),), (0,), extra="hvp"),
    Case(hypot_norms, (np.array([[0.3, -0.2, 0.5], [1.0, 2.0, -3.0]]),), (0,), extra="hvp"),
    Case(
        masked_log_of_dict_item,
        (np.array([0.8, 0.8]), {"scale": np.array([-1.0, 1.0]), "shift": -0.2}),
        (0,),
        jitter=0.0,
    ),
]

"""Programs srcad used to refuse, session 31 (`refuse31`): user code written as people write it.

- an SGD step over a dict of parameter arrays, ``for k, v in params.items(): params[k] = v -
  lr * grads[k]`` (the snapshot of the items holds the arrays, not the dict:
  passes/alias_seqs.copied_items);
- a running value kept by a ``:=`` in a comprehension and read after it;
- a small conv layer trying every ``mode`` of ``scipy.signal.correlate2d`` in a loop;
- a masked spread, ``np.nanstd(x, where=mask)``;
- a layer cache held in a dict, written through the dict, read by the array's own name
  (passes/slot_writes.py);
- a piecewise loss with one bare condition, ``np.piecewise(r, np.abs(r) < d, [f, g])``;
- a most-recently-used cache, ``OrderedDict.move_to_end(k, last=False)``;
- minibatches drawn by ``rng.permutation`` / ``rng.shuffle`` of a generator seeded in the
  function (rules/permutations.py).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). What stays refused is in tests/soundness/test_refuse31.py."""

from __future__ import annotations

import collections

import numpy as np

from . import Case

_X = np.array([[0.5, -1.0, 0.3], [1.2, 0.4, -0.7], [-0.3, 0.8, 1.5], [0.9, -0.2, 0.1]])
_Y = np.array([0.7, -0.4, 1.1, 0.2])


def sgd_dict_params(w):
    params = {"w": w * 1.0, "b": np.array([0.1])}
    for _ in range(2):
        r = _X @ params["w"] + params["b"] - _Y
        grads = {"w": _X.T @ r / 4.0, "b": np.array([np.mean(r)])}
        for k, v in params.items():
            params[k] = v - 0.3 * grads[k]
    return float(np.sum((_X @ params["w"] + params["b"] - _Y) ** 2))


def walrus_running_max(w):
    scores = [(best := np.tanh(row @ w)) * 2.0 for row in _X]
    return best * sum(scores) + best**2


def conv_all_modes(w):
    from scipy import signal

    img = np.outer(_Y, w)
    k = np.array([[0.5, -0.25], [0.125, 1.0]])
    total = 0.0
    for mode in ("full", "same", "valid"):
        total = total + np.sum(np.tanh(signal.correlate2d(img, k, mode=mode)) ** 2)
    return total


def masked_spread(w):
    z = _X @ w
    mask = np.array([True, True, False, True])
    return np.nanstd(z, where=mask) + np.nanvar(np.sin(z), where=mask)


def cached_layer(w):
    h = np.tanh(_X @ w)
    cache = {"h": h, "n": 4}
    cache["h"][0] = h[1] * 0.5  # the cached array is `h`
    return np.sum(h**2) + np.sum(cache["h"])


def huber_piecewise(w):
    r = _X @ w - _Y
    d = 0.5
    loss = np.piecewise(
        r, np.abs(r) < d, [lambda t: 0.5 * t**2, lambda t: d * (np.abs(t) - 0.5 * d)]
    )
    return np.sum(loss)


def recent_first(w):
    seen = collections.OrderedDict()
    total = 0.0
    for i, key in enumerate(["a", "b", "a", "c", "b"]):
        if key in seen:
            seen.move_to_end(key, last=False)
        else:
            seen[key] = np.tanh(_X[i % 4] @ w)
        first = list(seen)[0]
        total = total + seen[first] * (i + 1.0)
    return total


def shuffled_minibatches(w):
    rng = np.random.default_rng(7)
    order = np.arange(4.0)
    rng.shuffle(order)
    x = w * 1.0
    for _ in range(2):
        rows = rng.permutation(_X)
        grad = rows[:2].T @ (rows[:2] @ x - order[:2]) / 2.0
        x = x - 0.2 * grad
    return float(np.sum(x**2) + np.sum(rng.permutation(x) * np.arange(3.0)))


_W = np.array([0.4, -0.6, 0.9])

CASES = [
    Case(f, (_W.copy(),), (0,), extra="hvp")
    for f in (
        sgd_dict_params,
        walrus_running_max,
        conv_all_modes,
        masked_spread,
        cached_layer,
        huber_piecewise,
        recent_first,
        shuffled_minibatches,
    )
]

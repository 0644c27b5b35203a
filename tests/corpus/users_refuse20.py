"""Programs srcad used to refuse, session 20 (`refuse20`): standard-library idioms users write.

- ``y = copy.copy(x)`` then a write into `y` ('`x` is read after the object it shares with
  another name is modified'): ``copy.copy`` is `_srcad.entry_copy` (lower/stdlib.py), what
  Python's does to the values srcad lowers: an array copied in its layout, a list or dict
  shallowly (its items still shared, as the mutation check knows), a number or tuple itself.
- set displays and comprehensions bound to a name ('set literals are not supported'): a
  run-time ``set([...])``, as a ``set(...)`` call was; ``seen.add(k)`` / ``.discard(k)`` /
  ``.update(ks)`` of a local set read only by membership tests and ``len`` ('the in-place
  method `.add()` is not supported'): the name rebound to ``seen | {k}`` (lower/sets.py).
- ``heapq.nlargest(k, xs)`` / ``nsmallest`` of a list of floats ('`it` is an iterator read
  again elsewhere', inside heapq's source): ``sorted(xs, reverse=True)[:k]``, Python's
  documented equivalent (lower/stdlib.py).
- ``with contextlib.suppress(E, ...): body`` ('`with` statements are not supported'): ``try:
  body except (E, ...): pass``, given to the ``try`` lowering (lower/withs.py).
- ``collections.deque`` as a queue or ring buffer (``append``, ``popleft``, ``maxlen``; a
  breadth-first search's ``while q: n = q.popleft()``) ('`.append()` of a `deque` object is
  not supported'): a list, trimmed to `maxlen` after each append (lower/deques.py).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse20.py."""

from __future__ import annotations

import contextlib
import copy
import heapq
from collections import deque

import numpy as np

from . import Case

V6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def copied_array_written(x):
    y = copy.copy(x)
    y[0] = 2.0
    y[2:4] *= x[1]
    return np.sum(y * x) + np.sum(x**2)


def copied_matrix_row_zeroed(x):
    a = np.outer(x, x[::-1])
    b = copy.copy(a)
    b[1] = 0.0
    b += np.eye(len(x)) * x
    return np.sum(a * b)


def copied_list_item_replaced(x):
    ws = [x[0], x[1] * 2.0, np.sin(x[2])]
    vs = copy.copy(ws)
    vs[0] = x[3] ** 2
    vs.append(x[4])
    return ws[0] * vs[0] + sum(vs) * ws[2]


def copied_dict_entry_replaced(x):
    params = {"a": x[0], "b": x[1]}
    trial = copy.copy(params)
    trial["a"] = params["a"] + 0.1 * x[2]
    return params["a"] * trial["a"] + trial["b"] ** 2


def copied_scalar_incremented(x):
    s = np.sum(x**2)
    t = copy.copy(s)
    t += x[0]
    return s * t


def seen_indices(x):
    seen = set()
    total = 0.0
    for i in [0, 2, 0, 3, 2, 5]:
        if i not in seen:
            seen.add(i)
            total = total + np.sin(x[i]) * len(seen)
    return total


def visited_names(x):
    visited = {"a"}
    out = x[0]
    for name, j in [("a", 0), ("b", 1), ("c", 2), ("b", 3), ("d", 4)]:
        if name in visited:
            out = out * x[j]
        else:
            visited.add(name)
            out = out + x[j] ** 2
    visited.discard("a")
    return out * len(visited)


def active_set_by_sign(x):
    pos = set()
    for i in range(len(x)):
        if x[i] > 0:
            pos.add(i)
    pos.update([0])
    return sum(x[i] ** 2 * len(pos) for i in range(len(x)) if i in pos)


def set_comprehension_mask(x):
    keep = {i for i in range(6) if i % 3 != 1}
    evens = {0, 2, 4}
    total = 0.0
    for i in range(6):
        if i in keep:
            total = total + np.exp(0.3 * x[i])
        if i in evens and i not in keep:
            total = total + x[i] * x[0]
    return total * len(keep)


def top_k_losses(x):
    losses = [np.sin(x[i]) ** 2 + 0.1 * x[i] for i in range(len(x))]
    top = heapq.nlargest(3, losses)
    return top[0] + 0.5 * top[1] + 0.25 * top[2]


def nearest_by_magnitude(x):
    vals = [x[0] * 3.0, x[1], x[2] - 0.2, x[3], np.tanh(x[4])]
    near = heapq.nsmallest(2, vals, key=abs)
    return near[0] * near[1] + sum(heapq.nlargest(2, x * x))


def solve_or_keep(x):
    y = x[0] ** 2
    with contextlib.suppress(np.linalg.LinAlgError):
        A = np.outer(x, x) + np.eye(len(x))
        y = y + np.sum(np.linalg.solve(A, x))
    return y


def lookup_optional_weight(x):
    weights = {"a": 1.5}
    w = 0.0
    with contextlib.suppress(KeyError):
        w = w + weights["a"] * x[1]
    with contextlib.suppress(KeyError, IndexError):
        w = w + weights["b"] * x[2]
    return w * np.sum(np.sin(x))


def moving_average_loss(x):
    window = deque(maxlen=3)
    loss = 0.0
    for i in range(len(x)):
        window.append(x[i] ** 2)
        loss = loss + (x[i] - np.mean(window)) ** 2
    return loss + window[0] * len(window)


def breadth_first_energy(x):
    adj = {0: [1, 2], 1: [3, 4], 2: [4, 5], 3: [], 4: [5], 5: []}
    q = deque([0])
    seen = {0}
    energy = 0.0
    depth = x[0] * 0.0 + 1.0
    while q:
        n = q.popleft()
        energy = energy + depth * np.tanh(x[n])
        depth = depth * 0.9 + 0.01 * x[n]
        for m in adj[n]:
            if m not in seen:
                seen.add(m)
                q.append(m)
    return energy


def history_of_states(x):
    hist = deque([x * 0.0], maxlen=2)
    h = x
    for _ in range(3):
        h = np.tanh(h * 1.3 + 0.1)
        hist.appendleft(h)
    return np.sum(np.stack(hist) ** 2) + np.sum(hist[-1])


CASES = [
    Case(f, (V6.copy(),), (0,), extra="hvp")
    for f in (
        copied_array_written,
        copied_matrix_row_zeroed,
        copied_list_item_replaced,
        copied_dict_entry_replaced,
        copied_scalar_incremented,
        seen_indices,
        visited_names,
        active_set_by_sign,
        set_comprehension_mask,
        top_k_losses,
        nearest_by_magnitude,
        solve_or_keep,
        lookup_optional_weight,
        moving_average_loss,
        breadth_first_energy,
        history_of_states,
    )
]

"""Programs srcad used to refuse, session 35 (`refuse35`): idioms people write.

- ``sum(objs)`` / ``sum(objs, start)`` of a run-time list of objects of a class with its own
  ``__add__``/``__radd__`` (ad/objsumloop.py: the loop of the class's ``+``);
- ``steps = itertools.pairwise(path)`` / ``islice`` / ``chain`` bound to a name and consumed
  later (lower/itervalues.py: the generator over the call); a generator made in a loop body
  over ``np.concatenate(...)`` (lower/closures.check_later: a module's function updates nothing);
- ``max(*scores)`` / ``min(*x)`` of an array or list of run-time length (lower/starextremes.py);
- ``np.tanh(h, out=(h,))`` and ``out=np.empty_like(x)`` (lower/inplace_np._with_out);
- an activation ``def`` chosen per layer by an ``if`` in a loop (lower/objsplit.py), and
  ``__rmul__ = __mul__`` in a class defined in the function (lower/localclass.py);
- ``it = iter(x); first = next(it); sum(... for v in it)`` (lower/iterstate.py);
- a set comprehension tested in a lambda and grown by ``s |= {...}`` (lower/sets.py).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse35.py."""

from __future__ import annotations

import itertools

import numpy as np

from . import Case

X4 = np.array([0.4, -0.7, 1.3, 0.25])


class _Dual:
    """A value with a running scale, as a small autodiff-like class: ``+`` is not field-wise."""

    def __init__(self, v, s=1.0):
        self.v = v
        self.s = s

    def __add__(self, o):
        return _Dual(self.v + o.v * self.s, self.s * o.s)

    def __radd__(self, o):
        return _Dual(o + self.v, self.s)


def sum_of_objects(x):
    ds = [_Dual(np.sin(v), 1.0 + 0.1 * v) for v in x]
    total = sum(ds)
    return total.v * total.s


def sum_of_objects_start(x):
    total = sum((_Dual(v * v, np.cos(v)) for v in x), _Dual(x[0], 2.0))
    return total.v + total.s**2


def path_length(x):
    pts = np.stack([x, np.cos(x)], axis=1)
    steps = itertools.pairwise(pts)
    return sum(np.sqrt(np.sum((b - a) ** 2) + 1e-3) for a, b in steps)


def every_other_cubed(x):
    odd = itertools.islice(x, 1, None, 2)
    even = itertools.islice(x, 0, None, 2)
    return sum(v**3 for v in list(odd)) - sum(np.sin(v) for v in even)


def chained_layers(x):
    total = 0.0
    for k in range(3):
        feats = itertools.chain(x[:2], np.tanh(x[2:] * (k + 1.0)))
        total = total + sum(f * f for f in feats)
    return total


def window_in_a_loop(x):
    total = 0.0
    for k in range(1, 3):
        g = (v for v in np.concatenate([x[:k], x[k:] ** 2]))
        total = total + sum(np.exp(-v) for v in g)
    return total


def clipped_range(x):
    scores = [np.sin(v) * 2.0 for v in x]
    return (max(*scores) - min(*x)) ** 2


def activations_in_place(x):
    h = np.outer(x, x[::-1]) * 0.5
    np.tanh(h, out=(h,))
    g = np.exp(-x, out=np.empty_like(x))
    return float(np.sum(h @ g))


def layer_activations(x):
    h = x * 1.0
    for k in range(3):
        if k < 2:

            def act(v):
                return np.tanh(v + 0.1 * k)  # noqa: B023 (called in this round)

        else:

            def act(v):
                return v / (1.0 + np.abs(v))

        h = act(h[::-1] * 0.9 + h)
    return float(np.sum(h**2))


def scaled_local_class(x):
    class Scaled:
        def __init__(self, v):
            self.v = v

        def __mul__(self, k):
            return Scaled(self.v * k)

        __rmul__ = __mul__

    s = 0.5 * (Scaled(np.sin(x)) * 3.0)
    return float(np.sum(s.v**2))


def relative_to_first(x):
    it = iter(x)
    first = next(it)
    return sum((v - first) ** 2 for v in it)


def masked_by_set(x):
    active = {i for i in range(len(x)) if x[i] > 0}
    active |= {0}
    w = lambda i: np.tanh(x[i]) if i in active else 0.1 * x[i]  # noqa: E731
    return sum(w(i) ** 2 for i in range(len(x))) + len(active)


CASES = [
    Case(sum_of_objects, (X4,), (0,), extra="hvp"),
    Case(sum_of_objects_start, (X4,), (0,), extra="hvp"),
    Case(path_length, (X4,), (0,), extra="hvp"),
    Case(every_other_cubed, (X4,), (0,), extra="hvp"),
    Case(chained_layers, (X4,), (0,), extra="hvp"),
    Case(window_in_a_loop, (X4,), (0,), extra="hvp"),
    Case(clipped_range, (X4,), (0,), extra="hvp"),
    Case(activations_in_place, (X4,), (0,), extra="hvp"),
    Case(layer_activations, (X4,), (0,), extra="hvp"),
    Case(scaled_local_class, (X4,), (0,), extra="hvp"),
    Case(relative_to_first, (X4,), (0,), extra="hvp"),
    Case(masked_by_set, (X4,), (0,), extra="hvp"),
]

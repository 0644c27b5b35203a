"""Ordinary programs the wild44 fuzz grammar (tests/fuzz/gen_wild_44*.py) found refused, now
lifted, each checked numerically at first and second order:

a. n-body lists shared and written in place (lower/listobjs.py) in a function that also builds
   a lambda reading none of its locals (``Lam(lambda t: t * 0.5 + np.sin(t))``, a layer of a
   module): the rewrite gave up on any lambda ("a closure reads its names later"), then
   "`kick` modifies its argument `b1` in place". A lambda whose free names the function binds
   nowhere reads no list identity and no variable the rewrite drops.
b. lists held once but written through a loop target or a helper's parameter at depth two
   (``for b in bodies: b[0][0] += dt * b[1][0]``): the rewrite applied only when the written
   list itself was held twice, not when a list holding it was; "`drift` modifies its argument
   `bodies` in place" / "`bd` is read after the object it shares ... is modified".
d. (below c) a method read into a local and only called (``step = self._step; step(y)``,
   session 43's ad/boundcalls.py) in forward mode (jvp, and so check_grads' "fwd" and Hessians):
   the attribute read asked for a tangent of the bound method, "no derivative rule for `._step`
   of a Solver"; the calls take the receiver itself, so none is needed (ad/structural.py).
c. a loop over a list display of constants (``for q in ['w', 'b']: pp[q] = ...``) in a function
   the rewrite applies to: the display's item variables were assigned in statements dropped
   (the loop's body reset them), "name `srcad_lo13_14` is not defined".
e. pairs built by a comprehension of two generators (``[(bd[i], bd[j]) for i in range(k) for j
   in range(i + 1, k)]``, ``[(a, b) for a in bd for b in bd[1:]]``): the rewrite took one
   generator only, "`drift` modifies its argument `bodies` in place".
f. beside the shared lists, another list display rebound in a run-time loop (``ps = [P(a),
   P(b)]; while k < 2: ps = [p.moved(dt) for p in ps]``): reading the rebound name gave up the
   whole rewrite; it now makes that display a run-time list (the lowering as before for it) and
   tries again, "an element of `bd1` (read here) is read after the object it shares ...".
g. ``model(x, **params)`` of the ``params`` argument (a dict whose keys are known only when the
   code runs; wild43's 13% top refusal): "`**kwargs` in a call is supported only for a dict
   built here". The callee's free keyword parameters are read from the dict
   (lower/kwdicts.py: ``params.get("scale", 1.0)``), and a key that is none of them raises
   TypeError as Python does.
h. ``for k, d in enumerate((dx, dy)): v1[k] -= d * m2 * mag`` (a helper's loop writing the
   caller's lists by the index) ran as a loop over a run-time list of the items' variables,
   which the alias check refused whenever an item might be an array ("`srcad_lt18` is read
   after the object it shares with another name is updated with `op=`", 5-8% of wild44);
   it is unrolled now, the display's items evaluated once before it (listloops.py).
i. a ``while True: ... break`` loop beside the shared lists gave up the rewrite (a constant
   test was taken for a name's constant), "`drift` modifies its argument `bodies` in place".
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.4, 0.5, 0.8])


class _Module:
    def __call__(self, *args):
        return self.forward(*args)


class _Lam(_Module):
    def __init__(self, fn):
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


def _kick(b1, b2, dt):
    (p1, v1, m1), (p2, v2, m2) = b1, b2
    dx = p1[0] - p2[0]
    mag = dt / (dx * dx + 0.1) ** 1.5
    v1[0] -= dx * m2 * mag
    v2[0] += dx * m1 * mag


def _drift(bodies, dt):
    for b in bodies:
        b[0][0] += dt * b[1][0]


def lambda_beside_shared_lists(x):
    bd = [[[x[0]], [0.1], 1.0], [[x[1]], [0.2 * x[3]], 2.0]]
    pairs = [(bd[0], bd[1])]
    for _ in range(2):
        for b1, b2 in pairs:
            _kick(b1, b2, 0.05)
        _drift(bd, 0.05)
    net = _Lam(lambda t: t * 0.5 + np.sin(t))
    return bd[0][1][0] * bd[1][0][0] + np.sum(net(x[2:]))


def lambda_default_and_nested(x):
    bd = [[x[0], x[1]], [x[2], 0.5]]
    pairs = [(bd[0], bd[1])]
    for a, b in pairs:
        a[0] += 0.1 * b[1]
    then = lambda f, g: lambda v: g(f(v))  # noqa: E731
    h = then(np.tanh, lambda v, c=0.3: v * c)
    return bd[0][0] * bd[1][1] + np.sum(h(x))


def nested_write_through_loop_target(x):
    bd = [[[x[0], x[1]], [x[2], 0.3]], [[x[3], 0.5], [0.1, x[0]]]]
    for b in bd:
        b[0][0] += 0.1 * b[1][0]
        b[0][1] -= 0.2 * b[1][1] * b[0][0]
    return bd[0][0][0] * bd[1][0][1] + bd[1][0][0] ** 2


def nested_write_in_helper(x):
    bd = [[[x[0]], [x[1]]], [[x[2]], [0.5 * x[3]]]]
    for _ in range(3):
        _drift(bd, 0.1)
    return bd[0][0][0] * bd[1][0][0]


def loop_over_constant_keys(x):
    bd = [[x[0], x[1]], [x[2], 0.5]]
    for a, b in [(bd[0], bd[1])]:
        a[0] += 0.1 * b[1] * b[0]
    pp = {"w": np.tanh(x), "b": np.exp(-x)}
    for _ in range(2):
        for q in ["w", "b"]:
            pp[q] = np.sin(pp[q]) * 0.1 + pp[q]
    if [x[1], 0.25][0] < 0.0:
        pp["b"] = pp["b"] * 2.0
    return np.sum(pp["w"] * pp["b"]) + bd[0][0] * bd[1][0]


def membership_in_a_display(x):
    bd = [[x[0], x[1]], [x[2], 0.5]]
    for a, b in [(bd[0], bd[1])]:
        a[0] += 0.1 * b[1] * b[0]
    s = bd[0][0] * bd[1][0]
    if x[1] in [0.25, 7.0] or len([x[0], x[1]]) > 1:
        s = s * 2.0
    return s


class _Solver:
    def __init__(self, h):
        self.h = h

    def _step(self, y):
        return y + self.h * np.sin(y)

    def solve(self, y):
        step = self._step
        for _ in range(2):
            y = step(y)
        return y


class _Acc:
    def __init__(self, t):
        self.t = t

    def add(self, v):
        self.t = self.t + v * self.t
        return self.t


class _Lin:
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        return np.tanh(self.w * x)


def held_step_in_a_method(x):
    return np.sum(_Solver(x[0]).solve(x))


def held_method_updating_its_object(x):
    a = _Acc(x[0])
    ad = a.add
    ad(x[1])
    r = ad(x[2])
    return a.t * x[0] + r


def held_method_after_a_field_write(x):
    m = _Lin(x[0])
    fw = m.forward
    m.w = x[1] * 2.0
    out = x
    for _ in range(2):
        out = fw(out)
    return np.sum(out)


def _energy(bodies, pairs):
    e = 0.0
    for (p1, _v1, m1), (p2, _v2, m2) in pairs:
        dx = p1[0] - p2[0]
        e -= m1 * m2 / (dx * dx + 0.1) ** 0.5
    return e


def pairs_of_two_generators(x):
    bd = [([x[1], 0.4], [0.1 * x[2]], 1.3), ([1.1 + 0.2 * x[0], -0.3], [0.1], 1.0),
          ([2.0, x[3]], [x[0]], 0.5)]  # fmt: skip
    pr = [(bd[i], bd[j]) for i in range(3) for j in range(i + 1, 3)]
    for _ in range(3):
        _drift(bd, 0.035)
    return _energy(bd, pr)


def pairs_over_identities(x):
    bd = [[x[0], 1.0], [x[1], 0.5], [x[2], 2.0]]
    pr = [(a, b) for a in bd for b in bd[1:]]
    for a, b in pr:
        a[0] += 0.1 * b[0] * b[1]
    return sum(p[0] * p[1] for p in bd) + sum(a[0] * b[0] for a, b in pr)


@dataclass
class _P:
    x: float
    v: float

    def moved(self, dt):
        return _P(self.x + dt * self.v, self.v)


def list_rebuilt_in_a_while_loop(x):
    bd = [[[x[0], 0.25], [0.1 * x[2], -0.16], 1.0], [[1.1 + 0.2 * x[1], -0.4], [x[0], -0.3], 1.0]]
    pr = [(bd[0], bd[1])]
    for b1, b2 in pr:
        _kick(b1, b2, 0.04)
    ps = [_P(x[1], x[1]), _P(x[0], x[2])]
    k = 0
    while k < 2:
        ps = [p.moved(0.05) for p in ps]
        k += 1
    return bd[0][1][0] * bd[1][0][1] + ps[0].x * ps[-1].v


def _model(x, scale=1.0, shift=0.0):
    return x * scale + shift


def _model_kw(x, *, w, b=0.5):
    return np.tanh(x * w) + b


def spread_argument(x, params):
    return np.sum(_model(x, **params) * _model_kw(x, w=0.7, **{"b": params["shift"]}))


def spread_after_updates(x, params):
    for q in params:
        params[q] = params[q] * 0.9 + 0.1
    return np.sum(_model(np.sin(x), **params) * _model(x, **params))


def spread_required_keyword(x, params):
    return np.sum(_model_kw(x, **params))


def spread_beside_a_keyword(x, params):
    return np.sum(_model(x, shift=0.3, **params))


@pytest.mark.parametrize(
    ("f", "d"),
    [
        (spread_argument, {"scale": np.array([1.5, 2.0, 0.1, 0.4]), "shift": 0.2}),
        (spread_argument, {"shift": 0.2}),
        (spread_after_updates, {"scale": 1.5, "shift": 0.2}),
        (spread_required_keyword, {"w": 0.7}),
        (spread_required_keyword, {"w": 0.7, "b": 0.1}),
        (spread_beside_a_keyword, {"scale": 2.0}),
    ],
)
def test_spread_dict_argument(f, d):
    check_grads(f, (X, copy.deepcopy(d)), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize(
    ("f", "d"),
    [(spread_argument, {"scale": 1.5, "shift": 0.2, "bad": 1.0}),
     (spread_beside_a_keyword, {"shift": 2.0})],
)  # fmt: skip
def test_spread_unexpected_key_raises(f, d):
    with pytest.raises(TypeError):
        f(X, d)
    with pytest.raises(TypeError, match="unexpected keyword|multiple values"):
        srcad.grad(f)(X, d)  # (Python's own message: rules/kwchecks.py)


def _kick_enum(b1, b2, dt):
    (p1, v1, m1), (p2, v2, m2) = b1, b2
    dx = p1[0] - p2[0]
    for k, d in enumerate((dx, dx * 0.5)):
        v1[k] -= d * m2 * dt
        v2[k] += d * m1 * dt


def enumerate_display_writes(x):
    pp = {"w": np.exp(-x * x), "b": np.cos(x)}
    a2 = pp["w"] * x + pp["b"]
    bd = [[[x[0]], [0.1 * a2[1], -0.1], 1.0], [[x[2]], [0.2, 0.3 * x[3]], 2.0]]
    for _ in range(2):
        _kick_enum(bd[0], bd[1], 0.1)
    return bd[0][1][0] * bd[1][1][1] + bd[0][1][1]


def while_true_beside_shared_lists(x):
    bd = [[[x[0]], [x[1]]], [[x[2]], [0.5 * x[3]]]]
    _drift(bd, 0.1)
    s, j = 0.0, 0
    while True:
        j += 1
        s = s + x[0] * bd[0][0][0]
        if j >= 2 or s > 1.448:
            break
    return bd[0][0][0] * bd[1][0][0] + s


def test_lambda_reading_a_local_stays_right():
    """A lambda reading a local the function binds: not rewritten (refused before); right."""

    def f(x):
        a = [x[0], 1.0]
        g = lambda t: t * a[0]  # noqa: E731
        b = [a, a]
        b[0][0] += x[1]
        return g(x[2]) + a[0]

    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize(
    "f",
    [
        lambda_beside_shared_lists,
        lambda_default_and_nested,
        nested_write_through_loop_target,
        nested_write_in_helper,
        loop_over_constant_keys,
        membership_in_a_display,
        held_step_in_a_method,
        held_method_updating_its_object,
        held_method_after_a_field_write,
        pairs_of_two_generators,
        pairs_over_identities,
        list_rebuilt_in_a_while_loop,
        enumerate_display_writes,
        while_true_beside_shared_lists,
    ],
)
def test_lifted(f):
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)

"""What refuse30a accepts, checked numerically (value and gradient against Python and central
differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian; and
`srcad.testing.check_grads` forward and reverse), and the neighbours that must stay refused
(tests/corpus/users_refuse30a.py holds the corpus cases):

1. micrograd's real ``Value`` (``self._backward = lambda: None``, ``self._prev =
   set(_children)`` in ``__init__``, a ``_backward`` closure stored by each operator) used
   forward: such fields are markers read nowhere (lower/unfollowed.py); reading one, calling
   ``backward()`` or using such an object as a run-time value is refused, saying why;
2. ``isinstance(2.0 ** -1, Value)`` decided while lowering (lower/numvars.py), not for a
   parameter (which may be a `Value`);
3. ``self.w = [Value(w) for w in weights]`` over a list passed in, a module-level list (its
   length recorded: appending to it makes a new transform) or a row of one (lower/knownlen.py);
   ``**kwargs`` of an ``__init__`` passed on; ``self.w + [self.b]``; ``sum([...], start)``;
4. ``self.hist = []; self.hist.append(x0)`` in ``__init__`` (lower/initappends.py);
5. a method that only counts (``self.n += 1``) under jacfwd/hessian stays refused: the
   generated code runs once per column and would advance the count that many times;
6. a local ``OrderedDict`` as an LRU cache: ``move_to_end``, ``popitem(last=False)``
   (lower/ordereddicts.py); compared with ``==`` (order matters) it stays refused;
7. Adam's state in a dict of dicts updated in a method through ``c = self.cache[name]``
   (lower/fieldentries.py); an entry rebound after the name was taken stays right or refused.
"""

from __future__ import annotations

import collections
import re
from collections import OrderedDict

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.ported_corp29_mg import Layer, Neuron, Value
from tests.soundness.numeric import check_scalar

X = np.array([0.6, -1.1, 0.4])


# -- 1. micrograd's Value, forward (lower/unfollowed.py) ------------------------------------------
def value_expression(x):
    a, b = Value(x[0]), Value(x[1])
    c = a * b + b**3 - a / 2.0
    d = (c.tanh() + (b - a).relu()) * (1 + -a)
    return (d * d + 10.0 / (c * c + 1.0)).data


def neuron_of_inputs(x):
    n = Neuron([x[0], x[1]], x[2])
    h = n([Value(0.5), Value(-1.5)])
    return (h * h + sum([p * p for p in n.parameters()], Value(0.0))).data


def layers_of_module_weights(x):
    hidden = Layer(W1, B1)
    top = Layer(W2, B2, nonlin=False)
    return top(hidden([Value(x[0]), Value(x[1] * x[2])])).data


W1 = [[0.5, -0.3], [0.8, 0.2]]
B1 = [0.1, -0.2]
W2 = [[0.7, -0.4]]
B2 = [0.2]


@pytest.mark.parametrize("f", [value_expression, neuron_of_inputs, layers_of_module_weights])
def test_micrograd_value_forward(f):
    check_scalar(f, X)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))


def test_module_level_weights_appended_to_make_a_new_transform():
    g0 = srcad.grad(layers_of_module_weights)(X.copy())
    W1.append([0.3, 0.3])
    B1.append(0.5)
    try:
        W2[0].append(-1.0)  # (a third hidden neuron, a third weight of the top one)
        val, g = srcad.value_and_grad(layers_of_module_weights)(X.copy())
        assert val == layers_of_module_weights(X.copy())
        check_grads(layers_of_module_weights, (X.copy(),), modes=("fwd", "rev"))
        assert not np.allclose(g, g0)
    finally:
        W1.pop(), B1.pop(), W2[0].pop()


def backward_called(x):
    a, b = Value(x[0]), Value(x[1])
    out = a * b + b
    out.backward()
    return a.grad


def closure_called(x):
    a, b = Value(x[0]), Value(x[1])
    out = a * b
    out._backward()
    return a.grad


def children_read(x):
    a, b = Value(x[0]), Value(x[1])
    return len((a + b)._prev) * a.data


def value_returned(x):
    a, b = Value(x[0]), Value(x[1])
    return (a * b).data, a * b


@pytest.mark.parametrize(
    "f, says",
    [
        (backward_called, "its `_backward` holds the nested function `_backward`"),
        (closure_called, "this reads `Value._backward`, which holds the nested function"),
        (children_read, "this reads `Value._prev`, which holds a set of `Value` objects"),
        (value_returned, "micrograd's `backward()`"),
    ],
)
def test_what_micrograd_values_cannot_do_says_why(f, says):
    with pytest.raises(srcad.SrcadError, match=re.escape(says)):
        srcad.grad(f)(X.copy())


class Doubled:
    def __init__(self, w):
        self.w = w * 2.0


def appended_through_another_name(x):
    a = [x[0], x[1]]
    b = a
    b.append(x[2])
    return sum(o.w for o in [Doubled(v) for v in a])


def appended_by_a_helper(x):
    a = [x[0], x[1]]
    _grow(a, x[2])
    return sum(o.w for o in [Doubled(v) for v in a])


def _grow(lst, v):
    lst.append(v)


def appended_through_a_dict(x):
    a = [x[0], x[1]]
    d = {"k": a}
    d["k"].append(x[2])
    return sum(o.w for o in [Doubled(v) for v in a])


def weights_appended_through_a_list(x):
    a = [x[0], x[1]]
    hold = [a]
    hold[0].append(x[2])
    return Neuron(a, 0.0)([Value(1.0), Value(1.0), Value(1.0)]).data


WG = [0.5, -0.3]


def module_weights_appended_first(x):
    WG.append(0.2)
    return Neuron(WG, 0.1)([Value(x[0]), Value(x[1]), Value(x[2])]).data


@pytest.mark.parametrize(
    "f",
    [
        appended_through_another_name,
        appended_by_a_helper,
        appended_through_a_dict,
        weights_appended_through_a_list,
        module_weights_appended_first,
    ],
)
def test_objects_built_over_a_list_changed_since_are_right_or_refused(f):
    # (the objects are built for the list's length when lowering: a list appended to
    # through another name, or a module-level one appended to by the function, must not
    # give fewer objects than Python's)
    saved = list(WG)
    try:
        got = srcad.value_and_grad(f)(X.copy())
    except srcad.SrcadError:
        return
    finally:
        WG[:] = saved
    want = f(X.copy())
    WG[:] = saved
    assert np.isclose(got[0], want)
    check_grads(f, (X.copy(),), modes=("fwd", "rev"))
    WG[:] = saved


# -- 2. isinstance of a number (lower/numvars.py) ----------------------------------------------
def scaled_by_parameter(x, s):
    a = Value(x[0])
    return (a * s + a).data  # (`s` may be a Value: isinstance decided when it runs)


def test_isinstance_of_a_parameter_is_not_decided_when_lowering():
    # `s` may be a Value (then Python adds Values): refused or right, never `Value(s)` built
    for s in (2.0, Value(2.0)):
        try:
            got = srcad.primal(scaled_by_parameter)(X.copy(), s)
        except srcad.SrcadError:
            continue
        assert got == scaled_by_parameter(X, s)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(scaled_by_parameter)(X.copy(), 2.0)


# -- 3. objects built over lists known here (lower/knownlen.py) ---------------------------------
class Tagged:
    def __init__(self, w, scale=1.0, **extra):
        self.w = w * scale
        self.b = Tagged2(w, **extra)


class Tagged2:
    def __init__(self, w, shift=0.0):
        self.v = w + shift


def kwargs_passed_on(x):
    t = Tagged(x[0], 2.0, shift=x[1])
    u = Tagged(x[2])
    return t.w * t.b.v + u.b.v * u.w


def test_init_kwargs_passed_on():
    check_scalar(kwargs_passed_on, X)
    check_grads(kwargs_passed_on, (X.copy(),), modes=("fwd", "rev"))


# -- 4. ``self.hist = []; self.hist.append(x0)`` in ``__init__`` (lower/initappends.py) --------
class Trail:
    def __init__(self, x0, scale):
        self.scale = scale
        self.hist = []
        self.hist.append(x0)
        self.hist.append(x0 * self.scale)

    def step(self, v):
        self.hist.append(self.hist[-1] * v + self.scale)


def trail_of_steps(x):
    t = Trail(x[0], x[1])
    for v in (x[2], x[0]):
        t.step(v)
    return sum(t.hist) * t.hist[1]


class SelfRead:
    def __init__(self, x0):
        self.hist = []
        self.hist.append(x0)
        self.hist.append(len(self.hist) * x0)  # (reads the list being made: not folded)


def self_read(x):
    return sum(SelfRead(x[0]).hist)


def test_init_appending_to_the_list_it_made():
    check_scalar(trail_of_steps, X)
    check_grads(trail_of_steps, (X.copy(),), modes=("fwd", "rev"))


def test_init_appending_what_reads_the_list_is_not_folded():
    try:
        val, g = srcad.value_and_grad(self_read)(X.copy())
    except srcad.SrcadError:
        return
    assert val == self_read(X) and np.allclose(g, [2.0, 0.0, 0.0])


# -- 5. a method that only counts, under jacfwd/hessian (srcad/column_updates.py) ---------------
class Meter:
    def __init__(self):
        self.n = 0

    def tick(self):
        self.n += 1


def ticked(x, m):
    m.tick()
    return np.sum(x * x) * 2.0


def test_counting_method_under_columns_stays_refused_saying_why():
    # one column per input: the count would advance 3 times for one call (Python: once)
    m = Meter()
    with pytest.raises(srcad.SrcadError, match="would advance 3 times for one call") as e:
        srcad.hessian(ticked)(X.copy(), m)
    assert "srcad.jacrev or srcad.hvp" in e.value.hint and m.n == 0
    g, hv = srcad.hvp(ticked, (X.copy(), m), (np.ones(3), None))
    assert m.n == 1 and np.allclose(hv, 4.0)


# -- 6. a local OrderedDict as an LRU cache (lower/ordereddicts.py) -----------------------------
X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


def lru_oldest_out(x):
    cache = OrderedDict()
    tot = 0.0
    for i in range(6):
        k = (i * 2) % 3
        if k in cache:
            cache.move_to_end(k)
            tot = tot + cache[k] * x[i]
        else:
            cache[k] = x[i] * x[i]
        if len(cache) > 2:
            cache.popitem(last=False)
    old, v = cache.popitem(last=False)
    w = cache.pop(k, 0.0)
    return tot + v * (old + 1) + w * 3.0


def lru_newest_out(x):
    d = collections.OrderedDict()
    for i in range(4):
        d[i % 3] = x[i] * (i + 1.0)
        d.move_to_end(0)
    k, v = d.popitem()
    item = d.popitem(last=True)
    return v * (k + 1) + item[1] * item[0] + sum(d.values())


@pytest.mark.parametrize("f", [lru_oldest_out, lru_newest_out])
def test_ordered_dict_lru(f):
    check_scalar(f, X6)
    check_grads(f, (X6.copy(),), modes=("fwd", "rev"))


def popitem_of_empty(x):
    d = OrderedDict()
    d.popitem(last=False)
    return x[0]


def ordered_compared(x):
    d = OrderedDict()
    d[0], d[1] = x[0], x[1]
    d.move_to_end(0)
    same = d == OrderedDict([(0, x[0]), (1, x[1])])  # (False: the order differs)
    return x[0] * (2.0 if same else 3.0)


def test_ordered_dict_empty_and_compared():
    with pytest.raises(KeyError, match="dictionary is empty"):
        srcad.grad(popitem_of_empty)(X6.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(ordered_compared)(X6.copy())


# -- 7. Adam's per-parameter state, ``c = self.cache[name]; c["t"] += 1`` (lower/fieldentries.py)
class Adam:
    def __init__(self, lr=0.1, b1=0.9, b2=0.999):
        self.lr, self.b1, self.b2 = lr, b1, b2
        self.cache = {}

    def step(self, name, p, g):
        if name not in self.cache:
            self.cache[name] = {"t": 0, "m": 0.0, "v": 0.0}
        c = self.cache[name]
        b1, b2 = self.b1, self.b2
        c["t"] += 1
        c["m"] = b1 * c["m"] + (1 - b1) * g
        c["v"] = b2 * c["v"] + (1 - b2) * g * g
        mh = c["m"] / (1 - b1 ** c["t"])
        vh = c["v"] / (1 - b2 ** c["t"])
        return p - self.lr * mh / (np.sqrt(vh) + 1e-8)


def adam_steps(x):
    opt = Adam()
    p, q = x[0], x[1]
    for _ in range(3):
        p = opt.step("p", p, 2 * p * x[2])
        q = opt.step("q", q, q - x[2] * x[0])
    return p * p + q + opt.cache["p"]["m"] * opt.cache["q"]["t"]


def test_adam_state_updated_through_an_entry_name():
    check_scalar(adam_steps, X)
    check_grads(adam_steps, (X.copy(),), modes=("fwd", "rev"))


class Leaky:
    def __init__(self):
        self.cache = {"a": {"n": 0.0}}

    def bump(self, v):
        c = self.cache["a"]
        c["n"] += v
        self.cache["a"] = {"n": 1.0}  # (rebinds the entry: `c` is the old dict after this)
        c["n"] += 2.0 * v
        return c["n"]


def leaky(x):
    k = Leaky()
    old = k.bump(x[0])
    return old * x[1] + k.cache["a"]["n"]


def test_entry_rebound_after_the_name_was_taken():
    # `c` stays the old dict after `self.cache["a"]` is rebound: right, or refused
    try:
        val, g = srcad.value_and_grad(leaky)(X.copy())
    except srcad.SrcadError:
        return
    assert val == leaky(X.copy())
    check_grads(leaky, (X.copy(),), modes=("fwd", "rev"))

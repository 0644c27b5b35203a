"""Programs srcad used to refuse, session 30 (`refuse30a`): object-oriented user code.

- micrograd's own ``Value`` (its ``__init__`` stores ``self._backward = lambda: None`` and
  ``self._prev = set(_children)``; each operator stores a ``_backward`` closure) used forward:
  the fields srcad does not follow are markers nobody reads (lower/unfollowed.py), ``isinstance(
  2.0 ** -1, Value)`` is known False (lower/numvars.py);
- neurons whose ``__init__`` makes ``self.w = [Value(w) for w in weights]`` over a list passed
  in (lower/knownlen.py), layers passing ``**kwargs`` on to them, ``self.w + [self.b]`` and
  ``sum([p * p for p in ps], start)`` of such objects, a layer returning its list of outputs;
- an integrator whose ``__init__`` makes its history list and appends the first states to it
  (``self.hist = []; self.hist.append(x0)``, lower/initappends.py), each step appending more;
- a memo of recent feature values kept in a local ``OrderedDict`` as an LRU cache
  (``move_to_end`` on a hit, ``popitem(last=False)`` past its capacity: lower/ordereddicts.py);
- Adam fitting a line, its per-parameter state a dict of dicts updated in a method through
  ``c = self.cache[name]; c["t"] += 1`` (lower/fieldentries.py), through four steps.

Inputs are floats (the weights or the data of the network) -> a float, the ``.data`` of the
result; each checked forward, reverse and at second order (``extra="hvp"``). What stays refused
(micrograd's ``backward()``) is in tests/soundness/test_refuse30a.py."""

from __future__ import annotations

from collections import OrderedDict

from . import Case
from .ported_corp29_mg import Layer, Neuron, Value


def neuron_weights_are_inputs(a, b):
    n1 = Neuron([a, b], 0.1)
    n2 = Neuron([b, -a], -0.2, nonlin=False)
    x = [Value(0.5), Value(-1.5)]
    h = [n1(x), n2(x)]
    return (h[0] * h[1] + h[0].relu() - h[1] / 4.0).data


def regularised_neuron(a, b):
    n = Neuron([a, 0.3], b)
    reg = sum([p * p for p in n.parameters()], Value(0.0))
    out = n([Value(1.0), Value(a)])
    return (out**2 + 1e-2 * reg).data


def two_layer_net(a, b):
    hidden = Layer([[0.5, -0.3], [0.8, 0.2], [-0.6, 0.9]], [0.1, -0.2, 0.05])
    top = Layer([[0.7, -0.4, 0.3]], [0.2], nonlin=False)
    y = top(hidden([Value(a), Value(b * a)]))
    return (y * y - 2.0 * y + 10.0 / (y + 3.0)).data


def rows_of_weights(a, b):
    rows = [[a, 0.5], [b, -a]]
    layer = Layer(rows, [b, 0.1])
    outs = layer([Value(1.0), Value(2.0)])
    return sum(outs, Value(0.0)).data


class Integrator:
    def __init__(self, x0, v0, dt):
        self.dt = dt
        self.hist = []
        self.hist.append(x0)
        self.hist.append(x0 + dt * v0)

    def step(self, k):
        x1, x0 = self.hist[-1], self.hist[-2]
        self.hist.append(2.0 * x1 - x0 - self.dt**2 * k * x1)  # (Verlet, a spring)

    def energy(self):
        return sum(x * x for x in self.hist) * self.dt


def verlet_spring(a, b):
    sim = Integrator(a, b, 0.1)
    for _ in range(4):
        sim.step(2.0 + a * a)
    return sim.energy() + sim.hist[-1] * b


def lru_feature_memo(a, b):
    memo = OrderedDict()
    total = 0.0
    for step, key in enumerate((0, 1, 0, 2, 1, 3, 0)):
        if key in memo:
            memo.move_to_end(key)
            total = total + memo[key] * (step + 1)
        else:
            memo[key] = (a * (key + 1) + b) ** 2 / (key + 2.0)
            if len(memo) > 2:
                _, dropped = memo.popitem(last=False)
                total = total - 0.5 * dropped
    return total + sum(v * (k + 1) for k, v in memo.items())


class AdamState:
    """Adam with per-parameter state in a dict of dicts, updated through an entry name."""

    def __init__(self, lr=0.05, b1=0.9, b2=0.99):
        self.lr, self.b1, self.b2 = lr, b1, b2
        self.cache = {}

    def update(self, name, p, g):
        if name not in self.cache:
            self.cache[name] = {"t": 0, "m": 0.0, "v": 0.0}
        c = self.cache[name]
        c["t"] += 1
        c["m"] = self.b1 * c["m"] + (1 - self.b1) * g
        c["v"] = self.b2 * c["v"] + (1 - self.b2) * g * g
        mh = c["m"] / (1 - self.b1 ** c["t"])
        vh = c["v"] / (1 - self.b2 ** c["t"])
        return p - self.lr * mh / (vh**0.5 + 1e-8)


def adam_fit(a, b):
    # fit w, s to the target a * t + b by a few Adam steps; the loss after them
    opt = AdamState()
    w, s = 0.5, -0.2
    for _ in range(4):
        r = [w * t + s - (a * t + b) for t in (0.0, 0.5, 1.0)]
        gw = 2.0 * (r[1] * 0.5 + r[2])
        gs = 2.0 * (r[0] + r[1] + r[2])
        w = opt.update("w", w, gw)
        s = opt.update("s", s, gs)
    return (w - a) ** 2 + (s - b) ** 2 + opt.cache["w"]["v"]


CASES = [
    Case(f, (0.6, -1.1), (0, 1), extra="hvp")
    for f in (
        neuron_weights_are_inputs,
        regularised_neuron,
        two_layer_net,
        rows_of_weights,
        verlet_spring,
        lru_feature_memo,
        adam_fit,
    )
]

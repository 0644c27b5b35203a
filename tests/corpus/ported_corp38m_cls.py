"""Ported cases (session 38, corp38m_cls): metamorphic variants of the object programs of
tests/corpus/users_objects10.py, one style aspect changed each: a layer stack as closures, as
`(W, b)` tuples in a list, or as a dict of layers; a from-scratch backward written with
`zip(reversed(..))`; a dataclass record as a `NamedTuple` `_replace` or a dict; a `Stats` record
as module-level functions on a list; a Kalman filter class as a generator of its states or a
recursive function on tuples; a body stepped through `@staticmethod`s.

Float64 arrays -> floats. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import Case, refused_everywhere
from .users_objects10 import (
    XS,
    YS,
    ZS,
    body_acc_set_in_loop,
    dataclass_defaults_and_factory,
    dataclass_field_write,
    kalman_class,
    nn_layers_cache_input,
    nn_manual_backward,
)

_R = np.random.default_rng(38005)
W11 = _R.standard_normal(11) * 0.5
V3 = np.array([0.3, -0.5, 0.9])


def _params(w):
    return [(w[:6].reshape(3, 2), w[6:8]), None, (w[8:10].reshape(2, 1), w[10:11])]


def layers_closures(w):
    def dense(W, b):
        return lambda x: x @ W + b

    net = [dense(*p) if p is not None else np.tanh for p in _params(w)]
    h = XS
    for f in net:
        h = f(h)
    return np.mean((h[:, 0] - YS) ** 2)


def layers_closure_list(w):
    def dense(W, b):
        return lambda x: x @ W + b

    p = _params(w)
    h = XS
    for f in [dense(*p[0]), np.tanh, dense(*p[2])]:
        h = f(h)
    return np.mean((h[:, 0] - YS) ** 2)


def layers_tuples(w):
    (W1, b1), _, (W2, b2) = _params(w)
    h = np.tanh(XS @ W1 + b1) @ W2 + b2
    r = h.ravel() - YS
    return r @ r / len(r)


def layers_dict(w):
    net = {"l1": _params(w)[0], "act": "tanh", "l2": _params(w)[2]}
    h = XS
    for name in ("l1", "act", "l2"):
        layer = net[name]
        h = np.tanh(h) if layer == "tanh" else h @ layer[0] + layer[1]
    return np.mean(np.square(h[:, 0] - YS))


def backward_zip(w):
    (W1, b1), _, (W2, b2) = _params(w)
    acts = [XS]
    acts.append(acts[-1] @ W1 + b1)
    acts.append(np.tanh(acts[-1]))
    acts.append(acts[-1] @ W2 + b2)
    diff = acts[-1][:, 0] - YS
    val = np.mean(diff**2)
    g = (2 * diff / diff.size)[:, None]
    dW = None
    for kind, inp, out in zip(reversed(("d", "t", "d")), reversed(acts[:-1]), reversed(acts[1:])):
        if kind == "t":
            g = g * (1 - out**2)
        elif inp is XS:
            dW = inp.T @ g
        else:
            g = g @ W2.T
    return val + 0.1 * np.sum(dW**2)


class _PairNT(NamedTuple):
    a: float
    b: float


def pair_namedtuple(x):
    q = _PairNT(x[0], x[1])
    q = q._replace(a=q.a + q.b)
    q = q._replace(b=q.b * x[2])
    return q.a * q.b


def pair_dict(x):
    q = {"a": x[0], "b": x[1]}
    q["a"] += q["b"]
    q["b"] = q["b"] * x[2]
    return q["a"] * q["b"]


def _stats_add(st, v):
    total, count, hist = st
    return total + v, count + 1, [*hist, v * v]


def stats_functions(x):
    st = (0.0, 0, [])
    for v in x:
        st = _stats_add(st, v)
    total, count, hist = st
    return 2.0 * total / count + sum(hist)


class _Phys:
    @staticmethod
    def force(pos, vel, k):
        return -k * pos - 0.1 * vel

    @staticmethod
    def step(pos, vel, acc, dt):
        vel = vel + dt * acc
        return pos + dt * vel, vel


def body_static(x):
    pos, vel = x[:2], x[1:3] * 0.5
    acc = None
    for _ in range(5):
        acc = _Phys.force(pos, vel, 2.0)
        pos, vel = _Phys.step(pos, vel, acc, 0.1)
    return pos @ pos + acc.sum()


def _kalman_states(q, r, zs):
    m, P = 0.0, 1.0
    for z in zs:
        Pp = P + q
        K = Pp / (Pp + r)
        m_new = m + K * (z - m)
        yield m, K
        m, P = m_new, (1 - K) * Pp
    yield m, P


def kalman_generator(p):
    states = list(_kalman_states(np.exp(p[0]), np.exp(p[1]), ZS))
    ll = sum((z - m0) ** 2 * K for (m0, K), z in zip(states[:-1], ZS))
    return ll + states[-1][1] * p[2]


def _kalman_rec(q, r, zs, m, P):
    if not zs:
        return 0.0, P
    Pp = P + q
    K = Pp / (Pp + r)
    rest, P_end = _kalman_rec(q, r, zs[1:], m + K * (zs[0] - m), (1 - K) * Pp)
    return (zs[0] - m) ** 2 * K + rest, P_end


def kalman_recursive(p):
    ll, P = _kalman_rec(np.exp(p[0]), np.exp(p[1]), [float(z) for z in ZS], 0.0, 1.0)
    return ll + P * p[2]


CASES = [
    Case(
        layers_closures,
        (W11,),
        (0,),
        xfail=refused_everywhere("functions a factory returns, listed by a comprehension"),
    ),
    Case(layers_closure_list, (W11,), (0,), extra="hvp"),
    Case(layers_tuples, (W11,), (0,)),
    Case(layers_dict, (W11,), (0,)),
    Case(backward_zip, (W11,), (0,), extra="hvp"),
    Case(pair_namedtuple, (V3,), (0,), extra="hvp"),
    Case(pair_dict, (V3,), (0,)),
    Case(stats_functions, (V3,), (0,), extra="hvp"),
    Case(body_static, (V3,), (0,), extra="hvp"),
    Case(kalman_generator, (V3,), (0,), extra="hvp"),
    Case(kalman_recursive, (V3,), (0,)),
]

SAME_AS = {
    layers_closures: nn_layers_cache_input,
    layers_closure_list: nn_layers_cache_input,
    layers_tuples: nn_layers_cache_input,
    layers_dict: nn_layers_cache_input,
    backward_zip: nn_manual_backward,
    pair_namedtuple: dataclass_field_write,
    pair_dict: dataclass_field_write,
    stats_functions: dataclass_defaults_and_factory,
    body_static: body_acc_set_in_loop,
    kalman_generator: kalman_class,
    kalman_recursive: kalman_class,
}

"""Ported cases (session 47, idiom47a): containers and objects holding arrays, written as users
write them, which srcad gets right (fwd, rev, order 2): a loss of a dict of parameters
(``W = params['W']``) and of a list/tuple of weight matrices (``for W in Ws: h = np.tanh(h @
W)``), a regularizer over ``params.items()``, an SGD step written in place on a dict argument
(``params[k] -= lr * g[k]``, the caller's arrays updated as Python's ``-=`` does) and on a dict of
numbers with a 0-d array's product and a ``break`` before a helper's step, a helper's returned
list passed to another helper, a CSR mat-vec from integer index lists, ping-pong buffers
(``a, b = b, a``) in a stencil, cs231n's ``X.astype(np.float64, copy=False)``, ``copy.deepcopy``
of a nested dict then one nested write, methods of a local list of user objects by index,
n-body pairs over a tuple display of lists and in a ``pair_kick(bodies, c)`` helper.

Float64 arrays -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import copy
import itertools

import numpy as np

from . import Case


def _det(shape, a=1.7, b=0.3, s=1.0):
    n = int(np.prod(shape))
    return s * np.sin(np.arange(n) * a + b).reshape(shape)


X53 = _det((5, 3), 1.3, 0.2)
W32 = _det((3, 2), 0.9, 0.4, 0.5)
W34 = _det((3, 4), 0.7, 0.1, 0.6)
W42 = _det((4, 2), 1.1, 0.5, 0.6)
B2 = np.array([0.1, -0.2])
V3 = np.array([0.4, -0.7, 1.1])
V4 = np.array([0.3, -0.2, 0.5, 0.1])


def dict_params_loss(params, X):
    W = params["W"]
    b = params["b"]
    h = np.tanh(X @ W + b)
    return np.sum(h**2)


def items_regularizer(params, X):
    reg = 0.0
    for _k, v in params.items():
        reg += np.sum(v**2)
    return 0.1 * reg + np.sum(np.tanh(X @ params["W"]))


def sgd_in_place(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]
    return np.sum(params["W"] ** 2) + np.sum(params["b"])


def _sgd_numbers(p, lr, g):
    for q in p:
        p[q] -= lr * (p[q] - g)


def sgd_numbers_break(x, params):
    for q in params:
        params[q] -= 0.08 * x * x
        if q == "scale":
            break
    _sgd_numbers(params, 0.179, float(np.sum(x)))
    return params["scale"] * np.sum(x) + params["shift"]


def list_of_weights(Ws, X):
    h = X
    for W in Ws:
        h = np.tanh(h @ W)
    return np.sum(h**2)


def _forward(x, Ws):
    hs = [x]
    for W in Ws:
        hs.append(np.tanh(hs[-1] @ W))
    return hs


def _loss_of(hs):
    return sum(np.sum(h**2) for h in hs)


def helper_list_to_helper(X, W1, W2):
    hs = _forward(X, [W1, W2])
    return _loss_of(hs)


def csr_matvec(data, x, indptr, cols):
    n = len(indptr) - 1
    y = np.zeros(n)
    for i in range(n):
        for k in range(indptr[i], indptr[i + 1]):
            y[i] += data[k] * x[cols[k]]
    return np.sum(y**2)


def ping_pong(u0, c):
    a = u0.copy()
    b = np.zeros_like(u0)
    for _ in range(4):
        b[1:-1] = a[1:-1] + c * (a[2:] - 2 * a[1:-1] + a[:-2])
        b[0] = a[0]
        b[-1] = a[-1]
        a, b = b, a
    return np.sum(a**2)


def astype_no_copy(X, W):
    X = X.astype(np.float64, copy=False)
    Xc = X - X.mean(axis=0)
    return np.sum((Xc @ W) ** 2)


def deepcopy_nested_write(x):
    d = {"a": [x, x * 2.0], "b": {"c": x**2}}
    e = copy.deepcopy(d)
    e["b"]["c"][0] = 5.0
    return np.sum(e["b"]["c"] * x) + np.sum(d["b"]["c"]) + np.sum(e["a"][1])


class _Task:
    def __init__(self, s):
        self.s = s

    def run(self, d):
        return np.sum(np.sin(d * self.s))


def tasks_by_index(d):
    tasks = [_Task(1.0), _Task(2.0), _Task(-0.5)]
    tot = 0.0
    for i in range(len(tasks)):
        tot += tasks[i].run(d)
    return tot


def pairs_of_tuple(x):
    v, w = np.tanh(x), np.exp(-x * x)
    bodies = ([v[0], w[0], 0.554], [v[1], w[1], 0.969], [v[2], w[2], 1.955], [v[3], w[3], 0.558])
    for p, q in itertools.combinations(bodies, 2):
        d = p[0] - q[0]
        p[1] -= 0.071 * d * q[2]
        q[1] += 0.071 * d * p[2]
    return np.sum(np.array([b[0] + b[1] for b in bodies]) ** 2)


def _pair_kick(bodies, c):
    for p, q in itertools.combinations(bodies, 2):
        d = p[0] - q[0]
        p[1] -= c * d * q[2]
        q[1] += c * d * p[2]


def pair_kick_helper(x):
    bodies = [[x[0], x[1] * 0.5, 1.003], [x[1], x[2] * 0.5, 1.995], [x[2], x[3] * 0.5, 1.185]]
    _pair_kick(bodies, 0.026)
    _pair_kick(bodies, 0.031)
    return np.sum(np.sin(np.array([b[0] + b[1] for b in bodies])))


CASES = [
    Case(dict_params_loss, ({"W": W32, "b": B2}, X53), (0, 1), extra="hvp"),
    Case(items_regularizer, ({"W": W32, "b": B2}, X53), (0, 1)),
    Case(
        sgd_in_place,
        ({"W": W32.copy(), "b": B2.copy()}, {"W": 0.3 * W32, "b": -B2}, 0.1),
        (0, 1, 2),
    ),
    Case(sgd_numbers_break, (np.array(0.7), {"scale": 1.3, "shift": 0.2}), (0, 1)),
    Case(list_of_weights, ([W34, W42], X53), (0, 1)),
    Case(list_of_weights, ((W34, W42), X53), (0, 1), name="ported_corp47_idiom_a.tuple_of_weights"),
    Case(helper_list_to_helper, (X53, W34, W42), (0, 1, 2), extra="hvp"),
    Case(
        csr_matvec,
        (np.array([0.5, -1.2, 0.8, 0.3, 1.1]), V3, [0, 2, 3, 5], [0, 2, 1, 0, 2]),
        (0, 1),
    ),
    Case(
        csr_matvec,
        (
            np.array([0.5, -1.2, 0.8, 0.3, 1.1]),
            V3,
            np.array([0, 2, 3, 5]),
            np.array([0, 2, 1, 0, 2]),
        ),
        (0, 1),
        name="ported_corp47_idiom_a.csr_matvec_arrays",
    ),
    Case(ping_pong, (np.sin(np.arange(7.0)), 0.2), (0, 1), extra="hvp"),
    Case(astype_no_copy, (X53, W32), (0, 1)),
    Case(deepcopy_nested_write, (V3,), (0,)),
    Case(tasks_by_index, (V3,), (0,)),
    Case(pairs_of_tuple, (V4,), (0,), extra="hvp"),
    Case(pair_kick_helper, (V4,), (0,)),
]

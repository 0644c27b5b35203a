"""Ported cases (session 27, hunt27g), written anew after closures and recurrent models: a lambda
reading an array written after it was made, lambdas appended in a loop (late binding of arrays),
a nested helper appending to the enclosing list, ``lst[:]`` (a copy) against ``arr[:]`` (a view),
``for i, v in enumerate(a)`` whose body writes ``a[i + 1]`` (the iterator sees the writes), the rows
of a 2-D array so, a closure updating an enclosing array in place, a memo dict in a closure; a GRU
writing ``H[t] = ...`` into a preallocated table, a recurrence updating ``H[t]`` through a view, an
attention block with ``h += attn(ln(h))``, an LSTM carrying ``(h, c)``, a greedy decode's path
score by ``argmax``, soft k-means, power iteration, Gauss-Seidel sweeps, a particle filter's
likelihood with fixed draws.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case


def closure_sees_mutation(x):
    a = x.copy()
    g = lambda t: np.sum(a * t)
    a[0] = 5.0 * x[1]
    return g(x)


def late_bound_arrays(x):
    fs = []
    for i in range(3):
        w = x * (i + 1.0)
        fs.append(lambda t: np.sum(w * t))  # noqa: B023 (late binding: every w is x * 3)
    return sum(f(x) for f in fs)


def nested_append(x):
    acc = []

    def push(v):
        acc.append(v**2)

    for v in x:
        push(v)
        push(v * acc[-1])
    return sum(acc)


def slice_copy_vs_view(x):
    lst = list(x)
    l2 = lst[:]
    l2[0] = 10.0
    arr = x.copy()
    a2 = arr[:]
    a2[0] = 10.0 * x[1]
    return sum(lst) + np.sum(arr**2)


def enum_live_iter(x):
    a = x.copy()
    for i, v in enumerate(a):
        if i + 1 < len(a):
            a[i + 1] += v
    return np.sum(a**2)


def live_iter_rows(x):
    A = x.reshape(3, 2).copy()
    for i, row in enumerate(A):
        if i + 1 < len(A):
            A[i + 1] += row * 0.5
    return np.sum(A**2)


def closure_counter_array(x):
    state = np.zeros(2)

    def step(v):
        state[0] += v
        state[1] = state[0] * v
        return state[1]

    tot = 0.0
    for v in x:
        tot += step(v)
    return tot + np.sum(state)


def dict_default_closure(x):
    cache = {}

    def f(k):
        if k not in cache:
            cache[k] = np.sin(x[k]) * x[0]
        return cache[k]

    return f(1) + f(1) * f(2) + len(cache)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


W = np.array([[0.5, -0.3], [0.2, 0.4]])


def gru_prealloc(x):
    T = 3
    H = np.zeros((T + 1, 2))
    H[0] = x[:2]
    for t in range(1, T + 1):
        h = H[t - 1]
        z = sigmoid(W @ h + x[2])
        hc = np.tanh(W.T @ h * x[3])
        H[t] = (1 - z) * h + z * hc
    return np.sum(H[1:] ** 2)


def rnn_view_inplace(x):
    T = 3
    H = np.zeros((T + 1, 2))
    H[0] = x[:2]
    for t in range(1, T + 1):
        H[t] = H[t - 1]
        h = H[t]
        h *= 0.9
        h += np.tanh(W @ H[t - 1]) * x[2]
    return np.sum(H**2)


def residual_block(x):
    h = x.reshape(2, 2).copy()

    def attn(q):
        s = q @ q.T / np.sqrt(2.0)
        s = s - s.max(axis=-1, keepdims=True)
        p = np.exp(s)
        p /= p.sum(axis=-1, keepdims=True)
        return p @ q

    def ln(v):
        mu = v.mean(-1, keepdims=True)
        var = ((v - mu) ** 2).mean(-1, keepdims=True)
        return (v - mu) / np.sqrt(var + 1e-5)

    for _ in range(2):
        h += attn(ln(h))
        h = h + np.tanh(h) * 0.1
    return np.sum(h**2)


def lstm_state_tuple(x):
    h, c = np.zeros(2), np.zeros(2)
    xs = x.reshape(3, 2)
    out = []
    for xt in xs:
        g = W @ xt + W.T @ h
        i, f, o = sigmoid(g), sigmoid(g + 1.0), sigmoid(g - 0.5)
        c = f * c + i * np.tanh(g)
        h = o * np.tanh(c)
        out.append(h)
    return np.sum(np.stack(out) ** 2) + np.sum(c)


def beam_search_score(x):
    # greedy decoding over logits derived from x; take the score of the chosen path
    logits = x.reshape(3, 3)
    lp = logits - np.log(np.sum(np.exp(logits), axis=1, keepdims=True))
    path = []
    score = 0.0
    prev = 0
    for t in range(3):
        step = lp[t] + 0.1 * (np.arange(3) == prev)
        k = int(np.argmax(step))
        path.append(k)
        score += step[k]
        prev = k
    return score + 0.0 * len(path)


def kmeans_soft(x):
    pts = np.array([[0.0, 0.1], [0.9, 1.0], [0.2, -0.1], [1.1, 0.8]])
    C = x.reshape(2, 2).copy()
    for _ in range(3):
        d = ((pts[:, None, :] - C[None, :, :]) ** 2).sum(-1)
        r = np.exp(-d / 0.1)
        r /= r.sum(axis=1, keepdims=True)
        C = (r.T @ pts) / r.sum(axis=0)[:, None]
    return np.sum(C**2) + np.sum(x * C.ravel())


def power_iteration(x):
    A = x.reshape(2, 2)
    S = A @ A.T + np.eye(2)
    v = np.array([1.0, 0.3])
    for _ in range(30):
        v = S @ v
        v /= np.linalg.norm(v)
    return v @ S @ v


def gauss_seidel(x):
    A = np.array([[4.0, 1.0, 0.0], [1.0, 3.0, 1.0], [0.0, 1.0, 2.0]])
    b = x.copy()
    u = np.zeros(3)
    for _ in range(10):
        for i in range(3):
            s = b[i] - A[i] @ u + A[i, i] * u[i]
            u[i] = s / A[i, i]
    return np.sum(u**2) + u @ x


def particle_filter(x):
    rng = np.random.default_rng(0)
    noise = rng.standard_normal((4, 5))
    obs = np.array([0.1, 0.4, 0.2, 0.5])
    p = np.zeros(5) + x[0]
    ll = 0.0
    for t in range(4):
        p = 0.9 * p + x[1] * noise[t]
        w = np.exp(-0.5 * (obs[t] - p) ** 2)
        ll += np.log(np.mean(w))
        w /= w.sum()
        p = np.sum(w * p) + 0 * p  # deterministic "resample": collapse to the mean
    return ll


CASES = [
    Case(closure_sees_mutation, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(late_bound_arrays, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(nested_append, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(slice_copy_vs_view, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(enum_live_iter, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(live_iter_rows, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(closure_counter_array, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(dict_default_closure, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(gru_prealloc, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(rnn_view_inplace, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(residual_block, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(lstm_state_tuple, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9]),), (0,), extra="hvp"),
    Case(
        beam_search_score,
        (np.array([0.3, -0.5, 0.2, 0.7, 0.1, 0.9, -0.4, 0.6, 1.2]),),
        (0,),
        extra="hvp",
    ),
    Case(kmeans_soft, (np.array([0.1, 0.2, 0.8, 0.7]),), (0,), extra="hvp"),
    Case(power_iteration, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(gauss_seidel, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(particle_filter, (np.array([0.3, 0.5]),), (0,), extra="hvp"),
]

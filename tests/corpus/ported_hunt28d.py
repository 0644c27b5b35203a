"""Ported cases (session 28, hunt28a), written anew after training loops and NumPy idioms: a loss
accumulated by ``total += np.mean(...)`` and appended to a history each epoch, an early-stopping
best loss with ``loss += 0.01 * np.linalg.norm(w) ** 2`` after ``losses.append(loss)``, an energy
log and a time ``t += 0.1 * np.max(np.abs(v))`` appended each step (the three refused before this
session: a whole reduction of a NumPy array is a number, which ``op=`` rebinds); ``np.divide(...,
out=, where=)`` safe divisions, ``np.sum(..., where=)``/``np.mean(where=)``/``x.sum(where=)``,
``np.max(initial=)``, ``np.log(x, out=, where=)``, ``np.exp(x, out=y)``, ``with np.errstate(...)``,
an RNN state starting as ``None``, an accumulator turning from ``0`` into an array, ``x.tolist()``
and ``.item()``, ``np.apply_along_axis`` and ``np.vectorize`` of lambdas, ``map(np.tanh, ...)``,
``x.clip(0)``, ``assert np.all(np.isfinite(x))``, ``dtype=`` reductions, ``for``/``else`` with
``break`` in a nested loop and ``while``/``else``; refused and should not be (strict xfails): a
neighbour-list object whose ``__init__`` loops over an array later updated by ``pos += ...``, a
class-level scratch buffer written through ``self.buf[:] = ...``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere


def sgd_loss_history(w):
    X = np.array([[1.0, 0.5, 0.0], [0.3, -0.2, 0.4], [0.9, 0.1, -0.3], [0.2, 0.8, 0.5]])
    y = np.array([1.0, 0.0, 0.5, -0.2])
    total = 0.0
    history = []
    for _epoch in range(4):
        pred = X @ w
        loss = np.mean((pred - y) ** 2)
        total += loss
        history.append(total)
        w = w - 0.1 * X.T @ (pred - y) / len(y)
    return history[-1] + 0.5 * history[0]


def early_stopping_best(w):
    X = np.array([[1.0, 0.5, 0.0], [0.3, -0.2, 0.4], [0.9, 0.1, -0.3]])
    best = np.inf
    losses = []
    for _step in range(5):
        r = X @ w - 1.0
        loss = np.sum(r**2)
        losses.append(loss)
        loss += 0.01 * np.linalg.norm(w) ** 2
        if loss < best:
            best = loss
        w = w - 0.1 * X.T @ r
    return best + losses[0] * 0.1


def energy_log(x0):
    x = x0.copy()
    v = np.zeros_like(x)
    t = 0.0
    times, energies = [t], []
    for _ in range(4):
        a = -x - 0.1 * x**3
        v = v + 0.1 * a
        x = x + 0.1 * v
        e = 0.5 * np.sum(v**2) + 0.5 * np.sum(x**2)
        e += 0.025 * np.sum(x**4)
        energies.append(e)
        t += 0.1 * np.max(np.abs(v))
        times.append(t)
    return sum(energies) + times[-1]


def safe_divide_where(x):
    b = x[3:] - 0.45
    out = np.divide(x[:3], b, out=np.zeros_like(x[:3]), where=np.abs(b) > 0.01)
    return np.sum(out**2)


def safe_divide_where0(x):
    b = np.array([1.0, 0.0, 2.0])
    out = np.divide(x[:3] ** 2, b, out=np.full(3, 0.5), where=b != 0)
    return np.sum(out * x[3:])


def sum_where(x):
    m = x > 0
    return np.sum(x**2, where=m) + np.mean(x**3, where=m) + x.sum(where=~m)


def max_initial(x):
    return np.max(x, initial=0.5) + np.sum(x, initial=1.0) ** 2 + np.prod(x[:3], where=x[:3] > 0)


def log_where(x):
    out = np.zeros_like(x)
    np.log(x, out=out, where=x > 0)
    return np.sum(out * x)


def exp_out(x):
    y = np.empty_like(x)
    np.exp(x, out=y)
    np.multiply(y, x, out=y)
    return np.sum(y)


def errstate_block(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = x[:3] / x[3:]
    return np.sum(r**2)


def rnn_none_init(x):
    h = None
    for t in range(3):
        xt = x[2 * t : 2 * t + 2]
        if h is None:
            h = np.tanh(xt)
        else:
            h = np.tanh(xt + 0.5 * h)
    return np.sum(h**2)


def acc_scalar_to_array(x):
    acc = 0
    for i in range(3):
        acc = acc + x[2 * i : 2 * i + 2] ** 2
    return np.sum(acc * acc)


def tolist_sum(x):
    return sum(v**2 for v in x.tolist()) + x[0].item() * 2


def apply_along(x):
    return np.sum(np.apply_along_axis(lambda r: np.sum(r**2) * r[0], 1, x.reshape(2, 3)))


def map_tanh(x):
    return sum(map(np.tanh, [x[:3], x[3:]])).sum()


def vectorize(x):
    f = np.vectorize(lambda a, b: a * b if a > 0 else a + b)
    return np.sum(f(x[:3], x[3:]))


def clip_method(x):
    return np.sum(x.clip(0) ** 2 + x.clip(-0.5, 0.5)) + np.sum(
        x.reshape(2, 3).sum(axis=0, keepdims=True) ** 2
    )


def assert_finite(x):
    assert np.all(np.isfinite(x))
    if np.any(x > 100):
        raise ValueError("big")
    return np.sum(x**2)


def mean_dtype(x):
    return np.mean(x, dtype=np.float64) + np.cumsum(x, dtype=float)[-1]


def nested_break_else(x):
    tot = 0.0
    for i in range(3):
        for j in range(3):
            if x[i] * x[j] > 0.9:
                break
            tot += x[i] * x[j]
        else:
            tot += x[i] ** 3
    return tot


def while_else(x):
    k = 0
    s = x[0]
    while k < 5:
        s = s * 0.5 + x[1]
        if s > 2.0:
            break
        k += 1
    else:
        s = s + x[2] ** 2
    return s


class NeighbourList:
    def __init__(self, pos, rc):
        self.pairs = []
        for i in range(len(pos)):
            for j in range(i + 1, len(pos)):
                if abs(pos[i] - pos[j]) < rc:
                    self.pairs.append((i, j))


def neighbour_list_object(x):
    pos = x.copy()
    nl = NeighbourList(pos, 2.0)
    pos += 0.1 * pos**2
    e = 0.0
    for i, j in nl.pairs:
        e += 1.0 / (pos[i] - pos[j]) ** 2
    return e


class Scratch:
    buf = np.zeros(3)

    def __init__(self, k):
        self.k = k

    def energy(self, x):
        self.buf[:] = self.k * x
        return np.sum(self.buf**2)


def class_scratch_buffer(x):
    s = Scratch(1.5)
    return s.energy(x) + s.buf[0]


X6 = np.array([0.3, -0.7, 1.1, 0.45, -0.2, 0.9])
W3 = np.array([0.3, -0.5, 0.8])
_NL = (
    "`nl = NeighbourList(pos, rc)` (an __init__ with loops: an opaque call) then `pos += ...`: "
    "the object is taken to share `pos`, though it keeps index pairs only"
)
_SCRATCH = "`self.buf[:] = ...` on a class-level array `buf`: not a field `__init__` sets"

CASES = [
    Case(sgd_loss_history, (W3,), (0,), extra="hvp"),
    Case(early_stopping_best, (W3,), (0,), extra="hvp"),
    Case(energy_log, (W3,), (0,), extra="hvp", jitter=0.0),
    Case(safe_divide_where, (X6,), (0,), extra="hvp"),
    Case(safe_divide_where0, (X6,), (0,), extra="hvp"),
    Case(sum_where, (X6,), (0,), extra="hvp"),
    Case(max_initial, (X6,), (0,), extra="hvp"),
    Case(log_where, (X6,), (0,), extra="hvp"),
    Case(exp_out, (X6,), (0,), extra="hvp"),
    Case(errstate_block, (X6,), (0,), extra="hvp"),
    Case(rnn_none_init, (X6,), (0,), extra="hvp"),
    Case(acc_scalar_to_array, (X6,), (0,), extra="hvp"),
    Case(tolist_sum, (X6,), (0,), extra="hvp"),
    Case(apply_along, (X6,), (0,), extra="hvp"),
    Case(map_tanh, (X6,), (0,), extra="hvp"),
    Case(vectorize, (X6,), (0,), extra="hvp"),
    Case(clip_method, (X6,), (0,), extra="hvp"),
    Case(assert_finite, (X6,), (0,), extra="hvp"),
    Case(mean_dtype, (X6,), (0,), extra="hvp"),
    Case(nested_break_else, (X6,), (0,), extra="hvp"),
    Case(while_else, (X6,), (0,), extra="hvp"),
    Case(
        neighbour_list_object,
        (np.array([0.1, 0.5, 1.3]),),
        (0,),
        xfail=dict.fromkeys(("primal", "fwd", "rev"), _NL),
    ),
    Case(class_scratch_buffer, (W3,), (0,), xfail=refused_everywhere(_SCRATCH)),
]

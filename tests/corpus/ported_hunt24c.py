"""Ported cases (session 24, hunt24c), written anew after Python and NumPy idioms around shared
objects: ``[a] * 3`` and ``[a, a]`` lists updated through one element, ``b = lst[:]`` (a new
list, the same arrays), a view of a view written in place, ``x.T`` written through, ``np.newaxis``
and negative-step slices as write targets, fancy then boolean indexing, ``out=`` into a slice,
float32 weights mixed with float64 inputs, 0-d arrays updated with ``+=``, ints mixed in, a
kernel class hierarchy with ``super().__init__``, properties and ``__call__``, a string-keyed
config choosing activations by ``getattr(np, name)``, generators over ``zip``/``enumerate``,
dict.setdefault and defaultdict accumulators, ``np.einsum`` with repeated indices, reductions
over ``axis=-1`` with ``keepdims``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from . import Case, refused_everywhere


def refused_by_mutation_check(reason: str) -> dict[str, str]:
    """Refused by the mutation check (the IR itself verifies)."""
    return dict.fromkeys(("primal", "fwd", "rev"), reason)


R = np.random.default_rng(242)
W32 = R.standard_normal((3, 3)).astype(np.float32)


def list_repeat_alias(x):
    a = x.copy()
    lst = [a] * 3
    lst[0] *= 2.0
    lst[1] += 1.0
    return sum(np.sum(v**2) for v in lst)


def list_pair_alias(x):
    a = x * 1.0
    pair = [a, a]
    pair[1][0] = 5.0 * x[1]
    return np.sum(pair[0] * x)


def slice_copy_list(x):
    lst = [x.copy(), 2 * x]
    b = lst[:]
    b[0] += 1.0
    b[1] = b[1] * 3.0
    return np.sum(lst[0] ** 2) + np.sum(lst[1]) + np.sum(b[1])


def view_of_view(x):
    A = x.reshape(3, 4).copy()
    v = A[1:, ::2]
    w = v[::-1]
    w[0] *= 3.0
    w += A[0, :2]
    return np.sum(A**2) + np.sum(v)


def transpose_write(x):
    A = x.reshape(3, 4).copy()
    At = A.T
    At[0] = At[0] * 2 + 1
    At[:, 1] -= x[:4]
    return np.sum(np.sin(A))


def newaxis_neg_step(x):
    y = np.zeros(6)
    y[::-2] = x[:3] ** 2
    y[-2::-2] += x[3:]
    m = y[np.newaxis, :] * y[:, np.newaxis]
    return np.sum(m[::-1, 1::2])


def fancy_then_mask(x):
    idx = np.array([4, 0, 3, 3, 1])
    sub = x[idx]
    pos = sub[sub > 0]
    y = x.copy()
    y[idx[:2]] = pos[:2] * 2
    return np.sum(pos**2) + np.sum(y**3)


def out_into_slice(x):
    buf = np.zeros((2, 5))
    np.multiply(x, x, out=buf[0])
    np.add(buf[0], x, out=buf[1])
    np.exp(buf[1], out=buf[1])
    return np.sum(buf[1]) - np.sum(buf[0])


def float32_weights(x):
    h = np.tanh(W32 @ x)
    return float(np.sum(h**2))


def zero_d_update(x):
    acc = np.array(0.0)
    for xi in x:
        acc += xi**2
    acc *= 0.5
    s = np.float64(0.0)
    s += acc
    return acc + s


def ints_mixed(x):
    n = len(x)
    tot = 0
    for i in range(n):
        tot += (i % 2) * x[i] + i // 2 * x[i] ** 2 + (n - i)
    return tot * 2 // 1 + np.sum(np.arange(n) * x)


class Kernel:
    def __init__(self, scale):
        self._log_scale = np.log(scale)

    @property
    def scale(self):
        return np.exp(self._log_scale)

    def __call__(self, a, b):
        return self.scale * self.base(a, b)

    def base(self, a, b):
        return np.exp(-0.5 * (a[:, None] - b[None, :]) ** 2)


class Periodic(Kernel):
    def __init__(self, scale, period):
        super().__init__(scale)
        self.period = period

    def base(self, a, b):
        d = a[:, None] - b[None, :]
        return np.exp(-2 * np.sin(np.pi * d / self.period) ** 2)


class Sum(Kernel):
    def __init__(self, *ks):
        super().__init__(1.0)
        self.ks = ks

    def __call__(self, a, b):
        return sum(k(a, b) for k in self.ks)


def kernel_classes(p):
    t = np.linspace(0, 2, 4)
    k = Sum(Kernel(p[0]), Periodic(p[1], period=p[2]))
    K = k(t, t) + 0.1 * np.eye(4)
    return np.linalg.slogdet(K)[1] + np.sum(np.linalg.solve(K, np.sin(t)))


CFG = {"layers": [3, 4, 1], "act": "tanh", "out": "exp", "scale": 0.5}
WS = [R.standard_normal((4, 3)), R.standard_normal((1, 4))]


def config_net(x):
    act = getattr(np, CFG["act"])
    h = x
    for i, W in enumerate(WS):
        h = W @ h
        if i < len(CFG["layers"]) - 2:
            h = act(h)
    out = getattr(np, CFG["out"])(CFG["scale"] * h[0])
    return out


def gen_zip(x):
    w = np.array([0.5, -1.0, 2.0, 0.3])
    pairs = ((wi, xi) for wi, xi in zip(w, x) if wi > 0)
    s = sum(wi * xi**2 for wi, xi in pairs)
    e = max(xi * k for k, xi in enumerate(x, start=1))
    return s + e


def setdefault_acc(x):
    groups = {}
    keys = ["a", "b", "a", "c", "b"]
    for k, v in zip(keys, x):
        groups.setdefault(k, []).append(v)
    dd = defaultdict(float)
    for k, v in zip(keys, x):
        dd[k] += v * v
    return sum(np.prod(vs) for vs in groups.values()) + sum(dd.values())


def einsum_repeat(x):
    A = x.reshape(3, 3)
    tr = np.einsum("ii", A)
    d = np.einsum("ii->i", A)
    q = np.einsum("ij,ij->", A, A.T)
    B = np.einsum("ij,jk->ik", A, A)
    return tr * q + np.sum(d * B[0])


def keepdims_norm(x):
    X = x.reshape(2, 3)
    mu = X.mean(axis=-1, keepdims=True)
    sd = np.sqrt(((X - mu) ** 2).mean(axis=-1, keepdims=True) + 1e-5)
    Z = (X - mu) / sd
    m = np.max(Z, axis=-1, keepdims=True)
    lse = m + np.log(np.sum(np.exp(Z - m), axis=-1, keepdims=True))
    return np.sum(Z * np.arange(3)) - np.sum(lse)


def tuple_unpack_swap(x):
    a, b, *rest = x
    for _ in range(3):
        a, b = b, a * 0.5 + b
    rest[0], rest[-1] = rest[-1], rest[0]
    return a * b + rest[0] * 2 + rest[-1]


def list_of_rows_inplace(x):
    rows = [r for r in x.reshape(3, 2).copy()]
    for r in rows:
        r *= 2.0
    M = np.stack(rows)
    return np.sum(M**2) + np.sum(x)


def rows_of_view(x):
    M = x.reshape(3, 2).copy()
    for r in M:
        r += r[::-1]
    return np.sum(M**3)


CASES = [
    Case(
        list_repeat_alias,
        (np.array([0.3, -0.2, 1.1]),),
        (0,),
        xfail=refused_by_mutation_check("`[a] * 3` then `lst[0] *= 2`: one array, three names"),
    ),
    Case(
        list_pair_alias,
        (np.array([0.3, -0.2, 1.1]),),
        (0,),
        xfail=refused_by_mutation_check("`[a, a]` then `pair[1][0] = v`: one array, two names"),
    ),
    Case(
        slice_copy_list,
        (np.array([0.3, -0.2, 1.1]),),
        (0,),
        xfail=refused_by_mutation_check(
            "`b = lst[:]` then `b[0] += 1`: the array `lst[0]` is shared"
        ),
    ),
    Case(view_of_view, (R.standard_normal(12),), (0,), extra="hvp"),  # (lifted: session 49)
    Case(transpose_write, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(newaxis_neg_step, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(fancy_then_mask, (np.array([0.5, -0.3, 1.2, 0.7, -0.9]),), (0,), extra="hvp"),
    Case(
        out_into_slice,
        (R.standard_normal(5),),
        (0,),
        xfail=refused_everywhere("`out=` a slice of an existing array is not tracked"),
    ),
    Case(float32_weights, (np.array([0.3, -0.2, 0.5]),), (0,), rtol=1e-3, atol=1e-4),
    Case(zero_d_update, (np.array([0.3, -0.2, 1.1]),), (0,), extra="hvp"),
    Case(ints_mixed, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(kernel_classes, (np.array([1.2, 0.8, 1.5]),), (0,), extra="hvp"),
    Case(
        config_net,
        (np.array([0.3, -0.2, 0.5]),),
        (0,),
    ),
    Case(gen_zip, (np.array([0.3, -0.2, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(setdefault_acc, (np.array([0.3, -0.2, 1.1, 0.4, 0.9]),), (0,), extra="hvp"),
    Case(einsum_repeat, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(keepdims_norm, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(tuple_unpack_swap, (np.array([0.3, -0.2, 1.1, 0.4, 0.9]),), (0,), extra="hvp"),
    Case(
        list_of_rows_inplace,
        (R.standard_normal(6),),
        (0,),
        xfail=refused_by_mutation_check("rows of an array in a list, each `r *= 2`"),
    ),
    Case(rows_of_view, (R.standard_normal(6),), (0,), extra="hvp"),
]

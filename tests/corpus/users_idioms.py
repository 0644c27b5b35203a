"""Python idioms the way users write them: builtins over iterables, comprehensions, closures,
user model objects, in-place edits, indexing tricks (soundness hunt B;
NumPy array idioms: users_arrays.py)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import Case

SCALE = 2.5
KEYS = ("a", "b", "c")


def enum_weighted(x):
    total = 0.0
    for i, v in enumerate(x):
        total += (i + 1) * v**2
    return total


def zip_dot(a, b):
    return sum(u * v for u, v in zip(a, b))


def reversed_horner(coeffs, x):
    acc = 0.0
    for c in reversed(coeffs):
        acc = acc * x + c
    return acc


def sorted_by_abs(x):
    s = sorted(x, key=abs)
    return s[0] * 1.0 + s[-1] * 2.0


def sorted_list_key(xs):
    pts = [(xs[i], xs[i + 1]) for i in range(0, len(xs), 2)]
    pts = sorted(pts, key=lambda p: p[0] ** 2 + p[1] ** 2)
    return pts[0][0] * pts[-1][1]


def min_max_key(x):
    pairs = list(zip(x[:-1], x[1:]))
    lo = min(pairs, key=lambda p: p[0] * p[1])
    hi = max(pairs, key=lambda p: p[0] + p[1])
    return lo[0] + lo[1] * hi[1]


def any_all(x):
    if any(v > 2.0 for v in x):
        return np.sum(x**2)
    if all(v > 0 for v in x):
        return np.prod(x)
    return np.sum(x)


def dict_comp(x):
    d = {k: x[i] * (i + 1) for i, k in enumerate(KEYS)}
    return d["a"] * d["c"] + d["b"] ** 2


def list_comp_filter(x):
    pos = [v for v in x if v > 0]
    return sum(pos) + len(pos)


def nested_closure(x, a):
    def scale(v):
        return a * v

    def inner(v):
        return np.sin(scale(v)) + a

    return np.sum(inner(x))


def make_poly(c):
    return lambda t: c[0] + c[1] * t + c[2] * t**2


def closure_factory(c, t):
    p = make_poly(c)
    return p(t) * p(2 * t)


def _sum_sq(*args):
    return sum(a**2 for a in args)


def _weighted(x, **kw):
    return x * kw.get("w", 1.0) + kw.get("b", 0.0)


def star_args(x, y, z):
    return _sum_sq(x, y, z) + _weighted(x, w=y, b=z)


def _act(x, kind="tanh", slope=0.1):
    if kind == "tanh":
        return np.tanh(x)
    return np.maximum(x, slope * x)


def default_args(x):
    return np.sum(_act(x)) + np.sum(_act(x, kind="leaky"))


def early_return(x):
    s = np.sum(x)
    if s < 0:
        return -s
    for v in x:
        if v > 1.5:
            return v * s
    return s**2


def try_except(x):
    try:
        y = np.log(x)
    except ValueError:
        y = x
    return np.sum(y)


def global_const(x):
    return SCALE * np.sum(x) + math.pi * x[0]


class Linear:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return x @ self.W + self.b

    def loss(self, x, y):
        return np.mean((self(x) - y) ** 2)


def model_method(W, b, x, y):
    m = Linear(W, b)
    return m.loss(x, y)


class Model:
    def __init__(self):
        self.W = np.array([[0.5, -0.3], [0.2, 0.8]])
        self.alpha = 0.1

    def forward(self, x):
        return np.tanh(self.W @ x) * self.alpha

    def energy(self, x):
        return np.sum(self.forward(x) ** 2) + self.alpha * x @ x


MODEL = Model()


def bound_method_energy(x):
    return MODEL.energy(x)


def string_keys(p):
    out = 0.0
    for k in ["w", "b"]:
        out += np.sum(p[k] ** 2)
    return out * p["scale"]


def tuple_unpack(x):
    a, b, *rest = x
    (c, d), e = (a * b, a + b), sum(rest)
    return c * d + e


def abs_at_zero(x):
    return np.sum(np.abs(x)) + abs(x[0])


def relu_max_kink(x):
    return max(0.0, x) + np.maximum(x, 0.0)


def python_max_list(x):
    return max(x[0], x[1], x[2]) - min(list(x))


def running_stats(xs):
    n, mean, m2 = 0, 0.0, 0.0
    for x in xs:
        n += 1
        d = x - mean
        mean += d / n
        m2 += d * (x - mean)
    return m2 / (n - 1)


def while_with_counter(x):
    i = 0
    acc = x
    while acc < 10.0 and i < 20:
        acc = acc * 1.5 + 0.1
        i += 1
    return acc * i


def list_append_build(x):
    out = []
    for i in range(len(x)):
        if i % 2 == 0:
            out.append(x[i] ** 2)
        else:
            out.append(-x[i])
    return np.array(out) @ x


def dict_update_loop(x):
    stats = {"sum": 0.0, "sq": 0.0}
    for v in x:
        stats["sum"] += v
        stats["sq"] += v * v
    return stats["sq"] - stats["sum"] ** 2 / len(x)


@dataclass
class Params:
    w: np.ndarray
    b: float


def dataclass_params(p, x):
    return np.sum(np.tanh(p.w * x + p.b))


def ternary_chain(x, y):
    z = x if x > y else y
    w = "pos" if z > 0 else "neg"
    return z**2 if w == "pos" else -z


def lambda_map(x):
    f = lambda v: v**2 + 1  # noqa: E731
    return sum(map(f, x)) + sum(list(map(lambda v: 2 * v, x)))


def mean_of_list_comp(xs):
    return np.mean([np.sin(v) for v in xs])


def static_method_user(x):
    return Helper.sq(x) + Helper.cube(x)


class Helper:
    @staticmethod
    def sq(x):
        return np.sum(x**2)

    @classmethod
    def cube(cls, x):
        return np.sum(x**3) * cls.k

    k = 0.5


def generator_expression_max(x):
    return max(v * v for v in x) + min((v for v in x), default=0.0)


def enumerate_start(x):
    return sum(i * v for i, v in enumerate(x, start=1))


def zip_strict_three(a, b, c):
    return sum(x * y - z for x, y, z in zip(a, b, c))


def walrus(x):
    if (s := np.sum(x)) > 0:
        return s**2
    return -s


def fstring_key(x):
    d = {}
    for i in range(3):
        d[f"k{i}"] = x[i] * i
    return d["k1"] + d["k2"] ** 2


def kwargs_forward(x):
    def inner(a, b=2.0, **kw):
        return a * b + kw.get("c", 0.0)

    opts = {"b": x[1], "c": x[2]}
    return inner(x[0], **opts)


def np_max_axis_ties(x):
    return np.max(x, axis=0).sum()


def list_sum_arrays(xs):
    return sum([np.sin(x) for x in xs]).sum()


def polyfit_like(c, t):
    return np.sum((np.polyval(c, t) - np.cos(t)) ** 2)


def linspace_param(a, b):
    t = np.linspace(a, b, 5)
    return np.sum(t**2)


def outer_update_matrix(x):
    M = np.eye(3)
    for i in range(3):
        M[i, :] = M[i, :] * x[i] + x
    return np.linalg.det(M)


def isclose_branch(x):
    if np.isclose(x, 0.0):
        return 1.0
    return np.sin(x) / x


RI = np.random.default_rng(11)
A3 = RI.standard_normal((3, 3))
V5 = np.array([0.5, -1.2, 2.3, 0.1, -0.4])


CASES = [
    Case(enum_weighted, (V5,), (0,), extra="hvp"),
    Case(zip_dot, (V5, V5[::-1].copy()), (0, 1)),
    Case(reversed_horner, ([1.0, -2.0, 0.5], 0.7), (0, 1)),
    Case(
        reversed_horner, (np.array([1.0, -2.0, 0.5]), 0.7), (0, 1), name="users_idioms.horner_arr"
    ),
    Case(sorted_by_abs, (V5,), (0,)),
    Case(sorted_list_key, (np.array([0.5, 1.0, -2.0, 0.3, 0.1, 0.2]),), (0,)),
    Case(min_max_key, (V5,), (0,)),
    Case(any_all, (V5,), (0,)),
    Case(any_all, (np.array([0.5, 1.2, 0.3]),), (0,), name="users_idioms.any_all_pos"),
    Case(dict_comp, (np.array([0.5, -1.0, 2.0]),), (0,)),
    Case(list_comp_filter, (V5,), (0,)),
    Case(nested_closure, (V5, 0.7), (0, 1), extra="hvp"),
    Case(closure_factory, (np.array([0.5, -1.0, 2.0]), 0.3), (0, 1), extra="hvp"),
    Case(star_args, (0.5, 1.5, -0.3), (0, 1, 2)),
    Case(default_args, (V5,), (0,)),
    Case(early_return, (V5,), (0,)),
    Case(early_return, (np.array([0.5, 0.2, 0.3]),), (0,), name="users_idioms.early_return2"),
    Case(early_return, (np.array([-0.5, 0.2, -0.3]),), (0,), name="users_idioms.early_return3"),
    Case(try_except, (np.array([0.5, 1.2]),), (0,)),  # np.log raises no ValueError: the body
    Case(global_const, (V5,), (0,)),
    Case(
        model_method,
        (A3, np.array([0.1, 0.2, 0.3]), RI.standard_normal((4, 3)), RI.standard_normal((4, 3))),
        (0, 1, 2),
        extra="hvp",
    ),
    Case(bound_method_energy, (np.array([0.3, -0.7]),), (0,), extra="hvp"),
    Case(string_keys, ({"w": np.array([1.0, 2.0]), "b": np.array([0.5]), "scale": 0.3},), (0,)),
    Case(tuple_unpack, (V5,), (0,)),
    Case(relu_max_kink, (0.3,), (0,)),
    Case(relu_max_kink, (-0.3,), (0,), name="users_idioms.relu_max_neg"),
    Case(python_max_list, (np.array([0.5, 1.5, -0.3]),), (0,)),
    Case(running_stats, (V5,), (0,), extra="hvp"),
    Case(while_with_counter, (1.1,), (0,)),
    Case(list_append_build, (V5,), (0,)),
    Case(dict_update_loop, (V5,), (0,), extra="hvp"),
    Case(ternary_chain, (0.5, 0.2), (0, 1)),
    Case(ternary_chain, (-0.5, -0.2), (0, 1), name="users_idioms.ternary_neg"),
    Case(lambda_map, (V5,), (0,)),
    Case(mean_of_list_comp, (V5,), (0,)),
    Case(static_method_user, (V5,), (0,)),
    Case(generator_expression_max, (V5,), (0,)),
    Case(enumerate_start, (V5,), (0,)),
    Case(zip_strict_three, (V5, V5 * 2, V5 + 1), (0, 1, 2)),
    Case(walrus, (V5,), (0,)),
    Case(fstring_key, (V5,), (0,)),
    Case(kwargs_forward, (V5,), (0,)),
    Case(np_max_axis_ties, (A3,), (0,)),
    Case(list_sum_arrays, ([V5, V5 * 2],), (0,)),
    Case(polyfit_like, (np.array([0.1, -0.5, 1.0]), np.linspace(0, 1, 5)), (0,)),
    Case(linspace_param, (0.3, 1.7), (0, 1)),
    Case(outer_update_matrix, (np.array([0.5, 1.5, -0.3]),), (0,)),
    Case(isclose_branch, (0.7,), (0,)),
]

# Right at first order, but kinks/branches near the point (early stops, max payoffs, bounces,
# abs at 0) defeat the finite-difference Hessians of tests/higher/test_corpus_hessians.py, or
# a dataclass argument its packer does not flatten: checked in tests/soundness/test_users_hunt.py.
NONSMOOTH = [
    Case(abs_at_zero, (np.array([0.0, 1.0, -2.0]),), (0,), jitter=0.0),
    Case(dataclass_params, (Params(np.array([0.5, -1.0]), 0.2), np.array([1.0, 2.0])), (0, 1)),
]

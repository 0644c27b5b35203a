"""Ported cases (session 52, hunt52b): Rosetta Code's numerical routines applied to a
parameter (Simpson's rule, RK4, Newton and secant iterations, Gauss-Legendre by ``leggauss``,
Romberg's table of lists, power iteration, Jacobi and Gauss-Seidel sweeps writing items, conjugate
gradients with a ``break``, a natural cubic spline, leapfrog, Lagrange interpolation) and the
Python idioms a user's code has around them: ``match`` statements, the walrus, ``yield from``,
``functools.lru_cache`` inside the function, ``bisect``, ``itertools`` (combinations, pairwise,
starmap, chain, accumulate), ``sorted``/``min``/``max`` with keys, ``math.fsum``/``prod``/
``dist``/``hypot``, ``statistics``, ``np.errstate``, ``.item()``/``.tolist()``, ufuncs' ``out=``,
``np.copyto(where=)``, masked in-place updates, ``np.ndenumerate``/``ndindex``/``nditer``/
``.flat``, ``deque(maxlen=)``, ``defaultdict``/``OrderedDict``/``setdefault``, recursion and
mutual recursion, ``while``/``for`` with ``else``, list methods, slice objects, ``np.ix_``,
starred unpacking, ``divmod``/``round``; user classes with ``super()``, a frozen dataclass and
``dataclasses.replace``, a namedtuple's ``_replace``/``_asdict``, a property setter, a
classmethod constructor and operators.

Float64 arrays -> a float. Each row is checked forward and reverse and at second order."""

from __future__ import annotations

import bisect
import collections
import dataclasses
import functools
import itertools
import math
import operator
import statistics

import numpy as np

from . import Case

X5 = np.array([2.04091912, -2.55566503, 0.41809885, -0.56776961, -0.45264929])


def f_simpson(x):
    def simpson(fn, a, b, n=20):
        h = (b - a) / n
        s = fn(a) + fn(b)
        for i in range(1, n):
            s += (4 if i % 2 else 2) * fn(a + i * h)
        return s * h / 3

    return simpson(lambda t: np.exp(-x[0] * t * t) * np.cos(x[1] * t), 0.0, x[2] + 2.0)


def f_rk4(x):
    def deriv(t, y):
        return np.array([y[1], -x[0] * y[0] - x[1] * y[1]])

    y = np.array([1.0, 0.0])
    t, h = 0.0, 0.1
    for _ in range(20):
        k1 = deriv(t, y)
        k2 = deriv(t + h / 2, y + h / 2 * k1)
        k3 = deriv(t + h / 2, y + h / 2 * k2)
        k4 = deriv(t + h, y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return y[0] + x[2] * y[1]


def f_newton_sqrt(x):
    # Newton iteration converging to a value depending on x: derivative through the iteration
    a = x[0] ** 2 + 1.0
    r = a
    while abs(r * r - a) > 1e-12:
        r = 0.5 * (r + a / r)
    return r


def f_newton_cubic(x):
    c = x[1] + 3.0
    z = 1.0
    for _ in range(30):
        z = z - (z**3 + z - c) / (3 * z**2 + 1)
    return z * x[0]


def f_gauss_legendre(x):
    nodes, weights = np.polynomial.legendre.leggauss(6)
    a, b = 0.0, 1.0 + x[0] ** 2
    t = 0.5 * (b - a) * nodes + 0.5 * (b + a)
    return 0.5 * (b - a) * np.sum(weights * np.sin(x[1] * t) / (1 + t))


def f_legval(x):
    return (
        np.polynomial.legendre.legval(0.3, x)
        + np.sum(np.polynomial.chebyshev.chebval(x, [1.0, 0.5, 0.25]))
        + np.polynomial.hermite.hermval(x[0], x[1:])
    )


def f_golden(x):
    gr = (np.sqrt(5) - 1) / 2
    a, b = -3.0, 3.0
    fn = lambda t: (t - x[0]) ** 2 + x[1] * t
    c, d = b - gr * (b - a), a + gr * (b - a)
    for _ in range(60):
        if fn(c) < fn(d):
            b = d
        else:
            a = c
        c, d = b - gr * (b - a), a + gr * (b - a)
    return fn((a + b) / 2)


def f_fixed_point(x):
    v = 0.5
    for _ in range(100):
        v = np.cos(x[0] * v) * 0.5 + x[1] * 0.1
    return v


def f_trapz_loop(x):
    n = 50
    ts = np.linspace(0, 1, n + 1)
    ys = [np.exp(x[0] * t) * t**2 for t in ts]
    return sum((ys[i] + ys[i + 1]) * (ts[i + 1] - ts[i]) / 2 for i in range(n))


def f_romberg(x):
    fn = lambda t: 1.0 / (1.0 + x[0] ** 2 * t * t)
    R = [[0.0] * 5 for _ in range(5)]
    a, b = 0.0, 1.0
    h = b - a
    R[0][0] = 0.5 * h * (fn(a) + fn(b))
    for i in range(1, 5):
        h /= 2
        R[i][0] = 0.5 * R[i - 1][0] + h * sum(
            fn(a + (2 * k - 1) * h) for k in range(1, 2 ** (i - 1) + 1)
        )
        for j in range(1, i + 1):
            R[i][j] = R[i][j - 1] + (R[i][j - 1] - R[i - 1][j - 1]) / (4**j - 1)
    return R[4][4]


def f_euler_maruyama_det(x):
    rng = np.random.default_rng(0)
    y = 1.0
    dt = 0.01
    for _ in range(50):
        y = y + x[0] * y * dt + x[1] * y * np.sqrt(dt) * rng.standard_normal()
    return y


def f_power_iteration(x):
    A = np.outer(x, x) + np.diag(np.arange(1.0, 6.0))
    v = np.ones(5) / np.sqrt(5)
    for _ in range(50):
        w = A @ v
        v = w / np.linalg.norm(w)
    return v @ A @ v


def f_jacobi_iter(x):
    A = np.diag(np.full(5, 4.0)) + np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1)
    b = x.copy()
    u = np.zeros(5)
    D = np.diag(A)
    R = A - np.diag(D)
    for _ in range(40):
        u = (b - R @ u) / D
    return np.sum(u**2)


def f_gauss_seidel(x):
    A = np.diag(np.full(5, 4.0)) + np.diag(np.ones(4), 1) + np.diag(np.ones(4), -1)
    u = np.zeros(5)
    for _ in range(30):
        for i in range(5):
            s = A[i] @ u - A[i, i] * u[i]
            u[i] = (x[i] - s) / A[i, i]
    return np.sum(u**3)


def f_conj_grad(x):
    A = np.outer(x, x) + 5 * np.eye(5)
    b = np.arange(1.0, 6.0)
    u = np.zeros(5)
    r = b - A @ u
    p = r.copy()
    rs = r @ r
    for _ in range(5):
        Ap = A @ p
        alpha = rs / (p @ Ap)
        u = u + alpha * p
        r = r - alpha * Ap
        rs_new = r @ r
        if np.sqrt(rs_new) < 1e-14:
            break
        p = r + (rs_new / rs) * p
        rs = rs_new
    return np.sum(u)


def f_horner_loop(x):
    acc = 0.0
    for c in reversed(x):
        acc = acc * 0.7 + c
    return acc


def f_continued_fraction(x):
    v = x[0]
    for k in range(10, 0, -1):
        v = k / (1.0 + k * x[1] / (v + 2.0))
    return v


def f_lagrange_interp(x):
    xs = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    t = 0.8
    tot = 0.0
    for i in range(5):
        L = 1.0
        for j in range(5):
            if i != j:
                L *= (t - xs[j]) / (xs[i] - xs[j])
        tot += x[i] * L
    return tot


def f_cubic_spline_natural(x):
    n = len(x)
    h = 1.0
    A = np.zeros((n, n))
    rhs = np.zeros(n)
    A[0, 0] = A[-1, -1] = 1.0
    for i in range(1, n - 1):
        A[i, i - 1], A[i, i], A[i, i + 1] = h, 4 * h, h
        rhs[i] = 6 * (x[i + 1] - 2 * x[i] + x[i - 1]) / h
    M = np.linalg.solve(A, rhs)
    t = 1.3
    i = 1
    a = i + 1 - t
    b = t - i
    return (
        M[i] * a**3 / 6
        + M[i + 1] * b**3 / 6
        + (x[i] - M[i] / 6) * a
        + (x[i + 1] - M[i + 1] / 6) * b
    )


def f_leapfrog(x):
    q, p = x[0], x[1]
    dt = 0.05
    for _ in range(40):
        p = p - 0.5 * dt * np.sin(q)
        q = q + dt * p
        p = p - 0.5 * dt * np.sin(q)
    return q * p + 0.5 * p**2 - np.cos(q)


def f_secant(x):
    g = lambda t: t**3 - x[0] - 2.0
    a, b = 1.0, 2.0
    for _ in range(30):
        if abs(b - a) < 1e-14:
            break
        a, b = b, b - g(b) * (b - a) / (g(b) - g(a))
    return b


def f_match(x):
    s = 0.0
    for i, v in enumerate(x):
        match i % 3:
            case 0:
                s += v**2
            case 1:
                s += math.sin(v)
            case _:
                s -= v
    return s


def f_match_tuple(x):
    pts = [(x[0], x[1]), (x[2], x[3], x[4])]
    tot = 0.0
    for p in pts:
        match p:
            case (a, b):
                tot += a * b
            case (a, b, c):
                tot += a + b * c
    return tot


def f_walrus(x):
    tot = 0.0
    for v in x:
        if (y := v * v) > 0.3:
            tot += y
        else:
            tot += v
    return tot


def f_yield_from(x):
    def inner(a):
        for v in a:
            yield v * 2

    def outer(a):
        yield from inner(a)
        yield a[0] ** 3

    return sum(outer(x))


def f_lru(x):
    @functools.cache
    def coef(k):
        return 1.0 / math.factorial(k)

    return sum(coef(k) * x[0] ** k for k in range(8)) + x[1]


def f_bisect(x):
    knots = [0.0, 0.5, 1.0, 1.5]
    vals = list(x[:4])
    t = 0.7
    i = bisect.bisect_right(knots, t) - 1
    a = (t - knots[i]) / (knots[i + 1] - knots[i])
    return vals[i] * (1 - a) + vals[i + 1] * a


def f_itertools(x):
    s = 0.0
    for a, b in itertools.combinations(x, 2):
        s += a * b
    for a, b in itertools.pairwise(x):
        s += (a - b) ** 2
    s += sum(itertools.starmap(operator.mul, zip(x, x[::-1])))
    s += sum(itertools.chain(x[:2], x[3:]))
    s += max(itertools.accumulate(x, operator.add))
    return s


def f_sorted_key(x):
    pairs = sorted(zip(x, range(5)), key=lambda p: -p[0])
    return sum(v * (k + 1) for v, k in pairs[:3])


def f_math_funcs(x):
    return (
        math.fsum(x)
        + math.prod(x[:3])
        + math.dist(x[:2], x[2:4])
        + math.hypot(*x)
        + statistics.fmean(x)
        + statistics.stdev(x)
    )


def f_statistics(x):
    return statistics.mean(list(x)) * statistics.pvariance(list(x)) + statistics.median(list(x))


def f_errstate(x):
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(x > 0, np.log(np.abs(x)), 0.0)
    return np.sum(r * x)


def f_item_tolist(x):
    a = x.sum().item()
    lst = x.tolist()
    return a * lst[0] + float(x[1]) ** 2 + sum(lst)


def f_out_arg(x):
    y = np.empty_like(x)
    np.exp(x, out=y)
    z = np.zeros(5)
    np.add(y, x, out=z)
    np.multiply(z, 2.0, out=z)
    return z.sum()


def f_copyto(x):
    y = np.zeros(5)
    np.copyto(y, x**2, where=x > 0)
    return np.sum(y * x)


def f_inplace_mask(x):
    y = x.copy()
    y[y > 0] *= 3.0
    y[1:] += y[:-1]
    y[::2] -= 1.0
    return np.sum(y**2)


def f_ndenumerate(x):
    M = np.outer(x, x[:2])
    s = 0.0
    for (i, j), v in np.ndenumerate(M):
        s += v * (i + 2 * j)
    for idx in np.ndindex(2, 2):
        s += M[idx] ** 2
    return s


def f_flat(x):
    M = np.outer(x, x)
    return sum(v for v in M.flat if v > 0) + M.ravel()[3]


def f_nditer(x):
    s = 0.0
    for v in np.nditer(x):
        s += v * v
    return s


def f_deque(x):
    d = collections.deque(maxlen=3)
    s = 0.0
    for v in x:
        d.append(v)
        s += sum(d) / len(d)
    d.rotate(1)
    return s + d[0]


def f_counter_default(x):
    dd = collections.defaultdict(float)
    for i, v in enumerate(x):
        dd[i % 2] += v**2
    od = collections.OrderedDict(sorted(dd.items()))
    return od[0] - od[1] + dd.get(5, 1.5)


def f_dict_setdefault(x):
    d = {}
    for i, v in enumerate(x):
        d.setdefault(i % 2, []).append(v)
    return sum(np.prod(vs) for vs in d.values())


def f_recursion(x):
    def horner(c, t):
        if len(c) == 1:
            return c[0]
        return c[0] + t * horner(c[1:], t)

    return horner(list(x), 0.7) + horner(list(x[::-1]), x[0])


def f_mutual(x):
    def ev(n, v):
        return v if n == 0 else od(n - 1, v) * 1.1

    def od(n, v):
        return np.sin(v) if n == 0 else ev(n - 1, v) + v

    return np.sum(ev(4, x))


def f_assert_print(x):
    assert x.shape == (5,), "bad shape"
    n = np.linalg.norm(x)
    msg = f"norm={n:.3f}"
    if len(msg) > 100:
        print(msg)
    return n**3


def f_default_loopvar(x):
    fs = [lambda v, k=k: v**k for k in range(1, 4)]
    return sum(np.sum(f(x)) for f in fs)


def f_zip_strict(x):
    return sum(a * b for a, b in zip(x, reversed(x), strict=True))


def f_enumerate_start(x):
    return sum(v / i for i, v in enumerate(x, start=1))


def f_any_all(x):
    s = np.sum(x**2)
    if all(v > -3 for v in x) and any(v > 0 for v in x):
        s = s * 2
    return s


def f_min_key(x):
    pts = [x[:2], x[2:4], x[3:5]]
    best = min(pts, key=lambda p: np.sum(p**2))
    return np.sum(best**3) + max(x, key=abs)


def f_reduce_lambda(x):
    return functools.reduce(lambda a, b: a * 0.5 + b, x, 0.0)


def f_partial_method(x):
    def poly(a, b, c, t):
        return a + b * t + c * t**2

    p = functools.partial(poly, x[0], c=x[2])
    return p(x[1], t=x[3]) + p(b=1.0, t=2.0)


def f_string_keys(x):
    params = {f"w{i}": x[i] for i in range(5)}
    return sum(params[k] ** 2 for k in sorted(params) if k != "w2") + params["w2"]


def f_chained_cmp(x):
    s = 0.0
    for v in x:
        if -0.5 < v <= 0.5:
            s += v**2
        elif v > 0.5:
            s += v
    return s


def f_ternary_nested(x):
    return sum((v if v > 0 else -v) if abs(v) < 1 else v**2 for v in x)


def f_while_else(x):
    i = 0
    s = x[0]
    while i < 10:
        s = s * 0.9 + x[i % 5]
        if abs(s) > 100:
            break
        i += 1
    else:
        s += 1.0
    return s


def f_for_else_break(x):
    for v in x:
        if v > 1.5:
            r = v
            break
    else:
        r = x[-1] ** 2
    return r * x[0]


def f_list_methods(x):
    lst = list(x)
    lst.insert(1, x[0] ** 2)
    lst.extend([x[1], x[2]])
    last = lst.pop()
    lst.remove(lst[2])
    lst.reverse()
    lst.sort()
    return sum(lst) + last + lst.index(lst[1]) * x[3]


def f_slice_obj(x):
    sl = slice(1, 4)
    return np.sum(x[sl] ** 2) + np.sum(x[np.s_[::2]]) + np.sum(x[np.r_[0, 2:4]])


def f_ix(x):
    M = np.outer(x, x)
    return np.sum(M[np.ix_([0, 2], [1, 3, 4])] ** 2)


def f_ellipsis_newaxis(x):
    M = np.outer(x, x)[None]
    return np.sum(M[..., 1] * M[0, ..., np.newaxis, 2])


def f_tuple_unpack_star(x):
    a, *mid, b = x
    first, (c, d) = x[0], x[1:3]
    return a * b + sum(mid) + c * d * first


def f_bool_arith(x):
    return np.sum((x > 0) * x**2 + (x < 0) * np.abs(x)) + sum(v * (v > 0) for v in x)


def f_np_float_ops(x):
    a = np.float64(x[0])
    b = float(a) * 2
    c = np.asarray(b) + x[1]
    return float(c) ** 2 + np.float32(1.0) * x[2] + 3 * x[3]


def f_matmul_op(x):
    W = np.outer(x, x) + np.eye(5)
    W @= W.T
    v = x.copy()
    v /= np.linalg.norm(v)
    return v @ W @ v


def f_divmod(x):
    s = 0.0
    for v in x:
        q, r = divmod(v, 0.4)
        s += r**2 + q * v
    return s + np.sum(x // 0.3 * x) + np.sum(x % 0.3)


def f_round_builtin(x):
    return sum(round(v, 2) * v for v in x) + sum(math.floor(v) * v**2 for v in x)


class Base:
    def __init__(self, w):
        self.w = w

    def __call__(self, v):
        return self.forward(v)

    def forward(self, v):
        return self.w * v


class Child(Base):
    def __init__(self, w, b):
        super().__init__(w)
        self.b = b

    def forward(self, v):
        return np.tanh(super().forward(v) + self.b)


def f_super(x):
    m = Child(x[:2], x[2])
    return np.sum(m(x[3:]))


@dataclasses.dataclass(frozen=True)
class P:
    a: float
    b: float

    def energy(self):
        return self.a**2 + math.sin(self.b)


def f_dataclass_replace(x):
    p = P(x[0], x[1])
    q = dataclasses.replace(p, b=x[2])
    return p.energy() + q.energy() + sum(dataclasses.astuple(q))


Pt = collections.namedtuple("Pt", "a b c")


def f_namedtuple_replace(x):
    p = Pt(x[0], x[1], x[2])
    q = p._replace(a=x[3])
    return q.a * q.b + sum(p) + p._asdict()["c"] ** 2


class T:
    def __init__(self):
        self._v = 0.0

    @property
    def v(self):
        return self._v

    @v.setter
    def v(self, val):
        self._v = max(val, -0.5)


def f_property_setter(x):
    t = T()
    tot = 0.0
    for val in x:
        t.v = val
        tot += t.v**2
    return tot


class Vec:
    def __init__(self, a):
        self.a = a

    @classmethod
    def zeros(cls, n):
        return cls(np.zeros(n))

    @staticmethod
    def dot(u, v):
        return np.dot(u.a, v.a)

    def __add__(self, o):
        return Vec(self.a + o.a)

    def __iter__(self):
        return iter(self.a)

    def __len__(self):
        return len(self.a)

    def __getitem__(self, i):
        return self.a[i]


def f_classmethod(x):
    v = Vec.zeros(5) + Vec(x)
    return Vec.dot(v, v) + sum(v) + v[2] * len(v)


CASES = [
    Case(f_simpson, (X5.copy(),), (0,), extra="hvp"),
    Case(f_rk4, (X5.copy(),), (0,), extra="hvp"),
    Case(f_newton_sqrt, (X5.copy(),), (0,), extra="hvp"),
    Case(f_newton_cubic, (X5.copy(),), (0,), extra="hvp"),
    Case(f_gauss_legendre, (X5.copy(),), (0,), extra="hvp"),
    Case(f_legval, (X5.copy(),), (0,), extra="hvp"),
    Case(f_golden, (X5.copy(),), (0,), extra="hvp"),
    Case(f_fixed_point, (X5.copy(),), (0,), extra="hvp"),
    Case(f_trapz_loop, (X5.copy(),), (0,), extra="hvp"),
    Case(f_romberg, (X5.copy(),), (0,), extra="hvp"),
    Case(f_euler_maruyama_det, (X5.copy(),), (0,), extra="hvp"),
    Case(f_power_iteration, (X5.copy(),), (0,), extra="hvp"),
    Case(f_jacobi_iter, (X5.copy(),), (0,), extra="hvp"),
    Case(f_gauss_seidel, (X5.copy(),), (0,), extra="hvp"),
    Case(f_conj_grad, (X5.copy(),), (0,), extra="hvp"),
    Case(f_horner_loop, (X5.copy(),), (0,), extra="hvp"),
    Case(f_continued_fraction, (X5.copy(),), (0,), extra="hvp"),
    Case(f_lagrange_interp, (X5.copy(),), (0,), extra="hvp"),
    Case(f_cubic_spline_natural, (X5.copy(),), (0,), extra="hvp"),
    Case(f_leapfrog, (X5.copy(),), (0,), extra="hvp"),
    Case(f_secant, (X5.copy(),), (0,), extra="hvp"),
    Case(f_match, (X5.copy(),), (0,), extra="hvp"),
    Case(f_match_tuple, (X5.copy(),), (0,), extra="hvp"),
    Case(f_walrus, (X5.copy(),), (0,), extra="hvp"),
    Case(f_yield_from, (X5.copy(),), (0,), extra="hvp"),
    Case(f_lru, (X5.copy(),), (0,), extra="hvp"),
    Case(f_bisect, (X5.copy(),), (0,), extra="hvp"),
    Case(f_itertools, (X5.copy(),), (0,), extra="hvp"),
    Case(f_sorted_key, (X5.copy(),), (0,), extra="hvp"),
    Case(f_math_funcs, (X5.copy(),), (0,), extra="hvp"),
    Case(f_statistics, (X5.copy(),), (0,), extra="hvp"),
    Case(f_errstate, (X5.copy(),), (0,), extra="hvp"),
    Case(f_item_tolist, (X5.copy(),), (0,), extra="hvp"),
    Case(f_out_arg, (X5.copy(),), (0,), extra="hvp"),
    Case(f_copyto, (X5.copy(),), (0,), extra="hvp"),
    Case(f_inplace_mask, (X5.copy(),), (0,), extra="hvp"),
    Case(f_ndenumerate, (X5.copy(),), (0,), extra="hvp"),
    Case(f_flat, (X5.copy(),), (0,), extra="hvp"),
    Case(f_nditer, (X5.copy(),), (0,), extra="hvp"),
    Case(f_deque, (X5.copy(),), (0,), extra="hvp"),
    Case(f_counter_default, (X5.copy(),), (0,), extra="hvp"),
    Case(f_dict_setdefault, (X5.copy(),), (0,), extra="hvp"),
    Case(f_recursion, (X5.copy(),), (0,), extra="hvp"),
    Case(f_mutual, (X5.copy(),), (0,), extra="hvp"),
    Case(f_assert_print, (X5.copy(),), (0,), extra="hvp"),
    Case(f_default_loopvar, (X5.copy(),), (0,), extra="hvp"),
    Case(f_zip_strict, (X5.copy(),), (0,), extra="hvp"),
    Case(f_enumerate_start, (X5.copy(),), (0,), extra="hvp"),
    Case(f_any_all, (X5.copy(),), (0,), extra="hvp"),
    Case(f_min_key, (X5.copy(),), (0,), extra="hvp"),
    Case(f_reduce_lambda, (X5.copy(),), (0,), extra="hvp"),
    Case(f_partial_method, (X5.copy(),), (0,), extra="hvp"),
    Case(f_string_keys, (X5.copy(),), (0,), extra="hvp"),
    Case(f_chained_cmp, (X5.copy(),), (0,), extra="hvp"),
    Case(f_ternary_nested, (X5.copy(),), (0,), extra="hvp"),
    Case(f_while_else, (X5.copy(),), (0,), extra="hvp"),
    Case(f_for_else_break, (X5.copy(),), (0,), extra="hvp"),
    Case(f_list_methods, (X5.copy(),), (0,), extra="hvp"),
    Case(f_slice_obj, (X5.copy(),), (0,), extra="hvp"),
    Case(f_ix, (X5.copy(),), (0,), extra="hvp"),
    Case(f_ellipsis_newaxis, (X5.copy(),), (0,), extra="hvp"),
    Case(f_tuple_unpack_star, (X5.copy(),), (0,), extra="hvp"),
    Case(f_bool_arith, (X5.copy(),), (0,), extra="hvp"),
    Case(f_np_float_ops, (X5.copy(),), (0,), extra="hvp"),
    Case(f_matmul_op, (X5.copy(),), (0,), extra="hvp"),
    Case(f_divmod, (X5.copy(),), (0,), extra="hvp"),
    Case(f_round_builtin, (X5.copy(),), (0,), extra="hvp"),
    Case(f_super, (X5.copy(),), (0,), extra="hvp"),
    Case(f_dataclass_replace, (X5.copy(),), (0,), extra="hvp"),
    Case(f_namedtuple_replace, (X5.copy(),), (0,), extra="hvp"),
    Case(f_property_setter, (X5.copy(),), (0,), extra="hvp"),
    Case(f_classmethod, (X5.copy(),), (0,), extra="hvp"),
]

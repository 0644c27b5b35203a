"""Python idioms users write that srcad used to refuse, crash on or get wrong (session 11,
`refuse11`): ``super().m(v)`` / ``super(C, self).m(v)`` in a method of an object built in the
function (the generated code called ``super()`` with no ``__class__`` cell: a crash;
lower/objsuper.py); a ``range`` a function taken from a dict returns, then subscripted, summed
or iterated (its tangent was None: a crash; rules/trees.zeros_like); a dict literal of lambdas
with two on a continuation line (the first was taken for the second: "changed since it was
imported", frontend/source._from_lambda); rows of a list of lists written through names
(scimark SOR ``Gi = G[i]; Gi[j] = ...``, LU by rows, a dict's list ``w = d["w"]; w[0] += 1.0``:
lower/listrows.py); ``f(*ps)`` with `ps` of run-time length (a list made from an argument, a
list made before the loop the call is in; lower/starcalls.py); ``logging.getLogger(__name__)
.debug(msg, s)`` (a logger asked for in the loss: lower/stdlib._get_logger); PyTorch-style
``Seq(*layers)`` (an ``__init__`` with ``*args`` storing ``list(layers)``: lower/objects._bind);
a lambda a method returns (``f = LM(a).make(); f(v)``: carried with the method's names,
lower/closures.carry); sklearn-loss-style records holding a function (``Loss(_half_squared)``)
or a link object of a class with no ``__init__`` (``self.link = LogLink()``,
``Loss(LogLink())``: lower/objrecord.py); ``dataclasses.replace(p, a=v)`` after ``p.b = ...``
(the class called with the fields as they are: objrecord.replace), and such an object used as a
value (``p == q``, ``str(p)``: rebuilt from its fields as they are, objrecord.current_args).
Each is checked forward, reverse and (``extra="hvp"``) at second order
(tests/soundness/test_refuse11.py, with the neighbours that must stay refused)."""

from __future__ import annotations

import dataclasses
import logging
import math

import numpy as np

from . import Case

V4 = np.array([0.31, -0.72, 1.13, 0.57])


# -- super() in methods of objects built here ------------------------------------------------------
class _Scale:
    def __init__(self, s):
        self.k = 2.0 * s

    def apply(self, v):
        return v * self.k

    @property
    def gain(self):
        return self.k + 1.0


class _Doubled(_Scale):
    def apply(self, v):
        return super().apply(v) * 2.0


class _Shifted(_Doubled):
    def __init__(self, s):
        super().__init__(s)
        self.m = s * 0.5

    def apply(self, v):
        return super().apply(v) + self.m * v + super().gain


class _Named(_Scale):
    def apply(self, v):
        return super(_Named, self).apply(v) * 3.0  # noqa: UP008 - the two-argument form


class _Layer:
    def __init__(self, w):
        self.w = w * 1.0

    def __call__(self, x):
        return np.tanh(self.w * x)


class _Residual(_Layer):
    def __call__(self, x):
        return x + super().__call__(x)


class _A:
    def __init__(self, s):
        self.s = s * 1.0

    def g(self, v):
        return v * self.s


class _B(_A):
    def g(self, v):
        return super().g(v) + 1.0


class _C(_A):
    def g(self, v):
        return super().g(v) * 2.0


class _D(_B, _C):  # diamond: _D's super() is _B's, _B's is _C's
    def g(self, v):
        return super().g(v) ** 2


def super_in_method(x):
    return np.sum(_Doubled(x[0]).apply(x) ** 2)


def super_chain_and_property(x):
    s = _Shifted(x[1])
    return np.sum(s.apply(x) * s.gain)


def super_two_arguments(x):
    return np.sum(_Named(1.5).apply(x) ** 2)


def super_call_dunder(x):
    return np.sum(_Residual(x[1])(x))


def super_diamond(x):
    return np.sum(_D(x[0]).g(x))


def _run(layer, x):
    return layer.g(x)


def super_in_helper(x):
    return np.sum(_run(_B(x[1]), x) ** 2)


# -- a range returned by a function from a dict -----------------------------------------------------
_PICK = {
    "scale": lambda z: 2.0 * z,
    "rng": lambda z: range(3),
    "odd": lambda z: range(1, 7, 2),
}


def _affine(item, x):
    return item[0] * x + item[1] * x * x + item[2]


def range_from_dict(x):
    return np.sum(_affine(_PICK["rng"](x), x) + _affine(_PICK["odd"](x), x))


def range_summed_and_iterated(x):
    r = _PICK["odd"](x)
    t = 0.0
    for i in r:
        t = t + np.sin(x) * i
    return np.sum(t + sum(r[1:]) * x + max(r) * x**2 + len(r))


def range_as_array(x):
    r = _PICK["rng"](x)
    s = tuple(r)
    return np.sum(np.array(r, float) * x[:3]) + np.sum((s + (x,))[3] * s[2]) + math.prod(r[1:])


# -- rows of a list of lists written through names (pyperformance scimark) -------------------------
def sor_rows(x):
    n = 4
    G = [[x[(i + j) % 3] * (i + 1) for j in range(n)] for i in range(n)]
    omega = 1.25
    for _ in range(3):
        for i in range(1, n - 1):
            Gi = G[i]
            Gim1 = G[i - 1]
            Gip1 = G[i + 1]
            for j in range(1, n - 1):
                Gi[j] = (
                    omega * 0.25 * (Gim1[j] + Gip1[j] + Gi[j - 1] + Gi[j + 1]) + (1 - omega) * Gi[j]
                )
    return sum(sum(r) for r in G)


def lu_rows(x):
    A = [[4.0 + x[0], 1.0, x[1]], [1.0, 3.0 + x[2], 0.5], [x[1], 0.5, 2.0 + x[3]]]
    n = 3
    for k in range(n):
        rowk = A[k]
        for i in range(k + 1, n):
            rowi = A[i]
            f = rowi[k] / rowk[k]
            for j in range(k, n):
                rowi[j] = rowi[j] - f * rowk[j]
    return A[0][0] * A[1][1] * A[2][2]


def dict_row_updated(x):
    d = {"w": [x[0], x[1]], "b": [x[2]]}
    w = d["w"]
    w[0] = w[0] + 1.0
    w[1] = w[1] * x[2]
    return d["w"][0] * d["w"][1] + w[0] * d["b"][0]


def rows_swept_with_break(x):
    G = [[x[0], x[1]], [x[2], x[3]]]
    for i in range(2):
        Gi = G[i]
        H = Gi
        for j in range(2):
            Gi[j] = Gi[j] * G[1 - i][j] + x[1]
        if H[0] > 5.0:
            break
    return G[0][0] * G[0][1] + G[1][0] * G[1][1]


def array_rows_of_a_list(x):
    G = [np.array([x[0], x[1]]), np.array([x[2], x[3]])]
    for i in range(2):
        r = G[i]
        r[0] = r[1] * 2.0
    return G[0][0] * G[1][0] + np.sum(G[1])


# -- f(*ps) with ps of run-time length ----------------------------------------------------------------
def _squares(*vals):
    return sum(v * v for v in vals)


def _pair(a, b):
    return a * b


def _head_and_rest(a, *rest):
    return a * len(rest) + sum(rest)


def _rhs(y, t, a, b, c=1.0):
    return -a * y + b * np.sin(t) * c


def _euler(func, y, n, args, kw):
    for i in range(n):
        y = y + 0.1 * func(y, i * 0.1, *args, **kw)
    return y


def star_of_runtime_list(x):
    ps = list(x[:2])
    return _pair(*ps) + _squares(*ps) + _head_and_rest(*x) + _squares(1.0, *x)


def star_list_made_before_loop(x):
    args = [x[0], x[1]]
    return np.sum(_euler(_rhs, x, 3, args, dict(c=2.0)) ** 2)


# -- a logger asked for inside the loss -----------------------------------------------------------------
def logs_through_get_logger(x):
    s = np.sum(np.sin(x) ** 2)
    logging.getLogger(__name__).debug("loss %s", s)
    log = logging.getLogger("srcad.tests.refuse11")
    log.info("loss %.3f", float(s))
    return s


# -- Seq(*layers): an __init__ with *args ------------------------------------------------------------
class _Module:
    def __init__(self):
        self.training = True

    def __call__(self, x):
        return self.forward(x)


class _Linear(_Module):
    def __init__(self, W, b):
        super().__init__()
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b


class _ReLU(_Module):
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask


class _Seq(_Module):
    def __init__(self, *layers):
        super().__init__()
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class _Poly:
    def __init__(self, *coeffs):
        self.c = coeffs
        self.n = len(coeffs)

    def __call__(self, t):
        return sum(c * t**k for k, c in enumerate(self.c))


def seq_of_layers(x):
    net = _Seq(_Linear(np.outer(x, x), x), _ReLU(), _Linear(np.outer(x, x[::-1]), x))
    layers = [_Linear(np.outer(x, x), x), _ReLU()]
    net2 = _Seq(*layers)
    return np.sum(net(x) ** 2) + np.sum(net.layers[0].x) + np.sum(net2(x)) + np.sum(_Seq()(x))


def poly_of_star_coefficients(x):
    cs = [x[0], 2.0]
    p = _Poly(x[1], x[2], 0.5)
    return np.sum(p(x)) * p.n + np.sum(_Poly(*cs)(x))


# -- a lambda returned by a method ---------------------------------------------------------------------
class _Maker:
    def __init__(self, a):
        self.a = a * 1.0

    def make(self):
        return lambda v: self.a * v * v

    def make_late(self):
        k = 1.0
        g = lambda v: v * k + self.a  # noqa: E731 - the late-binding case
        k = 2.0
        return g

    def make_def(self, s):
        def inner(v):
            return np.sin(v * s) * self.a

        return inner


def lambda_from_method(x):
    m = _Maker(x[0])
    f = m.make()
    first = f(x[1])
    m.a = x[2] * 3.0  # read when it is called, as Python's closure reads `self.a`
    g = _Maker(x[2]).make_def(x[0])
    t = 0.0
    for i in range(3):
        t = t + g(x[i])
    return first + f(x[1]) + f(x[0]) + _Maker(x[3]).make_late()(x[1]) + t


# -- sklearn-loss-style records: a function field, a link object -------------------------------------
def _half_squared(y, raw):
    return 0.5 * (y - raw) ** 2


class _Loss:
    def __init__(self, closs):
        self.closs = closs

    def __call__(self, y, raw):
        return np.sum(self.closs(y, raw))


class _LogLink:
    def inverse(self, raw):
        return np.exp(raw)

    def link(self, p):
        return np.log(p)


class _PoissonLoss:
    def __init__(self):
        self.link = _LogLink()

    def predict(self, raw):
        return self.link.inverse(raw)


class _LinkedLoss:
    def __init__(self, link):
        self.link = link

    def loss(self, y, raw):
        mu = self.link.inverse(raw)
        return np.sum(mu - y * self.link.link(mu))


def loss_records(x):
    y = np.array([0.5, 1.0, 2.0, 0.1])
    a = _Loss(_half_squared)(y, x)
    b = np.sum(_PoissonLoss().predict(x))
    c = _LinkedLoss(_LogLink()).loss(y, x)
    link = _LogLink()
    return a + b + c + np.sum(link.inverse(x))


# -- dataclasses.replace after field writes ------------------------------------------------------------
@dataclasses.dataclass
class _Point:
    a: float
    b: float = 2.0


def replace_after_writes(x):
    p = _Point(x[0])
    p.b = x[1] * 3
    q = dataclasses.replace(p, a=x[2])
    p.a = 7.0 * x[3]
    r = dataclasses.replace(p, a=dataclasses.replace(p, b=x[0]).b * 2, b=dataclasses.replace(p).a)
    return q.a * q.b + p.a * p.b + r.a * r.b


def written_record_as_value(x):
    p = _Point(x[0])
    p.b = x[1] * 3
    v = p.a * p.b
    same = p == _Point(x[0], x[1] * 3)
    q = _Point(x[2])
    q.a = q.a * 2
    w = q.a
    label = str(q)
    return (2.0 if same else 1.0) * v + x[2] * label.startswith("_Point(") * w


CASES = [
    Case(super_in_method, (V4,), (0,), extra="hvp"),
    Case(super_chain_and_property, (V4,), (0,), extra="hvp"),
    Case(super_two_arguments, (V4,), (0,), extra="hvp"),
    Case(super_call_dunder, (V4,), (0,), extra="hvp"),
    Case(super_diamond, (V4,), (0,), extra="hvp"),
    Case(super_in_helper, (V4,), (0,), extra="hvp"),
    Case(range_from_dict, (V4,), (0,), extra="hvp"),
    Case(range_summed_and_iterated, (V4,), (0,), extra="hvp"),
    Case(range_as_array, (V4,), (0,), extra="hvp"),
    Case(sor_rows, (V4,), (0,), extra="hvp"),
    Case(lu_rows, (V4,), (0,), extra="hvp"),
    Case(dict_row_updated, (V4,), (0,), extra="hvp"),
    Case(rows_swept_with_break, (V4,), (0,), extra="hvp"),
    Case(array_rows_of_a_list, (V4,), (0,), extra="hvp"),
    Case(star_of_runtime_list, (V4,), (0,), extra="hvp"),
    Case(star_list_made_before_loop, (V4,), (0,), extra="hvp"),
    Case(logs_through_get_logger, (V4,), (0,), extra="hvp"),
    Case(seq_of_layers, (V4,), (0,), extra="hvp"),
    Case(poly_of_star_coefficients, (V4,), (0,), extra="hvp"),
    Case(lambda_from_method, (V4,), (0,), extra="hvp"),
    Case(loss_records, (V4,), (0,), extra="hvp"),
    Case(replace_after_writes, (V4,), (0,), extra="hvp"),
    Case(written_record_as_value, (V4,), (0,), extra="hvp"),
]

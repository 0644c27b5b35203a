"""Classes and objects users write that srcad refused (session 10, `objs10`): methods storing
attributes ``__init__`` did not set (the from-scratch NN layer caching its input in ``forward``,
``self.inp = x``, a loss keeping ``self.diff`` for its ``backward``; lower/objstate.py), objects of
record classes (plain ``__init__``, tuple assignments, no ``__init__``, mutable dataclasses with
defaults and ``field(default_factory=list)``) whose attributes are written (lower/objrecord.py),
``a, b = C(x0), C(x1)`` (lower/objseq.pairwise), ``a is b`` of objects built here, a class
constant as an instance counter's start (``n = 0``; ``self.n += 1``), attributes first set inside
a ``for`` loop of a constant positive range; a global model's method calling a sub-object's
(``self.enc.forward(x)``, lower/objcalls.global_method), a ``SimpleNamespace`` holding a NumPy
function, a global bound method (``H = model.__call__``), operators on user objects held in
fields (``self.c * p``, lower/objops.py), ``sum`` of objects whose ``__radd__`` returns ``self``
for 0; PyTorch-like modules (a ``Sequential`` holding a list of layers that cache their
inputs), optimisers keeping state (Adam's moments set on the first step, a momentum dict),
particles exchanging forces (``if p is not q``). Each is checked forward and reverse
(tests/corpus/test_corpus.py) and at second order (tests/soundness/test_objs10.py, which also
holds the neighbours that must stay refused)."""

from __future__ import annotations

import dataclasses
import types

import numpy as np

from . import Case

_RNG = np.random.default_rng(10)
XS = _RNG.standard_normal((6, 3))
YS = _RNG.standard_normal(6)
ZS = np.array([0.4, 0.1, -0.3, 0.8])


# -- from-scratch NN layers caching what backward needs ----------------------------------------
class Dense:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.inp = x
        return x @ self.W + self.b

    def backward(self, g):
        self.dW = self.inp.T @ g
        return g @ self.W.T


class Tanh:
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, g):
        return g * (1 - self.out**2)


class MSE:
    def forward(self, p, t):
        self.diff = p - t
        return np.mean(self.diff**2)

    def backward(self):
        return 2 * self.diff / self.diff.size


def nn_layers_cache_input(w):
    net = [Dense(w[:6].reshape(3, 2), w[6:8]), Tanh(), Dense(w[8:10].reshape(2, 1), w[10:11])]
    h = XS
    for layer in net:
        h = layer.forward(h)
    return np.mean((h[:, 0] - YS) ** 2)


def nn_manual_backward(w):
    # the loss of the hand-written gradient's norm: forward caches, backward reads the caches
    net = [Dense(w[:6].reshape(3, 2), w[6:8]), Tanh(), Dense(w[8:10].reshape(2, 1), w[10:11])]
    loss = MSE()
    h = XS
    for layer in net:
        h = layer.forward(h)
    val = loss.forward(h[:, 0], YS)
    g = loss.backward()[:, None]
    for layer in reversed(net):
        g = layer.backward(g)
    return val + 0.1 * np.sum(net[0].dW ** 2)


class Module:
    def __call__(self, x):
        return self.forward(x)


class Linear(Module):
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        self.last = x * self.w
        return self.last


def module_call_caches(w):
    m = Linear(w[:3])
    y = m(XS[0])
    return np.sum(y * m.last) + w[3]


# -- dataclass records whose fields are written ------------------------------------------------
@dataclasses.dataclass
class Pair:
    a: float
    b: float


def dataclass_field_write(x):  # Enzyme's mixedstruct, as a dataclass
    q = Pair(x[0], x[1])
    q.a = q.a + q.b
    q.b *= x[2]
    return q.a * q.b


@dataclasses.dataclass
class Stats:
    total: float = 0.0
    count: int = 0
    hist: list = dataclasses.field(default_factory=list)

    def add(self, v):
        self.total += v
        self.count += 1
        self.hist.append(v * v)


def dataclass_defaults_and_factory(x):
    s = Stats()
    for v in x:
        s.add(v)
    s.total = s.total * 2.0
    return s.total / s.count + sum(s.hist)


# -- physics: a body whose force is set by a method, integrated in a loop ---------------------
class Body:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel

    def force(self, k):
        self.acc = -k * self.pos - 0.1 * self.vel

    def step(self, dt):
        self.vel = self.vel + dt * self.acc
        self.pos = self.pos + dt * self.vel


def body_acc_set_in_loop(x):
    b = Body(x[:2], x[1:3] * 0.5)
    for _ in range(5):
        b.force(2.0)
        b.step(0.1)
    return np.sum(b.pos**2) + np.sum(b.acc)


# -- a Kalman filter class: its gain kept for inspection ----------------------------------------
class Kalman1D:
    def __init__(self, q, r):
        self.q, self.r = q, r
        self.m, self.P = 0.0, 1.0

    def update(self, z):
        P = self.P + self.q
        self.K = P / (P + self.r)
        self.m = self.m + self.K * (z - self.m)
        self.P = (1 - self.K) * P
        return self.m


def kalman_class(p):
    kf = Kalman1D(np.exp(p[0]), np.exp(p[1]))
    ll = 0.0
    for t in range(4):
        m0 = kf.m
        kf.update(ZS[t])
        ll = ll + (ZS[t] - m0) ** 2 * kf.K
    return ll + kf.P * p[2]


# -- objects in tuple assignments, identity, class-constant counters ---------------------------
class Scaled:
    def __init__(self, v):
        self.v = v * 2.0

    def f(self, z):
        return self.v * z


def tuple_of_objects(x):
    a, b = Scaled(x[0]), Scaled(x[1])
    a, b = b, a
    return a.f(x[2]) + b.f(x[0]) * b.v


def identity_of_objects(x):
    a = Scaled(x[0])
    b = a
    c = Scaled(x[0])
    s = 1.0 if a is b else 0.0
    t = 2.0 if a is not c else 0.0
    return (s + t) * a.f(x[1]) + (3.0 if c is None else 0.0)


class Counter:
    n = 0

    def __init__(self, w):
        self.w = w * 1.0

    def tick(self, v):
        self.n += 1
        return self.w * v * self.n


def class_constant_counter(x):
    a, b = Counter(x[0]), Counter(x[1])
    s = a.tick(x[2]) + a.tick(x[2]) + b.tick(x[0])
    return s + a.n * b.n + Counter.n


class Quad:
    def __init__(self, v):
        self.v = v * 3.0

    def f(self, z):
        return self.v + z * z


def objects_joined_in_loop(x):
    s = 0.0
    for i in range(3):
        if x[i] > 0.0:
            m = Scaled(x[i])
        else:
            m = Quad(x[i])
        s = s + m.f(x[0])
    return s


class Poly:
    def __init__(self, c):
        for i in range(3):
            self.last = c[i] * (i + 1.0)
            self.s = self.last * c[0]


def field_first_set_in_init_loop(x):
    p = Poly(x)
    return p.s * x[2] + p.last


# -- global models: a sub-object's method, functions held in a namespace, bound methods -------
class Encoder:
    def forward(self, x):
        return np.tanh(1.1 * x) * x


class Net:
    def __init__(self):
        self.enc = Encoder()
        self.k = 1.3

    def loss(self, x):
        return np.sum(self.enc.forward(x)) * self.k


MODEL = Net()
NS = types.SimpleNamespace(act=np.tanh, scale=0.5)


class Square:
    def __init__(self, a):
        self.a = a

    def __call__(self, x):
        return self.a * x * x


SQUARE = Square(2.0)
SQ_CALL = SQUARE.__call__


def global_model_sub_object(x):
    return MODEL.loss(x) + x[0]


def namespace_numpy_function(x):
    return np.sum(NS.act(x) * NS.scale)


def global_bound_method(x):
    return np.sum(SQ_CALL(x) * x)


# -- operators on user objects held in fields ----------------------------------------------------
class Vec2:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return Vec2(self.a + o.a, self.b + o.b)

    def __radd__(self, o):
        return self if o == 0 else self + o

    def __mul__(self, k):
        return Vec2(self.a * k, self.b * k * k)

    def dot(self, o):
        return self.a * o.a + self.b * o.b


class Holder:
    def __init__(self, c):
        self.c = c

    def go(self, p):
        d = self.c * p
        return (d + self.c).dot(d)


HOLDER = Holder(Vec2(1.5, -0.5))


def operator_on_field_of_local_object(x):
    h = Holder(Vec2(x[0], x[1]))
    return h.go(x[2])


def operator_on_field_of_global_object(x):
    return HOLDER.go(x[0]) + x[1] * HOLDER.go(x[2])


def sum_of_vectors_radd(x):
    vs = [Vec2(x[0], x[1]), Vec2(x[1], x[2]), Vec2(x[2], x[0])]
    s = sum(vs)
    return s.dot(s)


# -- PyTorch-like modules, optimisers with state, particles -------------------------------------
class TModule:
    def __init__(self):
        self.training = True

    def __call__(self, x):
        return self.forward(x)


class TLinear(TModule):
    def __init__(self, W, b):
        super().__init__()
        self.W = W
        self.b = b

    def forward(self, x):
        self.x = x
        return x @ self.W + self.b


class TReLU(TModule):
    def forward(self, x):
        self.mask = x > 0
        return x * self.mask


class Sequential(TModule):
    def __init__(self, layers):
        super().__init__()
        self.layers = layers

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def torch_like_sequential(w):
    net = Sequential(
        [TLinear(w[:6].reshape(3, 2), w[6:8]), TReLU(), TLinear(w[8:10].reshape(2, 1), w[10:11])]
    )
    return np.mean((net(XS)[:, 0] - YS) ** 2)


class Adam:
    def __init__(self, lr=0.01, b1=0.9, b2=0.999):
        self.lr, self.b1, self.b2 = lr, b1, b2
        self.t = 0

    def step(self, p, g):
        if self.t == 0:
            self.m = np.zeros_like(p)
            self.v = np.zeros_like(p)
        self.t += 1
        self.m = self.b1 * self.m + (1 - self.b1) * g
        self.v = self.b2 * self.v + (1 - self.b2) * g * g
        mh = self.m / (1 - self.b1**self.t)
        vh = self.v / (1 - self.b2**self.t)
        return p - self.lr * mh / (np.sqrt(vh) + 1e-8)


class Momentum:
    def __init__(self, lr, mom):
        self.lr, self.mom = lr, mom
        self.state = {}

    def step(self, name, p, g):
        v = self.mom * self.state.get(name, 0.0) + g
        self.state[name] = v
        return p - self.lr * v


def optimisers_with_state(w):
    adam, sgd = Adam(0.05), Momentum(0.1, 0.9)
    u = w * 1.0
    for _ in range(3):
        w = adam.step(w, XS.T @ (XS @ w - YS) / 3)
        u = sgd.step("u", u, XS.T @ (XS @ u - YS) / 3)
    return np.sum((XS @ w - YS) ** 2) + np.sum(u**2)


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel
        self.force = np.zeros_like(pos)

    def update(self, dt):
        self.vel = self.vel + dt * self.force
        self.pos = self.pos + dt * self.vel


def particles_pairwise_forces(x):
    ps = [Particle(x[2 * i : 2 * i + 2], np.zeros(2)) for i in range(3)]
    for _ in range(3):
        for p in ps:
            p.force = np.zeros(2)
            for q in ps:
                if p is not q:
                    d = q.pos - p.pos
                    p.force = p.force + d / (np.sum(d * d) + 0.5) ** 1.5
        for p in ps:
            p.update(0.05)
    return sum(np.sum(p.pos**2) for p in ps)


class Head:
    def __init__(self, w):
        self.w = w * 1.0

    def f(self, x):
        return self.w * np.tanh(x)


class Model:
    def __init__(self, head):
        self.head = head
        self.k = 2.0 * head.w


def sub_object_replaced(x):
    m = Model(Head(x[0]))
    y = m.head.f(x)
    m.head = Head(x[1])
    return np.sum(m.head.f(x) * y) * m.k


class Star:
    def __init__(self, pos):
        self.pos = pos

    def pull(self, others):
        acc = np.zeros(2)
        for o in others:
            if o is self:
                continue
            d = o.pos - self.pos
            acc = acc + d / (np.sum(d * d) + 0.5)
        self.acc = acc


def continue_in_loop_over_objects(x):
    stars = [Star(x[2 * i : 2 * i + 2]) for i in range(3)]
    for _ in range(2):
        for s in stars:
            s.pull(stars)
        for s in stars:
            s.pos = s.pos + 0.1 * s.acc
    return sum(np.sum(s.pos**2) for s in stars)


def continue_in_loop_over_functions(x):
    t = 0.0
    for f in (np.sin, np.cos, np.tanh):
        if x[0] > 0.0:
            t = t + 1.0
            continue
        t = t + np.sum(f(x))
    return t


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(fn, (V3,), (0,), extra="hvp")
    for fn in (
        dataclass_field_write,
        dataclass_defaults_and_factory,
        kalman_class,
        tuple_of_objects,
        identity_of_objects,
        class_constant_counter,
        objects_joined_in_loop,
        field_first_set_in_init_loop,
        global_model_sub_object,
        namespace_numpy_function,
        global_bound_method,
        operator_on_field_of_local_object,
        operator_on_field_of_global_object,
        sum_of_vectors_radd,
        sub_object_replaced,
    )
]
CASES.append(Case(objects_joined_in_loop, (-V3,), (0,), name="users_objects10.joined_loop_neg"))
CASES += [
    Case(nn_layers_cache_input, (_RNG.standard_normal(11) * 0.5,), (0,), extra="hvp"),
    Case(nn_manual_backward, (_RNG.standard_normal(11) * 0.5,), (0,), extra="hvp"),
    Case(module_call_caches, (_RNG.standard_normal(4),), (0,), extra="hvp"),
    Case(body_acc_set_in_loop, (V3,), (0,), extra="hvp"),
    Case(torch_like_sequential, (_RNG.standard_normal(11),), (0,), extra="hvp"),
    Case(optimisers_with_state, (V3,), (0,), extra="hvp"),
    Case(particles_pairwise_forces, (_RNG.standard_normal(6),), (0,), extra="hvp"),
    Case(continue_in_loop_over_objects, (_RNG.standard_normal(6),), (0,), extra="hvp"),
    Case(continue_in_loop_over_functions, (V3,), (0,), extra="hvp"),
    Case(continue_in_loop_over_functions, (-V3,), (0,), name="users_objects10.continue_neg"),
]

"""Session 47, hunt47b: spurious refusals of ordinary Python lifted.

- A user vector class whose ``__mul__`` guards on the other operand with ``not isinstance``
  (``if not isinstance(o, V): return V(self.a * o, ...)``, or the conditional-expression form) and
  also defines ``__rmul__``: ``u * u`` was refused ("`V` defines `__rmul__`"). The inlined method
  reads ``not isinstance(u, V)`` with `u` built here: ``isinstance`` was known (True) but its
  ``not`` stayed an op, so the dead branch (``self.a * o`` with `o` a `V`) was kept and refused.
- A PyTorch-style layer whose base class makes the parameter dict (``Module.__init__``:
  ``self.params = {}``) and whose own ``__init__`` fills it after ``super().__init__()``
  (``self.params["w"] = w``): "the object is a run-time value here". The stores are folded into
  ``self.params = {**self.params, "w": w}`` as for a display in the same body
  (lower/initappends.py), when the base leaves the field a display nothing else reaches.
- ``filter(None, xs)`` (keep the truthy items) was "no derivative rule for `filter`"; it is the
  comprehension ``[v for v in xs if v]``, as ``filter(f, xs)`` of a lambda already was.
- A method of a NamedTuple read from a list a comprehension (or a loop of appends) made, ``ps =
  [Pair(x[i], x[i + 1]) for i in range(2)]`` then ``ps[0].total()`` or ``for p in ps: p.total()``,
  was "no derivative rule for `.total()`": only list displays told the items' class
  (ad/receivers.object_kinds follows ``acc = []`` and its appends of one class now).
- A user's dual-number class and helpers dispatching on it (``def dexp(d): if isinstance(d,
  Dual): return Dual(...)`` / ``return math.exp(d)``): ``1.0 + dexp(-t)`` was refused when it ran
  ("`__radd__` was differentiated as NumPy's"): the helper's result class was unknown, its two
  branches joined. object_kinds now follows only the branch an ``isinstance`` of an object of a
  known user class takes (also ``isinstance(d, (int, float))``), as the transform's own fold
  (ad/typeswitch.py) does.
- An expression tree of dataclasses evaluated by methods that call their fields' methods
  (``Add(Sym("x"), Const(2.0)).eval(env)``, ``def eval(self, env): return self.a.eval(env) +
  self.b.eval(env)``): "no derivative rule for `.eval()`". A dataclass without
  ``__post_init__`` whose methods call a field's methods is now built here from a stand-in
  ``__init__`` of its stores (lower/postinit.py), as one with ``__post_init__`` already was, so
  its fields' classes are known.
- A function writing a module-level buffer in place (``BUF[:] = x``) and logging a value into a
  module-level list or dict (``LOG.append(float(x[0]))``, ``STATS["last"] = float(loss)``) was
  refused ("the function reads `LOG`"): the run-time checks that `BUF` shares no memory with the
  other globals name `LOG`; those checks read no value (ad/effects.py).
"""

from __future__ import annotations

import math
from dataclasses import KW_ONLY, dataclass, field
from typing import NamedTuple

import numpy as np

import srcad
from srcad.testing import check_grads


class _V:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return _V(self.a + o.a, self.b + o.b) if isinstance(o, _V) else _V(self.a + o, self.b + o)

    def __mul__(self, o):
        return _V(self.a * o, self.b * o) if not isinstance(o, _V) else self.a * o.a + self.b * o.b

    def __rmul__(self, o):
        return _V(o * self.a, o * self.b)


class _W:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __mul__(self, o):
        if not isinstance(o, _W):
            return _W(self.a * o, self.b * o)
        return self.a * o.a + self.b * o.b

    def __rmul__(self, o):
        return _W(o * self.a, o * self.b)


def _dot_ternary(x):
    u = _V(x[0], x[1])
    z = 2.0 * u + 1.0
    return z * u


def _dot_if_not(x):
    u = _W(x[0], x[1])
    return (u * 3.0) * u


def test_not_isinstance_dot_of_user_vectors():
    x = np.array([0.7, -1.3])
    g = srcad.grad(_dot_ternary)(x)
    np.testing.assert_allclose(g, 4.0 * x + 1.0)
    np.testing.assert_allclose(srcad.grad(_dot_if_not)(x), 6.0 * x)
    check_grads(_dot_ternary, (x,), modes=("fwd", "rev"), order=2)
    check_grads(_dot_if_not, (x,), modes=("fwd", "rev"), order=2)


class _Module:
    def __init__(self):
        self.params = {}

    def parameters(self):
        return list(self.params.values())

    def __call__(self, *a):
        return self.forward(*a)


class _Linear(_Module):
    def __init__(self, w, b):
        super().__init__()
        self.params["w"] = w
        self.params["b"] = b

    def forward(self, h):
        return h @ self.params["w"] + self.params["b"]


class _MLP(_Module):
    def __init__(self, w1, w2):
        super().__init__()
        self.l1 = _Linear(w1, np.zeros(w1.shape[1]))
        self.l2 = _Linear(w2, 0.1)

    def forward(self, h):
        return self.l2(np.tanh(self.l1(h)))


_X = np.arange(6.0).reshape(2, 3) / 5


def _mlp_loss(w1):
    net = _MLP(w1, np.array([0.5, -0.3]))
    return np.sum(net(_X) ** 2) + sum(np.sum(p**2) for p in net.l1.parameters())


def _mlp_by_hand(w1):
    out = np.tanh(_X @ w1) @ np.array([0.5, -0.3]) + 0.1
    return np.sum(out**2) + np.sum(w1**2)


class _Shared(_Module):
    def __init__(self, w):
        self.params = {"b": 1.0}
        super().__init__()  # the base's display replaces this one
        self.params["w"] = w * 2.0


def _shared_loss(w):
    m = _Shared(w)
    return np.sum(m.params["w"] ** 2) + len(m.params)


def test_base_class_parameter_dict_filled_after_super_init():
    w1 = np.array([[0.1, 0.2], [-0.3, 0.4], [0.5, 0.0]])
    v, g = srcad.value_and_grad(_mlp_loss)(w1)
    v0, g0 = srcad.value_and_grad(_mlp_by_hand)(w1)
    np.testing.assert_allclose(v, _mlp_loss(w1))
    np.testing.assert_allclose(g, g0)
    check_grads(_mlp_loss, (w1,), modes=("fwd", "rev"), order=2)
    check_grads(_mlp_loss, (np.zeros((3, 2)),), modes=("fwd", "rev"))
    w = np.array([1.0, -2.0])
    v, g = srcad.value_and_grad(_shared_loss)(w)
    assert v == _shared_loss(w) == 21.0
    np.testing.assert_allclose(g, 8.0 * w)


def _truthy_squares(x):
    return sum(v**2 for v in filter(None, x.tolist()))


def _truthy_loop(x):
    s = 0.0
    for v in filter(None, [x[0], 0.0, x[1] * x[2], None]):
        s += v * 3.0
    return s + len(list(filter(None, ["a", "", "b"]))) * x[3]


def test_filter_none_keeps_truthy_items():
    x = np.array([1.0, 2.0, 0.0, -0.5])
    np.testing.assert_allclose(srcad.grad(_truthy_squares)(x), [2.0, 4.0, 0.0, -1.0])
    np.testing.assert_allclose(srcad.grad(_truthy_loop)(x), [3.0, 0.0, 0.0, 2.0])  # (x1 x2 == 0)
    x[2] = 0.5
    np.testing.assert_allclose(srcad.grad(_truthy_loop)(x), [3.0, 1.5, 6.0, 2.0])
    assert srcad.value_and_grad(_truthy_loop)(x)[0] == _truthy_loop(x)
    y = np.array([0.3, -1.2, 0.8, 1.7])
    check_grads(_truthy_squares, (y,), modes=("fwd", "rev"), order=2)
    check_grads(_truthy_loop, (y,), modes=("fwd", "rev"), order=2)


class _Pair(NamedTuple):
    a: float
    b: float

    def total(self):
        return self.a + 2.0 * self.b


def _pairs_indexed(x):
    ps = [_Pair(x[i], x[i + 1]) for i in range(3)]
    return ps[0].total() * ps[-1].total()


def _pairs_looped(x):
    ps = []
    for i in range(3):
        ps.append(_Pair(x[i], x[i + 1] ** 2))
    s = sum(p.total() for p in ps)
    for p in ps:
        s += p.total() * p.a
    return s


def test_namedtuple_methods_of_a_comprehension_list():
    x = np.array([0.3, -1.2, 0.8, 1.7])
    a, b = x[0] + 2 * x[1], x[2] + 2 * x[3]
    np.testing.assert_allclose(srcad.grad(_pairs_indexed)(x), [b, 2 * b, a, 2 * a])
    assert srcad.value_and_grad(_pairs_looped)(x)[0] == _pairs_looped(x)
    for f in (_pairs_indexed, _pairs_looped):
        check_grads(f, (x,), modes=("fwd", "rev"), order=2)


class _Dual:
    def __init__(self, val, der=0.0):
        self.val = val
        self.der = der

    def __add__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val + o.val, self.der + o.der)

    __radd__ = __add__

    def __mul__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val * o.val, self.der * o.val + self.val * o.der)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val / o.val, (self.der * o.val - self.val * o.der) / o.val**2)

    def __rtruediv__(self, o):
        return _Dual(o) / self

    def __neg__(self):
        return _Dual(-self.val, -self.der)


def _dexp(d):
    if isinstance(d, _Dual):
        e = math.exp(d.val)
        return _Dual(e, e * d.der)
    return math.exp(d)


def _dexp_num(d):
    if isinstance(d, (int, float)):
        return math.exp(d)
    e = math.exp(d.val)
    return _Dual(e, e * d.der)


def _sigmoid(t):
    return 1.0 / (1.0 + _dexp(-t))


def _sigmoid_num(t):
    return 1.0 / (1.0 + _dexp_num(-t))


def _dual_loss_num(x):
    d = _sigmoid_num(_Dual(x[0], 1.0))
    return d.der**2 + d.val * _sigmoid_num(float(x[1]))


def _dual_loss(x):
    d = _sigmoid(_Dual(x[0], 1.0))  # the user's own forward-mode derivative
    return d.der**2 + d.val * _sigmoid(x[1])


def test_isinstance_dispatching_helper_of_a_user_dual_class():
    x = np.array([0.3, -0.7])
    s0, s1 = 1 / (1 + np.exp(-x[0])), 1 / (1 + np.exp(-x[1]))
    d0 = s0 * (1 - s0)
    want = [2 * d0 * d0 * (1 - 2 * s0) + d0 * s1, s0 * s1 * (1 - s1)]
    np.testing.assert_allclose(srcad.grad(_dual_loss)(x), want)
    np.testing.assert_allclose(srcad.grad(_dual_loss_num)(x), want)
    check_grads(_dual_loss, (x,), modes=("fwd", "rev"), order=2)
    check_grads(_dual_loss_num, (x,), modes=("fwd", "rev"), order=2)


@dataclass
class _Const:
    v: float

    def eval(self, env):
        return self.v


@dataclass
class _Sym:
    name: str

    def eval(self, env):
        return env[self.name]


@dataclass
class _Add:
    a: object
    b: object

    def eval(self, env):
        return self.a.eval(env) + self.b.eval(env)


@dataclass
class _Mul:
    a: object
    b: object
    _: KW_ONLY
    scale: float = 1.0

    def eval(self, env):
        return self.scale * self.a.eval(env) * self.b.eval(env)


@dataclass
class _Logged:
    a: object
    hist: list = field(default_factory=list)

    def eval(self, env):
        self.hist.append(1)
        return self.a.eval(env) * len(self.hist)


def _tree_loss(x):
    e = _Add(_Mul(_Sym("x"), _Sym("y"), scale=x[2]), _Add(_Sym("x"), _Const(2.0)))
    g = _Logged(_Mul(_Sym("y"), _Sym("y")))
    env = {"x": x[0], "y": x[1]}
    return e.eval(env) + g.eval(env) + g.eval(env) + len(g.hist)


def test_dataclass_tree_calling_field_methods():
    x = np.array([0.3, -0.7, 1.2])
    assert srcad.value_and_grad(_tree_loss)(x)[0] == _tree_loss(x)
    want = [x[2] * x[1] + 1.0, x[2] * x[0] + 6.0 * x[1], x[0] * x[1]]
    np.testing.assert_allclose(srcad.grad(_tree_loss)(x), want)
    check_grads(_tree_loss, (x,), modes=("fwd", "rev"), order=2)


_BUF = np.zeros(3)
_LOG: list = []
_STATS = {"calls": 0, "last": 0.0}


def _buffered(x):
    _BUF[:] = x[:3] * 2.0
    _BUF[0] += x[3]
    _LOG.append(float(x[0]))
    _STATS["calls"] += 1
    _STATS["last"] = float(np.sum(x))
    return np.sum(_BUF**2) + x @ x


def test_global_buffer_next_to_a_global_log():
    x = np.array([0.3, -1.2, 0.8, 1.7])
    want = _buffered(x.copy())
    buf, log, stats = _BUF.copy(), list(_LOG), dict(_STATS)
    _BUF[:] = 0.0
    _LOG.clear()
    _STATS.update(calls=0, last=0.0)
    v, g = srcad.value_and_grad(_buffered)(x.copy())
    assert v == want and _LOG == log and _STATS == stats
    np.testing.assert_array_equal(_BUF, buf)
    b = x[:3] * 2.0
    b[0] += x[3]
    gw = 2.0 * x
    gw[:3] += 4.0 * b
    gw[3] += 2.0 * b[0]
    np.testing.assert_allclose(g, gw)
    check_grads(_buffered, (x,), modes=("fwd", "rev"), order=2)

"""What obj41a accepts in object-oriented user code, checked numerically
(`srcad.testing.check_grads` forward and reverse, second order where it applies), and the
neighbours that stay refused, cleanly:

a. a user object held in a field of an argument object (``self.d.energy(x)``, ``self.a.b.f(x)``):
   the field's class is part of the argument's layout class (lower/reads.layout_class,
   ``__srcad_fields__``, so the cache key tells structures apart), checked when the code runs
   (ad/layouts.field_classes), and its methods are followed as an argument's are. A field
   rebound to an object of another class between calls makes another transform. A model
   object differentiated as a tree (objtrees.py) gets the derivative of the array its field
   object holds. An argument holding a cycle of objects no longer hangs the transform
   (objtrees.carries_float walked the cycle again at every level: exponential); differentiated
   with respect to such an argument it is refused, located.
b. a function held in a field of an argument object (``m.act = np.tanh``, a lambda, a def,
   ``np.linalg.norm``): the function is part of the layout class (``__srcad_fns__``), checked
   when the code runs, and ``self.act(x)`` is its primitive or a call followed to its source
   (ad/fieldfns.py). A partial or a bound method there stays refused (no rule for ``.act()``).
c. a function differentiated by a helper it is given through a local alias (``L = inner;
   step(L, w)``, `step` calling ``srcad.grad(loss)``: lower/api_calls.differentiated_arg), and
   a method of an object built here given a lambda, a nested def or a module-level function
   that it calls or differentiates (``opt.step(lambda u: .., w)``): such a class is built here
   even when it is a record (lower/paramcalls.py), so the method is inlined with the function
   known. A lambda reading a variable rebound after it stays refused, located.
d. unrolled training on plain Python objects: ``for p, g in zip(params, grads): p -= lr * g``
   on a list of arrays holding a 0-d one (``inplace_cast`` gave back a NumPy scalar for it,
   so the next step's run-time check refused the list as mixed), the same loop in a helper
   (``sgd_step(params, grads, lr)``) or a method given the list (``opt.step(params, grads)``):
   lower/argwrites counts the loop as an update of `params`, so the call is inlined and the
   loop rewritten there as at the top level (lower/varargs.inline_call); an optimizer object
   holding a state dict; PyTorch's style, ``opt = SGD(params, lr); opt.step(grads)`` looping
   over ``self.params`` (lower/loopitems.py takes a field ``self.F`` as the list: the loop
   writes ``self.params[i]``, a field the class updates in place, lower/fieldlinks.py, so
   the caller's `params` sees it). Differentiated with respect to the initial weights and the
   learning rate. Shared or mixed items, and a caller's name for an updated array read after
   the step, stay refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus.users_obj41a import SGD as TorchSGD  # (the corpus's PyTorch-style optimizer)

X = np.array([0.5, -1.0, 2.0])


# -- a. an object held in another object's field ----------------------------------------------
class Dist:
    def __init__(self, mu):
        self.mu = mu

    def energy(self, x):
        return np.sum((x - self.mu) ** 2 * np.sin(x))


class Dist2(Dist):
    def energy(self, x):
        return np.sum(np.cos(x) * self.mu)


class Holder:
    def __init__(self, d):
        self.d = d

    def loss(self, x):
        return self.d.energy(x)


def _energy(x, mu):
    return np.sum((x - mu) ** 2 * np.sin(x))


def _denergy(x, mu):
    return 2 * (x - mu) * np.sin(x) + (x - mu) ** 2 * np.cos(x)


def test_field_object_method_bound_method():
    h = Holder(Dist(np.ones(3)))
    assert srcad.primal(h.loss)(X) == h.loss(X)
    np.testing.assert_allclose(srcad.grad(h.loss)(X), _denergy(X, 1.0), rtol=1e-12)
    check_grads(h.loss, (X,), modes=("fwd", "rev"), order=2)


def test_field_object_method_through_lambda():
    h = Holder(Dist(np.ones(3)))
    g = srcad.grad(lambda x, m: m.loss(x))(X, h)
    np.testing.assert_allclose(g, _denergy(X, 1.0), rtol=1e-12)
    g = srcad.grad(lambda x, m: m.d.energy(x))(X, h)
    np.testing.assert_allclose(g, _denergy(X, 1.0), rtol=1e-12)
    check_grads(lambda x, m: m.loss(x), (X, h), modes=("fwd", "rev"), order=2, wrt=0)


def test_field_object_of_another_class_makes_another_transform():
    h = Holder(Dist(np.ones(3)))
    f = srcad.grad(lambda x, m: m.loss(x))
    np.testing.assert_allclose(f(X, h), _denergy(X, 1.0), rtol=1e-12)
    h.d = Dist2(np.full(3, 2.0))
    np.testing.assert_allclose(f(X, h), -2.0 * np.sin(X), rtol=1e-12)


class A:
    def __init__(self, b):
        self.b = b


class B:
    def __init__(self, d):
        self.d = d


class Top:
    def __init__(self, a):
        self.a = a

    def loss(self, x):
        return self.a.b.d.energy(x) + self.a.b.d.mu[0] * np.sum(x)


def test_field_chain():
    t = Top(A(B(Dist(np.ones(3)))))
    np.testing.assert_allclose(srcad.grad(t.loss)(X), _denergy(X, 1.0) + 1.0, rtol=1e-12)
    check_grads(t.loss, (X,), modes=("fwd", "rev"), order=2)


class Lin:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w @ x)


class Net:
    def __init__(self, layers, head):
        self.layers = layers
        self.head = head

    def loss(self, x):
        for layer in self.layers:
            x = layer(x)
        return self.head.energy(x)


def test_layers_and_field_object():
    net = Net([Lin(np.eye(3) * 0.5), Lin(np.full((3, 3), 0.1))], Dist(np.ones(3)))
    check_grads(net.loss, (X,), modes=("fwd", "rev"), order=2)


class Model:
    def __init__(self, enc):
        self.enc = enc
        self.scale = 2.0

    def loss(self, x):
        return self.scale * self.enc.energy(x)


def test_model_object_differentiated():
    mu = np.array([0.1, 0.2, 0.3])
    g = srcad.grad(lambda m: m.loss(X))(Model(Dist(mu)))
    np.testing.assert_allclose(g.scale, _energy(X, mu), rtol=1e-12)
    np.testing.assert_allclose(g.enc.mu, -2.0 * 2.0 * (X - mu) * np.sin(X), rtol=1e-12)


class Swap:
    def __init__(self, d):
        self.d = d

    def loss(self, x):
        self.d = Dist2(np.ones(3))
        return self.d.energy(x)


def test_field_rebound_in_the_call_is_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(Swap(Dist(np.ones(3))).loss)(X)


class Node:
    def __init__(self):
        self.other = None
        self.w = 2.0

    def f(self, x):
        return self.w * np.sum(x**2)

    def loss(self, x):
        return self.other.f(x)


def test_cycle_of_objects():
    a, b = Node(), Node()
    a.other, b.other = b, a
    np.testing.assert_allclose(srcad.grad(a.loss)(X), 4.0 * X, rtol=1e-12)
    with pytest.raises(srcad.SrcadError, match="cycle"):
        srcad.grad(lambda n, x: n.loss(x))(a, X)


# -- b. a function held in a field -----------------------------------------------------------
class Act:
    def __init__(self, act, w):
        self.act = act
        self.w = w

    def f(self, x):
        return np.sum(self.act(self.w * x))


def _cubic(z):
    return z**3 + np.sin(z)


def _scaled(k):
    return lambda z: np.sin(k * z) * z


@pytest.mark.parametrize("act", [np.tanh, _cubic, _scaled(1.5)], ids=["ufunc", "def", "lambda"])
def test_function_field(act):
    m = Act(act, 2.0)
    assert srcad.primal(lambda x, m: m.f(x))(X, m) == m.f(X)
    check_grads(lambda x, m: m.f(x), (X, m), modes=("fwd", "rev"), order=2, wrt=0)
    check_grads(m.f, (X,), modes=("fwd", "rev"), order=2)


def test_function_field_values_and_rebinding():
    f = srcad.grad(lambda x, m: m.f(x))
    m = Act(np.tanh, 2.0)
    np.testing.assert_allclose(f(X, m), 2.0 / np.cosh(2.0 * X) ** 2, rtol=1e-12)
    m.act = np.cos
    np.testing.assert_allclose(f(X, m), -2.0 * np.sin(2.0 * X), rtol=1e-12)
    a, b = Act(_scaled(1.0), 1.0), Act(_scaled(3.0), 1.0)  # one code, two closures
    np.testing.assert_allclose(f(X, a), np.cos(X) * X + np.sin(X), rtol=1e-12)
    np.testing.assert_allclose(f(X, b), 3.0 * np.cos(3.0 * X) * X + np.sin(3.0 * X), rtol=1e-12)
    g = srcad.grad(lambda x, m: m.act(x))(X, Act(np.linalg.norm, 1.0))
    np.testing.assert_allclose(g, X / np.linalg.norm(X), rtol=1e-12)


GLOBAL_ACT = Act(np.tanh, 1.0)


def _global_act(x):
    return GLOBAL_ACT.f(x)


def test_function_field_of_a_global_object_rebound():
    f = srcad.grad(_global_act)
    np.testing.assert_allclose(f(X), 1.0 / np.cosh(X) ** 2, rtol=1e-12)
    GLOBAL_ACT.act = np.sin  # (the field was read for the cache: a new transform)
    try:
        np.testing.assert_allclose(f(X), np.cos(X), rtol=1e-12)
    finally:
        GLOBAL_ACT.act = np.tanh


def test_function_field_model_differentiated():
    g = srcad.grad(lambda m: m.f(X))(Act(np.tanh, 2.0))
    np.testing.assert_allclose(g.w, np.sum(X / np.cosh(2.0 * X) ** 2), rtol=1e-12)
    assert g.act is None


def test_partial_field_refused():
    import functools

    with pytest.raises(srcad.SrcadError, match="act"):
        srcad.grad(lambda x, m: m.f(x))(X, Act(functools.partial(np.power, 2.0), 1.0))


# -- c. functions handed to a helper or a method that differentiates them ----------------------
def _step(loss, w):
    return w - 0.1 * srcad.grad(loss)(w)


def _inner(u):
    return np.sum(np.cos(u) * u**2)


def _direct(w):
    return np.sum(_step(_inner, w) ** 2)


def _alias(w):
    loss = _inner
    return np.sum(_step(loss, w) ** 2)


class Opt:
    def __init__(self, lr):
        self.lr = lr

    def step(self, loss, w):
        return w - self.lr * srcad.grad(loss)(w)

    def apply(self, f, x):
        return self.lr * f(x)


def _meta_lambda(w):
    opt = Opt(0.1)
    return np.sum(opt.step(lambda u: np.sum(np.cos(u) * u**2), w) ** 2)


def _meta_global(w):
    opt = Opt(0.1)
    return np.sum(opt.step(_inner, w) ** 2)


def _meta_def(w):
    opt = Opt(0.1)

    def loss(u):
        return np.sum(np.cos(u) * u**2)

    return np.sum(opt.step(loss, w) ** 2)


def _apply_closure(w):
    k = w[0]
    return np.sum(Opt(2.0).apply(lambda z: np.sin(k * z), w))


@pytest.mark.parametrize("f", [_alias, _meta_lambda, _meta_global, _meta_def, _apply_closure])
def test_function_given_to_helper_or_method(f):
    assert srcad.primal(f)(X) == f(X)
    if f is not _apply_closure:
        np.testing.assert_allclose(srcad.grad(f)(X), srcad.grad(_direct)(X), rtol=1e-12)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def _late(w):
    k = w[0]
    f = lambda z: np.sin(k * z)  # noqa: E731
    k = w[1]
    return np.sum(Opt(2.0).apply(f, w))


def test_late_bound_lambda_given_to_method_refused():
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.grad(_late)(X)


# -- d. unrolled training with optimizer loops on plain objects ------------------------------
XD = np.array([[0.5, -1.0], [2.0, 0.3], [0.1, 0.7]])
YD = np.array([1.0, -0.5, 0.2])
P0 = [np.array([0.1, -0.2]), np.array(0.05)]


def _loss(params):
    w, b = params
    return np.mean((XD @ w + b - YD) ** 2)


def _train_loop(params, lr):
    params = [p.copy() for p in params]
    for _ in range(3):
        grads = srcad.grad(_loss)(params)
        for p, g in zip(params, grads):
            p -= lr * g
    return _loss(params)


def _sgd_step(params, grads, lr):
    for p, g in zip(params, grads):
        p -= lr * g


def _train_helper(params, lr):
    params = [p.copy() for p in params]
    for _ in range(3):
        _sgd_step(params, srcad.grad(_loss)(params), lr)
    return _loss(params)


class SGD:
    def __init__(self, lr):
        self.lr = lr

    def step(self, params, grads):
        for p, g in zip(params, grads):
            p -= self.lr * g


def _train_method(params, lr):
    params = [p.copy() for p in params]
    opt = SGD(lr)
    for _ in range(3):
        opt.step(params, srcad.grad(_loss)(params))
    return _loss(params)


def _train_torch(params, lr):
    params = [p.copy() for p in params]
    opt = TorchSGD(params, lr)
    for _ in range(3):
        opt.step(srcad.grad(_loss)(params))
    return _loss(params)


def _train_functional(params, lr):
    for _ in range(3):
        grads = srcad.grad(_loss)(params)
        params = [p - lr * g for p, g in zip(params, grads)]
    return _loss(params)


@pytest.mark.parametrize("f", [_train_loop, _train_helper, _train_method, _train_torch])
def test_training_loop_in_place(f):
    assert srcad.primal(f)(P0, 0.1) == f(P0, 0.1)
    for k in (0, 1):
        want = srcad.grad(_train_functional, wrt=k)(P0, 0.1)
        got = srcad.grad(f, wrt=k)(P0, 0.1)
        for a, b in zip(got if k == 0 else [got], want if k == 0 else [want]):
            np.testing.assert_allclose(a, b, rtol=1e-12)
    check_grads(f, (P0, 0.1), modes=("fwd", "rev"), wrt=1, order=2)
    check_grads(f, (P0, 0.1), modes=("fwd", "rev"), wrt=0)


def test_zero_d_array_stays_one_through_op_assign():
    def f(params):
        params = [p.copy() for p in params]
        for p in params:
            p -= 0.5
        return params

    got = srcad.primal(f)(P0)
    assert [type(e) for e in got] == [np.ndarray, np.ndarray] and got[1].shape == ()


class Momentum:
    def __init__(self, lr, beta=0.9):
        self.lr = lr
        self.beta = beta
        self.m = {}

    def step(self, params, grads):
        for k in params:
            if k not in self.m:
                self.m[k] = np.zeros_like(params[k])
            self.m[k] = self.beta * self.m[k] + (1 - self.beta) * grads[k]
            params[k] = params[k] - self.lr * self.m[k]
        return params


def _dloss(params):
    return np.mean((XD @ params["w"] + params["b"] - YD) ** 2)


def _train_state(params, lr):
    opt = Momentum(lr)
    params = dict(params)
    for _ in range(3):
        params = opt.step(params, srcad.grad(_dloss)(params))
    return _dloss(params)


def test_optimizer_with_state_dict():
    d0 = {"w": P0[0], "b": P0[1]}
    assert srcad.primal(_train_state)(d0, 0.1) == _train_state(d0, 0.1)
    check_grads(_train_state, (d0, 0.1), modes=("fwd", "rev"), wrt=1, order=2)
    check_grads(_train_state, (d0, 0.1), modes=("fwd", "rev"), wrt=0)


def _shared(w, lr):
    a = w.copy()
    params = [a, a]
    _sgd_step(params, [w, 2 * w], lr)
    return np.sum(params[0] * params[1])


def _mixed(w, lr):
    params = [w * 1.0, 3.0]
    _sgd_step(params, [w, w[0]], lr)
    return np.sum(params[0]) + params[1]


def _alias_read(params, lr):
    params = [p.copy() for p in params]
    w = params[0]
    TorchSGD(params, lr).step(srcad.grad(_loss)(params))
    return np.sum(w) + _loss(params)


def test_shared_or_mixed_items_refused():
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(_alias_read, wrt=1)(P0, 0.1)
    w = np.array([1.0, 2.0])
    with pytest.raises(srcad.SrcadError, match="shares with another name"):
        srcad.grad(_shared)(w, 0.1)
    with pytest.raises(srcad.SrcadError, match="among items of other kinds"):
        srcad.grad(_mixed)(w, 0.1)

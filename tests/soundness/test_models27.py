"""What models27 accepts, checked numerically, and the neighbours that must stay refused.

1. ``self.layers = [Affine(*p) for p in params]`` inside a class's ``__init__``
   (lower/starcomp.py rewrites the ``__init__``'s comprehensions as it does the function's; the
   check of the items' lengths runs before the object is built); objects appended after a
   list mapped over a run-time sequence, ``layers.append(Scale(w))`` (lower/mappedtail.py);
3. ``m.calls += 1`` on the differentiated model argument: Python's update, once per call of a
   derivative (grad, jvp, vjp, hessian), as autograd runs the function once (ad/effects.py); an
   update in place of a field holding an array or a list is refused when it runs (the generated
   code may read the array, or a name sharing it, after the update: a wrong derivative before);
5. a recursive ``tree_map`` given a lambda (an SGD step over nested dicts and lists of arrays):
   the helper called as a function of its own, the lambda lifted (lower/fnlifted.py); refused
   still for a lambda reading a variable of the loss and for a library callable;
6. neighbours that stay right: ``__slots__``, properties, class attributes, an overridden
   ``__call__`` calling ``super()``, a model in a global, one layer object twice in a list.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

EPS = 1e-6


def _fd_leaves(f, args, pos, eps=EPS):
    """Central differences of f(*args) w.r.t. each float array reached in args[pos] (lists,
    tuples, dicts; in the order `_leaves` lists them)."""
    out = []
    for path in _paths(args[pos]):
        arr = _get(args[pos], path)
        g = np.zeros(np.shape(arr))
        for k in range(np.size(arr)):
            vals = []
            for s in (eps, -eps):
                a = copy.deepcopy(list(args))
                _get(a[pos], path).flat[k] += s
                vals.append(f(*a))
            g.flat[k] = (vals[0] - vals[1]) / (2 * eps)
        out.append(g)
    return out


def _paths(t, at=()):
    if isinstance(t, dict):
        return [p for k in t for p in _paths(t[k], at + (k,))]
    if isinstance(t, (list, tuple)):
        return [p for k, v in enumerate(t) for p in _paths(v, at + (k,))]
    return [at]


def _get(t, path):
    for k in path:
        t = t[k]
    return t


def _leaves(t):
    return [_get(t, p) for p in _paths(t)]


def _close(got, want, rtol=1e-5, atol=1e-8):
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def _check_all(f, args, wrt, hess_wrt=None):
    """value, grad vs central differences, jvp vs grad (dot product), hessian vs differences of
    the gradient (`hess_wrt`: an array argument)."""
    v, g = srcad.value_and_grad(f, wrt=wrt)(*copy.deepcopy(args))
    assert v == pytest.approx(f(*copy.deepcopy(args)), rel=1e-12)
    g = g if isinstance(wrt, tuple) else (g,)
    ws = wrt if isinstance(wrt, tuple) else (wrt,)
    for gi, i in zip(g, ws):
        _close(_leaves(gi), _fd_leaves(f, args, i))
    rng = np.random.default_rng(7)
    tang = [
        _tree_like(a, rng) if i in ws else _tree_like(a, None) for i, a in enumerate(args)
    ]  # fmt: skip
    _, t = srcad.jvp(f, tuple(copy.deepcopy(args)), tuple(tang))
    dot = sum(np.sum(a * b) for gi, i in zip(g, ws) for a, b in zip(_leaves(gi), _leaves(tang[i])))
    assert t == pytest.approx(dot, rel=1e-9, abs=1e-12)
    if hess_wrt is not None:
        h = srcad.hessian(f, wrt=hess_wrt)(*copy.deepcopy(args))
        x = args[hess_wrt]
        rows = []
        for e in np.eye(x.size) * 1e-5:
            a, b = copy.deepcopy(list(args)), copy.deepcopy(list(args))
            a[hess_wrt] = x + e.reshape(x.shape)
            b[hess_wrt] = x - e.reshape(x.shape)
            ga = srcad.grad(f, wrt=hess_wrt)(*a)
            gb = srcad.grad(f, wrt=hess_wrt)(*b)
            rows.append((ga - gb) / 2e-5)
        np.testing.assert_allclose(np.asarray(h).reshape(x.size, x.size), np.array(rows),
                                   rtol=1e-5, atol=1e-7)  # fmt: skip


def _tree_like(t, rng):
    if isinstance(t, dict):
        return {k: _tree_like(v, rng) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(_tree_like(v, rng) for v in t)
    if isinstance(t, np.ndarray):
        return rng.normal(size=t.shape) if rng is not None else np.zeros(t.shape)
    return 0.0 if rng is None else float(rng.normal())


X2 = np.array([0.3, 0.4])
PARAMS = [(np.eye(2) * 0.5, np.array([0.1, 0.2])), (np.ones((2, 2)) * 0.3, np.array([0.0, 0.3]))]


# -- 1. `self.layers = [Affine(*p) for p in params]` in `__init__` ---------------------------
class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class StarNet:
    def __init__(self, params):
        self.layers = [Affine(*p) for p in params]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_net(params, x):
    n = StarNet(params)
    return np.sum(n(x) ** 2)


class AffineDefault:
    def __init__(self, W, b=0.0):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class StarNetDefault:
    def __init__(self, params):
        self.layers = [AffineDefault(*p) for p in params]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_net_default(params, x):
    return np.sum(StarNetDefault(params)(x))


def test_starred_comprehension_in_init():
    _check_all(star_net, (PARAMS, X2), (0, 1), hess_wrt=1)


def test_starred_comprehension_in_init_checks_the_items():
    bad = PARAMS + [(np.eye(2), np.ones(2), 3.0)]
    with pytest.raises(TypeError):
        star_net(bad, X2)  # Python
    with pytest.raises(srcad.SrcadError, match="does not fill the 2 parameters"):
        srcad.grad(star_net, wrt=(0, 1))(bad, X2)


def test_starred_comprehension_in_init_with_defaults_taken_since_refuse29():
    # (refused until refuse29, lower/starcalls.class_call: `AffineDefault(*p)` fills `b` from
    # its default when `p` has one item, Python's TypeError past two)
    one = [(np.eye(2) * 0.5,), PARAMS[1]]
    for params in (PARAMS, one):
        v = srcad.value_and_grad(star_net_default, wrt=(0, 1))(params, X2)[0]
        assert v == pytest.approx(star_net_default(params, X2), rel=1e-13)
        check_grads(star_net_default, (params, X2), modes=("fwd", "rev"))
    bad = PARAMS + [(np.eye(2), np.ones(2), 3.0)]
    with pytest.raises(TypeError):
        star_net_default(bad, X2)  # Python
    with pytest.raises((TypeError, srcad.SrcadError)):
        srcad.grad(star_net_default, wrt=(0, 1))(bad, X2)


# -- 1b. objects appended to a list mapped over a run-time sequence (lower/mappedtail.py) -------
class Scale:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return x * self.w


def layers_appended(ws, x):
    layers = [Scale(w) for w in ws]
    layers.append(Scale(ws[0]))
    layers.append(Scale(np.sin(ws[1])))
    for layer in layers:
        x = np.tanh(layer(x))
    return np.sum(x**2) * len(layers)


def layers_appended_in_a_loop(ws, x):
    layers = [Scale(w) for w in ws]
    for w in ws:
        layers.append(Scale(w))  # (the count known only when it runs)
    for layer in layers:
        x = layer(x)
    return np.sum(x)


def layers_appended_in_an_if(ws, x):
    layers = [Scale(w) for w in ws]
    if np.sum(x) > 0:
        layers.append(Scale(ws[0]))
    for layer in layers:
        x = layer(x)
    return np.sum(x)


def layers_appended_then_broken(ws, x):
    layers = [Scale(w) for w in ws]
    layers.append(Scale(ws[0]))
    for layer in layers:
        x = layer(x)
        if np.sum(x) > 10.0:
            break
    return np.sum(x)


def layers_appended_then_indexed(ws, x):
    layers = [Scale(w) for w in ws]
    layers.append(Scale(ws[0]))
    return np.sum(layers[-1](x))


WS = [np.array([1.0, 2.0]), np.array([0.5, 0.3]), np.array([-0.7, 0.2])]


def test_objects_appended_to_a_mapped_list():
    _check_all(layers_appended, (WS, X2), (0, 1), hess_wrt=1)


@pytest.mark.parametrize(
    "f",
    [
        layers_appended_in_a_loop,
        layers_appended_in_an_if,
        layers_appended_then_broken,
        layers_appended_then_indexed,
    ],
)
def test_objects_appended_to_a_mapped_list_neighbours_stay_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f, wrt=(0, 1))(copy.deepcopy(WS), X2)


# -- 3. `m.calls += 1` on a model argument: Python's update, once per call ---------------------
class Counted:
    def __init__(self, calls=0):
        self.w = np.array([0.3, 0.7])
        self.calls = calls


def counted(m, x):
    m.calls += 1
    return np.sum(np.sin(m.w * x))


def counted_plain(m, x):
    m.calls = m.calls + 1
    return np.sum(np.sin(m.w * x)) * 2.0


XC = np.array([0.5, 1.5])


def _grad_w(f, x):
    out = np.zeros(2)
    for k in range(2):
        a, b = Counted(), Counted()
        a.w[k] += EPS
        b.w[k] -= EPS
        out[k] = (f(a, x) - f(b, x)) / (2 * EPS)
    return out


@pytest.mark.parametrize("f", [counted, counted_plain])
@pytest.mark.parametrize("calls", [0, 0.0])
def test_a_counter_of_a_model_argument_advances_once_per_call(f, calls):
    m = Counted(calls)
    v, g = srcad.value_and_grad(f)(m, XC)
    assert m.calls == 1 and type(m.calls) is type(calls)
    assert v == pytest.approx(f(Counted(), XC), rel=1e-13)
    np.testing.assert_allclose(g.w, _grad_w(f, XC), rtol=1e-6)
    assert g.calls == (None if type(calls) is int else 0.0)
    g = srcad.grad(f)(m, XC)
    assert m.calls == 2
    t = Counted(0.0)
    t.w = np.array([1.0, -2.0])
    _, dv = srcad.jvp(f, (m, XC), (t, np.zeros(2)))
    assert m.calls == 3 and dv == pytest.approx(np.dot(g.w, t.w), rel=1e-10)
    _, pull = srcad.vjp(f, m, XC)
    pull(1.0)
    pull(2.0)
    assert m.calls == 4
    h = srcad.hessian(f, wrt=1)(m, XC)
    assert m.calls == 5
    hx = [(srcad.grad(f, wrt=1)(Counted(), XC + e) - srcad.grad(f, wrt=1)(Counted(), XC - e))
          / 2e-5 for e in np.eye(2) * 1e-5]  # fmt: skip
    np.testing.assert_allclose(h, hx, rtol=1e-5, atol=1e-8)
    srcad.hessian(f)(m, XC)
    assert m.calls == 6


class Shared:
    def __init__(self):
        self.w = np.array([1.0, 2.0])
        self.w2 = self.w  # the same array under two names
        self.hist = []


def updates_an_array_field(m, x):
    y = np.sum(m.w2 * x**2)
    m.w += 1.0  # Python updates the array in place: `y`'s derivative reads `m.w2`
    return y


def updates_a_list_field(m, x):
    m.hist += [1.0]
    return np.sum(m.w * x)


def stores_a_differentiated_value(m, x):
    m.last = np.sum(m.w * x)
    return np.sum(m.w * x**2)


def reads_the_counter(m, x):
    m.calls += 1
    return np.sum(m.w * x) * m.calls


@pytest.mark.parametrize("wrt", [0, 1])
@pytest.mark.parametrize("f", [updates_an_array_field, updates_a_list_field])
def test_an_update_in_place_of_a_field_is_refused(f, wrt):
    m = Shared()
    with pytest.raises(srcad.SrcadError, match="updates `(w|hist)` of a `Shared` with `op=`"):
        srcad.grad(f, wrt=wrt)(m, np.array([1.0, 1.0]))
    assert m.hist == [] and np.array_equal(m.w, [1.0, 2.0])  # refused before the write


class Scaled:
    def __init__(self):
        self.w = np.array([0.5, 1.5])
        self.scale = 1.0

    def __call__(self, x):
        return self.w * x * self.scale


def doubles_then_calls(m, x):
    m.scale *= 2.0  # the method (a helper srcad differentiates) reads the new value
    return np.sum(m(x))


def _reads_scale(m, x):
    return np.sum(m.w * x * m.scale)


def doubles_then_passes(m, x):
    m.scale *= 2.0
    return _reads_scale(m, x)


@pytest.mark.parametrize("f", [stores_a_differentiated_value, reads_the_counter])
def test_counter_neighbours_stay_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(Counted(), XC)


@pytest.mark.parametrize("f", [doubles_then_calls, doubles_then_passes])
def test_a_written_model_passed_on_is_refused(f):
    # d/dscale is 2 * sum(w * x) (Python reads the doubled field); a helper's derivative taken
    # at the new value would give half of it: refused
    with pytest.raises(srcad.SrcadError, match="stored into the attribute `scale`"):
        srcad.grad(f)(Scaled(), XC)


# -- 5. a recursive tree_map given a lambda ------------------------------------------------------
def tmap(f, t):
    if isinstance(t, dict):
        return {k: tmap(f, v) for k, v in t.items()}
    if isinstance(t, list):
        return [tmap(f, v) for v in t]
    return f(t)


def tmap2(f, t, u):
    if isinstance(t, dict):
        return {k: tmap2(f, v, u[k]) for k, v in t.items()}
    if isinstance(t, list):
        return [tmap2(f, a, b) for a, b in zip(t, u)]
    return f(t, u)


def mlp(p, x):
    for layer in p["layers"]:
        x = np.tanh(x @ layer["W"] + layer["b"])
    return np.sum(x**2)


def shrunk(p, x):
    return mlp(tmap(lambda a: a * 0.9, p), x)


def sgd_step(p, x):
    g = tmap(lambda a: np.cos(a), p)
    return mlp(tmap2(lambda a, b: a - 0.1 * b, p, g), x)


def sgd_nested(p, x):
    def step(a, b):
        return a - 0.1 * b * a

    return mlp(tmap2(step, p, tmap(lambda a: a * a, p)), x)


def sgd_captured(p, x, lr):
    return mlp(tmap2(lambda a, b: a - lr * b, p, p), x)


def tmap_library(p, x):
    return mlp(tmap(np.tanh, p), x)


P = {
    "layers": [
        {"W": np.eye(2) * 0.5, "b": np.array([0.1, 0.2])},
        {"W": np.ones((2, 2)) * 0.3, "b": np.array([0.0, -0.1])},
    ]
}


@pytest.mark.parametrize("f", [shrunk, sgd_step, sgd_nested])
def test_a_recursive_tree_map_given_a_lambda(f):
    _check_all(f, (P, X2), (0, 1), hess_wrt=1)
    g = srcad.grad(f)(P, X2)
    assert (
        isinstance(g, dict) and isinstance(g["layers"], list) and set(g["layers"][1]) == {"W", "b"}
    )


@pytest.mark.parametrize("f", [sgd_captured, tmap_library])
def test_a_recursive_tree_map_neighbours_stay_refused(f):
    args = (P, X2, 0.1) if f is sgd_captured else (P, X2)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(*args)


# -- 6. neighbours that stay right: __slots__, properties, class attributes, overridden
# __call__, a model in a global, one layer object twice in a list (weight sharing) -----------
class Slotted:
    __slots__ = ("w", "b")

    def __init__(self, w):
        self.w = w
        self.b = w * 0.5

    def __call__(self, x):
        return np.tanh(x * self.w + self.b)


class Squared:
    def __init__(self, w):
        self.w = w

    @property
    def w2(self):
        return self.w**2

    def __call__(self, x):
        return np.sum(self.w2 * x)


class ClassScale:
    scale = 2.0

    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.sum(self.w * x) * self.scale


class Base:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.sum(self.w * x)


class Child(Base):
    def __call__(self, x):
        return np.sum(np.sin(self.w * x)) + super().__call__(x)


class Lin:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w * x)


class Seq:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


GLOBAL_MODEL = Lin(np.array([0.5, -0.3]))
WV = np.array([0.7, -0.4])


def slotted(w, x):
    return np.sum(Slotted(w)(x))


def squared(w, x):
    return Squared(w)(x)


def class_scale(w, x):
    return ClassScale(w)(x) + ClassScale(w * 2.0)(x)


def child(w, x):
    return Child(w)(x)


def global_model(x):
    return np.sum(GLOBAL_MODEL(x) ** 2)


def shared_layer(w, x):
    layer = Lin(w)
    for lay in [layer, layer]:
        x = lay(x)
    return np.sum(x**2)


def model_arg(m, x):
    return np.sum(m(x) ** 2) if isinstance(m, Seq) else m(x)


@pytest.mark.parametrize("f", [slotted, squared, class_scale, child, shared_layer])
def test_neighbours_built_in_the_function(f):
    _check_all(f, (WV, X2), (0, 1), hess_wrt=1)


def test_a_model_in_a_global():
    _check_all(global_model, (X2,), 0, hess_wrt=0)


@pytest.mark.parametrize("m", [Squared(WV), ClassScale(WV), Child(WV)])
def test_neighbours_passed_as_the_model(m):
    g = srcad.grad(model_arg)(m, X2)
    fd = np.zeros(2)
    for k in range(2):
        a, b = copy.deepcopy(m), copy.deepcopy(m)
        a.w[k] += EPS
        b.w[k] -= EPS
        fd[k] = (model_arg(a, X2) - model_arg(b, X2)) / (2 * EPS)
    np.testing.assert_allclose(g.w, fd, rtol=1e-6)


def test_one_layer_twice_in_a_model_argument():
    """`Seq([l, l])`: the gradient has a place per position (as a pytree's leaves); the two
    add up to the derivative with respect to the shared weights."""
    layer = Lin(WV.copy())
    m = Seq([layer, layer])
    g = srcad.grad(model_arg)(m, X2)
    fd = np.zeros(2)
    for k in range(2):
        old = layer.w[k]
        layer.w[k] = old + EPS
        up = model_arg(m, X2)
        layer.w[k] = old - EPS
        down = model_arg(m, X2)
        layer.w[k] = old
        fd[k] = (up - down) / (2 * EPS)
    np.testing.assert_allclose(g.layers[0].w + g.layers[1].w, fd, rtol=1e-6)


# -- a loop over a dict that is an item of an argument (found by models27, fixed: lower/seqitems)
def loops_over_a_dict_item(x, p):
    s = 0.0
    for n in p["a"]:  # Python: the keys
        s = s + x * n
    return s


def sums_a_dict_item(x, p):
    return sum(x * n for n in p[0]) + sum(x * v for v in p[0].values())


def counts_str_keys(x, p):
    s = 0.0
    for k in p["a"]:
        s = s + x * p["a"][k] * len(k)
    return s


def test_a_loop_over_a_dict_item_gives_its_keys():
    p = {"a": {0: 5.0, 1: 7.0}}
    assert loops_over_a_dict_item(2.0, p) == 2.0
    assert srcad.primal(loops_over_a_dict_item)(2.0, p) == 2.0  # was 24.0 (a wrong value)
    assert srcad.grad(loops_over_a_dict_item)(2.0, p) == 1.0  # was 12.0
    q = [{0: 5.0, 1: 7.0}]
    assert srcad.primal(sums_a_dict_item)(2.0, q) == sums_a_dict_item(2.0, q) == 26.0
    assert srcad.grad(sums_a_dict_item)(2.0, q) == 13.0
    r = {"a": {"ab": 0.5, "c": 1.5}}
    assert srcad.primal(counts_str_keys)(2.0, r) == counts_str_keys(2.0, r) == 5.0  # was KeyError
    assert srcad.grad(counts_str_keys)(2.0, r) == 2.5

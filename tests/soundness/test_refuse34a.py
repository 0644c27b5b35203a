"""What refuse34a accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), what it now
refuses, and the neighbours that stay refused (tests/corpus/users_refuse34a.py holds the corpus
cases):

1. A user class's own method named like a list's or dict's in-place one (``opt.update(p, g)``,
   ``bag.pop()``, ``o.clear()``) on an object a call of the class made here: the class's method
   (lower/usermethods.py: even a record of such a class is built while lowering), in an
   expression, as a statement and in a loop; a receiver of no class known when lowering (an
   argument) and a subclass of dict stay refused.
2. ``sum(objs)`` / ``np.sum(objs)`` / ``math.prod(objs)`` of a list built at run time holding
   objects of a class defining ``__add__``/``__radd__`` (``__mul__``/``__rmul__``): the rule
   added the items as numbers (a wrong JVP, a crash in reverse); now refused at transform time
   (ad/objsums.py). Lists of numbers and arrays are summed as before.
3. ``super(C, self).__init__(...)`` in ``C.__init__``: read as ``super().__init__(...)``
   (lower/objsuper.zero_arg_init), so the object is built while lowering; ``super(B, self)`` of
   another class keeps Python's meaning.
4. A concrete subclass of an ``abc.ABC`` base (abstract methods or properties): built as any
   class (lower/objseq.plain_type); an abstract class called still raises Python's TypeError.
5. ``layers = {}; layers["fc1"] = Dense(w); ...``: the display ``{"fc1": Dense(w), ...}``
   (lower/dictlayers.py), whose layers srcad follows by key, ``.values()`` and ``.items()``; a
   store whose value reads the dict stays a store.
6. ``Sequential(Dense(a), Dense(b))`` whose ``__init__`` keeps ``*layers``: the tuple of the
   objects the calls made (lower/objects._bind), so ``for layer in self.layers`` calls known
   methods; ``*args`` of plain values stay a run-time tuple.
7. A lambda the function makes and passes through a helper to a class (``make_model(lambda z:
   np.tanh(k * z))``): kept in the object when what it reads is fixed in the function
   (lower/objfns.keep); a variable rebound later, a loop, or a lambda a helper made stay refused.
"""

from __future__ import annotations

import abc
import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. user methods named like a container's in-place methods ---------------------------------
class Opt:
    def __init__(self, lr):
        self.lr = lr

    def update(self, params, grads):
        return {k: params[k] - self.lr * grads[k] for k in params}


class Bag:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def pop(self):
        return self.b * self.a

    def clear(self):
        return np.sum(self.a)

    def setdefault(self, k, v):
        return self.a if k == "a" else v


class Params:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def items(self):
        return [("w", self.w), ("b", self.b)]

    def values(self):
        return [self.w, self.b]


def params_items_values(x):
    p = Params(x, np.sin(x))
    s = 0.0
    for k, v in p.items():
        s = s + np.sum(v**2) * len(k)
    return s + sum(np.sum(v) for v in p.values())


def opt_update_loop(x):
    p = {"w": x * 1.0}
    o = Opt(0.3)
    for _ in range(3):
        p = o.update(p, {"w": np.sin(p["w"])})
    return np.sum(p["w"] ** 2)


def opt_update_inline(x):
    p = Opt(x[0] ** 2).update({"w": x}, {"w": np.cos(x)})
    return np.sum(p["w"] * x)


def opt_update_statement(x):
    p = {"w": x * 2.0}
    o = Opt(0.1)
    o.update(p, {"w": x})  # its result dropped: `p` unchanged, as in Python
    return np.sum(p["w"] ** 2)


def bag_methods(x):
    g = Bag(x, np.sin(x))
    return np.sum(g.pop()) * g.clear() + np.sum(g.setdefault("a", x) ** 2)


@pytest.mark.parametrize(
    "f",
    [opt_update_loop, opt_update_inline, opt_update_statement, bag_methods, params_items_values],
)
def test_user_method_named_like_container_method(f):
    _both(f, X)
    check_scalar(f, X)


def test_opt_update_value():
    # p_{k+1} = p_k - 0.3 sin(p_k), three steps, then sum(p^2): compare with the chain rule
    p, dp = X.copy(), np.ones(3)
    for _ in range(3):
        p, dp = p - 0.3 * np.sin(p), dp * (1.0 - 0.3 * np.cos(p))
    np.testing.assert_allclose(srcad.grad(opt_update_loop)(X), 2 * p * dp, rtol=1e-13)


def update_of_argument(x, o):
    return np.sum(o.update({"w": x}, {"w": x})["w"])


def test_receiver_of_unknown_class_stays_refused():
    with pytest.raises(srcad.SrcadError, match="update"):
        srcad.grad(update_of_argument)(X, Opt(0.1))


class DictBag(dict):
    def __init__(self, a):
        super().__init__(a=a)

    def update(self, v):  # noqa: D102 - shadows dict.update on purpose
        return v


def dict_subclass_update(x):
    d = DictBag(x)
    return np.sum(d.update(x))


def test_container_subclass_is_not_taken_for_a_user_method():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(dict_subclass_update)(X)


# -- 2. sums of run-time lists of objects with operators -----------------------------------------
class Sq:
    def __init__(self, a):
        self.a = a

    def __radd__(self, o):
        return o + self.a**2

    def __add__(self, o):
        return self.a**2 + o


class Scale:
    def __init__(self, a):
        self.a = a

    def __rmul__(self, o):
        return o * (1.0 + self.a)


def sum_comprehension(x):
    return sum([Sq(v) for v in x])


def sum_appended(x):
    ms = []
    for v in x:
        ms.append(Sq(v))
    return sum(ms, 1.0)


def sum_branch(x):
    ms = [Sq(x[0])] if x[0] > 0 else [Sq(x[1])]
    for v in x[1:]:
        ms = ms + [Sq(v)]
    return sum(ms)


def sum_concatenated(x):
    ms = []
    for v in x:
        ms = ms + [Sq(v)]
    return sum(list(ms)[1:])


def prod_comprehension(x):
    return math.prod([Scale(v) for v in x])


@pytest.mark.parametrize(
    "f", [sum_comprehension, sum_appended, sum_branch, sum_concatenated, prod_comprehension]
)
def test_sum_of_objects_with_operators_is_refused(f):
    f(X)  # Python runs it
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.grad(f)(X)
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.jvp(f, (X,), (np.ones(3),))


def sum_of_arrays_built_in_a_loop(x):
    parts = []
    for v in x:
        parts.append(np.sin(v) * x)
    return np.sum(sum(parts)) + math.prod([v * v for v in x])


class Plain:
    def __init__(self, a):
        self.a = a


def sum_of_fields(x):
    ps = [Plain(v) for v in x]
    return sum([p.a**2 for p in ps])


@pytest.mark.parametrize("f", [sum_of_arrays_built_in_a_loop, sum_of_fields])
def test_sums_of_numbers_still_work(f):
    _both(f, X)
    check_scalar(f, X)


# -- 3. `super(C, self).__init__(...)` in an __init__ ----------------------------------------------
class Base:
    def __init__(self, w):
        self.w = w


class Child(Base):
    def __init__(self, w, b):
        super(Child, self).__init__(w * 2.0)  # noqa: UP008 (what users write)
        self.b = b

    def f(self, x):
        return np.tanh(self.w * x + self.b)


class GrandChild(Child):
    def __init__(self, w):
        super(GrandChild, self).__init__(w, w**2)  # noqa: UP008
        self.c = np.sin(w)

    def f(self, x):
        return super(GrandChild, self).f(x) * self.c  # noqa: UP008


class Skipping(Child):
    def __init__(self, w):
        super(Child, self).__init__(w)  # Base.__init__ directly: stays as it was
        self.b = 1.0


def super_two_args(x):
    return np.sum(Child(x[0], x[1]).f(x) ** 2)


def super_two_args_chain(x):
    return np.sum(GrandChild(x[2]).f(x))


@pytest.mark.parametrize("f", [super_two_args, super_two_args_chain])
def test_two_argument_super_init(f):
    _both(f, X)
    check_scalar(f, X)


def test_two_argument_super_of_another_class_keeps_python_meaning():
    def f(x):
        return np.sum(Skipping(x[0]).f(x))

    # Base.__init__ ran: w = x[0], not 2 x[0]
    expected = np.sum(np.tanh(X[0] * X + 1.0))
    assert np.isclose(f(X), expected)
    try:
        srcad.grad(f)(X)
    except srcad.SrcadError:
        return  # refused is fine; a derivative must be the right one
    _both(f, X)


# -- 4. a concrete subclass of an abstract base (ABCMeta) --------------------------------------------
class Shape(abc.ABC):
    @property
    @abc.abstractmethod
    def area(self): ...

    def cost(self):
        return self.area * 2.0


class Square(Shape):
    def __init__(self, s):
        self.s = s

    @property
    def area(self):
        return self.s**2


class Loss(abc.ABC):
    def __init__(self, scale):
        self.scale = scale

    @abc.abstractmethod
    def point(self, r): ...

    def __call__(self, r):
        return self.scale * np.sum(self.point(r))


class Huber(Loss):
    def point(self, r):
        return np.where(np.abs(r) < 1.0, 0.5 * r**2, np.abs(r) - 0.5)


def abstract_property(x):
    shapes = [Square(x[0]), Square(x[1])]
    return sum(s.cost() for s in shapes)


def abstract_method_loss(x):
    return Huber(x[2])(x * 1.5)


@pytest.mark.parametrize("f", [abstract_property, abstract_method_loss])
def test_concrete_subclass_of_abstract_base(f):
    _both(f, X)
    check_scalar(f, X)


def test_abstract_class_still_raises_as_python():
    def f(x):
        return Shape().cost() * x[0]

    with pytest.raises(TypeError):
        f(X)
    with pytest.raises((TypeError, srcad.SrcadError)):
        srcad.grad(f)(X)


# -- 5. a dict of layers filled by item assignments -----------------------------------------------
class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w * x + self.b)


def layer_dict_by_name(x):
    layers = {}
    layers["fc1"] = Dense(x[0], 0.1)
    layers["fc2"] = Dense(x[1], -0.2)
    h = x
    for name in ["fc1", "fc2"]:
        h = layers[name](h)
    return np.sum(h)


def layer_dict_values(x):
    layers = {}
    layers["fc1"] = Dense(x[0], 0.1)
    layers["act"] = lambda z: z * z
    layers["fc2"] = Dense(x[1], -0.2)
    layers["fc1"] = Dense(x[2], 0.5)  # a repeated key: first place, last value
    h = x
    for layer in layers.values():
        h = layer(h)
    return np.sum(h) * len(layers)


def layer_dict_items(x):
    layers = {}
    layers["a"] = Dense(x[0], 0.1)
    layers["bb"] = Dense(x[1], -0.2)
    s = 0.0
    for k, layer in layers.items():
        s = s + np.sum(layer(x)) * len(k)
    return s


@pytest.mark.parametrize("f", [layer_dict_by_name, layer_dict_values, layer_dict_items])
def test_dict_of_layers_by_assignment(f):
    _both(f, X)
    check_scalar(f, X)


def test_dict_store_reading_the_dict_is_not_merged():
    def f(x):
        d = {}
        d["a"] = x[0] * 2.0
        d["b"] = d["a"] + x[1]  # reads the dict: the stores stay stores
        return d["a"] * d["b"]

    _both(f, X)
    np.testing.assert_allclose(srcad.grad(f)(X)[:2], [4 * X[0] * 2 + 2 * X[1], 2 * X[0]])


# -- 6. layers passed as `*layers` to a container class -------------------------------------------
class Sequential:
    def __init__(self, *layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class SequentialList:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class Sums:
    def __init__(self, *ws):
        self.ws = ws

    def total(self):
        return sum(np.sum(w) for w in self.ws)


def star_layers(x):
    net = Sequential(Dense(x[0], 0.1), Dense(x[1], x[2]))
    return np.sum(net(x) ** 2)


def star_layers_list(x):
    net = SequentialList(Dense(x[0], 0.1), Dense(x[1], x[2]), Dense(0.5, 0.0))
    return np.sum(net(x))


def star_layers_spread(x):
    layers = [Dense(x[0], 0.1), Dense(x[1], x[2])]
    return np.sum(Sequential(*layers)(x))


def star_plain_values(x):
    return Sums(x, x * 2.0, np.sin(x)).total()


@pytest.mark.parametrize(
    "f", [star_layers, star_layers_list, star_layers_spread, star_plain_values]
)
def test_star_layers(f):
    _both(f, X)
    check_scalar(f, X)


def test_star_layers_calling_a_plain_value_stays_refused():
    def f(x):
        return np.sum(Sequential(Dense(x[0], 0.1), x)(x))

    with pytest.raises((srcad.SrcadError, TypeError)):
        srcad.grad(f)(X)


# -- 7. a lambda passed through a helper to a class -----------------------------------------------
class Model:
    def __init__(self, act):
        self.act = act

    def __call__(self, x):
        return self.act(x) * 2.0


def make_model(f):
    return Model(f)


def make_scaled(f, s):
    return Model(lambda z: f(z) * s)


def lambda_through_helper(x):
    m = make_model(lambda z: np.tanh(z))
    return np.sum(m(x) ** 2)


def lambda_through_helper_reads_fixed(x):
    k = x[0] * 2.0
    m = make_model(lambda z: np.tanh(k * z))
    return np.sum(m(x))


@pytest.mark.parametrize("f", [lambda_through_helper, lambda_through_helper_reads_fixed])
def test_lambda_through_helper_to_class(f):
    _both(f, X)
    check_scalar(f, X)


def lambda_through_helper_rebound(x):
    k = x[0] * 2.0
    m = make_model(lambda z: np.tanh(k * z))
    k = x[1]  # Python's lambda reads this `k` when `m(x)` calls it
    return np.sum(m(x))


def lambda_made_in_helper(x):
    k = x[0] * 2.0
    return np.sum(make_scaled(lambda z: np.tanh(k * z), x[2])(x))


def lambda_through_helper_in_loop(x):
    m = None
    for i in range(2):
        k = x[i]
        m = make_model(lambda z: np.tanh(k * z))  # noqa: B023 (late binding on purpose)
    return np.sum(m(x))


@pytest.mark.parametrize(
    "f", [lambda_through_helper_rebound, lambda_made_in_helper, lambda_through_helper_in_loop]
)
def test_lambda_through_helper_not_fixed_stays_refused(f):
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.grad(f)(X)

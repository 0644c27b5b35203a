"""What refuse38 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
and `check_scalar`: value, gradient, JVP, VJP and Hessian against Python and central
differences), the neighbours that stay refused, and the messages of those refused:

1. Factory closures collected in a list: ``fs = [make(k) for k in range(3)]`` (a comprehension
   over constants or a list/tuple display, lower/objseq.constructed) where ``make`` returns a
   nested def or a lambda, then ``for f in fs: y = f(y)`` / ``sum(f(x) for f in fs)``; the
   returned function may read a variable of the function around that is bound once for good
   (lower/factories.bound_once: a parameter nothing assigns, or one assignment at the top of
   the body). Rebound, bound later or updated in place stays refused, with a message naming
   the variable; over a run-time sequence (``x[:2]``) too, with a message saying how to write
   it. Wrong before (found here): a comprehension of objects over constants, or one rebuilt
   per loop (lower/mappedseq.py), whose element calls a nested function reading a name the
   comprehension binds (Python: the function's own variable) or rebound later (Python: the
   value when the comprehension ran) read the comprehension's or the later value; those are
   now lowered as a plain comprehension (`objseq.live_closures`).
2. A model object whose class's ``__iter__`` is ``return iter(self.layers)``, built here or
   at module level: ``enumerate(net)``, ``zip(net, ...)``, ``[l(x) for l in net]`` and
   ``sum(... for l in net)`` iterate ``net.layers`` (lower/iterfield.py), as ``for layer in
   net`` did. A field replaced or appended to after ``__init__``, and an ``__iter__`` that
   yields, stay refused. A model whose layers are all plain records (``Dense(k)`` storing
   its parameter) is built here too: its ``__iter__`` counts as calling the field's items
   (lower/escapes._iterated), as a method looping over ``self.layers`` does.
4. ``vars(p)`` of a dataclass built here: its generated methods (no source) store only to
   their ``self``, so they no longer stand for "any attribute" (lower/escapes._generated).
   ``dataclasses.asdict(p)`` / ``astuple(p)`` of a dataclass built here whose fields hold
   numbers or arrays (checked when it runs): the dict/tuple of copies (lower/dcfields.py). A
   nested dataclass (one an operator made too), a list field and a ``__post_init__`` adding
   an attribute stay refused; ``vars``
   not followed (``vars(self)`` in a method) says so instead of "no derivative rule for `vars`".
5. ``for k in range(3)`` / ``range(len(pts))`` whose body indexes a list of objects known here
   by `k` (``pts[k].x``, ``pts[k - 1]``) is unrolled (lower/fnlists._indexes_known), each
   round's item known, as a loop over the list is (``range(i)`` of an unrolled outer loop's
   `i` too); objects stored into ``[None] * 4`` by position already were. A field written
   through ``pts[k].x = ...`` stayed refused
   here (lifted by fix39b, test_refuse39: the neighbour's index ``(k + 1) % 2`` now folds).
6. Messages: ``M[i][mask] -= v`` of an array whose rank srcad could not tell (``np.stack``)
   says to index once (``M[i, mask] -= v``, which works); ``y.T[1] += v`` says it writes
   through a transposed view and how to index ``y`` itself (it said "assigning to
   attributes"); ``itertools.tee(iter([...]))`` says what ``tee`` is followed for.
7. ``cmath.tanh`` / ``cmath.tan`` of a complex number made from inputs: CPython's own formula
   in real ``math`` functions (lower/library_lib37._tanh), the same values bit for bit (NumPy's
   complex tanh differs by an ulp, why refuse37 left them); a real part beyond
   ``log(DBL_MAX / 4)``, where CPython takes another branch, is refused when it runs.
"""

from __future__ import annotations

import cmath
import dataclasses
import itertools

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.5, 0.7, 1.1])
W = np.array([0.5, 1.5, 2.0, -0.5])


def _both(f, *args, wrt=None):
    check_grads(f, args, modes=("fwd", "rev"), wrt=wrt)


# -- 1. factory closures in a list ----------------------------------------------------------------
def factory_defs_looped(x):
    def make(k):
        def h(z):
            return z * k + np.sin(z * k)

        return h

    fs = [make(t) for t in (0.5, 1.0, 1.5)]
    v = fs[0](x)
    for h in fs[1:]:
        v = v + h(x) * 0.5
    return np.sum(v)


def factory_lambdas_summed(x):
    w = np.tanh(x[::-1])  # bound once: the lambdas read it when they run

    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(3)]
    return np.sum(sum(f(x) for f in fs) ** 2)


def factory_chain(x):
    def make(k):
        return lambda z: np.sin(z) * W[k] + z

    fs = [make(k) for k in range(3)]
    y = x
    for f in fs:
        y = f(y)
    return np.sum(y**2)


def _module_make(k):
    return lambda z: np.cos(z * W[k])


def module_factory_chain(x, scale):
    fs = [_module_make(k) for k in range(4)]
    y = x * scale
    for f in fs:
        y = f(y) * scale
    return np.sum(y)


def factory_over_display(x):
    def make(k):
        def h(z):
            return z * k + np.sin(z * k)

        return h

    fs = [make(t) for t in [float(x[0]), 2.0]]
    return np.sum(fs[0](x) * fs[1](x))


class _C:
    def __init__(self, a):
        self.a = a


def objects_over_display(x):
    cs = [_C(t * t) for t in (x[0], x[1] * 2.0)]
    return cs[0].a + cs[1].a * cs[0].a


@pytest.mark.parametrize(
    "f",
    [
        factory_defs_looped,
        factory_lambdas_summed,
        factory_chain,
        factory_over_display,
        objects_over_display,
    ],
)
def test_factory_lists(f):
    _both(f, X)
    check_scalar(f, X)


def test_module_factory_list():
    _both(module_factory_chain, X, 0.9)
    check_grads(module_factory_chain, (X, 0.9), modes=("fwd", "rev"), order=2)


def rebound_after(x):
    w = x * 1.0

    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(2)]
    w = x * 3.0  # Python's lambdas read this one
    return np.sum(fs[0](x) + fs[1](x))


def bound_later(x):
    def make(k):
        return lambda z: z * w * k

    fs = [make(1.0), make(2.0)]
    w = x[0]
    return np.sum(fs[0](x) + fs[1](x))


def bound_in_loop(x):
    w = x * 2.0

    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(2)]
    for _ in range(2):
        w = w * 2.0
    return np.sum(fs[0](x) + fs[1](x))


def parameter_updated(x, w):
    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(2)]
    w += 1.0
    return np.sum(fs[0](x) + fs[1](x))


def rebound_by_nonlocal(x):
    w = x * 2.0

    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(2)]

    def bump():
        nonlocal w
        w = w + 1.0

    bump()
    return np.sum(fs[0](x) + fs[1](x))


def written_in_place(x):
    w = x * 1.0

    def make(k):
        return lambda z: z * w[k]

    fs = [make(k) for k in range(2)]
    w[0] = 5.0
    return np.sum(fs[0](x) + fs[1](x))


def over_run_time_rows(x):
    def make(k):
        def h(z):
            return z * k

        return h

    fs = [make(t) for t in x[:2]]
    return np.sum(fs[0](x) + fs[1](x))


@pytest.mark.parametrize(
    "f, match",
    [
        (rebound_after, "`make` returns reads `w` of the function around it when it runs"),
        (bound_later, "`make` returns reads `w` of the function around it when it runs"),
        (bound_in_loop, "`make` returns reads `w` of the function around it when it runs"),
        (parameter_updated, "`make` returns reads `w` of the function around it when it runs"),
        (rebound_by_nonlocal, "`make` returns reads `w` of the function around it when it runs"),
        (written_in_place, "is read after the object it shares with another name is modified"),
        (over_run_time_rows, "the function `h` this call returns is kept as a value"),
    ],
)
def test_factory_list_neighbours_refused(f, match):
    args = (X.copy(), W.copy()) if f is parameter_updated else (X.copy(),)
    f(*args)  # plain Python runs it
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(*args)


# -- a comprehension's own scope: the wrong values fixed here -----------------------------------
def target_shadows_constants(x):
    k = 2.0

    def g():
        return x[0] * k  # the function's `k`, not the comprehension's

    cs = [_C(g()) for k in (5.0, 7.0)]
    return cs[0].a + cs[1].a


def target_shadows_rows(x):
    k = 2.0

    def g():
        return x[0] * k

    cs = [_C(g()) for k in x[:2]]
    return cs[0].a + cs[1].a


def target_shadows_filtered(x):
    k = 2.0

    def g():
        return x[0] * k

    cs = [_C(g()) for k in x[:2] if k > -5.0]
    return cs[0].a + cs[1].a


def rebound_after_mapped(x):
    w = 2.0

    def g():
        return x[0] * w  # read when the comprehension runs: w == 2

    cs = [_C(g() * t) for t in x]
    w = 3.0
    s = 0.0
    for c in cs:
        s = s + c.a
    return s


@pytest.mark.parametrize(
    "f",
    [target_shadows_constants, target_shadows_rows, target_shadows_filtered, rebound_after_mapped],
)
def test_comprehension_scope_of_nested_calls(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)


# -- 2. iterating a model object ------------------------------------------------------------------
class _Scale:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return x * self.k


class _Tanh:
    def __call__(self, x):
        return np.tanh(x)


class _Net:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        return iter(self.layers)


NET = _Net([_Scale(0.7), _Tanh(), _Scale(1.5)])


def net_enumerated(x):
    net = _Net([_Scale(0.7), _Tanh(), _Scale(1.5)])
    for i, layer in enumerate(net):
        x = layer(x) + 0.1 * i
    return np.sum(np.sin(x))


def net_comprehension(x):
    net = _Net([_Scale(0.7), _Tanh(), _Scale(1.5)])
    outs = [layer(x) for layer in net]
    return np.sum(outs[0] * outs[2]) + np.sum(outs[1] ** 2)


def net_generator_sum(x):
    net = _Net([_Scale(0.7), _Tanh(), _Scale(1.5)])
    return sum(np.sum(layer(x) ** 2) for layer in net)


def net_zipped(x):
    net = _Net([_Scale(0.7), _Tanh(), _Scale(1.5)])
    return sum(np.sum(layer(x) * w) for layer, w in zip(net, (1.0, -2.0, 0.5)))


def module_net_loop(x):
    for layer in NET:
        x = layer(x)
    return np.sum(np.sin(x))


def module_net_enumerated(x):
    return sum(np.sum(layer(x)) * (i + 1) for i, layer in enumerate(NET))


class _Dense:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return np.tanh(x * self.k)


def records_net(x):
    net = _Net([_Dense(0.5), _Dense(-1.2), _Dense(0.8)])
    h = x
    for i, layer in enumerate(net):
        h = h + layer(h) / (i + 1)
    for layer in net:
        h = layer(h) * h
    return np.sum(h**2)


@pytest.mark.parametrize(
    "f",
    [
        records_net,
        net_enumerated,
        net_comprehension,
        net_generator_sum,
        net_zipped,
        module_net_loop,
        module_net_enumerated,
    ],
)
def test_iterating_a_model(f):
    _both(f, X)
    check_scalar(f, X)


def net_field_replaced(x):
    net = _Net([_Scale(0.7), _Tanh()])
    net.layers = [_Tanh()]
    return sum(np.sum(layer(x)) for layer in net)


class _Gen:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        for layer in self.layers:  # noqa: UP028 (a generator, as users write one)
            yield layer


def net_yielding(x):
    net = _Gen([_Scale(0.7), _Tanh()])
    return sum(np.sum(layer(x)) for layer in net)


def net_grown_by_helper(x):
    net = _Net([_Scale(0.7), _Tanh()])

    def grow():
        net.layers.append(_Scale(3.0))

    grow()
    return sum(np.sum(layer(x)) for layer in net)


@pytest.mark.parametrize("f", [net_field_replaced, net_yielding, net_grown_by_helper])
def test_iterating_a_model_neighbours_refused(f):
    f(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


# -- 4. vars / asdict / astuple of a dataclass ---------------------------------------------------
@dataclasses.dataclass
class _P:
    w: np.ndarray
    b: float = 0.5


@dataclasses.dataclass
class _Q:
    w: np.ndarray
    b: float

    def __post_init__(self):
        self.extra = self.b * 2.0


@dataclasses.dataclass
class _Outer:
    p: _P
    c: float


def vars_of_dataclass(x):
    p = _P(np.tanh(x), x[0] * x[1])
    return sum(np.sum(v**2) for v in vars(p).values())


def asdict_of_dataclass(x):
    p = _P(np.tanh(x), x[0] * x[1])
    return sum(np.sum(v**2) for v in dataclasses.asdict(p).values())


def astuple_of_dataclass(x):
    p = _P(np.tanh(x), x[0] * x[1])
    w, b = dataclasses.astuple(p)
    return np.sum(w * b)


def asdict_copies(x):
    p = _P(np.tanh(x))
    d = dataclasses.asdict(p)
    d["w"][0] = 100.0  # a copy: p.w is unchanged
    return np.sum(p.w) * d["b"] + np.sum(d["w"] * x)


def astuple_after_write(x):
    p = _P(np.tanh(x), x[1])
    p.b = x[2] * 3.0
    w, b = dataclasses.astuple(p)
    return np.sum(w) * b


@pytest.mark.parametrize(
    "f",
    [
        vars_of_dataclass,
        asdict_of_dataclass,
        astuple_of_dataclass,
        asdict_copies,
        astuple_after_write,
    ],
)
def test_dataclass_fields(f):
    _both(f, X)
    check_scalar(f, X)


class _M:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def norm(self):
        return sum(np.sum(v**2) for v in vars(self).values())


def vars_self_in_method(x):
    return _M(np.tanh(x), x[0]).norm()


def vars_post_init(x):
    q = _Q(np.tanh(x), x[0])
    return sum(np.sum(v**2) for v in vars(q).values())


def asdict_nested(x):
    o = _Outer(_P(x * 2.0, x[1]), x[0])
    d = dataclasses.asdict(o)
    return np.sum(d["p"]["w"]) * d["c"]


def asdict_of_argument_array(x, w):
    p = _P(w, x[0])
    return np.sum(dataclasses.asdict(p)["w"] * x)


def test_asdict_of_argument_array():
    _both(asdict_of_argument_array, X, W)


@dataclasses.dataclass
class _V:
    a: float

    def __mul__(self, o):
        return _V(self.a * o.a)


def asdict_of_made_dataclass(x, u, w):
    p = _P(u * w, x[0] * 1.0)  # `u * w` is a `_V`: Python's asdict makes it a dict
    d = dataclasses.asdict(p)
    return d["b"] * 2.0 + (0.0 if isinstance(d["w"], dict) else 1.0)


def test_asdict_of_a_dataclass_made_by_an_operator_refused_when_it_runs():
    """Before: `u * w` (an arithmetic op) counted as a number or array, deep-copied as the
    `_V` it is, where Python's asdict gives a dict: 1.6, Python 0.6."""
    args = (X.copy(), _V(2.0), _V(3.0))
    assert asdict_of_made_dataclass(*args) == pytest.approx(0.6)
    with pytest.raises(srcad.SrcadError, match="field `w` holds a value srcad did not copy"):
        srcad.grad(asdict_of_made_dataclass)(*args)


@pytest.mark.parametrize(
    "f, match",
    [
        (vars_self_in_method, r"`vars\(obj\)` is differentiated only for an object built"),
        # (refused when the object reaches the AD as a run-time value since session 41's merge)
        (vars_post_init, "a `_Q` object as a value a second time|the object is a run-time value"),
        (asdict_nested, r"`dataclasses.asdict` of an object whose field `p` holds a value"),
    ],
)
def test_dataclass_fields_neighbours_refused(f, match):
    f(X.copy())
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X.copy())


# -- 5. objects at a loop's position ---------------------------------------------------------------
class _Particle:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def norm(self):
        return self.x**2 + self.y**2


def indexed_by_range(x):
    pts = [_Particle(x[0], x[1]), _Particle(x[1], x[2]), _Particle(x[2], x[0])]
    s = 0.0
    for k in range(3):
        s = s + pts[k].x * pts[k].y
    return s


def indexed_by_len(x):
    pts = [_Particle(x[0], x[1]), _Particle(x[1], x[2]), _Particle(x[2], x[3])]
    s = 0.0
    for k in range(len(pts)):
        s = s + pts[k].norm() * pts[k - 1].x
    return s


def preallocated(x):
    out = [None] * 4
    for i in range(4):
        out[i] = _Particle(x[i], x[i] ** 2)
    s = 0.0
    for i in range(4):
        s = s + out[i].x * out[i].y
    return s + sum(p.x for p in out)


def pairs_by_nested_range(x):
    bodies = [_Particle(x[0], 1.0), _Particle(x[1], 2.0), _Particle(x[2] * x[3], 0.5)]
    e = 0.0
    for i in range(len(bodies)):
        for j in range(i):
            d = bodies[i].x - bodies[j].x
            e = e + bodies[i].y * bodies[j].y * d * d
    return e


@pytest.mark.parametrize(
    "f", [indexed_by_range, indexed_by_len, preallocated, pairs_by_nested_range]
)
def test_objects_at_loop_positions(f):
    _both(f, X)
    check_scalar(f, X)


def field_written_at_position(x):
    pts = [_Particle(x[0], x[1]), _Particle(x[1], x[2])]
    s = 0.0
    for k in range(2):
        pts[k].x = pts[k].x * 2.0
        s = s + pts[k].x * pts[(k + 1) % 2].y
    return s


def test_field_written_at_position():  # (refused here; lifted by fix39b: `%` of constants folds)
    _both(field_written_at_position, X)
    check_scalar(field_written_at_position, X)


# -- 6. messages ----------------------------------------------------------------------------------
def chained_mask_write(x):
    rows = [x]
    rows.append(x * 2)
    M = np.stack(rows)  # (of a display, a 2-D array: tests/regressions/test_lead46.py)
    mask = x > 0
    for i in range(2):
        M[i][mask] -= x[0]
    return np.sum(M**2)


def one_index_mask_write(x):
    M = np.stack([x, x * 2])
    mask = x > 0
    for i in range(2):
        M[i, mask] -= x[0]
    return np.sum(M**2)


def transposed_write(x):
    y = (x * 1.0).reshape(1, 4)
    y.T[1] += x[0]
    return np.sum(y**2)


def indexed_write(x):
    y = (x * 1.0).reshape(1, 4)
    y[..., 1] += x[0]
    return np.sum(y**2)


def tee_of_iterator(x):
    a, b = itertools.tee(iter([x[0], 2 * x[1]]))
    return sum(a) * sum(b)


def tee_of_list(x):
    a, b = itertools.tee([x[0], 2 * x[1]])
    return sum(a) * sum(b)


@pytest.mark.parametrize(
    "f, match",
    [
        (chained_mask_write, r"(?s)if `M` is an array, index it once \(`M\[i, mask\] -= v`"),
        (transposed_write, r"(?s)writing through `.T`, a transposed view .*`y\[..., i\] \+= v`"),
        (tee_of_iterator, r"(?s)`a, b = itertools.tee\(xs\)` of a list.*tee the list itself"),
    ],
)
def test_messages(f, match):
    f(X.copy())
    with pytest.raises(srcad.SrcadError, match=match):
        srcad.grad(f)(X.copy())


@pytest.mark.parametrize("f", [one_index_mask_write, indexed_write, tee_of_list])
def test_the_rewrites_the_messages_name(f):
    _both(f, X)


# -- 7. cmath.tanh / cmath.tan --------------------------------------------------------------------
def complex_tanh_tan(x):
    z = complex(x[0], x[1]) * x[2]
    return cmath.tanh(z).real + cmath.tan(z).imag * x[3] + abs(cmath.tanh(z - 1.0))


def complex_tan_product(x):
    z = complex(-(x[0] ** 2), x[1])
    w = cmath.tan(z) * cmath.tanh(z * 0.5)
    return (w * w.conjugate()).real + w.imag * x[3]


@pytest.mark.parametrize("f", [complex_tanh_tan, complex_tan_product])
def test_cmath_tanh_tan(f):
    rng = np.random.default_rng(38)
    for x in (X, rng.standard_normal(4) * 3.0):
        assert srcad.primal(f)(x.copy()) == f(x.copy())  # bit for bit
    _both(f, X)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)
    check_scalar(f, X)


def tanh_of_large(x):
    return cmath.tanh(complex(800.0 + x[0], x[1])).imag


def test_cmath_tanh_large_real_part_refused_when_it_runs():
    with pytest.raises(srcad.SrcadError, match="real part exceeds"):
        srcad.grad(tanh_of_large)(X.copy())

"""What refuse37 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
and `check_scalar`: value, gradient, JVP, VJP and Hessian against Python and central
differences), and the neighbours that stay refused:

1. ``sum(objs[1:], objs[0])`` of a helper's list of user objects: the start, of a class the
   transform cannot see, is checked to be the items' class when the code runs and added by its
   own ``__add__`` (ad/objsumloop.py); an empty list, or a start of another class, is refused
   when it runs. ``sum(list(map(V, x)))``: `map`'s list is a run-time list of objects
   (lower/mappedseq._listed), summed as ``sum([V(v) for v in x])`` is.
2. ``for p in model.parameters(): p -= lr * g`` (``p[...] -= ...``) stays refused (an update
   of the model's arrays through the list's items); the hint now says to store the new value
   into the object or container (``self.w = self.w - lr * g``), not ``p = p - v``, which
   would leave the model as it was. ``b = a; b += x`` of an array `a` says that a product may
   be an array that the update changes in place.
4. ``for layer in Net([L1(), L2()])``, the object made in the loop's header, whose
   ``__iter__`` is ``return iter(self.layers)``: as ``net = Net(...); for layer in net``
   (lower/objiter.loop_items). Over such an object by ``enumerate``, a comprehension, or an
   ``__iter__`` that yields, stay refused (named or not).
5. ``vars(o)`` read where it is made (``vars(o).values()``, ``.items()``, ``vars(o)[k]``,
   ``len``) of an object built here whose fields nothing writes later, or of a record (a
   class whose ``__init__`` stores its parameters), when no code the function reaches may add
   an attribute (lower/escapes.reachable_stores): the dict display of its fields in
   ``__dict__``'s order (lower/getattrs.vars_of). ``d = vars(o); d[k] = v`` (a write reaching
   the object), ``vars(self)`` in a method, and a dataclass (its generated methods have no
   source: they may store anything, for that analysis) stay refused.
6. ``a, b = itertools.tee(xs)`` with each read once, whole, outside loops, and `xs` a new
   object no other name reaches (or a parameter): copies of one list of the items
   (lower/tees.py). ``next(b)`` (the pairwise recipe), a target read in a loop and a source
   appended to later stay refused.
7. ``np.histogram2d(..., density=True)``: NumPy's formula over the counts
   (lower/library_lib37.histogram2d), the same values; ``np.nanprod(a, where=m)`` /
   ``initial=``: ``np.prod`` of the NaNs replaced by one (lower/library_lib37.nanprod);
   ``cmath.exp``/``sin``/``cos``/``sinh``/``cosh``/``sqrt`` of a complex number made from reals:
   holomorphic rules of their own (rules/math.CMATH, nan38: the call stays cmath's, so a finite
   argument that overflows raises Python's OverflowError); ``z.imag[i] = v`` / ``z.real[:] = x`` /
   ``z.imag = v`` of a local array: ``z[i] = _srcad.with_part(z[i], v, "imag")``
   (lower/complexparts.py); a view of `z` read after it, ``z.imag[i] += v`` and an argument's
   part written stay refused, a real array's ``.imag`` written is Python's ValueError.
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


def _both(f, *args, wrt=None):
    check_grads(f, args, modes=("fwd", "rev"), wrt=wrt)


# -- 1. sums of user objects ----------------------------------------------------------------------
class V:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        return V(self.a + o.a)

    def __radd__(self, o):
        return V(self.a + o)


class W(V):
    def __add__(self, o):
        return W(self.a * o.a)


def mk(x):
    return [V(x[0]), V(x[1] * x[2]), V(np.sin(x[3]))]


def mk_mixed(x):
    return [W(x[0]), V(x[1]), V(x[2])]


def first_as_start(x):
    objs = mk(x)
    return sum(objs[1:], objs[0]).a ** 2


def first_as_start_array(x):
    objs = [V(x * x), V(np.cos(x))]
    return np.sum(sum(objs[1:], objs[0]).a)


def mapped_sum(x):
    return sum(list(map(V, x))).a ** 2 + x[0]


def mapped_sum_named(x):
    vs = list(map(V, np.sin(x)))
    return sum(vs).a * x[1]


@pytest.mark.parametrize("f", [first_as_start, mapped_sum, mapped_sum_named])
def test_sums_of_objects(f):
    check_scalar(f, X)
    _both(f, X)


def test_sum_start_array_fields():
    _both(first_as_start_array, X)


def empty_rest(x):
    objs = mk(x)
    return sum(objs[:0], objs[1]).a


def other_start(x):
    objs = mk_mixed(x)
    return sum(objs[1:], objs[0]).a


@pytest.mark.parametrize("f", [empty_rest, other_start])
def test_sum_start_checked_when_it_runs(f):
    f(X)  # (Python runs it)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- 4. a model made in the loop's header ---------------------------------------------------------
class Tanh:
    def __call__(self, x):
        return np.tanh(x)


class Scale:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return x * self.k


class Net:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        return iter(self.layers)


class Chain:
    def __init__(self, *layers):
        self.layers = list(layers)

    def __iter__(self):
        return iter(self.layers)


def net_inline(x):
    for layer in Net([Tanh(), Scale(2.0), Tanh()]):
        x = layer(x)
    return np.sum(x * x)


def chain_inline(x):
    h = x
    for layer in Chain(Scale(0.5), Tanh()):
        h = layer(h)
    return np.sum(h * x)


@pytest.mark.parametrize("f", [net_inline, chain_inline])
def test_model_made_in_loop_header(f):
    check_scalar(f, X)
    _both(f, X)


def net_enumerated(x):
    for i, layer in enumerate(Net([Tanh(), Scale(2.0)])):
        x = layer(x) * (i + 1)
    return np.sum(x)


def test_model_made_in_loop_header_enumerated_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(net_enumerated)(X)


# -- 5. vars(obj) ---------------------------------------------------------------------------------
class Rec:
    def __init__(self, w, b):
        self.w = w
        self.b = b


@dataclasses.dataclass
class DRec:
    w: np.ndarray
    b: float
    c: float = 2.0


def vars_values(x):
    o = Rec(x * 2.0, x[0] ** 2)
    return sum(np.sum(np.sin(v)) for v in vars(o).values())


def vars_items(x):
    o = Rec(np.cos(x), x[1] * x[2])
    tot = 0.0
    for k, v in vars(o).items():
        tot = tot + np.sum(v * v) * len(k)
    return tot


def vars_item_read(x):
    o = Rec(x * x, x[3])
    return vars(o)["b"] * np.sum(vars(o)["w"]) * len(vars(o))


@pytest.mark.parametrize("f", [vars_values, vars_items, vars_item_read])
def test_vars_of_object(f):
    check_scalar(f, X)
    _both(f, X)


def vars_written(x):
    o = Rec(x * 2, x[0])
    d = vars(o)
    d["b"] = 3.0
    return o.b * x[1]


def vars_of_dataclass(x):
    o = DRec(np.cos(x), x[1] * x[2])
    return sum(np.sum(v) for v in vars(o).values())


class Adds(Rec):
    def grow(self):
        self.extra = 1.0


def vars_of_growing_class(x):
    o = Adds(x * 2.0, x[0])
    return sum(np.sum(v) for v in vars(o).values())


def test_vars_of_dataclass_since_refuse38():
    """Refused here in refuse37 (a dataclass's generated methods stood for any store); refuse38
    reads them as storing to `self` only (tests/regressions/test_refuse38.py)."""
    check_scalar(vars_of_dataclass, X)
    _both(vars_of_dataclass, X)


@pytest.mark.parametrize("f", [vars_written, vars_of_growing_class])
def test_vars_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- 6. itertools.tee -----------------------------------------------------------------------------
def tee_two(x):
    a, b = itertools.tee(x)
    return sum(a) * sum(v * v for v in b)


def tee_three(x):
    a, b, c = itertools.tee(np.sin(x), 3)
    return sum(a) + max(b) * min(c)


def tee_zip(x):
    ys = [v * 2.0 for v in x]
    a, b = itertools.tee(ys)
    return sum(u * v for u, v in zip(a, b))


@pytest.mark.parametrize("f", [tee_two, tee_three, tee_zip])
def test_tee(f):
    check_scalar(f, X)
    _both(f, X)


def tee_pairwise(x):
    a, b = itertools.tee(x)
    next(b, None)
    return sum(u * v for u, v in zip(a, b))


def tee_in_loop(x):
    a, b = itertools.tee(x)
    tot = 0.0
    for _ in range(2):
        tot = tot + sum(a)  # (Python: the second round reads an empty iterator)
    return tot * sum(b)


def tee_appended(x):
    ys = list(x)
    a, b = itertools.tee(ys)
    ys.append(3.0)
    return sum(a) * sum(b)


@pytest.mark.parametrize("f", [tee_pairwise, tee_in_loop, tee_appended])
def test_tee_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)


# -- 7. NumPy ------------------------------------------------------------------------------------
def hist2d_density(x):
    h, ex, ey = np.histogram2d(
        x, x[::-1] * 1.5, bins=2, range=[[-2.0, 2.0], [-2.0, 2.0]], weights=x**2, density=True
    )
    return np.sum(h**2) + np.sum(ex) * np.sum(ey)


def hist2d_density_moving_edges(x):
    h, _, _ = np.histogram2d(x, np.sin(x), bins=3, density=True)
    return np.sum(h * np.arange(9.0).reshape(3, 3))


def nanprod_where(x):
    m = np.array([True, False, True, True])
    return np.nanprod(x * x + 0.5, where=m) + np.nanprod(x, initial=2.0)


def nanprod_where_axis(x):
    m = np.array([[True, False], [True, True]])
    return np.sum(np.nanprod(np.cos(x).reshape(2, 2), axis=1, where=m, keepdims=True) ** 2)


@pytest.mark.parametrize(
    "f", [hist2d_density, hist2d_density_moving_edges, nanprod_where, nanprod_where_axis]
)
def test_numpy_forms(f):
    val, _ = srcad.value_and_grad(f)(X.copy())
    assert val == f(X.copy())  # (NumPy's operations, in NumPy's order)
    check_scalar(f, X)
    _both(f, X)


def test_nanprod_where_nan_entry():
    def f(x):
        return np.nanprod(x, where=x > -1.0)

    x = np.array([0.5, np.nan, 2.0, -3.0])
    g = srcad.grad(f)(x)
    np.testing.assert_allclose(g, [2.0, 0.0, 0.5, 0.0])


def cmath_exp(x):
    z = complex(x[0], x[1])
    return abs(cmath.exp(z)) + cmath.exp(z).real * x[2]


def cmath_trig(x):
    z = complex(x[0], x[1]) * x[2]
    w = cmath.sin(z) * cmath.cos(z) + cmath.sqrt(z + 2.0)
    return w.real * w.imag + abs(cmath.sinh(z) + cmath.cosh(z * x[3]))


@pytest.mark.parametrize("f", [cmath_exp, cmath_trig])
def test_cmath_of_complex(f):
    val, _ = srcad.value_and_grad(f)(X.copy())
    assert val == f(X.copy())
    check_scalar(f, X)
    _both(f, X)


def test_cmath_overflow_is_pythons():
    x = np.array([1000.0, 0.4, 1.0, 1.0])
    with pytest.raises(OverflowError):
        cmath_exp(x)
    with pytest.raises(OverflowError):
        srcad.grad(cmath_exp)(x)


# -- 2. in-place SGD over a model's parameters: refused, with a hint that keeps the meaning -------
class Lin:
    def __init__(self, w):
        self.w = w

    def parameters(self):
        return [self.w]

    def __call__(self, x):
        return np.sum(self.w * x)


def sgd_inplace(x):
    m = Lin(np.ones(4) * 0.5)
    for p in m.parameters():
        p -= 0.1 * x
    return m(x)


def sgd_field(x):
    m = Lin(np.ones(4) * 0.5)
    m.w = m.w - 0.1 * x
    return m(x)


def test_sgd_inplace_refused_with_hint():
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(sgd_inplace)(X)
    assert "`self.w = self.w - lr * g`" in str(e.value)
    assert "x = x + v" not in str(e.value)
    np.testing.assert_allclose(srcad.grad(sgd_field)(X), 0.5 - 0.2 * X)  # (the hint's form)


# -- found on the way: a dtype given positionally is a complex source -----------------------------
def zeros_complex_positional(x):
    z = np.zeros(4, complex)  # (``dtype=complex`` was known; this form was not: |w| ** 2 was
    z[:] = x  # differentiated as w ** 2, a wrong derivative)
    w = np.sqrt(z - 1.0)
    return np.sum(np.abs(w) ** 2)


def full_like_complex_positional(x):
    z = np.full_like(x, 0.5, complex) + x
    return np.sum(np.abs(np.sqrt(z - 1.0)) ** 2)


@pytest.mark.parametrize("f", [zeros_complex_positional, full_like_complex_positional])
def test_positional_complex_dtype(f):
    check_scalar(f, X)
    _both(f, X)


# -- 7. a complex array's parts written ----------------------------------------------------------
def parts_written(x):
    z = np.zeros(4, complex)
    z.real[:] = x
    z.imag[1] = x[2]
    return np.sum(np.abs(z) ** 2)


def whole_imag_written(x):
    z = np.exp(1j * x)
    z.imag = x**2
    return np.sum(np.angle(z) * x)


def spectrum_edited(x):
    z = np.fft.fft(x)
    z.imag[0] = 0.0
    z.real[-1] = x[0] * 3
    return np.sum(np.abs(np.fft.ifft(z)) ** 2)


def real_part_of_real(x):
    y = x * 1.0
    y.real[1:] = x[:3] ** 2
    return np.sum(y * x)


def parts_in_loop(x):
    z = np.exp(1j * x)
    for k in range(2):
        z.imag[k] = x[k] * x[3]
    return np.sum(np.angle(z) * x)


@pytest.mark.parametrize(
    "f", [parts_written, whole_imag_written, spectrum_edited, real_part_of_real, parts_in_loop]
)
def test_complex_parts_written(f):
    val, _ = srcad.value_and_grad(f)(X.copy())
    assert val == f(X.copy())
    check_scalar(f, X)
    _both(f, X)


def view_read_after(x):
    z = np.exp(1j * x)
    zi = z.imag
    z.imag[1] = x[0]
    return np.sum(zi * x)


def part_augmented(x):
    z = np.exp(1j * x)
    z.imag[1] += x[0]
    return np.sum(np.angle(z) * x)


def argument_part(x):
    x.real[1] = 3.0
    return np.sum(x)


@pytest.mark.parametrize("f", [view_read_after, part_augmented, argument_part])
def test_complex_parts_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


def test_real_array_imag_written_is_pythons_error():
    def f(x):
        y = x * 1.0
        y.imag[0] = 1.0
        return np.sum(y)

    with pytest.raises(ValueError):
        f(X.copy())
    with pytest.raises(ValueError):
        srcad.grad(f)(X.copy())

"""Session 52's spurious refusals of everyday idioms (idiom52).

- Objects built by a comprehension over ``zip(P, V)`` with ``P = x[:3]`` bound to a name
  (lower/knownlen.py): ``zip(x[:3], x[3:])`` was followed, the same slice through a name was not,
  and the later ``p.vel = ...`` of the run-time list's items refused ("assigning to attributes
  is not supported here"). Now as many objects as the slice's bounds give, the length checked
  when the code runs.
- A property whose getter updates the object, read out of another object or a list
  (``h.inner.wt``, ``qs[0].wt``), refused since session 51 ("may update the object when read")
  once the nested object's class was known: its reads are kept apart before the optimiser
  (`read_may_update`), so it stays Python's attribute read, once per read (ad/properties.py).
- ``np.vectorize(f, otypes=[object])(x)``: a WRONG derivative on c1c20ca4 (0 through
  ``.astype(float)``, the product rule's other term lost in ``y * x``): the object dtype was taken
  for an integer one, whose results have no derivative (rules/numpy_fns.py's `_inexact`).
- ``np.frompyfunc(f, nin, 1)(x, y)``, refused on c1c20ca4 ("cannot tell which function this call
  invokes"): the loop ``np.vectorize`` gets, an object array of the results (lower/numpy_fns.py).
- ``interp1d(xp, y, fill_value=(y[0], y[-1]), bounds_error=False)(q)``, refused on c1c20ca4
  (`interp1d_eval` takes **kw: a run-time fill value has no rule): the interpolant filled with 0,
  then the fill values put where scipy puts them (lower/scipy_calls.py).
- ``fs = [functools.partial(f, v) for v in x]`` over a run-time length, then looped over,
  indexed or measured, refused on c1c20ca4 ("cannot use a `functools.partial` object made here
  as a value"): a MappedSeq as for ``[C(v) for v in x]`` (lower/mappedseq.py).
- ``m = map(functools.partial(f, a), x)`` consumed later (a loop, ``sum``), refused alike: the
  partial made where the map is made (lower/lazygen.py).
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import pytest
from scipy.interpolate import interp1d

import srcad
from tests.soundness.numeric import central_differences, check_scalar

X6 = np.array([0.3, 0.5, 0.7, 0.9, 1.1, 1.3])


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel


def _force(p):
    return -2.0 * p + 0.1 * p**3


def particles_of_named_slices(x):
    P = x[:3]
    V = x[3:]
    ps = [Particle(p, v) for p, v in zip(P, V)]
    dt = 0.1
    for _ in range(3):
        for p in ps:
            p.vel = p.vel + dt * _force(p.pos)
            p.pos = p.pos + dt * p.vel
    return sum(p.pos**2 + p.vel for p in ps)


def particles_of_a_named_slice(x):
    head = x[1:4]
    ps = [Particle(p, 2.0 * p) for p in head]
    for p in ps:
        p.vel = p.vel * p.pos
    return sum(p.vel for p in ps) * x[0]


@pytest.mark.parametrize("f", [particles_of_named_slices, particles_of_a_named_slice])
def test_objects_over_a_named_slice(f):
    """Refused on c1c20ca4 ("assigning to attributes is not supported here")."""
    assert srcad.primal(f)(X6.copy()) == pytest.approx(f(X6.copy()), rel=1e-12)
    check_scalar(f, X6.copy())


def test_objects_over_a_named_slice_too_short_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="another length than 3"):
        srcad.grad(particles_of_named_slices)(X6[:2].copy())


class Ticking:
    def __init__(self, w):
        self.w = w
        self.n = 0

    @property
    def wt(self):
        self.n += 1
        return self.w * self.n


class Holder:
    def __init__(self, inner):
        self.inner = inner


def nested_ticking(x, h):
    return h.inner.wt * x**2 + h.inner.wt * x


def listed_ticking(x, qs):
    return qs[0].wt * x**2 + qs[0].wt * np.sin(x)


@pytest.mark.parametrize(
    "fn, arg",
    [(nested_ticking, Holder(Ticking(1.5))), (listed_ticking, [Ticking(1.5)])],
    ids=["nested", "listed"],
)
def test_property_with_effects_of_a_nested_object(fn, arg):
    """Refused on c1c20ca4 ("may update the object when read"); Python's count now, the
    object's state after the call as Python's."""
    eps = 1e-6
    fd = (fn(0.5 + eps, copy.deepcopy(arg)) - fn(0.5 - eps, copy.deepcopy(arg))) / (2 * eps)
    mine, theirs = copy.deepcopy(arg), copy.deepcopy(arg)
    assert srcad.primal(fn)(0.5, mine) == pytest.approx(fn(0.5, theirs), rel=1e-12)
    state = lambda a: a.inner.n if isinstance(a, Holder) else a[0].n  # noqa: E731
    assert state(mine) == state(theirs) == 2
    a = copy.deepcopy(arg)
    assert srcad.grad(fn)(0.5, a) == pytest.approx(fd, rel=1e-6)
    assert state(a) == 2
    _, t = srcad.jvp(fn, (0.5, copy.deepcopy(arg)), (1.0, None))
    assert t == pytest.approx(fd, rel=1e-6)
    _, pull = srcad.vjp(lambda v: fn(v, copy.deepcopy(arg)), 0.5)
    assert pull(1.0)[0] == pytest.approx(fd, rel=1e-6)
    h = srcad.hessian(fn)(0.5, copy.deepcopy(arg))
    g = srcad.grad(fn)
    hfd = (g(0.5 + 1e-5, copy.deepcopy(arg)) - g(0.5 - 1e-5, copy.deepcopy(arg))) / 2e-5
    assert h == pytest.approx(hfd, rel=1e-5, abs=1e-8)


def test_property_with_effects_of_a_differentiated_object_refused():
    """The object itself given a tangent: no rule for the property's read, refused."""
    with pytest.raises(srcad.SrcadError, match="no derivative rule for `.wt`"):
        srcad.grad(listed_ticking, 1)(0.5, [Ticking(1.5)])


def _cubed(v):
    return 1.5 * v**3 if v > 0.6 else -v


def vectorize_object(x):
    y = np.vectorize(_cubed, otypes=[object])(x)
    return float(np.sum(y.astype(float))) + float(np.sum(y * x))


def vectorize_object_code(x):
    return float(np.sum(np.vectorize(lambda v: v * np.sin(v), otypes="O")(x).astype(float)))


def _soft(a, b):
    return a * b / (a + b)


def frompyfunc_pair(x):
    f = np.frompyfunc(_soft, 2, 1)
    return float(np.sum(f(x, x[::-1]).astype(float))) + f(x[0], x[1]) * 2.0


def frompyfunc_direct(x):
    g = np.frompyfunc(_cubed, 1, 1)(np.outer(x, x[:2]))
    return float(np.sum(g * x[0]))


@pytest.mark.parametrize(
    "f", [vectorize_object, vectorize_object_code, frompyfunc_pair, frompyfunc_direct]
)
def test_vectorize_to_objects_and_frompyfunc(f):
    """vectorize_object's gradient on c1c20ca4 was [0.3, 0.5, 0.7, 0.9]-ish (y's own term lost);
    the frompyfunc ones were refused."""
    x = np.array([0.3, 0.55, 0.7, 0.9])
    check_scalar(f, x)


def frompyfunc_two_results(x):
    g = np.frompyfunc(lambda v: (v, v * 2.0), 1, 2)
    a, b = g(x)
    return float(np.sum(a.astype(float) * b.astype(float)))


def frompyfunc_wrong_arity(x):
    g = np.frompyfunc(_soft, 2, 1)
    return float(np.sum(g(x).astype(float)))


@pytest.mark.parametrize("f", [frompyfunc_two_results, frompyfunc_wrong_arity])
def test_frompyfunc_refused_where_not_followed(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(np.array([0.3, 0.55, 0.7, 0.9]))


XP = np.array([0.0, 0.6, 0.2, 1.0, 0.4])  # (unsorted: scipy's bounds are its min and max)
Q = np.array([-0.5, 0.3, 0.77, 1.4, 0.0, 1.0])


def interp_end_fill(x):
    y = x**2 + XP
    f = interp1d(XP, y, fill_value=(y[0], y[-1]), bounds_error=False)
    return float(np.sum(f(Q) * Q))


def interp_cubic_tuple_fill(x):
    y = x**2 + XP
    fv = (y[1] * 2, np.sin(y[3]))
    f = interp1d(XP, y, kind="cubic", fill_value=fv, bounds_error=False)
    return float(np.sum(f(Q) ** 2))


def interp_one_fill(x):
    y = x**2 + XP
    f = interp1d(XP, y, fill_value=np.max(y), bounds_error=False)
    return float(np.sum(f(Q * x[0]))) + float(f(1.5)) * x[1]


@pytest.mark.parametrize("f", [interp_end_fill, interp_cubic_tuple_fill, interp_one_fill])
def test_interp1d_fill_of_the_data(f):
    """Refused on c1c20ca4 ("`interp1d_eval` takes **kw"); the fill values are differentiated as
    the values they are. Second derivatives of scipy's interpolants stay refused."""
    x = np.array([0.3, 0.5, 0.7, 0.9, 1.1])
    np.testing.assert_allclose(srcad.primal(f)(x.copy()), f(x.copy()), rtol=1e-13)
    g = srcad.grad(f)(x.copy())
    np.testing.assert_allclose(g, central_differences(f, x), rtol=1e-6, atol=1e-8)
    u = np.cos(np.arange(5.0))
    _, t = srcad.jvp(f, (x.copy(),), (u,))
    np.testing.assert_allclose(t, g @ u, rtol=1e-10)
    _, pull = srcad.vjp(f, x.copy())
    np.testing.assert_allclose(pull(1.0)[0], g, rtol=1e-10)
    with pytest.raises(srcad.SrcadError):
        srcad.hessian(f)(x.copy())


def interp_fill_string_at_run_time(x, how="extrapolate"):
    y = x**2 + XP
    fv = how if x[0] > 0 else y[0]
    f = interp1d(XP, y, fill_value=fv, bounds_error=False)
    return float(np.sum(f(Q)))


def test_interp1d_fill_of_another_kind_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="fill_value"):
        srcad.grad(interp_fill_string_at_run_time)(np.array([0.3, 0.5, 0.7, 0.9, 1.1]))


def _scale(a, b, c=1.0):
    return a * np.sin(b) * c


def partials_summed(x):
    fs = [functools.partial(_scale, v) for v in x]
    return sum(f(2.0) ** 2 for f in fs)


def partials_looped(x):
    fs = [functools.partial(_scale, v, c=x[0]) for v in x[1:]]
    s = 0.0
    for i, f in enumerate(fs):
        s = s + f(x[i]) * (i + 1)
    return s + fs[1](0.5) * len(fs)


def partials_snapshot(x):
    w = x[0]
    fs = [functools.partial(_scale, v * w) for v in x]
    w = 5.0  # (the partials hold the old products)
    t = 0.0
    for f in fs:
        t = t + f(w)
    return t


def partials_by_keyword(x):
    fs = [functools.partial(_scale, b=v) for v in x]
    return sum(f(x[0]) for f in fs)


@pytest.mark.parametrize(
    "f", [partials_summed, partials_looped, partials_snapshot, partials_by_keyword]
)
@pytest.mark.parametrize("n", [4, 6])
def test_partials_over_a_run_time_length(f, n):
    """Refused on c1c20ca4 ("cannot use a `functools.partial` object made here as a value"):
    the list is a MappedSeq (lower/mappedseq.py), each partial made where a loop reads it."""
    check_scalar(f, np.array([0.3, 0.5, 0.7, 0.9, 1.2, -0.4])[:n])


def _total(fs):
    return sum(f(1.0) for f in fs)


def partials_passed_on(x):
    fs = [functools.partial(_scale, v) for v in x]
    return _total(fs)


def test_partials_passed_on_still_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(partials_passed_on)(np.array([0.3, 0.5, 0.7]))


def lazy_map_looped(x):
    a = x[0]
    m = map(functools.partial(_scale, a), x)
    s = 0.0
    for v in m:
        a = a + 1.0  # (the map's partial holds the first `a`)
        s = s + v * a
    return s


def lazy_map_summed_later(x):
    a = x[0]
    m = map(functools.partial(_scale, a, c=2.0), x)
    a = x[1]
    return sum(m) * a


def lazy_map_in_a_branch(x):
    s = 0.0
    b = x[1]
    if x[0] > 0.1:
        m = map(functools.partial(_scale, b), x)
        s = max(m)
    return s + x[2]


@pytest.mark.parametrize("f", [lazy_map_looped, lazy_map_summed_later, lazy_map_in_a_branch])
def test_lazy_map_of_a_partial(f):
    """Refused on c1c20ca4 ("cannot use a `functools.partial` object made here as a value"): the
    partial is made where the map is, its calls lowered where the map is read."""
    check_scalar(f, np.array([0.3, 0.5, 0.7, 0.9]))
    check_scalar(f, np.array([0.05, 0.5, 0.7, 0.9]))

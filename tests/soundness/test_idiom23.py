"""What idiom23 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused or say what to write (tests/corpus/users_idioms23.py holds the corpus cases):

- ``getattr(o, "b", default)`` / ``hasattr(o, "b")`` on a record a user class's call made in the
  function (lower/getattrs.py: the fields its ``__init__`` stores), decided at transform time;
  left to run time when a helper may store the name;
- version shims over functions: ``getattr(np, "trapezoid", None) or np.trapz``, ``if fn is None``
  on a function known now (lower/fnrefs.py);
- decorated nested functions (lower/decorators.py): ``def g; g = d(g)``, ``functools.wraps``
  dropped, inside the function and inside a module-level decorator inlined; a decorated nested
  function reading its own name stays refused, and so does reading ``__name__`` of a wrapper;
- loops over a constant tuple of attribute names with ``setattr``/``getattr``/``hasattr`` of the
  loop's name, unrolled (lower/attrloops.py); with ``break`` the refusal says what is taken;
- ``try: v = {"p": e}["q"] except KeyError:`` (a dict display with constant keys in a ``try``
  body: lower/trysteps.py);
- ``functools.cached_property`` read on an object built in the function and never written: its
  getter called (ad/properties.py, lower/objects.py); refused on an object whose fields the
  function writes (Python keeps the first value) and on a parameter whose cache was filled before
  (read at run time, the cached value);
- ``f(*x)`` of an array: the refusal for a nested `f` says what is taken (a module-level `f`);
- the refusals of a function chosen at run time (``np.sin if flag else np.cos``) and of
  ``srcad.grad(srcad.grad(f, wrt=(0,)))`` called inside a differentiated function (plain
  ``srcad.grad(srcad.grad(f))`` is differentiated there), and of ``heapq``'s C functions, say
  what to write."""

from __future__ import annotations

import dataclasses
import functools
import heapq

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences as _fd
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])


def _check(f, x=X):
    check_scalar(f, x)


def _refused(f, *words):
    with pytest.raises(srcad.SrcadError) as e:
        srcad.grad(f)(X.copy())
    text = str(e.value)
    for w in words:
        assert w in text, text
    return text


# -- getattr / hasattr on records built here ------------------------------------------------------
class Opt:
    def __init__(self, a):
        self.a = a


class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


class Scaled:
    scale = 3.0  # a class attribute

    def __init__(self, a):
        self.a = a


def getattr_absent_default(x):
    o = Opt(x[0] * 2.0)
    b = getattr(o, "b", x[2] + 1.5)
    return o.a * b + x[1] ** 2


def getattr_present(x):
    p = Pair(x[0], x[1] * x[3])
    return getattr(p, "b", 10.0) * getattr(p, "a", -1.0) + x[2]


def getattr_class_attribute(x):
    s = Scaled(x[1])
    return getattr(s, "scale", 1.0) * s.a**2 + getattr(s, "shift", x[0]) * x[3]


def hasattr_branch(x):
    o = Opt(x[0])
    p = Pair(x[1], x[2])
    total = 0.0
    for obj in (o, p):
        if hasattr(obj, "b"):
            total = total + obj.a * obj.b
        else:
            total = total + obj.a**3
    return total * x[3]


def _set_b(o, v):
    o.b = v


def hasattr_after_helper_store(x):
    o = Opt(x[0])
    _set_b(o, x[1] * 2.0)
    return o.a * (o.b if hasattr(o, "b") else 1.0) + x[2]


@pytest.mark.parametrize(
    "f", [getattr_absent_default, getattr_present, getattr_class_attribute, hasattr_branch]
)
def test_getattr_hasattr_records(f):
    _check(f)


def test_hasattr_after_a_helper_store_is_not_decided_absent():
    # the helper stores `b`: hasattr is not decided False at transform time (correct or refused)
    try:
        g = srcad.grad(hasattr_after_helper_store)(X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, _fd(hasattr_after_helper_store, X), rtol=1e-5, atol=1e-7)


# -- version shims over functions ---------------------------------------------------------------
def shim_or(x):
    trap = getattr(np, "trapezoid", None) or np.trapz
    return trap(x * x) + x[0]


def shim_or_missing(x):
    fn = getattr(np, "no_such_function_here", None) or np.tanh
    return np.sum(fn(x) ** 2)


def shim_is_none(x):
    trap = getattr(np, "trapezoid", None)
    if trap is None:
        trap = np.trapz
    return trap(np.sin(x))


def shim_is_not_none_missing(x):
    fast = getattr(np, "no_such_function_here", None)
    if fast is not None:
        return fast(x)
    return np.sum(np.cos(x) * x)


def shim_and(x):
    fn = np.exp and np.sin  # a function is true: the last one
    return np.sum(fn(x) * x[0])


@pytest.mark.parametrize(
    "f", [shim_or, shim_or_missing, shim_is_none, shim_is_not_none_missing, shim_and]
)
def test_function_shims(f):
    _check(f)


def chosen_at_run_time(x):
    flag = np.sum(x) > 1.0
    fn = np.sin if flag else np.cos
    return np.sum(fn(x))


def test_function_chosen_at_run_time():
    # (refused until session 51: lower/fnchoice.py makes the call the `if` of both calls)
    _check(chosen_at_run_time)
    _check(chosen_at_run_time, X * 0.1)


def _cube(t):
    return t**3


def grad_of_grad_inside(x):
    h = srcad.grad(srcad.grad(_cube))
    return h(x[0]) * x[1]


def _dcube(t):
    return srcad.grad(_cube)(t)


def grad_of_named_grad_inside(x):
    return srcad.grad(_dcube)(x[0]) * x[1]


def grad_of_tuple_grad_inside(x):
    h = srcad.grad(srcad.grad(_cube, wrt=(0,)))
    return h(x[0]) * x[1]


def test_grad_of_grad_inside_says_what_to_write():
    # srcad.grad(srcad.grad(f)) itself is differentiated inside since session 27 (lower/deeper.py)
    g = srcad.grad(grad_of_grad_inside)(X.copy())
    np.testing.assert_allclose(g, [6 * X[1], 6 * X[0], 0.0, 0.0], rtol=1e-12)
    _refused(grad_of_tuple_grad_inside, "derivative of a derivative", "def df(t)")


def test_the_suggested_rewrite_works():
    g = srcad.grad(grad_of_named_grad_inside)(X.copy())
    np.testing.assert_allclose(g, [6 * X[1], 6 * X[0], 0.0, 0.0], rtol=1e-12)


# -- decorated nested functions -----------------------------------------------------------------
def _doubled(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return 2.0 * fn(*args, **kwargs)

    return wrapper


def nested_decorator_with_wraps(x):
    def deco(fn):
        @functools.wraps(fn)
        def w(a, b=1.0):
            return fn(a) * b

        return w

    @deco
    def g(t):
        return t + x[2]

    return g(x[0], b=x[3]) + g(x[1]) ** 2


def module_decorator_on_nested(x):
    @_doubled
    def g(t):
        return np.sin(t) * t

    return g(x[0]) + g(x[1] * x[2]) * x[3]


def stacked_nested_decorators(x):
    def plus_one(fn):
        def w(t):
            return fn(t) + 1.0

        return w

    def squared(fn):
        def w(t):
            return fn(t) ** 2

        return w

    @squared
    @plus_one
    def g(t):
        return t * x[3]

    return g(x[0]) * g(x[1])  # squared(plus_one(g)): (t*x3 + 1)**2


@pytest.mark.parametrize(
    "f", [nested_decorator_with_wraps, module_decorator_on_nested, stacked_nested_decorators]
)
def test_decorated_nested_functions(f):
    _check(f)


def test_stacked_decorators_apply_bottom_up():
    x = X.copy()
    assert stacked_nested_decorators(x) == pytest.approx(
        (x[0] * x[3] + 1) ** 2 * (x[1] * x[3] + 1) ** 2
    )
    g = srcad.grad(stacked_nested_decorators)(x)
    np.testing.assert_allclose(g, _fd(stacked_nested_decorators, x), rtol=1e-5, atol=1e-7)


def recursive_decorated_nested(x):
    def keep(fn):
        return fn

    @keep
    def fact(n):
        return 1 if n <= 1 else n * fact(n - 1)

    return x[0] * fact(4)


def wrapper_name_read(x):
    @_doubled
    def g(t):
        return t * t

    return g(x[0]) + len(g.__name__)


def test_decorated_nested_neighbours_stay_refused():
    _refused(recursive_decorated_nested, "`fact` reads its own name", "module level")
    _refused(wrapper_name_read, "used as a value")


# -- setattr/getattr over a constant tuple of names -----------------------------------------------
@dataclasses.dataclass
class _Params:
    w: float
    b: float
    c: float = 1.0


def setattr_loop_record(x):
    p = Pair(x[1], x[2])
    for k in ("a", "b"):
        setattr(p, k, getattr(p, k) * x[0])
    return p.a + p.b**2


def setattr_loop_dataclass(x):
    p = _Params(x[0], x[1])
    for name in ("w", "b", "c"):
        setattr(p, name, getattr(p, name) ** 2 + x[2])
    return p.w * p.b + p.c * x[3] + len(name)


def hasattr_loop(x):
    p = Pair(x[0], x[1])
    tot = 0.0
    for k in ("a", "b", "c"):
        if hasattr(p, k):
            tot = tot + getattr(p, k) * x[3]
    return tot + x[2] * len(k)


@pytest.mark.parametrize("f", [setattr_loop_record, setattr_loop_dataclass, hasattr_loop])
def test_attribute_name_loops(f):
    _check(f)


def setattr_loop_break(x):
    p = Pair(x[0], x[1])
    for k in ("a", "b"):
        setattr(p, k, getattr(p, k) * 2.0)
        if x[0] > 0:
            break
    return p.a + p.b


def test_attribute_name_loop_with_break_says_what_is_taken():
    _refused(
        setattr_loop_break, "`setattr()` is not supported", "without break, continue or return"
    )


# -- try around a dict display ------------------------------------------------------------------
def try_dict_missing(x):
    try:
        v = {"p": x * 2.0}["q"]
    except KeyError:
        v = x
    return np.sum(v * v)


def try_dict_present(x):
    try:
        v = {"p": x * 2.0, "q": x**2}["q"]
    except KeyError:
        v = x
    return np.sum(v * v)


def try_dict_loop_keys(x):
    tot = 0.0
    for k in ("a", "b", "c"):
        try:
            w = {"a": x[0] * 2.0, "c": x[2] ** 2}[k]
        except KeyError:
            w = x[1]
        tot = tot + w * x[3]
    return tot


def try_dict_nested(x):
    try:
        v = {"a": {"b": x[0] * 3.0}}["a"]["c"]
    except KeyError:
        v = x[1] ** 2
    return v


@pytest.mark.parametrize(
    "f", [try_dict_missing, try_dict_present, try_dict_loop_keys, try_dict_nested]
)
def test_try_around_dict_display(f):
    _check(f)


def try_dict_computed_key(x):
    key = "a" if x[0] > 0 else "b"
    try:
        w = {key: x[0]}["a"]
    except KeyError:
        w = x[1]
    return w * 3.0


def test_try_dict_with_a_computed_key_stays_refused():
    _refused(try_dict_computed_key, "`try`/`except` is supported around")


def setattr_single_name_list(x):  # (test_lead21.py's neighbour without its `break`)
    q = Opt(x)
    for k in ["a"]:
        setattr(q, k, x * 3.0)
    return np.sum(q.a**2)


def test_single_name_list_loop():
    _check(setattr_single_name_list)


# -- functools.cached_property ------------------------------------------------------------------
class _Circle:
    def __init__(self, r):
        self.r = r

    @functools.cached_property
    def area(self):
        return np.pi * self.r**2


def cached_on_record(x):
    c = _Circle(x[0])
    return c.area + c.area * x[1]


def cached_in_list(x):
    cs = [_Circle(x[i] * x[3]) for i in range(3)]
    return sum(c.area for c in cs)


@pytest.mark.parametrize("f", [cached_on_record, cached_in_list])
def test_cached_property_of_objects_built_here(f):
    _check(f)


def cached_then_written(x):
    c = _Circle(x[0])
    a1 = c.area
    c.r = x[1]
    return a1 + 2.0 * c.area  # Python: the first value twice more


def test_cached_property_of_a_written_object_is_refused():
    _refused(cached_then_written, "functools.cached_property of _Circle", "Python keeps")


def cached_of_parameter(c, x):
    return c.area * x[0]


def test_cached_property_of_a_parameter_reads_the_cache():
    c = _Circle(2.0)
    _ = c.area  # cached: 4 pi
    c.r = 3.0
    try:
        g = srcad.grad(cached_of_parameter, wrt=1)(c, X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, [4.0 * np.pi, 0.0, 0.0, 0.0], rtol=1e-12)


# -- heapq ----------------------------------------------------------------------------------------
def heap_dijkstra(x):
    edges = {0: [(1, 0), (2, 1)], 1: [(3, 2)], 2: [(3, 3)], 3: []}
    dist = {0: 0.0}
    pq = [(0.0, 0)]
    while pq:
        d, u = heapq.heappop(pq)
        if d > dist.get(u, np.inf):
            continue
        for v, wi in edges[u]:
            nd = d + x[wi]
            if nd < dist.get(v, np.inf):
                dist[v] = nd
                heapq.heappush(pq, (nd, v))
    return dist[3]


def list_dijkstra(x):  # what the refusal suggests
    edges = {0: [(1, 0), (2, 1)], 1: [(3, 2)], 2: [(3, 3)], 3: []}
    dist = {0: 0.0}
    pq = [(0.0, 0)]
    while pq:
        d, u = min(pq)
        pq.remove((d, u))
        if d > dist.get(u, np.inf):
            continue
        for v, wi in edges[u]:
            nd = d + x[wi]
            if nd < dist.get(v, np.inf):
                dist[v] = nd
                pq.append((nd, v))
    return dist[3]


def test_heapq_refusal_says_what_to_write():
    _refused(heap_dijkstra, "`heappush`", "pq.remove((d, u))")
    g = srcad.grad(list_dijkstra)(X.copy())
    np.testing.assert_allclose(g, _fd(list_dijkstra, X), rtol=1e-6, atol=1e-8)


# -- f(*xs) -----------------------------------------------------------------------------------------
def _four(a, b, c, d, scale=1.0):
    return (a * b + c * d) * scale


def _three(a, b, c):
    return a * b - c


def star_nested_of_array(x):
    def four(a, b, c, d, scale=1.0):
        return (a * b + c * d) * scale

    return four(*x, scale=x[0])


def star_module_of_array(x):
    return _four(*x, scale=x[0])


def star_module_of_built_tuple(x):
    args = (x[0], x[1])
    args = args + (x[2] ** 2,)
    return _three(*args)


def test_star_of_a_nested_function_says_what_is_taken():
    _refused(star_nested_of_array, "`*args` in a call", "module-level function")


@pytest.mark.parametrize("f", [star_module_of_array, star_module_of_built_tuple])
def test_star_of_a_module_function_as_the_hint_says(f):
    _check(f)

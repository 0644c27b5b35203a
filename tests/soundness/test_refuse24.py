"""What refuse24 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_refuse24.py holds the corpus cases):

- a helper doing ``c *= v`` called with a module-level number ``GS = 0.7`` (or a name bound to
  it, or a closure's number): a Python or NumPy number is immutable, ``c *= v`` rebinds `c`
  (ad/callfacts.global_number; the global's kind is part of the cache key). A global 0-d array or
  list stays refused (the update reaches the caller's object);
- ``getattr(x, "sum")()``, ``sum(getattr(p, k) for k in ("a", "b"))`` (lower/attrconsts.py);
  ``l.sort(key=...)`` then a row write stays refused, its message names the list (not ``acc``);
- decorator factories ``@scale(3.0) def g`` on nested functions (lower/fnargs.py);
- refused now (wrong derivatives on main): a function a helper returns keeping a nested function
  passed in that reads a variable the caller rebinds afterwards (lower/fnescape.py);
- a copy of a copy with a row write, a counter attribute read back: right or refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import central_differences, check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])

GS = 0.7
GN = np.float64(1.3)
GI = 2
GA = np.array(0.7)
GL = [0.7]


def _scaled(a, c):
    a3 = a * 1.0
    c *= np.tanh(a3[0])
    return np.sum(a3) * c


def global_float_arg(x):
    return _scaled(x, GS) + x[1]


def global_float_named(x):
    s = GS
    t = _scaled(x, s)
    return t * s + _scaled(x**2, GN) + _scaled(x, GI)


def _make_closure():
    k = 0.4

    def inner(x):
        return _scaled(x, k) * x[2]

    return inner


closure_number_arg = _make_closure()


@pytest.mark.parametrize("f", [global_float_arg, global_float_named, closure_number_arg])
def test_global_number_argument_accepted(f):
    check_scalar(f, X)


def global_array_arg(x):
    return _scaled(x, GA) + x[1]


def global_list_arg(x):
    return _scaled(x, GL[0]) + _scaled(x, GL) + x[1]


@pytest.mark.parametrize("f", [global_array_arg, global_list_arg])
def test_global_object_argument_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(X.copy())


def test_global_rebound_to_array_transforms_anew():
    global GS
    g0 = srcad.grad(global_float_arg)(X.copy())
    saved = GS
    try:
        GS = np.array(0.7)
        with pytest.raises(srcad.SrcadError, match="modifies its argument"):
            srcad.grad(global_float_arg)(X.copy())
    finally:
        GS = saved
    np.testing.assert_allclose(srcad.grad(global_float_arg)(X.copy()), g0)


# -- getattr with a constant name; comprehensions over constant attribute names ----------------
class _Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b


def getattr_sum_generator(x):
    p = _Pair(x[0] * x[1], np.sin(x[2]))
    return sum(getattr(p, k) for k in ("a", "b")) * x[3]


def getattr_list_comp(x):
    p = _Pair(x[0] ** 2, x[1] * x[3])
    vals = [getattr(p, k) * w for k, w in zip(("a", "b"), (1.0, 2.0))]  # (not unrolled: zip)
    return vals[0] + vals[1]


def getattr_list_display(x):
    p = _Pair(x[0] ** 2, x[1] * x[3])
    vals = [getattr(p, k) for k in ["b", "a"]]
    return vals[0] * x[2] + max(getattr(p, k) for k in ("a", "b"))


def getattr_method_call(x):
    y = x * 2.0
    return getattr(y, "sum")() * x[0] + getattr(np, "tanh")(x[1])  # noqa: B009


@pytest.mark.parametrize("f", [getattr_sum_generator, getattr_list_display, getattr_method_call])
def test_constant_getattr_accepted(f):
    check_scalar(f, X)


def getattr_runtime_name(x):
    p = _Pair(x[0], x[1])
    k = "a" if x[2] > 0 else "b"
    return getattr(p, k) * x[3]


def getattr_any_generator(x):
    p = _Pair(x[0], x[1])
    return float(any(getattr(p, k) > 0 for k in ("a", "b"))) * x[3]


def getattr_lambdas(x):
    p = _Pair(x[0], x[1])
    fs = [lambda: getattr(p, k) for k in ("a", "b")]  # noqa: B023 - late binding: both read `b`
    return fs[0]() * x[3]


@pytest.mark.parametrize(
    "f", [getattr_runtime_name, getattr_any_generator, getattr_lambdas, getattr_list_comp]
)
def test_constant_getattr_neighbours_right_or_refused(f):
    try:
        g = srcad.grad(f)(X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, central_differences(f, X), rtol=1e-5, atol=1e-7)


def _fake_getattr(obj, name):
    return 2.0 * obj[0] if name == "sum" else obj[1]


def shadowed_getattr(x):
    getattr = _fake_getattr  # a local `getattr`: not the builtin
    return getattr(x * 1.0, "sum") * x[1]


def test_shadowed_getattr_not_rewritten():
    f = shadowed_getattr
    try:
        g = srcad.grad(f)(X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, central_differences(f, X), atol=1e-7)


# -- l.sort(key=...) then a row write: refused, and the message names the list -------------------
def sorted_rows_edit(x):
    a = x * 1.0
    b = x * 2.0
    rows = [b, a]
    rows.sort(key=lambda r: r[0])
    rows[1][0] = x[3] * 2.0
    return np.sum(a * b)


def inserted_rows_edit(x):
    a = x * 1.0
    b = x * 2.0
    rows = [a, b]
    rows.insert(0, a)
    rows[1][0] = x[3] * 2.0
    return np.sum(a * b) + np.sum(rows[0])


def test_sorted_rows_edit_names_the_list():
    with pytest.raises(srcad.SrcadError, match="`rows` is read") as e:
        srcad.grad(sorted_rows_edit)(X.copy())
    assert "acc" not in str(e.value)


def test_inserted_rows_edit_still_refused():
    with pytest.raises(srcad.SrcadError, match="`rows` is read"):
        srcad.grad(inserted_rows_edit)(X.copy())


# -- a nested function passed in, kept by the function the helper returns, read later ------------
# (main gave wrong derivatives: the kept function read the caller's variables as they were when
# it was passed; Python reads them when it runs)
def _apply_later(fn):
    def w(t):
        return 3.0 * fn(t)

    return w


def rebound_after_decoration(x):
    def deco(fn):
        def w(t):
            return 3.0 * fn(t)

        return w

    s = x[0]

    @deco
    def gg(t):
        return t * s

    s = x[1] * 5.0
    return np.sum(gg(x))


def rebound_after_factory(x):
    s = x[0]

    def gg(t):
        return t * s

    h = _apply_later(gg)
    s = x[1] * 5.0
    return np.sum(h(x))


S_GLOBAL2 = 0.5  # (a global of the name: main read it)


def bound_after_factory(x):
    def gg(t):
        return t * S_GLOBAL2  # the local assigned below

    h = _apply_later(gg)
    S_GLOBAL2 = x[1] * 5.0  # noqa: N806
    return np.sum(h(x))


def loop_variable_kept(x):
    out = []
    for i in range(2):

        def gg(t):
            return t * x[i]  # noqa: B023 - late binding: both read the last `i`

        out.append(_apply_later(gg))
    return np.sum(out[0](x))


@pytest.mark.parametrize(
    "f",
    [rebound_after_decoration, rebound_after_factory, bound_after_factory, loop_variable_kept],
)
def test_kept_function_reading_rebound_variable_refused(f):
    with pytest.raises(srcad.SrcadError, match="returned here keeps"):
        srcad.grad(f)(X.copy())


def fixed_variable_kept(x):
    k = x[2] * 2.0

    def gg(t):
        return t * k + x[0]

    h = _apply_later(gg)
    return np.sum(h(x) ** 2)


def decorated_reads_parameter(x):
    def deco(fn):
        def w(t):
            return 3.0 * fn(t)

        return w

    @deco
    def gg(t):
        return np.sin(t) * x[3]

    return np.sum(gg(x))


@pytest.mark.parametrize("f", [fixed_variable_kept, decorated_reads_parameter])
def test_kept_function_reading_fixed_variable_accepted(f):
    check_scalar(f, X)


# -- decorator factories: ``@scale(3.0) def g`` nested in the function --------------------------
def _scale(c):
    def deco(fn):
        def w(t):
            return c * fn(t)

        return w

    return deco


def factory_decorated_nested(x):
    @_scale(3.0)
    def gg(t):
        return t**2 * x[3]

    return np.sum(gg(x))


def factory_applied_by_hand(x):
    def gg(t):
        return np.sin(t)

    d = _scale(x[0])
    gg = d(gg)
    return np.sum(gg(x)) + _scale(2.0)(np.tanh)(x[1])


def stacked_factories(x):
    @_scale(2.0)
    @_scale(x[1])
    def gg(t):
        return t * x[0]

    return np.sum(gg(x) ** 2)


@pytest.mark.parametrize(
    "f", [factory_decorated_nested, factory_applied_by_hand, stacked_factories]
)
def test_decorator_factories_accepted(f):
    check_scalar(f, X)


def factory_decorated_rebound(x):
    s = x[0]

    @_scale(3.0)
    def gg(t):
        return t * s

    s = x[1] * 5.0
    return np.sum(gg(x))


def test_decorator_factory_reading_rebound_variable_refused():
    with pytest.raises(srcad.SrcadError, match="returned here keeps"):
        srcad.grad(factory_decorated_rebound)(X.copy())


# -- a copy of a copy, a counter read back: right or refused --------------------------------------
def copy_of_copy_row_write(x):
    a = [x * 1.0, x * 2.0]
    b = list(a)
    c = list(b)
    c[0][0] = x[3] * 5.0  # the row `a[0]`, `b[0]` and `c[0]` all are
    return np.sum(a[0] * b[1]) + np.sum(c[0])


class _Counter:
    def __init__(self):
        self.n = 0

    def step(self, x):
        self.n += 1
        return x * self.n


def counter_read_back(x):
    c = _Counter()
    y = c.step(x)
    y = c.step(y)
    return np.sum(y * x) * c.n


@pytest.mark.parametrize("f", [copy_of_copy_row_write, counter_read_back])
def test_copies_and_counters_right_or_refused(f):
    try:
        g = srcad.grad(f)(X.copy())
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, central_differences(f, X), rtol=1e-5, atol=1e-7)
    check_scalar(f, X)


def test_kept_function_in_a_lambda_checked():
    # (the inner lambda on its own line: Python 3.10's code objects carry no columns, so two
    # lambdas on one line cannot be told apart, a LoweringError there)
    f = lambda x: np.sum(  # noqa: E731
        _apply_later(lambda t: t * x[0])(x),
    )
    check_scalar(f, X)

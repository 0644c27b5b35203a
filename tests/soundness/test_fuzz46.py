"""Session 46's fuzz46: wrong values found attacking session 45's new code, each pinned.

- ``copy.deepcopy`` of a value holding an object whose class copies itself its own way
  (``__deepcopy__``, ``__reduce__``, ...): the copy's derivative was taken as the identity, so
  the gradient of ``sum(deepcopy(D(x)).w ** 2)`` with ``D.__deepcopy__`` tripling ``w`` was
  ``6 x`` where Python's function has ``18 x`` (forward mode ran the hook on the tangent and
  was right). Refused now when the code runs.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad


class _Tripled:
    def __init__(self, w):
        self.w = w

    def __deepcopy__(self, memo):
        return _Tripled(self.w * 3.0)


class _Reduced:
    def __init__(self, w):
        self.w = w

    def __reduce__(self):
        return (_Reduced, (self.w * 3.0,))


def deepcopy_own_hook(x):
    d = copy.deepcopy(_Tripled(x * 1.0))
    return np.sum(d.w**2)


def deepcopy_reduce_hook(x):
    d = copy.deepcopy(_Reduced(x * 1.0))
    return np.sum(d.w**2)


def deepcopy_list_of_hooked(x):
    d = copy.deepcopy([_Tripled(x * 1.0)])
    return np.sum(d[0].w ** 2)


def deepcopy_hooked_argument(x, o):
    d = copy.deepcopy(o)
    return np.sum(d.w**2 * x)


@pytest.mark.parametrize("fn", [deepcopy_own_hook, deepcopy_reduce_hook, deepcopy_list_of_hooked])
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_deepcopy_of_a_self_copying_object_is_refused(fn, mode):
    x = np.array([0.5, 1.5, -0.7])
    with pytest.raises(srcad.SrcadError, match="defines how it is copied"):
        if mode == "grad":
            srcad.grad(fn)(x)
        else:
            srcad.jvp(fn, (x,), (np.ones(3),))


def test_deepcopy_of_a_self_copying_argument_is_refused():
    x = np.array([0.5, 1.5, -0.7])
    with pytest.raises(srcad.SrcadError, match="defines how it is copied"):
        srcad.grad(deepcopy_hooked_argument)(x, _Tripled(x * 1.0))


class _Plain:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def test_deepcopy_of_plain_objects_still_differentiated():
    def f(x):
        s = _Plain([x * 1.0, x * 2.0], (x[0], {"k": x[1]}))
        t = copy.deepcopy(s)
        return np.sum(t.w[1] ** 2) * t.b[1]["k"]

    x = np.array([0.5, 1.5, -0.7])
    srcad.check_grads(f, (x,), modes=("fwd", "rev"))


# -- dead ops the program wrote that raise (passes/raising.py) --------------------------------
# Each raises in Python; srcad answered a gradient (DCE dropped the unused op).


def dead_missing_key_of_a_display(x):
    d = {"a": x[0]}
    z = d["b"]  # noqa: F841 (KeyError)
    return np.sum(x**2)


def dead_missing_key_in_a_loop(x):
    s = np.sum(x)
    d = {"a": 1.0}
    for k in ["a", "b"]:
        z = d[k]  # noqa: F841 (KeyError)
    return s


def dead_index_past_a_list(x):
    s = np.sum(x)
    xs = [1.0, 2.0]
    for i in range(3):
        z = xs[i]  # noqa: F841 (IndexError)
    return s


def dead_run_time_index(x):
    xs = [x[0], x[1]]
    z = xs[len(x)]  # noqa: F841 (IndexError)
    return np.sum(x**2)


def dead_next_of_empty(x):
    z = next(iter([]))  # noqa: F841 (StopIteration)
    return np.sum(x**2)


def dead_int_of_a_string(x):
    z = int(str(x.shape[0]) + "a")  # noqa: F841 (ValueError)
    return np.sum(x**2)


def dead_int_of_inf(x):
    z = int(float("inf"))  # noqa: F841 (OverflowError)
    return np.sum(x**2)


def dead_int_of_a_run_time_inf(x):
    z = int(np.sum(x) * np.inf)  # noqa: F841 (OverflowError)
    return np.sum(x**2)


def dead_numpy_int_negative_power(x):
    z = np.array([1, 2]) ** -1  # noqa: F841 (ValueError)
    return np.sum(x**2)


RAISING = [
    (dead_missing_key_of_a_display, KeyError),
    (dead_missing_key_in_a_loop, KeyError),
    (dead_index_past_a_list, IndexError),
    (dead_run_time_index, IndexError),
    (dead_next_of_empty, (StopIteration, IndexError)),  # (srcad's: IndexError)
    (dead_int_of_a_string, ValueError),
    (dead_int_of_inf, OverflowError),
    (dead_int_of_a_run_time_inf, OverflowError),
    (dead_numpy_int_negative_power, ValueError),
]


@pytest.mark.parametrize(("fn", "exc"), RAISING, ids=[f.__name__ for f, _ in RAISING])
@pytest.mark.parametrize("mode", ["grad", "jvp", "hvp"])
def test_dead_raising_op_raises_as_python(fn, exc, mode):
    x = np.array([0.5, 1.5, -0.7])
    with pytest.raises(exc):
        fn(x)
    with pytest.raises(exc):  # (the op kept: the derivative raises where Python raises)
        if mode == "grad":
            srcad.grad(fn)(x)
        elif mode == "jvp":
            srcad.jvp(fn, (x,), (np.ones(3),))
        else:
            srcad.hvp(fn, (x,), (np.ones(3),))


def test_dead_conversions_of_numbers_still_removed():
    def f(x):
        a = int(3.5)  # noqa: F841
        b = float(x[0])  # noqa: F841
        return np.sum(x**2)

    x = np.array([0.5, 1.5, -0.7])
    assert np.allclose(srcad.grad(f)(x), 2 * x)


# -- super() resolved at transform time, then the base class patched ---------------------------
# ``super().m()`` / ``super().e`` in a method lowered as its own function (ad/dispatch.py) named
# the base's function in the generated code without telling the cache: after ``Base.m = ...``
# the cached transform still called the old one (gradient 2x where Python's function is now
# 3 cos(x)); ``Sub(x).m()`` itself was already checked again.


def _grad_vs_fd(f, x):
    g = srcad.grad(f)(x)
    e = 1e-6
    fd = np.array([(f(x + e * d) - f(x - e * d)) / (2 * e) for d in np.eye(x.size)])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6)


def _classes():
    class Base:
        def __init__(self, w):
            self.w = w

        def m(self):
            return np.sum(self.w**2)

        @property
        def e(self):
            return np.sum(self.w**2)

    class Mid(Base):
        pass

    class Sub(Mid):
        def m(self):
            return super().m() * 3.0

        def en(self):
            return super().e * 3.0

    return Base, Mid, Sub


@pytest.mark.parametrize("patched", ["Base", "Mid"])
@pytest.mark.parametrize("what", ["method", "property"])
def test_super_target_patched_after_transform(patched, what):
    Base, Mid, Sub = _classes()

    def f(x):
        return Sub(x).m() if what == "method" else Sub(x).en()

    x = np.array([0.3, -0.2])
    _grad_vs_fd(f, x)
    cls = Base if patched == "Base" else Mid
    if what == "method":
        cls.m = lambda self: np.sum(np.sin(self.w))
    else:
        cls.e = property(lambda self: np.sum(np.sin(self.w)))
    _grad_vs_fd(f, x)


# -- a method of a module-level instance, then an instance attribute hiding it ------------------
# ``G.step(x)`` / ``getattr(G, "_s_" + m)(x)`` on a global instance: after ``G.step = lambda``
# (Python calls the instance's own attribute) the cache saw the change, but the new transform
# resolved the call through the class again: gradient 2 where Python's is 7 (8abe2bd2 too).


class _Stepper:
    def __init__(self, h):
        self.h = h

    def step(self, y):
        return y * self.h


STEPPER46 = _Stepper(2.0)


def global_method(x):
    return np.sum(STEPPER46.step(x))


def global_getattr(x):
    m = "step"
    return np.sum(getattr(STEPPER46, m)(x))


@pytest.mark.parametrize("fn", [global_method, global_getattr])
def test_instance_attribute_hiding_a_method_of_a_global_instance(fn):
    global STEPPER46
    x = np.array([0.3, -0.2])
    STEPPER46 = _Stepper(2.0)
    try:
        np.testing.assert_allclose(srcad.grad(fn)(x), [2.0, 2.0])
        STEPPER46.step = lambda y: y * 7.0
        np.testing.assert_allclose(srcad.grad(fn)(x), [7.0, 7.0])
        del STEPPER46.step
        np.testing.assert_allclose(srcad.grad(fn)(x), [2.0, 2.0])
    finally:
        STEPPER46 = _Stepper(2.0)


# -- a second level that did not know a parameter is complex ------------------------------------
# ``np.cos(np.abs(z))`` of a complex ``z = x * c`` (`c` a complex argument, not differentiated):
# the Hessian's forward level over the gradient took no complex parameters, so session 45's
# even-function rule (cos(|z|) as cos(z): derivative -sin(z) dz, for real z only) applied to
# the complex z: a Hessian of [[-3.77, 0.24], [0.24, -3.78]] where it is [[-3.41, -0.23],
# [-0.23, -3.15]] (8abe2bd2 right), or a refusal when the complex tangent reached the output.


def cos_abs_complex_squared(x, c):
    s = float(np.sum(np.cos(np.abs(x * c))))
    return s * s


def cos_abs_complex_scaled(x, c):
    return np.sum(np.cos(np.abs(x * c))) * 1.0


@pytest.mark.parametrize("fn", [cos_abs_complex_squared, cos_abs_complex_scaled])
@pytest.mark.parametrize("c", [1j, 0.6 + 0.8j])
def test_hessian_with_a_complex_constant_argument(fn, c):
    x = np.array([0.3, -0.4])
    H = srcad.hessian(fn)(x, c)
    g = srcad.grad(fn)
    fd = np.array([(g(x + 1e-5 * d, c) - g(x - 1e-5 * d, c)) / 2e-5 for d in np.eye(2)])
    np.testing.assert_allclose(H, fd, rtol=1e-5, atol=1e-6)


# -- an even function of abs under a np.where mask ---------------------------------------------
# ``np.sum(np.where(x > 1.0, 1.0, np.cos(np.abs(x))))`` at x = 0: cos(|x|) is cos(x) there, so
# the Hessian is -I, but the mask made the square's rule step aside for elementwise results
# (only abs/root kinds were masked): Hessian 0 (wild46 order 2, seed 4610014: H v 0 where the
# gradient's differences give -0.58 v). The even kind's contribution is masked as theirs is.


def cos_abs_under_where(x):
    return np.sum(np.where(x > 1.0, 1.0, np.cos(np.abs(x))))


def cos_abs_under_where_squared(x):
    s = np.sum(np.where(x > 0.5, 1.0, np.cos(np.abs(x))))
    return s * s


def cosh_abs_under_broadcast_where(x):
    m = np.array([[1.0, -1.0], [-1.0, -1.0], [1.0, 1.0]])
    return np.sum(np.where(m > 0, 1.0, np.cosh(np.abs(x))))


@pytest.mark.parametrize(
    ("fn", "want"),
    [
        (cos_abs_under_where, [[-1.0, 0.0], [0.0, -1.0]]),
        (cos_abs_under_where_squared, [[-4.0, 0.0], [0.0, -4.0]]),
        (cosh_abs_under_broadcast_where, [[1.0, 0.0], [0.0, 2.0]]),
    ],
)
def test_even_function_of_abs_under_where_hessian_at_zero(fn, want):
    np.testing.assert_allclose(srcad.hessian(fn)(np.zeros(2)), want, atol=1e-12)

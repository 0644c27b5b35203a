"""Session 52, hunt52b: regressions found by porting other projects' test programs and examples
as users would run them (tests/corpus/ported_corp52_b*.py)."""

from __future__ import annotations

import linecache

import numpy as np
import pytest
import scipy.stats

import srcad
from srcad.testing import check_grads

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

X = np.array([0.1, 0.2, 0.3, 0.4, 0.5])
T = np.array([0.3, -1.0, 2.0, 0.5, 1.5])


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


# -- classes a ``class`` statement made in a namespace with no ``__name__`` --------------------
# ``exec(src, {})`` (a runner, a test harness, a notebook tool): Python gives such a class the
# module "builtins", and srcad took it for a built-in class whose methods its rules describe:
# ``v[2]`` of a ``__getitem__`` returning ``self.a[i] ** 2`` had the JVP of plain indexing (1.0
# per unit tangent where Python's derivative is 2 a[i]) and a zero gradient; ``3.0 * v``,
# ``-v``, ``float(v)`` of user operators and ``zip(v, x)`` of a user ``__iter__`` were wrong too.
_SRC = """
class Vec:
    def __init__(self, a):
        self.a = a
    def __getitem__(self, i):
        return self.a[i] ** 2
    def __rmul__(self, o):
        return self.a[0] ** 2 * o
    def __neg__(self):
        return self.a[1] ** 3
    def __float__(self):
        return float(self.a[0] ** 2)
    def __iter__(self):
        return iter(self.a ** 2)


def item(x):
    v = Vec(x)
    return v[2] * 3.0


def rmul(x):
    v = Vec(x)
    return 3.0 * v


def neg(x):
    v = Vec(x)
    return -v


def to_float(x):
    v = Vec(x)
    return float(v) * 3.0


def zipped(x):
    v = Vec(x)
    return sum(a * b for a, b in zip(v, x))


def item_of_argument(v):
    return v[1] * 3.0 + -v
"""


def _exec_namespace() -> dict:
    name = "<hunt52b exec>"
    linecache.cache[name] = (len(_SRC), None, _SRC.splitlines(True), name)
    ns: dict = {"np": np}  # no ``__name__``: the class's module is "builtins"
    exec(compile(_SRC, name, "exec"), ns)
    assert ns["Vec"].__module__ == "builtins"
    return ns


@pytest.mark.parametrize("name", ["item", "rmul", "neg", "to_float"])
def test_exec_class_operators(name: str) -> None:
    f = _exec_namespace()[name]
    fd = _fd(f, X)
    np.testing.assert_allclose(srcad.grad(f)(X), fd, atol=1e-6)
    np.testing.assert_allclose(srcad.jvp(f, (X,), (T,))[1], fd @ T, atol=1e-6)


def test_exec_class_iter_refused() -> None:
    f = _exec_namespace()["zipped"]
    for run in (lambda: srcad.grad(f)(X), lambda: srcad.jvp(f, (X,), (T,))):
        with pytest.raises(srcad.SrcadError, match=r"iterating a `Vec` object"):
            run()


def test_exec_class_argument() -> None:
    ns = _exec_namespace()
    f, vec = ns["item_of_argument"], ns["Vec"]
    fd = _fd(lambda y: f(vec(y)), X)
    np.testing.assert_allclose(srcad.grad(f)(vec(X)).a, fd, atol=1e-6)
    np.testing.assert_allclose(srcad.jvp(f, (vec(X),), (vec(T),))[1], fd @ T, atol=1e-6)


# -- scipy.stats count distributions with the counts as a list or tuple ------------------------
# ``poisson.logpmf([1, 2], mu)``: the rules computed ``k - loc`` of the list (TypeError at run time,
# an internal error for a tuple); bernoulli and geom had no rules.
def _counts(p):
    mu = np.exp(p)
    q = 1.0 / (1.0 + np.exp(-p))
    return (
        np.sum(scipy.stats.poisson.logpmf([1, 2, 0], mu))
        + np.sum(scipy.stats.poisson.pmf((3, 1, 2), mu))
        + np.sum(scipy.stats.binom.logpmf([1, 2, 4], 5, q))
        + np.sum(scipy.stats.nbinom.logpmf((1, 0, 3), 2.5, q))
        + np.sum(scipy.stats.bernoulli.logpmf([0, 1, 1], q))
        + np.sum(scipy.stats.geom.logpmf([1, 3, 2], q))
        + np.sum(scipy.stats.geom.pmf(2, q, loc=1) * scipy.stats.bernoulli.pmf(1, q))
    )


def test_count_distributions_list_counts() -> None:
    p = np.array([0.3, -0.4, 1.1])
    fd = _fd(_counts, p)
    np.testing.assert_allclose(srcad.grad(_counts)(p), fd, atol=1e-6)
    np.testing.assert_allclose(srcad.jvp(_counts, (p,), (T[:3],))[1], fd @ T[:3], atol=1e-6)
    check_grads(_counts, (p,), modes=("fwd", "rev"), order=2)


# -- a class made by ``type()`` whose ``__init__`` is a lambda ----------------------------------
# objinit.parts read the lambda's body as a list of statements: "internal error ... TypeError:
# 'Call' object is not iterable"; now the class is called when the code runs, and refused there.
Dyn = type(
    "Dyn",
    (),
    {
        "__init__": lambda self, a: setattr(self, "a", a),
        "__getitem__": lambda self, i: self.a[i] ** 2,
    },
)


def _dyn(x):
    v = Dyn(x)
    return v[2] * 3.0


def test_type_made_class_with_lambda_init_refused() -> None:
    for run in (lambda: srcad.grad(_dyn)(X), lambda: srcad.jvp(_dyn, (X,), (T,))):
        with pytest.raises(srcad.SrcadError, match=r"cannot differentiate through `Dyn\(\.\.\.\)`"):
            run()
    assert _dyn(X) == pytest.approx(0.27)

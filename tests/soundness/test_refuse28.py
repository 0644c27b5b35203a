"""What refuse28 fixes and accepts, checked numerically (value and gradient against Python and
central differences, the JVP against the gradient, the VJP/JVP dot test, the Hessian against
differences of the gradient), and the neighbours that must stay refused:

1. crashes: the JVP of ``ls[1:2] = "ab"`` (a slice assignment into a list from a str: the
   tangent written is one None per character, `_srcad.splice_zero`); ``srcad.grad`` of a
   derivative with an array output inside differentiated code is a `SrcadError` saying so, as
   calling it outside is (lower/deeper.py), not a ValueError.
2. ``K[d][:, d] += ke`` with `d` an index array (a list display, ``np.array([...])``): NumPy's
   ``K[d]`` is a copy, so `K` is unchanged (lower/copywrites.py: the statement becomes the check
   ``_srcad.copy_write(K, d)``), where it was refused saying Python would see the change.
3. user idioms: ``global CALLS; CALLS += 1`` (a module-level counter updated as an effect,
   lower/globalcounts.py; a read of it, or a differentiated value added, stays refused);
   ``with Timer() as t:`` on user context managers (lower/withs.user_manager: the calls in
   sequence; a manager that may suppress an exception, or a body that returns, stays refused);
   ``types.SimpleNamespace(a=v, ...)`` as a state bag whose attributes the function or a helper
   writes (lower/objrecord.namespace: an object built here; used as a value after a write, as
   ``vars(st)``, stays refused).
"""

from __future__ import annotations

import time
import types

import numpy as np
import pytest

import srcad
from srcad import runtime
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 1.2, -0.7, 2.0])


# -- 1. crashes ----------------------------------------------------------------------------------
def splice_str(x):
    ls = [x[0], x[1], x[2], x[3]]
    ls[1:2] = "ab"
    return ls[0] * ls[-1] + len(ls) * x[1] + sum(v * v for v in ls if not isinstance(v, str))


def splice_str_argument(x, s):
    ls = [x[0], x[1], x[2]]
    ls[0:2] = s
    return ls[-1] * x[0] * len(ls)


def test_slice_assignment_of_a_str_into_a_list():
    check_scalar(splice_str, X)
    g = srcad.grad(splice_str_argument)(X, "xyz")
    np.testing.assert_allclose(g, [4.0 * X[2], 0.0, 4.0 * X[0], 0.0])
    _, t = srcad.jvp(lambda x: splice_str_argument(x, "xyz"), (X,), (np.ones(4),))
    np.testing.assert_allclose(t, 4.0 * (X[2] + X[0]))


def _q(x):
    return np.sum(np.sin(x) * x)


def grad_grad_inside(x):
    return np.sum(srcad.grad(srcad.grad(_q))(x))


def grad_grad_inside_scalar(x):
    return srcad.grad(srcad.grad(_q))(x[0] * x[1]) * x[2]


def test_grad_of_a_derivative_with_an_array_output_inside():
    with pytest.raises(srcad.SrcadError, match="derivative `_q` returned an array of shape"):
        grad_grad_inside(X)  # Python's own call
    for f in (srcad.grad(grad_grad_inside), lambda x: srcad.jvp(grad_grad_inside, (x,), (x,))):
        with pytest.raises(srcad.SrcadError, match="derivative `_q` returned an array of shape"):
            f(X)
    check_scalar(grad_grad_inside_scalar, X)  # a scalar argument: the second derivative


# -- 2. writes into the copy an index array makes ------------------------------------------------
def fancy_block_update(x):
    K = np.outer(x, x)
    d = np.array([0, 2])
    K[d][:, d] += np.ones((2, 2)) * x[1]  # a copy: K unchanged (NumPy)
    K[[1, 3]][0] = x[0] ** 2
    e = [0, 1]
    K[e][:, e] = 5.0 * x[3]
    K[1:3][:, 1:3] += x[2] * x[0]  # views: K changes
    return np.sum(K * K) + np.sin(K[0, 2])


def test_write_into_the_copy_an_index_array_makes():
    x = X.copy()
    check_scalar(fancy_block_update, X)
    np.testing.assert_array_equal(x, X)


def _rows_of(K, ke):
    d = [0, 1]
    K[d][:, d] += ke
    return np.sum(K * ke[0, 0])


def test_write_into_the_copy_refuses_what_numpy_would_not_copy():
    with pytest.raises(TypeError):  # a list's item by a list: Python's TypeError
        srcad.grad(_rows_of, wrt=1)([[1.0, 2.0], [3.0, 4.0]], np.ones((2, 2)))

    K = np.arange(4.0).reshape(2, 2)
    g = srcad.grad(_rows_of, wrt=(0, 1))(K, np.full((2, 2), 2.0))
    np.testing.assert_array_equal(K, np.arange(4.0).reshape(2, 2))  # the argument unchanged
    np.testing.assert_allclose(g[0], np.full((2, 2), 2.0))
    np.testing.assert_allclose(g[1], [[6.0, 0.0], [0.0, 0.0]])

    class Rows:  # an object whose item by a list is a view of its data
        def __init__(self, a):
            self.a = a

        def __getitem__(self, i):
            return self.a[1:]

    runtime.copy_write(np.ones((3, 3)), [0, 2])
    with pytest.raises(srcad.SrcadError, match="may share"):
        runtime.copy_write(Rows(np.ones((3, 3))), [0, 1])


# -- 3. user idioms ------------------------------------------------------------------------------
CALLS = 0
NEVAL = 0.0


def counted(x):
    global CALLS, NEVAL
    CALLS += 1
    s = 0.0
    for v in x:
        NEVAL += 1.0
        s = s + v * np.sin(v)
    return s * x[0]


def counter_read(x):
    global CALLS
    CALLS += 1
    return np.sum(x) * CALLS


def counter_of_a_derivative(x):
    global NEVAL
    NEVAL += x[0]
    return np.sum(x)


def test_global_counter():
    global CALLS, NEVAL
    CALLS, NEVAL = 0, 0.0
    check_scalar(counted, X)
    calls, neval = CALLS, NEVAL
    assert calls > 0 and neval == 4.0 * calls
    srcad.grad(counted)(X)
    assert (CALLS, NEVAL) == (calls + 1, neval + 4.0)  # once per call, as Python
    _, t = srcad.jvp(counted, (X,), (np.ones(4),))
    assert (CALLS, NEVAL) == (calls + 2, neval + 8.0)
    for f, msg in (
        (counter_read, "global name `CALLS`"),
        (counter_of_a_derivative, "global `NEVAL`"),
    ):
        with pytest.raises(srcad.SrcadError, match=msg):
            srcad.grad(f)(X)


class _Timer:
    def __init__(self, label="t"):
        self.label = label

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, exc_type, exc, tb):
        self.dt = time.perf_counter() - self.t0


EXITS = []


class _Scale:
    def __init__(self, s):
        self.s = s

    def __enter__(self):
        return self.s * 2.0

    def __exit__(self, *exc):
        EXITS.append(self.s)
        return False


class _Swallow:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return True


def timed(x):
    with _Timer("a") as t:
        y = np.sum(np.sin(x) * x)
    assert t.dt >= 0.0
    return y * x[0]


def two_managers(x):
    with _Timer(), _Scale(3.0) as s:
        y = np.sum(x**2) * s
    return y * x[1]


def swallowing(x):
    with _Swallow():
        y = np.sum(x)
    return y


def returns_inside(x):
    with _Timer():
        return np.sum(x)


def test_with_user_context_managers():
    check_scalar(timed, X)
    check_scalar(two_managers, X)
    del EXITS[:]
    srcad.grad(two_managers)(X)
    assert EXITS == [3.0]  # __exit__ ran once, as in Python
    for f in (swallowing, returns_inside):
        with pytest.raises(srcad.SrcadError, match="`with` statements are not supported"):
            srcad.grad(f)(X)


def _step(st, v):
    st.pos = st.pos + st.vel * v
    st.vel = st.vel - 0.1 * st.pos


def namespace_state(x):
    st = types.SimpleNamespace(pos=x[0], vel=x[1], n=0)
    for v in x:
        _step(st, v)
        st.n += 1
    st.loss = st.pos * st.vel + st.n
    return st.loss + np.sum(st.pos * x)


def namespace_escapes(x):
    st = types.SimpleNamespace(a=x[0])
    st.a = st.a * 3.0
    return vars(st)["a"]


def test_simple_namespace_state_bag():
    check_scalar(namespace_state, X)
    with pytest.raises(srcad.SrcadError, match="rebuilds such objects"):
        srcad.grad(namespace_escapes)(X)

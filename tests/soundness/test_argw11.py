"""Session 11's `argw11`: the differentiated function updating its own arguments in place
(lower/argcopy.py). For tests/corpus/users_argw11.py and a few more: the value and derivatives
against Python and central differences, and the caller's objects after the call equal to what
Python leaves there, under every transform (primal, grad, value_and_grad, jvp, vjp, jacfwd,
jacrev, hessian, hvp, grad of grad); repeated calls; aliasing raising; the refusals that stay."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.corpus import users_argw11 as U

V = np.array([0.31, -0.72, 1.13, 0.57])
ARRAY_CASES = [c for c in U.CASES if c.extra == "hvp"]


def _close(a, b, tol=1e-6):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_close(a[k], b[k], tol) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(_close(p, q, tol) for p, q in zip(a, b))
    return np.allclose(a, b, rtol=tol, atol=tol)


def _python(case):
    args = copy.deepcopy(case.args)
    return case.fn(*args), args


def _fd_grad(case, h=1e-6):
    x = np.asarray(case.args[0], float)
    rest = case.args[1:]
    g = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e.flat[i] = h
        hi = case.fn(x + e, *copy.deepcopy(rest))
        lo = case.fn(x - e, *copy.deepcopy(rest))
        g.flat[i] = (hi - lo) / (2 * h)
    return g


def _fd_hessian(case, h=1e-5):
    x = np.asarray(case.args[0], float)

    def grad_at(z):
        return srcad.grad(case.fn)(z.copy(), *copy.deepcopy(case.args[1:]))

    cols = [(grad_at(x + h * e) - grad_at(x - h * e)) / (2 * h) for e in np.eye(x.size)]
    return np.stack(cols, axis=1)


def _run(case, how):
    args = copy.deepcopy(case.args)
    f = case.fn
    t = np.ones_like(case.args[0])
    if how == "primal":
        out = srcad.primal(f)(*args)
    elif how == "grad":
        out = srcad.grad(f)(*args)
    elif how == "value_and_grad":
        out = srcad.value_and_grad(f)(*args)[1]
    elif how == "jvp":
        out = srcad.jvp(f, tuple(args), (t, *(None,) * (len(args) - 1)))[1]
    elif how == "vjp":
        out = srcad.vjp(f, *args, wrt=0)[1](1.0)
    elif how == "jacfwd":
        out = srcad.jacfwd(f)(*args)
    elif how == "jacrev":
        out = srcad.jacrev(f)(*args)
    elif how == "hessian":
        out = srcad.hessian(f)(*args)
    elif how == "hvp":
        out = srcad.hvp(f, tuple(args), (t, *(None,) * (len(args) - 1)))
    else:  # grad of grad
        out = srcad.grad(lambda z, *r: np.sum(srcad.grad(f)(z, *r) ** 2))(*args)
    return out, args


HOWS = ["primal", "grad", "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "hessian", "hvp",
        "gradgrad"]  # fmt: skip


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("case", ARRAY_CASES, ids=lambda c: c.name)
def test_values_and_caller_objects(case, how):
    ref, ref_args = _python(case)
    got, args = _run(case, how)
    assert _close(args, ref_args), f"{how}: the caller's arguments after the call"
    if how == "primal":
        assert _close(got, ref)
    elif how in ("grad", "value_and_grad", "vjp", "jacfwd", "jacrev"):
        assert _close(got, _fd_grad(case), 1e-5)
    elif how == "jvp":
        assert _close(got, np.sum(_fd_grad(case)), 1e-5)
    elif how == "hessian":
        assert _close(got, _fd_hessian(case), 1e-4)
    elif how == "hvp":
        hv = got[1] if isinstance(got, tuple) else got
        assert _close(hv, _fd_hessian(case) @ np.ones(V.size), 1e-4)


def test_two_arguments_updated():
    ref, ref_args = _python(U.CASES[5])
    got, args = _run(U.CASES[5], "grad")
    assert _close(args, ref_args)


def test_repeated_calls_see_the_update():
    x, y = V.copy(), V.copy()
    g = srcad.value_and_grad(U.scale_in_place)
    for _ in range(3):
        assert np.isclose(g(x)[0], U.scale_in_place(y))
        assert np.array_equal(x, y)
    hist, hist_py = [1.0], [1.0]
    for _ in range(3):
        v, _ = srcad.value_and_grad(U.logs_to_list)(V.copy(), hist)
        assert np.isclose(v, U.logs_to_list(V.copy(), hist_py))
        assert hist == hist_py


def test_number_arguments_only_rebind():
    def f(s, x):
        s *= 2.0
        x[0] = s
        return s * np.sum(x)

    x, y = V.copy(), V.copy()
    assert np.isclose(srcad.grad(f, wrt=(0, 1))(1.5, x)[0], 2.0 * (np.sum(y) - y[0] + 3.0) + 6.0)
    f(1.5, y)
    assert np.array_equal(x, y)


GM = np.ones(4)


def _two(x, y):
    x *= 2.0
    return np.sum(x * y)


def _reads_global(x):
    x[0] = 5.0
    return np.sum(x * GM)


class _Box:
    def __init__(self, w):
        self.w = w


def _box(x, b):
    x *= 2.0
    return np.sum(b.w * x)


@pytest.mark.parametrize(
    "f, args",
    [
        (_two, lambda: (V.copy(),) * 2),
        (_two, lambda: (lambda a: (a, a[::-1]))(V.copy())),
        (_two, lambda: (lambda a: (a, [a[1:]]))(V.copy())),
        (_reads_global, lambda: (GM,)),
        (_reads_global, lambda: (GM[:2],)),
        (_box, lambda: (lambda a: (a, _Box(a)))(V.copy())),
    ],
)
def test_aliasing_raises(f, args):
    a = args()
    before = copy.deepcopy(a)
    for run in (srcad.primal(f), srcad.grad(f)):
        with pytest.raises(srcad.SrcadError, match="shares memory"):
            run(*a)
    assert all(np.array_equal(p, q) for p, q in zip(np.broadcast_arrays(*[a[0]]), [before[0]]))
    assert np.array_equal(GM, np.ones(4))


def test_disjoint_views_are_not_aliases():
    a = np.arange(6.0)
    x, y = a[::2], a[1::2]
    b = a.copy()
    srcad.grad(_two)(x, y)
    _two(b[::2], b[1::2])
    assert np.array_equal(a, b)


def test_resized_differentiated_list_laid_out_at_entry():
    """Refused until session 13 (ctrl13): the derivative is laid out as the list was at entry
    (srcad/entries.py; more in test_ctrl13.py)."""

    def f(xs):
        xs.append(xs[0] * 2.0)
        return sum(v * v for v in xs)

    xs = [1.0, 2.0]
    g = srcad.grad(f)(xs)  # 5 x0**2 + x1**2
    assert g == [10.0, 4.0] and xs == [1.0, 2.0, 2.0]


def _h(b):
    b *= 2.0
    return np.sum(b)


def _calls_h(x):
    s = _h(x)
    return s + np.sum(x)


def test_helper_updating_with_op_assign_still_refused():
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(_calls_h)(V.copy())


def _rebound_after(x):
    if x[0] > 0:
        x[2] = x[0] * x[1]
    x *= 0.5
    y = np.tanh(x)
    x = y * 3.0  # the caller's object keeps the value it had here
    x[0] = 1.0
    return np.sum(x * y)


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("sign", [1.0, -1.0])
def test_rebound_after_updates(how, sign):
    case = type("C", (), {"fn": staticmethod(_rebound_after), "args": (sign * V.copy(),)})
    ref, ref_args = _python(case)
    got, args = _run(case, how)
    assert _close(args, ref_args), how
    if how == "grad":
        assert _close(got, _fd_grad(case), 1e-5)


def _rebound_in_a_branch(x, c):
    x[0] = c * x[1]
    if c > 0:
        x = x * 2.0
    x[1] = 5.0  # the caller's object only when c <= 0
    return np.sum(x)


def _rebound_in_a_loop(x):
    for _ in range(2):
        x[1:] = x[:-1] * 0.5
        x = x * 2.0
    return np.sum(x)


def test_rebound_argument_still_refused():
    with pytest.raises(srcad.SrcadError, match="through another name"):
        srcad.grad(_rebound_in_a_branch)(V.copy(), 0.5)
    with pytest.raises(srcad.SrcadError, match="argument `x`"):
        srcad.grad(_rebound_in_a_loop)(V.copy())


def test_unsupported_argument_type_raises():
    class Buf(list):
        pass

    def f(x, b):
        b.append(1.0)
        return np.sum(x)

    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(V.copy(), Buf())


def test_stale_write_back_refused():
    def f(x):
        x[1] = 2.0
        y = [x][0]  # (a second name lower/viewwrites.py cannot see as `x` itself)
        y[0] = 5.0
        return np.sum(y)

    with pytest.raises(srcad.SrcadError, match="through another name"):
        srcad.primal(f)(V.copy())


def test_write_through_a_second_name_of_the_argument():
    # refuse15: ``y = x`` of an argument never rebound is `x` itself (lower/viewwrites.py),
    # so ``y[0] = 5.0`` is ``x[0] = 5.0``, written back as Python leaves it
    def f(x):
        x[1] = 2.0
        y = x
        y[0] = 5.0
        return np.sum(y * x)

    a, b = V.copy(), V.copy()
    assert srcad.primal(f)(a) == pytest.approx(f(b))
    np.testing.assert_array_equal(a, b)
    g = srcad.grad(f)(V.copy())
    np.testing.assert_allclose(g, [0.0, 0.0, 2 * V[2], 2 * V[3]])


# -- module-level arrays the function updates in place ------------------------------------------
GA = np.array([[1.0, 0.5], [-0.25, 2.0]])
GB = np.zeros(4)


def _global_rows(x):
    GA[0] -= x[:2]
    return np.sum(GA * x[0])


def _global_fill(x):
    GB[:] = np.sin(x)
    GB[1] += x[2] ** 2
    return np.sum(GB**2) + x[3]


def _reads_gb():
    return GB[0]


def _global_and_reader(x):
    GB[0] = x[0]
    return _reads_gb() * x[1]


def _writes_gb(x):
    GB[1] = x[0]
    return x[1]


def _calls_writer(x):
    return _writes_gb(x) + GB[1]


@pytest.mark.parametrize("how", HOWS)
@pytest.mark.parametrize("f", [_global_rows, _global_fill])
def test_global_arrays(f, how):
    saved = GA.copy(), GB.copy()

    def restore(state):
        GA[...], GB[...] = state

    case = type("C", (), {"fn": staticmethod(f), "args": (V.copy(),)})
    try:
        out_py = [f(V.copy()) for _ in range(2)]
        after = GA.copy(), GB.copy()
        restore(saved)

        def fd_case():
            # central differences of the first call, from the state before it
            def at(z):
                state = GA.copy(), GB.copy()
                try:
                    return f(z)
                finally:
                    restore(state)

            return type("C", (), {"fn": staticmethod(at), "args": (V.copy(),)})

        expect_g = _fd_grad(fd_case())

        def grad_at(z):
            state = GA.copy(), GB.copy()
            g = srcad.grad(f)(z)
            restore(state)
            return g

        h = 1e-5
        cols = [(grad_at(V + h * e) - grad_at(V - h * e)) / (2 * h) for e in np.eye(V.size)]
        expect_h = np.stack(cols, axis=1)
        restore(saved)
        got = [_run(case, how)[0] for _ in range(2)]
        assert np.allclose(GA, after[0]) and np.allclose(GB, after[1]), how
        if how == "primal":
            assert np.allclose(got, out_py)
        elif how in ("grad", "value_and_grad", "vjp", "jacfwd", "jacrev"):
            assert np.allclose(got[0], expect_g, atol=1e-5)
        elif how == "hessian":
            assert np.allclose(got[0], expect_h, atol=1e-4)
        elif how == "hvp":
            assert np.allclose(got[0][1], expect_h @ np.ones(V.size), atol=1e-4)
    finally:
        restore(saved)


def test_global_read_by_a_callee_refused():
    with pytest.raises(srcad.SrcadError, match="which it calls, reads `GB`"):
        srcad.grad(_global_and_reader)(V.copy())


def test_global_written_back_by_a_helper_refused():
    with pytest.raises(srcad.SrcadError, match="GB"):
        srcad.grad(_calls_writer)(V.copy())
    assert np.array_equal(GB, np.zeros(4))


# -- found by the in-suite fuzz on the merged main (seeds 1038, 1105, 1680) ------------------------
def _early_return_then_rebind(x, v):
    x *= 2.0
    if v[0] > 0.0:
        return np.sum(x * v)  # leaves before `x = ...` below: no value of x was taken
    x = x + 1.0
    return np.sum(x)


def _returns_the_argument(x):
    x[1:] = x[:2]
    return {"a": np.sum(x), "b": x}  # Python's "b" is the caller's array itself


def test_early_return_before_the_rebinding_is_right():
    """Refused (a crash before that) until ref41d: the object is now also kept before the
    ``return`` ahead of the rebinding (lower/argsnap.py), so both paths write back Python's
    value (tests/regressions/test_ref41d.py, part c)."""
    for v in (np.array([1.0, 2.0]), np.array([-1.0, 2.0])):
        x, y = np.array([0.5, -1.0]), np.array([0.5, -1.0])
        want = _early_return_then_rebind(y, v)
        g = srcad.grad(_early_return_then_rebind)(x, v)
        assert np.array_equal(x, y)  # the caller's array as Python leaves it
        assert np.allclose(g, 2.0 * v if v[0] > 0.0 else [2.0, 2.0])
        x = np.array([0.5, -1.0])
        assert srcad.primal(_early_return_then_rebind)(x, v) == want and np.array_equal(x, y)
        check_grads(_early_return_then_rebind, (np.array([0.5, -1.0]), v), ("fwd", "rev"), wrt=0)


def test_an_updated_argument_returned_is_the_callers_object():
    """Python's "b" is the caller's array itself (refused before session 12: srcad's output
    held its private copy; lower/argreturn.py gives the caller's object back)."""
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])
    out, ref = srcad.primal(_returns_the_argument)(x), _returns_the_argument(y)
    assert out["b"] is x and np.array_equal(x, y) and out["a"] == ref["a"]

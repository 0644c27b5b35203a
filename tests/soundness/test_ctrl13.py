"""Session 13's `ctrl13`: spurious refusals of the control/idioms fuzz grammars made correct.

A differentiated list or dict argument whose length the function changes in place
(``p.append(v)``, ``p.extend(..)``, ``d[new] = v``; the control grammar's largest refusal class):
the derivative is with respect to its value at entry, laid out in the structure it had at entry
(srcad/entries.py), under grad, value_and_grad, vjp (its pullback called after the call), jvp,
hvp, jacfwd, jacrev and hessian; the caller's object left as Python leaves it. Values against
Python and central differences, first and second order."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad


def f_append(x, p):
    p.append(x * 2.0)
    return np.sum(p[0] * p[-1]) + x * np.sum(p[1])


def f_extend(x, p):
    p.extend([x * p[0], p[1] ** 2])
    return sum(np.sum(np.tanh(q)) for q in p) * x


def f_loop(x, p):
    for _ in range(3):
        p.append(p[-1] * x)
    return np.sum(p[-1]) + np.sum(p[1])


def f_branch(x, p):
    if x > 0.5:
        p.append(np.sin(p[0]) * x)
    return np.sum(p[-1] * p[1])


def f_replace_item(x, p):
    p[0] = 2.0  # an array item replaced by a float: its derivative still an array of zeros
    p.append(x)
    return np.sum(p[1]) * x + p[0]


def f_floats(x, p):
    p.append(p[0] * x)
    return p[0] * p[1] + p[-1] ** 2


def f_dict_new(x, d):
    d["c"] = d["a"] * x
    return np.sum(d["c"] * d["b"])


def f_unread(x, p):
    p.append(np.cos(x) * 2.0)  # the derivative with respect to `p`: a zero, laid out at entry
    return x * 3.0


def _arrays():
    return [np.array([1.0, 2.0]), np.array([0.5, -1.5])]


def _floats():
    return [1.5, -0.5]


def _dict():
    return {"a": np.array([1.0, 2.0]), "b": np.array([0.3, -0.7])}


CASES = [
    (f_append, _arrays),
    (f_extend, _arrays),
    (f_loop, _arrays),
    (f_branch, _arrays),
    (f_replace_item, _arrays),
    (f_floats, _floats),
    (f_dict_new, _dict),
    (f_unread, _arrays),
]
IDS = [c[0].__name__ for c in CASES]
X = 0.7


def _leaves(t):
    if isinstance(t, dict):
        return [v for k in t for v in _leaves(t[k])]
    if isinstance(t, (list, tuple)):
        return [v for e in t for v in _leaves(e)]
    return [np.asarray(t, float)]


def _flat(t):
    return np.concatenate([v.ravel() for v in _leaves(t)])


def _unflat(v, like):
    it = iter(v)

    def go(t):
        if isinstance(t, dict):
            return {k: go(t[k]) for k in t}
        if isinstance(t, list):
            return [go(e) for e in t]
        a = np.asarray(t, float)
        if a.ndim == 0:
            return float(next(it))
        return np.array([next(it) for _ in range(a.size)]).reshape(a.shape)

    return go(like)


def _same(a, b):
    """The same structure (types, lengths, keys, shapes) and values."""
    if isinstance(b, dict):
        return type(a) is dict and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in b)
    if isinstance(b, list):
        return type(a) is list and len(a) == len(b) and all(map(_same, a, b))
    return np.shape(a) == np.shape(b) and np.allclose(a, b, atol=1e-5)


def _fd(f, mk, h=1e-6):
    """d f / d x and d f / d p (flat) by central differences, at (X, mk())."""
    p0 = mk()
    gx = (f(X + h, mk()) - f(X - h, mk())) / (2 * h)
    v = _flat(p0)
    gp = np.zeros_like(v)
    for i in range(v.size):
        e = np.zeros_like(v)
        e[i] = h
        gp[i] = (f(X, _unflat(v + e, p0)) - f(X, _unflat(v - e, p0))) / (2 * h)
    return gx, _unflat(gp, p0)


def _python_after(f, mk):
    p = mk()
    f(X, p)
    return p


@pytest.mark.parametrize("f, mk", CASES, ids=IDS)
@pytest.mark.parametrize("how", ["grad", "value_and_grad", "vjp", "vjp_later"])
def test_gradient_laid_out_at_entry(f, mk, how):
    gx, gp = _fd(f, mk)
    after = _python_after(f, mk)
    for _ in range(2):  # the second call takes the fast paths
        p = mk()
        if how == "grad":
            g = srcad.grad(f, wrt=(0, 1))(X, p)
        elif how == "value_and_grad":
            v, g = srcad.value_and_grad(f, wrt=(0, 1))(X, p)
            assert np.isclose(v, f(X, mk()))
        else:
            out, pull = srcad.vjp(f, X, p)
            if how == "vjp_later":  # the caller's list reused before the pullback runs
                q = copy.copy(p)
                p.clear()  # (emptied, then refilled: the pullback lays out at entry)
                g = pull(1.0)
                p.update(q) if type(p) is dict else p.extend(q)
            else:
                g = pull(1.0)
        assert _same(p, after)
        assert np.isclose(g[0], gx, atol=1e-5)
        assert _same(g[1], gp)


@pytest.mark.parametrize("f, mk", CASES, ids=IDS)
def test_jvp_and_hvp(f, mk):
    gx, gp = _fd(f, mk)
    after = _python_after(f, mk)
    tp = _unflat(np.random.default_rng(1).standard_normal(_flat(mk()).size), mk())
    p = mk()
    out, dout = srcad.jvp(f, (X, p), (1.0, tp))
    assert np.isclose(out, f(X, mk()))
    assert np.isclose(dout, gx + np.dot(_flat(gp), _flat(tp)), atol=1e-5)
    assert _same(p, after)
    h = 1e-5
    p0 = mk()

    def grad_at(s):
        g = srcad.grad(f, wrt=(0, 1))(X + s * h, _unflat(_flat(p0) + s * h * _flat(tp), p0))
        return np.concatenate([[g[0]], _flat(g[1])])

    fd = (grad_at(1) - grad_at(-1)) / (2 * h)
    for _ in range(2):
        p = mk()
        g, hv = srcad.hvp(f, (X, p), (1.0, tp), wrt=(0, 1))
        assert _same(p, after)
        assert _same(g[1], gp)
        assert type(hv[1]) is type(p0) and len(hv[1]) == len(p0)
        assert np.allclose(np.concatenate([[hv[0]], _flat(hv[1])]), fd, atol=1e-4)


TREES = [c for c in CASES if c[1] is not _floats]  # (a list of numbers: an array block)


@pytest.mark.parametrize("f, mk", TREES, ids=[c[0].__name__ for c in TREES])
@pytest.mark.parametrize("jac", [srcad.jacfwd, srcad.jacrev])
def test_jacobians(f, mk, jac):
    gx, gp = _fd(f, mk)
    after = _python_after(f, mk)
    for _ in range(2):
        p = mk()
        J = jac(f, wrt=(0, 1))(X, p)
        assert _same(p, after)
        assert np.isclose(J[0], gx, atol=1e-5)
        assert _same(J[1], gp)


@pytest.mark.parametrize("f, mk", CASES, ids=IDS)
def test_hessian_of_the_number(f, mk):
    p = mk()
    H = srcad.hessian(f, wrt=0)(X, p)
    assert _same(p, _python_after(f, mk))
    h = 1e-5
    fd = (srcad.grad(f)(X + h, mk()) - srcad.grad(f)(X - h, mk())) / (2 * h)
    assert np.isclose(H, fd, atol=1e-4)


def f_item_retyped(x, p):
    p[0] = 2.0
    return np.sum(p[1]) * x + p[0]


@pytest.mark.parametrize("how", ["grad", "vjp"])
def test_item_replaced_laid_out_as_at_entry(how):
    """The length kept, an array item replaced by a float: its derivative is an array of zeros
    (the entry item's layout), where it was a float 0.0 (the item the call left)."""
    p = _arrays()
    g = (
        srcad.grad(f_item_retyped, wrt=(0, 1))(X, p)
        if how == "grad"
        else srcad.vjp(f_item_retyped, X, p)[1](1.0)
    )
    assert type(g[1][0]) is np.ndarray and g[1][0].shape == (2,) and not g[1][0].any()
    assert _same(g[1][1], np.full(2, X))
    assert p[0] == 2.0


W = np.array([0.4, -1.1, 0.9])


def f_number_joined(x, y):
    """`x op= v` of a value that is the number argument on one path (rebound: the caller's
    float never changes) and a NumPy result on the other."""
    if y > 0.5:
        x = np.std(W * y)
    for _ in range(2):
        x -= np.tanh(x * y) * 0.5
    return x * y


def f_number_joined_loop(x, y):
    k = 0
    while k < 3:
        k += 1
        if x * y > 0.2:
            x *= np.tanh(y)
        else:
            x = np.sum(W) * y
    return x + y


def f_array_joined(x, y):
    if y > 0.5:
        x = W * y
    x -= 0.5  # the caller's array on the other path: still refused
    return np.sum(x * y)


def f_self_assigned(x, y):
    x = x  # the same object: the update below is the caller's, written back
    x *= np.tanh(y)
    x[0] = x[1] * y
    return np.sum(x**2)


def _fd_args(f, args, h=1e-6):
    out = []
    for k, a in enumerate(args):
        a = np.asarray(a, float)
        g = np.zeros(a.shape)
        for i in range(a.size):
            e = np.zeros(a.shape)
            e.flat[i] = h
            hi = [copy.deepcopy(b) for b in args]
            lo = [copy.deepcopy(b) for b in args]
            hi[k] = (a + e) if a.ndim else float(a + e)
            lo[k] = (a - e) if a.ndim else float(a - e)
            g.flat[i] = (f(*hi) - f(*lo)) / (2 * h)
        out.append(g if a.ndim else float(g))
    return out


@pytest.mark.parametrize("f, args", [
    (f_number_joined, (0.3, 0.9)),
    (f_number_joined, (0.3, 0.2)),
    (f_number_joined_loop, (0.8, 0.7)),
    (f_number_joined_loop, (-0.4, 0.7)),
    (f_self_assigned, (np.array([0.5, -0.3, 1.2]), 0.8)),
])  # fmt: skip
def test_updates_now_followed(f, args):
    fd = _fd_args(f, args)
    py_args = copy.deepcopy(args)
    ref = f(*py_args)
    a = copy.deepcopy(args)
    v, g = srcad.value_and_grad(f, wrt=(0, 1))(*a)
    assert np.isclose(v, ref)
    assert all(_same(p, q) for p, q in zip(a, py_args))  # the caller's array updated as Python's
    assert all(_same(p, q) for p, q in zip(g, fd))
    t = tuple(np.ones_like(np.asarray(b, float)) if np.ndim(b) else 1.0 for b in args)
    a = copy.deepcopy(args)
    _, hv = srcad.hvp(f, a, t, wrt=(0, 1))

    def gr(s):
        z = [b + s * 1e-5 * u for b, u in zip(args, t)]
        return srcad.grad(f, wrt=(0, 1))(*z)

    fdh = [(p - q) / 2e-5 for p, q in zip(gr(1), gr(-1))]
    assert all(np.allclose(p, q, atol=1e-4) for p, q in zip(hv, fdh))


def test_array_argument_joined_still_refused():
    with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
        srcad.grad(f_array_joined, wrt=(0, 1))(np.array([0.5, -0.3, 1.2]), 0.2)


# -- loops over an array the body updates in place (lower/loopsource.py) -------------------------


def f_iter_scaled(x, y):
    a = np.tanh(x) + 0.5
    s = 0.0
    for v in a:  # each item read when the loop reaches it: after the earlier rounds' updates
        s += v * y
        a *= np.cos(v * y)
    return s + np.sum(a)


def f_iter_rows(m, y):
    t = 0.0
    for row in m:  # the next row read after this round's write
        t += np.sum(row**2)
        m[:, 0] += row[1] * y
    return t + np.sum(m * y)


def f_iter_zip(x, y):
    a = x * 2.0
    for v, e in zip(a, np.sin(x) * y):
        a[1] += v * e
        if v > 5.0:
            break
    else:
        a[0] -= y
    return np.sum(a**2)


def f_iter_enumerate(x, y):
    a = np.exp(x)
    for i, v in enumerate(a):
        if i + 1 < len(a):
            a[i + 1] = a[i + 1] * v * y + a[i]
    return np.sum(a)


def f_iter_argument(x, y):
    for v in x:  # the argument updated in place: its copy looped over, written back
        x -= v * y * 0.1
    return np.sum(np.sin(x))


LOOPS = [
    (f_iter_scaled, (np.array([0.3, -0.8, 1.1]), 0.7)),
    (f_iter_rows, (np.array([[0.3, -0.8, 1.1], [0.2, 0.5, -0.4]]), 0.6)),
    (f_iter_zip, (np.array([0.3, -0.8, 1.1]), 0.7)),
    (f_iter_enumerate, (np.array([0.3, -0.8, 0.4]), 0.5)),
    (f_iter_argument, (np.array([0.3, -0.8, 1.1]), 0.7)),
]


@pytest.mark.parametrize("f, args", LOOPS, ids=[c[0].__name__ for c in LOOPS])
def test_loop_over_array_updated_in_body(f, args):
    test_updates_now_followed(f, args)
    a = copy.deepcopy(args)
    out, pull = srcad.vjp(f, *a)
    assert all(_same(p, q) for p, q in zip(pull(1.0), _fd_args(f, args)))
    t = tuple(np.ones_like(np.asarray(b, float)) if np.ndim(b) else 1.0 for b in args)
    _, dout = srcad.jvp(f, copy.deepcopy(args), t)
    fd = sum(np.sum(np.asarray(g) * np.asarray(u)) for g, u in zip(_fd_args(f, args), t))
    assert np.isclose(dout, fd, atol=1e-5)


def f_iter_list(xs, y):
    for v in xs:
        xs[0:1] = [v * y]
    return xs[0]


def test_loop_over_list_updated_in_body_refused_at_run_time():
    """A list may change its length (a slice assignment): the rewrite checks the iterable is an
    array when it runs. (``xs[0] = v * y``, one position, is exact for a list: test_hunt32a.)"""
    with pytest.raises(srcad.SrcadError, match="that its body updates in place"):
        srcad.grad(f_iter_list, wrt=1)([0.5, 1.5], 0.3)

"""What models27 accepts, checked numerically, and the neighbours that must stay refused.

1. ``self.layers = [Affine(*p) for p in params]`` inside a class's ``__init__``
   (lower/starcomp.py rewrites the ``__init__``'s comprehensions as it does the function's; the
   check of the items' lengths runs before the object is built);"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad

EPS = 1e-6


def _fd_leaves(f, args, pos, eps=EPS):
    """Central differences of f(*args) w.r.t. each float array reached in args[pos] (lists,
    tuples, dicts; in the order `_leaves` lists them)."""
    out = []
    for path in _paths(args[pos]):
        arr = _get(args[pos], path)
        g = np.zeros(np.shape(arr))
        for k in range(np.size(arr)):
            vals = []
            for s in (eps, -eps):
                a = copy.deepcopy(list(args))
                _get(a[pos], path).flat[k] += s
                vals.append(f(*a))
            g.flat[k] = (vals[0] - vals[1]) / (2 * eps)
        out.append(g)
    return out


def _paths(t, at=()):
    if isinstance(t, dict):
        return [p for k in t for p in _paths(t[k], at + (k,))]
    if isinstance(t, (list, tuple)):
        return [p for k, v in enumerate(t) for p in _paths(v, at + (k,))]
    return [at]


def _get(t, path):
    for k in path:
        t = t[k]
    return t


def _leaves(t):
    return [_get(t, p) for p in _paths(t)]


def _close(got, want, rtol=1e-5, atol=1e-8):
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def _check_all(f, args, wrt, hess_wrt=None):
    """value, grad vs central differences, jvp vs grad (dot product), hessian vs differences of
    the gradient (`hess_wrt`: an array argument)."""
    v, g = srcad.value_and_grad(f, wrt=wrt)(*copy.deepcopy(args))
    assert v == pytest.approx(f(*copy.deepcopy(args)), rel=1e-12)
    g = g if isinstance(wrt, tuple) else (g,)
    ws = wrt if isinstance(wrt, tuple) else (wrt,)
    for gi, i in zip(g, ws):
        _close(_leaves(gi), _fd_leaves(f, args, i))
    rng = np.random.default_rng(7)
    tang = [
        _tree_like(a, rng) if i in ws else _tree_like(a, None) for i, a in enumerate(args)
    ]  # fmt: skip
    _, t = srcad.jvp(f, tuple(copy.deepcopy(args)), tuple(tang))
    dot = sum(np.sum(a * b) for gi, i in zip(g, ws) for a, b in zip(_leaves(gi), _leaves(tang[i])))
    assert t == pytest.approx(dot, rel=1e-9, abs=1e-12)
    if hess_wrt is not None:
        h = srcad.hessian(f, wrt=hess_wrt)(*copy.deepcopy(args))
        x = args[hess_wrt]
        rows = []
        for e in np.eye(x.size) * 1e-5:
            a, b = copy.deepcopy(list(args)), copy.deepcopy(list(args))
            a[hess_wrt] = x + e.reshape(x.shape)
            b[hess_wrt] = x - e.reshape(x.shape)
            ga = srcad.grad(f, wrt=hess_wrt)(*a)
            gb = srcad.grad(f, wrt=hess_wrt)(*b)
            rows.append((ga - gb) / 2e-5)
        np.testing.assert_allclose(np.asarray(h).reshape(x.size, x.size), np.array(rows),
                                   rtol=1e-5, atol=1e-7)  # fmt: skip


def _tree_like(t, rng):
    if isinstance(t, dict):
        return {k: _tree_like(v, rng) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(_tree_like(v, rng) for v in t)
    if isinstance(t, np.ndarray):
        return rng.normal(size=t.shape) if rng is not None else np.zeros(t.shape)
    return 0.0 if rng is None else float(rng.normal())


X2 = np.array([0.3, 0.4])
PARAMS = [(np.eye(2) * 0.5, np.array([0.1, 0.2])), (np.ones((2, 2)) * 0.3, np.array([0.0, 0.3]))]


# -- 1. `self.layers = [Affine(*p) for p in params]` in `__init__` ---------------------------
class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class StarNet:
    def __init__(self, params):
        self.layers = [Affine(*p) for p in params]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_net(params, x):
    n = StarNet(params)
    return np.sum(n(x) ** 2)


class AffineDefault:
    def __init__(self, W, b=0.0):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class StarNetDefault:
    def __init__(self, params):
        self.layers = [AffineDefault(*p) for p in params]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_net_default(params, x):
    return np.sum(StarNetDefault(params)(x))


def test_starred_comprehension_in_init():
    _check_all(star_net, (PARAMS, X2), (0, 1), hess_wrt=1)


def test_starred_comprehension_in_init_checks_the_items():
    bad = PARAMS + [(np.eye(2), np.ones(2), 3.0)]
    with pytest.raises(TypeError):
        star_net(bad, X2)  # Python
    with pytest.raises(srcad.SrcadError, match="does not fill the 2 parameters"):
        srcad.grad(star_net, wrt=(0, 1))(bad, X2)


def test_starred_comprehension_in_init_neighbours_stay_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(star_net_default, wrt=(0, 1))(PARAMS, X2)

"""In-place updates users write in training loops and simulations (session 12, mut12): the SGD
step over a list of parameters (``for p, g in zip(params, grads): p -= lr * g``), ``for W in
layers: W *= 0.5``. Values and derivatives (forward, reverse, order 2) against Python and
finite differences; where the rewrite would not be Python's, a refusal."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X = np.array([0.7, -1.2, 0.4, 1.1])


def _init(x):
    return [x[:2] * 1.0, x[2:4] * 1.0]


def _sgd_zip(x):
    params = [x[:2] * 1.0, x[2:4] * 1.0]
    grads = [2 * p for p in params]
    for p, g in zip(params, grads):
        p -= 0.1 * g
    return sum(np.sum(p**3) for p in params)


def _sgd_zip_helper(x):
    params = _init(x)
    grads = [np.sin(p) for p in params]
    for p, g in zip(params, grads):
        p -= 0.1 * g
    return sum(np.sum(p**3) for p in params)


def _layers_scale(x):
    layers = [x[:2] * 1.0, np.outer(x[2:4], x[:2])]
    for w in layers:
        w *= 0.5 * x[0]
    return sum(np.sum(w**3) for w in layers)


def _unrolled(x):  # an unrolled inner loop of a meta-learning step
    params = [x[:2] * 1.0, x[2:4] * 1.0]
    for _ in range(3):
        grads = [2 * p + np.sin(p) * np.sum(q) for p, q in zip(params, params)]
        for p, g in zip(params, grads):
            p -= 0.1 * g
    return sum(np.sum(p**2) for p in params)


def _zip_shorter(x):
    params = [x[:2] * 1.0, x[2:] * 1.0]
    grads = [np.sin(x[:2])]
    for p, g in zip(params, grads):
        p -= 0.1 * g
    return np.sum(params[0] ** 2) + np.sum(params[1] ** 3)


def _both_updated(x):
    params = [x[:2] * 1.0, x[2:] * 1.0]
    grads = [np.sin(q) for q in params]
    for p, g in zip(params, grads):
        p -= 0.1 * g
        g *= 0.5
    return np.sum(params[0] ** 2) + np.sum(grads[1] + 1.0) * np.sum(params[1])


def _zero_d(x):
    params = [np.array(x[0] * 1.0), np.array(x[1] * 2.0)]
    for p in params:
        p *= x[2]
    return params[0] * params[1]


def _fd_grad(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(len(x))])


SGD = [_sgd_zip, _sgd_zip_helper, _layers_scale, _unrolled, _zip_shorter, _both_updated, _zero_d]


@pytest.mark.parametrize("f", SGD, ids=lambda f: f.__name__)
def test_sgd_step_over_a_list_of_arrays(f) -> None:
    want = _fd_grad(f, X)
    assert np.isclose(srcad.primal(f)(X), f(X), rtol=1e-12)
    assert np.allclose(srcad.grad(f)(X), want, rtol=1e-5, atol=1e-7)
    v = np.array([0.3, -0.5, 0.2, 0.9])
    _, dy = srcad.jvp(f, (X,), (v,))
    assert np.isclose(dy, want @ v, rtol=1e-5, atol=1e-7)
    h = srcad.hessian(f)(X)
    hfd = np.array(
        [(_fd_grad(f, X + 1e-4 * e) - _fd_grad(f, X - 1e-4 * e)) / 2e-4 for e in np.eye(4)]
    )
    assert np.allclose(h, hfd, rtol=1e-3, atol=1e-4)


def _floats(x):  # `p -= v` rebinds a number: the list is unchanged
    params = [x[0] * 1.0, x[1] * 1.0]
    for p in params:
        p -= 0.1
    return params[0] * params[1]


def _tuple_of_arrays(x):
    params = (x[:2] * 1.0, x[2:] * 1.0)
    for p in params:
        p -= 0.1 * p
    return np.sum(params[0] ** 2)


def _zip_dict(x):
    params = [x[:2] * 1.0, x[2:] * 1.0]
    grads = {0: x[:2], 1: x[2:]}
    for p, g in zip(params, grads):
        p -= 0.1 * g
    return np.sum(params[0] ** 2)


@pytest.mark.parametrize("f", [_floats, _tuple_of_arrays, _zip_dict], ids=lambda f: f.__name__)
def test_rewrite_refused_at_run_time_where_not_pythons(f) -> None:
    with pytest.raises(srcad.SrcadError, match="for` loop"):
        srcad.grad(f)(X)


def _shared(x):
    a = x[:2] * 1.0
    params = [a, a]
    for p in params:
        p -= 0.1 * p
    return np.sum(params[0] * params[1]) + np.sum(a)


def _held_outside(x):
    w = x[:2] * 1.0
    params = [w, x[2:] * 1.0]
    for p in params:
        p *= 2.0
    return np.sum(w**2) + np.sum(params[1])


def _views_of_the_argument(x):
    params = [x[:2], x[2:]]
    for p in params:
        p -= 0.1 * p
    return np.sum(params[0] ** 2) + np.sum(x)


def _zip_self_read(x):
    params = [x[:2] * 1.0, x[2:] * 1.0]
    s = 0.0
    for p, g in zip(params, params):
        p -= 0.1 * g
        s = s + np.sum(g**2)
    return np.sum(params[0] ** 2) + s


def _last_item_read_after(x):
    params = [x[:2] * 1.0, x[2:] * 1.0]
    for p in params:
        p -= 0.5 * p
    return np.sum(p) + np.sum(params[0])


@pytest.mark.parametrize(
    "f",
    [_shared, _held_outside, _views_of_the_argument, _zip_self_read, _last_item_read_after],
    ids=lambda f: f.__name__,
)
def test_aliased_items_still_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X)

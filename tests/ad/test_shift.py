"""Shift invariance (srcad/ad/shift.py): the stabilising max of log-sum-exp/softmax carries no
cotangent when the output provably does not depend on it, and keeps its rule when it might."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


def lse_keep(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=1, keepdims=True)) + m)


def lse_drop(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=1)) + m[:, 0])


def log_softmax_scalar(a):
    am = np.max(a)
    return np.sum(np.sin(a - am - np.log(np.sum(np.exp(a - am)))))


def softmax_dot(x, w):
    e = np.exp(x - x.max(axis=0, keepdims=True))
    return np.sum(w * (e / np.sum(e, axis=0, keepdims=True)))


def mixed_weights(a):
    am = np.max(a)
    return np.log(np.sum(np.exp(a - am) * np.arange(1.0, 4.0))) + am


# the max matters (or srcad cannot tell): its rule must stay
def shift_escapes(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=1, keepdims=True)) + 2.0 * m)


def other_axis(x):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(x - m), axis=0, keepdims=True)) + m)


def other_operand(x, y):
    m = np.max(x, axis=1, keepdims=True)
    return np.sum(np.log(np.sum(np.exp(y - m), axis=1, keepdims=True)) + m)


def shifted_returned(x):
    m = np.max(x)
    s = x - m
    return np.sum(s * s) + np.log(np.sum(np.exp(s))) + m


def in_branch(x):
    m = np.max(x)
    if x[0] > 0:
        m = m + 1.0
    return np.log(np.sum(np.exp(x - m))) + m


X = np.array([[0.3, -1.2, 2.0, 0.7], [1.5, 1.5, -0.4, 0.1], [-2.0, 0.5, 0.5, 0.4]])


def _lse_rows_grad(x):
    e = np.exp(x - x.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize("f", [lse_keep, lse_drop])
def test_logsumexp_rows(f):
    g = srcad.grad(f)(X)
    np.testing.assert_allclose(g, _lse_rows_grad(X), rtol=1e-14, atol=1e-15)
    # tied maxima in row 1 (1.5, 1.5): each gets its softmax weight, not a share of the max's
    assert g[1, 0] == g[1, 1]
    assert "ext_weights" not in srcad.source(srcad.grad(f))
    check_grads(f, (X,), modes=("fwd", "rev"))


def test_log_softmax_and_softmax():
    a = np.array([0.2, -0.7, 1.1])
    ls = a - a.max() - np.log(np.sum(np.exp(a - a.max())))
    p = np.exp(ls)
    c = np.cos(ls)
    want = c - p * np.sum(c)  # d sum(sin(log_softmax(a)))
    np.testing.assert_allclose(srcad.grad(log_softmax_scalar)(a), want, rtol=1e-14)
    w = np.array([[1.0, -2.0], [0.5, 3.0], [-1.0, 0.25]])
    x = np.array([[0.1, 2.0], [0.4, -1.0], [0.4, 0.3]])
    e = np.exp(x - x.max(axis=0))
    s = e / e.sum(axis=0)
    want_x = s * (w - np.sum(w * s, axis=0))
    gx, gw = srcad.grad(softmax_dot, wrt=(0, 1))(x, w)
    np.testing.assert_allclose(gx, want_x, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(gw, s, rtol=1e-15)
    for f, args in ((log_softmax_scalar, (a,)), (softmax_dot, (x, w)), (mixed_weights, (a,))):
        assert "ext_weights" not in srcad.source(srcad.grad(f)), f.__name__
        check_grads(f, args, modes=("fwd", "rev"))
    want = np.exp(a) * np.arange(1.0, 4.0) / np.sum(np.exp(a) * np.arange(1.0, 4.0))
    np.testing.assert_allclose(srcad.grad(mixed_weights)(a), want, rtol=1e-14)


@pytest.mark.parametrize("f", [shift_escapes, other_axis, shifted_returned, in_branch])
def test_max_that_matters_keeps_its_rule(f):
    x = X if f in (shift_escapes, other_axis) else X[0]
    assert "ext_weights" in srcad.source(srcad.grad(f)), f.__name__
    check_grads(f, (x,), modes=("fwd", "rev"))


def test_max_that_matters_exact_numbers():
    # d/dx of sum(lse_rows(x)) + sum(max rows): softmax plus the argmax indicator
    g = srcad.grad(shift_escapes)(X)
    want = _lse_rows_grad(X) + np.array([[0, 0, 1, 0], [0.5, 0.5, 0, 0], [0, 0.5, 0.5, 0]])
    np.testing.assert_allclose(g, want, rtol=1e-14, atol=1e-15)
    x0 = X[0]
    s = x0 - x0.max()
    p = np.exp(s) / np.sum(np.exp(s))
    want = 2 * s - np.sum(2 * s) * np.array([0, 0, 1.0, 0]) + p
    np.testing.assert_allclose(srcad.grad(shifted_returned)(x0), want, rtol=1e-14, atol=1e-15)


def test_other_operand_shape_is_not_guessed():
    y = np.array([[0.3, -1.2, 2.0, 0.7]])  # (1, 4): broadcast against m of shape (3, 1)
    gx, gy = srcad.grad(other_operand, wrt=(0, 1))(X, y)
    assert "ext_weights" in srcad.source(srcad.grad(other_operand, wrt=(0, 1)))
    eps = 1e-6
    fd = np.zeros_like(X)
    for idx in np.ndindex(X.shape):
        d = np.zeros_like(X)
        d[idx] = eps
        fd[idx] = (other_operand(X + d, y) - other_operand(X - d, y)) / (2 * eps)
    np.testing.assert_allclose(gx, fd, rtol=1e-6, atol=1e-8)
    check_grads(other_operand, (X, y), modes=("fwd", "rev"))
    assert math.isfinite(float(np.sum(gy)))

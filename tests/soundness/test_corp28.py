"""Programs the corp28 corpus (ported_corp28_*) reached (session 28).

1. ML-From-Scratch's ``polynomial_features``: ``X[:, index_combs]`` with ``index_combs`` a tuple
   from ``combinations_with_replacement`` (``(0, 0)``, ``(1, 2)``). NumPy reads a tuple inside
   an index tuple as an integer index array, so ``X[:, (0, 0)]`` reads column 0 twice; the
   reverse rule took it for a basic index and wrote the cotangent with ``z[idx] = g``: the
   second read's share was dropped, a silently wrong gradient (forward mode was right). Such
   entries are index arrays now (rules/indexing._advanced_part): repeats accumulate in
   ``getitem_vjp`` / ``add_at`` and only the last write keeps its cotangent in ``x[:, (0, 0)] =
   v`` (``last_writes``).
2. numpy-ml's ``pi, sqrt, tanh = np.pi, np.sqrt, np.tanh`` then ``tanh(z)`` was refused ("cannot
   differentiate through `tanh`"): the display became one run-time tuple unpacked again, the
   function a run-time object. Names bound from a display of names and attributes are bound
   part by part now (lower/namepairs.py), each function still known.
3. scikit-learn's ``log_loss`` calls ``np.average(loss, weights=sample_weight)`` with the
   default None: srcad.hessian crashed (``int(None)`` in rules/statistics._average_axes) in the
   second-order rules of np.average's helpers, which used the weights unconditionally.
4. The same metric's multiclass ``hinge_loss`` reads ``margin = pred_decision[~mask]`` (a mask
   made by ``np.ones_like(..., dtype=bool)``) and updates it with ``-=``: refused as an in-place
   update of the argument, though a boolean-mask read is a copy (passes/alias_index._advanced).
5. CS231n's ``batchnorm_forward(x, gamma, beta, {"mode": "train"})``: a helper updating a dict
   display given at the call was refused; it is inlined now, as for a named dict.
"""

from __future__ import annotations

from itertools import combinations_with_replacement

import numpy as np
import pytest

import srcad

X = np.array([[0.5, -1.2, 0.3], [0.8, 0.4, -0.6]])
V = np.arange(6.0).reshape(2, 3) * 0.1 + 0.2


def _fd(f, x, v, eps=1e-6):
    return (f(x + eps * v) - f(x - eps * v)) / (2 * eps)


def repeated_column(X):
    return np.sum(np.prod(X[:, (0, 0)], axis=1))


def repeated_pair(X):
    idx = (1, 1)
    return np.sum(X[:, idx] * X[:, 0:2])


def poly_features(X):
    n = X.shape[1]
    combs = [c for d in range(3) for c in combinations_with_replacement(range(n), d)]
    out = np.empty((X.shape[0], len(combs)))
    for i, c in enumerate(combs):
        out[:, i] = np.prod(X[:, c], axis=1)
    return np.sum(out * np.arange(out.size).reshape(out.shape))


def repeated_write(X):
    y = np.zeros((2, 2))
    y[:, (0, 0)] = X[:, :2]  # the last write of column 0 wins
    return np.sum(y * np.array([[1.0, 2.0], [3.0, 4.0]]))


@pytest.mark.parametrize("f", [repeated_column, repeated_pair, poly_features, repeated_write])
def test_tuple_index_arrays_accumulate(f):
    g = srcad.grad(f)(X)
    assert np.isclose(np.sum(g * V), _fd(f, X, V), rtol=1e-7, atol=1e-8)
    _, t = srcad.jvp(f, (X,), (V,))
    assert np.isclose(t, _fd(f, X, V), rtol=1e-7, atol=1e-8)
    H = srcad.hessian(f)(X)
    Hv = np.tensordot(H, V, axes=2)
    fd = (srcad.grad(f)(X + 1e-5 * V) - srcad.grad(f)(X - 1e-5 * V)) / 2e-5
    np.testing.assert_allclose(Hv, fd, rtol=1e-6, atol=1e-7)


def gelu(z):
    pi, sqrt, tanh = np.pi, np.sqrt, np.tanh
    return np.sum(0.5 * z * (1 + tanh(sqrt(2 / pi) * (z + 0.044715 * z**3))))


def softplus(z):
    exp, log = np.exp, np.log
    return np.sum(log(1 + exp(z)))


def swap(z):
    a, b = z[0], z[1]
    a, b = b, a * b
    return a * b


@pytest.mark.parametrize("f", [gelu, softplus, swap])
def test_names_bound_from_a_display(f):
    z = np.array([0.3, -0.5, 1.1])
    v = np.array([0.7, 0.2, -0.4])
    g = srcad.grad(f)(z)
    assert np.isclose(g @ v, _fd(f, z, v), rtol=1e-7, atol=1e-9)
    assert np.isclose(srcad.jvp(f, (z,), (v,))[1], _fd(f, z, v), rtol=1e-7, atol=1e-9)


def _average(z, sample_weight=None):
    return np.average(z**2, weights=sample_weight)


def average_default_weights(z):
    """sklearn's log_loss: ``np.average(loss, weights=sample_weight)``, None by default."""
    return _average(z) + _average(z, np.array([1.0, 2.0, 3.0]))


def test_average_weights_none_at_second_order():
    """A callee's ``weights=None`` default is None only at run time: no term in the jvp of
    average_vjp_a, no cotangent for the weights in its vjp (reverse over reverse)."""
    z = np.array([0.3, -0.5, 0.8])
    H = srcad.hessian(average_default_weights)(z)
    np.testing.assert_allclose(H, np.diag([1.0, 2 / 3 + 4 / 6, 2 / 3 + 6 / 6]), rtol=1e-12)
    Hr = srcad.jacrev(srcad.grad(average_default_weights))(z)
    np.testing.assert_allclose(Hr, H, rtol=1e-12)


LAB = np.array([0, 2, 1, 1])


def multiclass_hinge(pred_decision):
    """sklearn.metrics.hinge_loss's multiclass margin: a boolean mask made by ``np.ones_like``
    and updated by index, the true class's entries read through ``~mask`` and updated in place."""
    mask = np.ones_like(pred_decision, dtype=bool)
    mask[np.arange(LAB.shape[0]), LAB] = False
    margin = pred_decision[~mask]
    margin -= np.max(pred_decision[mask].reshape(LAB.shape[0], -1), axis=1)
    losses = 1 - margin
    np.clip(losses, 0, None, out=losses)
    return np.average(losses)


def test_mask_like_an_array_indexes_a_copy():
    """4. ``x[~mask]`` with ``mask = np.ones_like(x, dtype=bool)`` (then ``mask[i, y] = False``)
    is a copy, so ``margin -= ...`` does not touch the argument; it was refused ("the argument
    is updated with `op=` in place"). An array made ``*_like`` a float array of rank >= 1, and a
    ``setitem`` of an index array, count as index arrays now (passes/alias_index._advanced)."""
    P = np.array([[0.2, -0.4, 1.1], [0.5, 0.3, -0.2], [-0.7, 0.9, 0.4], [0.1, 0.6, 0.35]])
    v = np.random.default_rng(3).standard_normal(P.shape)
    g = srcad.grad(multiclass_hinge)(P)
    assert np.isclose(np.sum(g * v), _fd(multiclass_hinge, P, v), rtol=1e-6, atol=1e-9)
    assert np.isclose(srcad.jvp(multiclass_hinge, (P,), (v,))[1], np.sum(g * v), rtol=1e-12)


def still_a_view(x):
    m = np.ones_like(x[0])  # of a 1-D x: a 0-d array, not an index array
    s = x[1:3]  # a view: the update below changes x
    s -= m
    return np.sum(x * x)


def test_a_slice_stays_a_view():
    x = np.array([1.0, 2.0, 3.0])
    g = srcad.grad(still_a_view)(x.copy())
    np.testing.assert_allclose(g, 2 * (x - np.array([0.0, 1.0, 1.0])))


def batchnorm_forward(x, gamma, bn_param):
    """CS231n's batchnorm_forward: running averages read with ``.get`` and stored back into the
    ``bn_param`` dict the caller passed."""
    eps = bn_param.get("eps", 1e-5)
    running_mean = bn_param.get("running_mean", np.zeros(x.shape[1]))
    running_var = bn_param.get("running_var", np.zeros(x.shape[1]))
    if bn_param["mode"] == "train":
        mu, var = x.mean(axis=0), x.var(axis=0)
        out = gamma * (x - mu) / np.sqrt(var + eps)
        running_mean = 0.9 * running_mean + 0.1 * mu
        running_var = 0.9 * running_var + 0.1 * var
    else:
        out = gamma * (x - running_mean) / np.sqrt(running_var + eps)
    bn_param["running_mean"] = running_mean
    bn_param["running_var"] = running_var
    return out


def bn_literal(x):
    return np.sum(batchnorm_forward(x, 1.5, {"mode": "train"}) ** 3)


def bn_named_then_test(x):
    p = {"mode": "train"}
    a = batchnorm_forward(x, 1.5, p)
    p["mode"] = "test"
    return np.sum(a**3) + np.sum(batchnorm_forward(x * 0.5, 1.5, p) ** 2)


@pytest.mark.parametrize("f", [bn_literal, bn_named_then_test])
def test_a_dict_display_updated_by_a_helper(f):
    """5. ``batchnorm_forward(x, gamma, {"mode": "train"})`` (CS231n's spatial batchnorm): a
    helper updating a dict given as a display was not inlined (only plain names were), and the
    helper alone was refused (``running_var`` read after the dict it came from was modified).
    A display made for the call is inlined now, its updates written back to no name
    (lower/argwrites._displays)."""
    x = np.array([[0.5, -1.2], [0.8, 0.4], [-0.3, 1.1]])
    v = np.array([[0.3, 0.1], [-0.2, 0.5], [0.4, -0.6]])
    g = srcad.grad(f)(x)
    assert np.isclose(np.sum(g * v), _fd(f, x, v), rtol=1e-6, atol=1e-9)
    assert np.isclose(srcad.jvp(f, (x,), (v,))[1], np.sum(g * v), rtol=1e-10)

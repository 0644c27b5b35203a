"""Session 52, hunt52a: regressions found by user-style ML, statistics, signal and control
programs (tests/corpus/ported_corp52_a*.py)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

_E = np.array([[0.3, -0.2, 0.5], [0.1, 0.7, -0.4], [0.2, 0.0, 0.6], [-0.3, 0.4, 0.1]])
_TR = np.array([[0.1, -0.3, 0.2], [0.4, 0.0, -0.1], [-0.2, 0.3, 0.5]])
_V = np.cos(np.arange(12.0)).reshape(4, 3)
_TAGS = [0, 2, 2, 1]


# -- a derivative called inside differentiated code, of a function indexing an array by a list of
# ints: ``score = emit[0, tags[0]]; score += ...`` rebinds a number (a CRF's gold path score)
def crf_nll(emit, trans, tags):
    score = emit[0, tags[0]]
    for t in range(1, len(tags)):
        score += trans[tags[t - 1], tags[t]] + emit[t, tags[t]]
    alpha = emit[0].copy()
    for t in range(1, emit.shape[0]):
        m = alpha[:, None] + trans
        alpha = np.log(np.sum(np.exp(m), axis=0)) + emit[t]
    return np.log(np.sum(np.exp(alpha))) - score


def along_jvp(emit, trans, tags):
    return srcad.jvp(crf_nll, (emit, trans, tags), (_V, None, None))[1]


def along_grad(emit, trans, tags):
    return np.sum(srcad.grad(crf_nll)(emit, trans, tags) * _V)


def along_value_and_grad(emit, trans, tags):
    v, g = srcad.value_and_grad(crf_nll)(emit, trans, tags)
    return v + np.sum(g * _V)


def along_hvp(emit, trans, tags):
    return np.sum(srcad.hvp(crf_nll, (emit, trans, tags), (_V, None, None))[1] * _V)


def _fd(f, x, *rest, eps=1e-6):
    out = np.zeros(x.size)
    for i, e in enumerate(np.eye(x.size)):
        d = e.reshape(x.shape) * eps
        out[i] = (f(x + d, *rest) - f(x - d, *rest)) / (2 * eps)
    return out.reshape(x.shape)


@pytest.mark.parametrize("f", [along_jvp, along_grad, along_value_and_grad, along_hvp])
@pytest.mark.parametrize("tags", [_TAGS, tuple(_TAGS)])
def test_derivative_inside_of_a_list_indexed_update(f, tags) -> None:
    # refused before ("the argument `emit` is updated with `op=` in place"): the level made for
    # the inner call did not know `tags` holds ints, as srcad.jvp called with the list does
    g = srcad.grad(f)(_E.copy(), _TR, tags)
    np.testing.assert_allclose(g, _fd(f, _E, _TR, tags), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(srcad.primal(f)(_E.copy(), _TR, tags), f(_E.copy(), _TR, tags))
    _view_update_refused()  # (not every list: one holding a slice makes a view)


def _view_update(emit, idx):
    s = emit[0, idx[0]]
    s += emit[1, idx[1]]
    return np.sum(s * s) + np.sum(emit**2)


def _inside_view(emit, idx):
    return srcad.jvp(_view_update, (emit, idx), (_V[:2], None))[1]


def _view_update_refused() -> None:
    # a slice in the list: ``s`` is a view of `emit`, ``s +=`` updates the caller's array
    with pytest.raises(srcad.SrcadError, match="updated with `op=` in place"):
        srcad.grad(_inside_view)(_E[:2].copy(), [slice(0, 2), 1])


# -- a helper indexing an array by a dict of numbers its caller made: ``s = x[cfg["i"]]; s *= ..``
# rebinds a number (as srcad.grad(helper) called with the dict checks it)
def _pick_scaled(x, cfg):
    s = x[cfg["i"]]
    s *= cfg["scale"]
    return s**2 + np.sum(np.sin(x))


def dict_display(x):
    return _pick_scaled(x, {"i": 1, "scale": 2.0})


def dict_call(x):
    cfg = dict(i=2, scale=0.5)
    return _pick_scaled(x, cfg) * x[0]


def dict_param(x, cfg):
    return _pick_scaled(x, cfg)


def dict_inside(x):
    return np.sum(srcad.grad(_pick_scaled)(x, {"i": 1, "scale": 2.0}) ** 2)


_X = np.array([0.5, -0.3, 0.8, 0.2])


@pytest.mark.parametrize("f", [dict_display, dict_call, dict_param, dict_inside])
def test_helper_update_of_an_item_picked_by_a_dict_of_numbers(f) -> None:
    # refused before ("`_pick_scaled` modifies its argument `x` in place"; inside: "the argument
    # `x` is updated with `op=` in place"): a dict display's items were not known to be numbers
    rest = ({"i": 1, "scale": 2.0},) if f is dict_param else ()
    g = srcad.grad(f)(_X.copy(), *rest)
    np.testing.assert_allclose(g, _fd(f, _X, *rest), rtol=1e-5, atol=1e-6)
    v = np.cos(np.arange(4.0))
    _, t = srcad.jvp(f, (_X.copy(), *rest), (v, *[None] * len(rest)))
    np.testing.assert_allclose(t, g @ v, rtol=1e-10)
    _dict_view_refused()  # (not every dict: one holding a slice makes a view)
    if f is dict_inside:
        return
    _, hv = srcad.hvp(f, (_X.copy(), *rest), (v, *[None] * len(rest)))
    grad = srcad.grad(f)
    eps = 1e-5
    want = (grad(_X + eps * v, *rest) - grad(_X - eps * v, *rest)) / (2 * eps)
    np.testing.assert_allclose(hv, want, rtol=1e-5, atol=1e-6)


def _pick_view(x, cfg):
    s = x[cfg["rows"]]
    s *= cfg["scale"]
    return np.sum(s**2) + np.sum(x**2)


def dict_of_slice(x):
    return _pick_view(x, {"rows": slice(0, 2), "scale": 2.0})


def _dict_view_refused() -> None:
    # ``x[slice]`` is a view: ``s *= ..`` updates the caller's array
    with pytest.raises(srcad.SrcadError, match="modifies its argument `x` in place"):
        srcad.grad(dict_of_slice)(_X.copy())


# -- module-global lists and dicts of numbers (hyper-parameters, feature indices) read by the
# differentiated function: ``b = w[CFG["idx"]]; b -= ...`` rebinds a number
FEATURES = [0, 2]
CFG = {"lr": 0.1, "steps": 3, "idx": 1}
IDXS = [1, 2]


def first_features(w):
    total = w[FEATURES[0]]
    for j in FEATURES[1:]:
        total += w[j]
    return total**2 + np.sum(np.cos(w))


def tuned_scalar(w):
    b = w[CFG["idx"]]
    for _ in range(CFG["steps"]):
        b -= CFG["lr"] * 2 * b
    return b**2 + np.sum(w**3)


@pytest.mark.parametrize("f", [first_features, tuned_scalar])
def test_global_list_or_dict_of_numbers_indexing(f) -> None:
    # refused before ("the argument `w` is updated with `op=` in place")
    w = np.array([0.5, -0.3, 0.8, 0.2])
    np.testing.assert_allclose(srcad.grad(f)(w.copy()), _fd(f, w), rtol=1e-5, atol=1e-6)
    v = np.cos(np.arange(4.0))
    _, hv = srcad.hvp(f, (w.copy(),), (v,))
    grad = srcad.grad(f)
    want = (grad(w + 1e-5 * v) - grad(w - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(hv, want, rtol=1e-5, atol=1e-6)
    _global_item_changed_refused()


def _pick_first(x, idx):
    s = x[idx[0]]
    s *= 2.0
    return np.sum(s**2) + np.sum(x**2)


def _store_slice():
    IDXS[0] = slice(0, 2)


def write_then_pass(x):
    IDXS[0] = slice(0, 2)
    return _pick_first(x, IDXS)


def helper_writes_then_pass(x):
    _store_slice()
    return _pick_first(x, IDXS)


def insert_then_pass(x):
    IDXS.insert(0, slice(0, 2))
    return _pick_first(x, IDXS)


def write_then_read(x):
    IDXS[0] = slice(0, 2)
    s = x[IDXS[0]]
    s *= 2.0
    return np.sum(s**2) + np.sum(x**2)


def _global_item_changed_refused() -> None:
    # a global list of ints the code itself (or a helper it calls) changes before the read: the
    # items are not numbers there, ``s`` is a view of `x` and ``s *= 2`` updates it.
    # WRONG on c1c20ca4 for the first three (gradient [5, -3, 1.6, 0.4], Python's [8, -4.8,
    # 1.6, 0.4]: the caller's global list passed to the helper was taken for numbers)
    x = np.array([0.5, -0.3, 0.8, 0.2])
    for f in (write_then_pass, helper_writes_then_pass, insert_then_pass, write_then_read):
        IDXS[:] = [1, 2]
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(x.copy())
    IDXS[:] = [1, 2]

"""Soundness fixes of session 32's hunt32a: ML code as people write it in NumPy (unrolled inner
training loops over parameter dicts, attention, losses, convnets).
Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

R = np.random.default_rng(32)
XS, YS = R.standard_normal((6, 3)), R.standard_normal(6)
XQ, YQ = R.standard_normal((4, 3)), R.standard_normal(4)
TH = R.standard_normal(20) * 0.5


# -- `g = grads(params)` then `for k in g: g[k] = ...`: iterating a dict a call returned ----------
# the loop's keys were taken for the dict's values, so rebinding `g[k]` made the next key "stale"
# and gradient clipping over a dict of gradients was refused (a spurious refusal)


def _grads(p, x, y):
    h = np.tanh(x @ p["W1"] + p["b1"])
    d = 2 * (h @ p["W2"] - y) / len(y)
    dh = np.outer(d, p["W2"]) * (1 - h**2)
    return {"W1": x.T @ dh, "b1": dh.sum(0), "W2": h.T @ d}


def _loss(p, x, y):
    return np.mean((np.tanh(x @ p["W1"] + p["b1"]) @ p["W2"] - y) ** 2)


def clip_then_step(theta):
    params = {"W1": theta[:12].reshape(3, 4).copy(), "b1": theta[12:16].copy(), "W2": theta[16:]}
    mom = {k: np.zeros_like(v) for k, v in params.items()}
    for _ in range(3):
        g = _grads(params, XS, YS)
        total = 0.0
        for k in g:
            total += np.sum(g[k] ** 2)
        norm = np.sqrt(total)
        if norm > 0.5:
            for k in g:
                g[k] = g[k] * (0.5 / norm)
        for k in params:
            mom[k] = 0.9 * mom[k] + g[k]
            params[k] = params[k] - 0.1 * mom[k]
    return _loss(params, XQ, YQ)


def _scaled(a, b):
    return {"a": a * 2.0, "b": b + 1.0}


def halve_returned_dict(x):
    g = _scaled(x[:2], x[2:])
    for k in g:
        g[k] = g[k] * 0.5
    return np.sum(g["a"] * g["b"])


@pytest.mark.parametrize("f, x", [(clip_then_step, TH), (halve_returned_dict, TH[:4])])
def test_rebinding_items_of_a_returned_dict(f, x):
    check_scalar(f, x.copy())


def bump_returned_dict(x):
    g = _scaled(x[:2], x[2:])
    a = g["a"]
    for k in g:
        g[k] += 1.0  # updates the array `a` names too
    return np.sum(a * g["b"])


def test_updating_items_of_a_returned_dict_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(bump_returned_dict)(TH[:4].copy())


# -- `for p, g in zip(params, [g["W1"], g["b1"]]): p -= lr * g`: an iterable that is no name --------
# the SGD step over a list of parameters was rewritten as a loop over positions only when every
# iterable of the zip was a plain name; with a list display, `grads.values()`, `gs[::-1]` or
# `range(n)` beside `params` the update of `p` was lost to srcad and the read of `params`
# refused (a spurious refusal). Those iterables are now bound to names of their own first.


def sgd_zip_display(theta):
    params = [theta[:12].reshape(3, 4).copy(), theta[12:16].copy(), theta[16:20].copy()]
    for _ in range(2):
        g = _grads({"W1": params[0], "b1": params[1], "W2": params[2]}, XS, YS)
        for p, gg in zip(params, [g["W1"], g["b1"], g["W2"]]):
            p -= 0.1 * gg
    return _loss({"W1": params[0], "b1": params[1], "W2": params[2]}, XQ, YQ)


def sgd_zip_values(x):
    params = [x[:2].copy(), x[2:].copy()]
    grads = {"a": x[:2] ** 2, "b": np.sin(x[2:])}
    for p, g in zip(params, grads.values()):
        p -= 0.1 * g
    return np.sum(params[0] * params[1])


def momentum_zip_three(x):
    params = [x[:2].copy(), x[2:].copy()]
    moms = [np.zeros(2), np.zeros(2)]
    for _ in range(2):
        for p, m, g in zip(params, moms, [params[0] ** 2, params[1] * params[0]]):
            m *= 0.9
            m += g
            p -= 0.1 * m
    return np.sum(params[0] * params[1])


def scale_zip_range(x):
    params = [x[:2].copy(), x[2:].copy()]
    for p, i in zip(params, range(2)):
        p *= i + 1.5
    return np.sum(params[0] * params[1] ** 2)


@pytest.mark.parametrize(
    "f, x",
    [
        (sgd_zip_display, TH),
        (sgd_zip_values, TH[:4]),
        (momentum_zip_three, TH[:4]),
        (scale_zip_range, TH[:4]),
    ],
)
def test_zip_beside_an_expression_updates_the_list(f, x):
    check_scalar(f, x.copy())


def zip_sees_its_own_update(x):
    params = [x[:2].copy(), x[2:].copy()]
    for p, g in zip(params, [params[1], params[0]]):
        p -= 0.1 * g  # the second `g` is `params[0]`, updated in the first pass
    return np.sum(params[0] * params[1] ** 2)


def test_zip_of_the_updated_items_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(zip_sees_its_own_update)(TH[:4].copy())


# -- `params.update(new_params)`: dict.update with a dict (or pairs) that is no display ---------
# only `d.update({"k": v})` and `d.update(k=v)` were lowered; `d.update(other)` was refused
# ("the in-place method `.update()` is not supported"), and a dict rebound by `d | e` in a loop
# was no longer known to be a dict. It is now `d | dict(other)` (then the keywords' entries),
# the old object marked as updated, so another name or a container still holding it is refused.


def update_in_loop(x):
    p = {"a": x[:2], "b": x[2:]}
    for _ in range(3):
        g = {k: v * np.tanh(p["a"].sum()) for k, v in p.items()}
        new = {k: p[k] - 0.1 * g[k] for k in p}
        p.update(new)
    return np.sum(p["a"] * p["b"])


def update_pairs_and_keywords(x):
    p = {"a": x[:2], "b": x[2:]}
    p.update([("b", p["b"] * 2.0), ("c", np.sin(x[:2]))], a=p["a"] ** 2)
    vals = list(p.values())  # (keys in Python's order: a, b, c)
    return np.sum(vals[0] * vals[1]) + np.sum(vals[2] * 3.0)


@pytest.mark.parametrize("f", [update_in_loop, update_pairs_and_keywords])
def test_update_with_a_dict_value(f):
    check_scalar(f, TH[:4].copy())


def update_seen_by_holder(x):
    p = {"a": x[:2] * 1.0}
    holder = [p]
    q = {"a": x[:2] * 2.0}
    p.update(q)
    return np.sum(holder[0]["a"] ** 2)


def test_update_seen_through_another_name_is_refused():
    with pytest.raises(srcad.SrcadError, match="update"):
        srcad.grad(update_seen_by_holder)(TH[:4].copy())


# -- `for i, p in enumerate(params): params[i] = p - lr * g[i]` on a list ------------------------
# the loop over a list written into at the item's position was refused, either by the mutation
# check (a list display: the next item read from the "stale" list) or at run time ("a `for`
# loop over a `list` that its body updates in place", a helper's list). A body that only indexes
# the list at single positions or takes its len cannot change its length, so the loop over
# positions (what the list iterator does) is exact for a list too.


def _two(x):
    return [x[:2] * 1.0, x[2:] * 1.0]


def enumerate_step_helper_list(x):
    ps = _two(x)
    g = [p * np.tanh(p) for p in ps]
    for i, p in enumerate(ps):
        ps[i] = p - 0.1 * g[i]
    return np.sum(ps[0] * ps[1])


def enumerate_step_display(x):
    ps = [x[:2] * 1.0, x[2:] * 1.0, x[:2] * 3.0]
    for i, p in enumerate(ps):
        if i + 1 < len(ps):
            ps[i + 1] = ps[i + 1] + p**2  # read by the next round: Python's iterator sees it
    return np.sum(ps[2] * ps[1])


def enumerate_numbers(x):
    vs = [x[0] * 1.0, x[1] * 2.0, x[2] ** 2]
    for i, v in enumerate(vs):
        vs[i] = v * vs[i - 1]
    return vs[0] + vs[1] * vs[2]


@pytest.mark.parametrize(
    "f", [enumerate_step_helper_list, enumerate_step_display, enumerate_numbers]
)
def test_list_written_at_its_positions_while_iterated(f):
    check_scalar(f, TH[:4].copy())


def list_argument_first_item(xs, y):
    for v in xs:
        xs[0] = v * y
    return xs[0]


def test_list_argument_written_while_iterated():
    xs = [0.5, 1.5]
    val, g = srcad.value_and_grad(list_argument_first_item, wrt=1)(xs, 0.3)
    assert np.isclose(val, 0.45) and np.isclose(g, 1.5) and np.allclose(xs, [0.45, 1.5])


def enumerate_then_grow(x):
    ps = _two(x)
    for i, p in enumerate(ps):
        ps[i] = p * 2.0
        _grow(ps, i)
    return np.sum(ps[0] * ps[-1])


def _grow(ps, i):
    if i == 0:
        ps.append(ps[0] * 1.5)


def test_list_a_call_may_grow_stays_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(enumerate_then_grow)(TH[:4].copy())


# -- what `for k in g` of a returned dict must not cover: a view of it ----------------------------
# `g.values()` / `g.items()` are `g`'s object for the mutation check, but iterating them gives
# the values, which `g["b"] = ...` replaces while the loop runs (Python sees the new value).


def _made(x):
    return {"a": x[0] * 1.0, "b": x[1] * 1.0}


def keys_of_returned_written(x):
    g = _made(x)
    for k in g:
        g["b"] = g[k] * 2  # the second key reads the new "b"
    return g["b"] * x[2]


def values_of_returned_written(x):
    g = _made(x)
    for v in g.values():
        g["b"] = v * 2
    return g["b"] * x[2]


def items_of_made_written(x):
    d = {"a": x[0], "b": x[1]}
    for _k, v in d.items():
        d["b"] = v * 2
    return d["b"] * x[2]


def test_keys_of_a_returned_dict_written_while_iterated():
    check_scalar(keys_of_returned_written, TH[:3].copy())


@pytest.mark.parametrize("f", [values_of_returned_written, items_of_made_written])
def test_views_of_a_dict_written_while_iterated_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="is read after"):
        srcad.grad(f)(TH[:3].copy())

"""What lower/argitems.py's items mode (``params[k] -= v`` on a list/dict argument of arrays,
session 44) must still refuse or do as Python does: another name holding an item that the
update changes in place, items sharing memory with each other, another argument or a global,
an item that is itself a container, an integer item (NumPy's own error)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

R = np.random.default_rng(4405)
G = R.standard_normal(3)


def keep_item(params, x):
    w0 = params["w"]
    for k in params:
        params[k] -= 0.1 * params[k] * x
    return np.sum(w0)  # Python: the updated values (the same array)


def keep_item_list(ps, x):
    w0 = ps[0]
    for i in range(len(ps)):
        ps[i] -= 0.1 * ps[i] * x
    return np.sum(w0)


def keep_old(params, x):
    s = 0.0
    for k in params:
        old = params[k]
        params[k] -= 0.1 * x
        s = s + np.sum(old)
    return s


def sgd_list(ps, x):
    for i in range(len(ps)):
        ps[i] -= 0.1 * ps[i] * x
    return np.sum(ps[0] ** 2) + np.sum(ps[1])


def with_other(params, w, x):
    for k in params:
        params[k] -= x * w
    return np.sum(params["w"]) + np.sum(w)


def with_global(ps, x):
    for i in range(len(ps)):
        ps[i] -= 0.1 * x
    return np.sum(G) + np.sum(ps[0])


def nested(params, x):
    for k in params:
        params[k] += [x]
    return params["l"][0] * params["l"][-1]


@pytest.mark.parametrize("fn", [keep_item, keep_item_list, keep_old], ids=lambda f: f.__name__)
def test_item_held_by_another_name_refused(fn):
    args = ({"w": R.standard_normal(3), "b": R.standard_normal(2)}, 0.7)
    if fn is keep_item_list:
        args = (list(args[0].values()), 0.7)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(fn, argnums=1)(*args)


def test_items_sharing_memory_refused():
    a = R.standard_normal(3)
    for ps in ([a, a], [a, a[:2]]):
        keep = [p.copy() for p in ps]
        with pytest.raises(srcad.SrcadError, match="shares memory"):
            srcad.grad(sgd_list, argnums=1)(ps, 0.7)
        assert all(np.array_equal(p, q) for p, q in zip(ps, keep))  # (nothing written)


def test_item_shared_with_argument_or_global_refused():
    p = {"w": R.standard_normal(3), "b": R.standard_normal(3)}
    with pytest.raises(srcad.SrcadError, match="shares memory"):
        srcad.grad(with_other, argnums=2)(p, p["w"], 0.7)
    with pytest.raises(srcad.SrcadError, match="shares memory"):
        srcad.grad(with_global, argnums=1)([G, R.standard_normal(2)], 0.7)


def test_container_item_refused():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(nested, argnums=1)({"l": [1.0, 2.0]}, 0.7)


def test_integer_item_raises_as_numpy():
    with pytest.raises(TypeError):
        sgd_list([np.arange(3), R.standard_normal(2)], 0.7)
    with pytest.raises(TypeError):  # (UFuncTypeError, as Python's `op=` on an int array)
        srcad.grad(sgd_list, argnums=1)([np.arange(3), R.standard_normal(2)], 0.7)


def _rebinding_step(p, g):
    p = {k: v - g for k, v in p.items()}
    p["w"] -= g
    return p


def _growing_step(p, g):
    p["w"] -= g
    p["extra"] = g


def rebinding_helper(params, x):
    _rebinding_step(params, x)
    return np.sum(params["w"])  # Python: the caller's dict unchanged


def growing_helper(params, x):
    _growing_step(params, x)
    return np.sum(params["w"]) * len(params)


def test_helpers_not_updating_items_only_stay_as_before():
    p = {"w": R.standard_normal(3)}
    want = rebinding_helper(dict(p), 0.5)
    got = srcad.value_and_grad(rebinding_helper, argnums=1)(dict(p), 0.5)[0]
    assert np.isclose(got, want)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(growing_helper, argnums=1)({"w": R.standard_normal(3)}, 0.5)

"""``c[k] op= v`` on an array element another name still holds (session 8, lead; sound8 found it).

Python runs ``c[k].__iop__(v)``: an array element is updated in place, so a name bound to it
before (``W = params[0]``) sees the change. srcad computes a new value for ``c[k]`` and left
the old array unchanged: the training-loop idiom below gave 0.524 for Python's 0.175 (and a
wrong gradient), silently. Such updates now count as in-place updates of the element in the
mutation check (passes/alias_nested.item_update): refused when the old element is read again;
numbers (rebound by ``op=``), containers made here, arrays updated through their own slices
(``a[1:] += v``) and lists of arrays nobody else names stay differentiated.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

H = np.array([0.37, -0.71, 0.23])


def sgd_on_a_list(h):
    W = h * 1.0
    b = h[:2] * 0.5
    params = [W, b]
    for _ in range(2):
        grads = [2 * params[0], 2 * params[1]]
        for i in range(2):
            params[i] -= 0.1 * grads[i]
    return np.sum(W**2) + np.sum(b)


def alias_of_a_list_item(h):
    ls = [h * 1.0, h * 2.0]
    a = ls[0]
    ls[0] += 1.0
    return np.sum(a * h)


def alias_of_a_dict_item(h):
    d = {"w": h * 1.0}
    w = d["w"]
    d["w"] *= 3.0
    return np.sum(w)


@pytest.mark.parametrize("f", [sgd_on_a_list, alias_of_a_list_item, alias_of_a_dict_item])
def test_item_update_seen_through_another_name_is_refused(f):
    for run in (srcad.primal(f), srcad.grad(f)):
        with pytest.raises(srcad.SrcadError, match="updated with `op=`"):
            run(H.copy())


def sgd_no_alias(h):
    params = [h * 1.0, h[:2] * 0.5]
    for _ in range(2):
        grads = [2 * params[0], 2 * params[1]]
        for i in range(2):
            params[i] -= 0.1 * grads[i]
    return np.sum(params[0] ** 2) + np.sum(params[1])


def dict_updates(h):
    d = {"a": h * 1.0, "b": h[:2] * 1.0}
    for _ in range(3):
        d["a"] -= 0.1 * d["a"] ** 2
        d["b"] += d["a"][:2]
    return np.sum(d["a"]) + np.sum(d["b"])


def float_items(h):
    acc = [0.0, 0.0]
    for i in range(3):
        acc[i % 2] += h[i] ** 2
    t = [h[0], h[1] * 2.0]
    t[0] += t[1]
    t[1] *= t[0]
    return acc[0] + acc[1] + t[0] * t[1]


def shift_in_place(h):
    a = np.concatenate([h, h**2])
    a[1:] += a[:-1]
    return np.sum(a * np.arange(6))


@pytest.mark.parametrize("f", [sgd_no_alias, dict_updates, float_items, shift_in_place])
def test_item_updates_nobody_else_sees_stay_differentiated(f):
    assert srcad.primal(f)(H.copy()) == pytest.approx(f(H.copy()), rel=1e-12)
    check_grads(f, (H.copy(),), modes=("fwd", "rev"))

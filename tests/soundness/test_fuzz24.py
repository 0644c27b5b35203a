"""Session 24 (fuzz24): what the fuzz generators (tests/fuzz) found with new seeds.

- ``w[::2] = v`` with a value of more dimensions than ``w[::2]`` (NumPy drops a value's leading
  length-1 axes: ``np.where(m, e, e)`` of a (1, 1) mask written into a (1,) slice) crashed the
  gradient with "IndexError: tuple index out of range" in `unbroadcast` (wild seed 24100088):
  `setitem_vjp_v` now gives the cotangent those axes back, `unbroadcast` aligns shapes at the
  right (as NumPy broadcasts) and `broadcast_like` drops such axes (the helper's transpose).
- A dict of a running value and a list appended to in a loop (``d["s"] += v;
  d["hist"].append(d["s"])``, the wild generator's `state_dict_loop`: 12 of 600 programs) was
  refused ("`d` is read after the object it shares with another name is appended to"): the
  mutation check took ``d["hist"]`` for any entry of `d`, the running number too.
  passes/alias_slots.py keeps a dict's entries under constant keys while every update is
  ``d[k] = v`` of such a key. Neighbours sharing one object under two keys, rebinding an
  entry to another's list (through another name, a computed key, ``update``, a loop or a
  branch) and updating an appended array with ``op=`` stay refused.
- Writes through a view of an array made by ``C * -0.2 + 1.0`` (a global array times a signed
  constant: lower/viewbases.py read ``-0.2`` as no number) or by ``np.array(np.where(x > 0,
  1.0, x), dtype=float)`` (passes/ranks.py knew no rank of ``np.where``, nor of ``x // c``)
  were refused (wild seeds 24100058, 24100089, 24000070).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, -0.7, 1.1, 2.0])
C = np.array([1.3506, 0.3987, -0.4801, 0.0455])


def write_leading_axes(x):
    w = x * 1.0
    w[1:3] = np.sin(x[None, :2])  # a (1, 2) value into a (2,) slice
    return np.sum(w * w * x[0])


def write_leading_axes_broadcast(x):
    w = x * 1.0
    w[1:] = np.cos(x[None, None, :1])  # (1, 1, 1) into (3,)
    return np.sum(w**3)


def test_value_with_leading_axes() -> None:
    check_scalar(write_leading_axes, X)
    check_scalar(write_leading_axes_broadcast, X)


def test_wild_24100088() -> None:
    def f(x0):
        e3 = x0[0]
        w5 = np.array(e3, dtype=float)
        w5[::2] = np.where(x0 >= 0.1, e3, e3)
        return np.sum(w5 * w5)

    x = np.array([[-1.3931]])
    np.testing.assert_allclose(srcad.grad(f)(x), 2 * x)


def dict_running_sum(x):
    d = {"s": 0.0, "n": 0, "hist": []}
    for e in x:
        d["s"] += np.sin(e) * -0.383
        d["n"] += 1
        d["hist"].append(d["s"])
    return d["s"] / d["n"] + sum(d["hist"])


def dict_running_rebound(x):
    d = {"s": 0.0, "hist": []}
    for e in x:
        d["s"] = d["s"] + np.sin(e)
    d["hist"].append(d["s"])
    return sum(d["hist"]) * x[0]


def dict_array_rebound(x):
    d = {"s": x * 1.0, "h": []}
    for _ in range(3):
        d["h"].append(d["s"])
        d["s"] = d["s"] * 1.5 + 1.0
    return np.sum(d["h"][0] * d["h"][2])


def test_dict_entries_by_key() -> None:
    for f in (dict_running_sum, dict_running_rebound, dict_array_rebound):
        check_scalar(f, X)


def two_keys_one_array(x):
    y = x * 1.0
    d = {"a": y, "b": y}
    d["a"][0] = 5.0
    return np.sum(d["b"])


def appended_array_updated(x):
    d = {"s": x * 1.0, "h": []}
    for _ in range(3):
        d["h"].append(d["s"])
        d["s"] += 1.0
    return np.sum(d["h"][0])


def entry_rebound_to_other(x):
    d = {"a": [], "b": []}
    d["b"] = d["a"]
    d["a"].append(x[0])
    return sum(d["b"])


def entry_through_name(x):
    d = {"a": [], "b": []}
    lst = d["a"]
    d["b"] = lst
    d["a"].append(x[0])
    return sum(d["b"])


def entry_computed_key(x):
    d = {"a": [0.0], "b": [1.0]}
    k = "a" if x[0] > 0 else "b"
    d[k] = d["b"]
    d["a"].append(x[1])
    return sum(d["b"])


def entry_by_update(x):
    d = {"a": [0.0], "b": [1.0]}
    d.update({"b": d["a"]})
    d["a"].append(x[1])
    return sum(d["b"])


def entry_other_name(x):
    d = {"a": [0.0], "b": [1.0]}
    e = d
    e["b"] = d["a"]
    d["a"].append(x[1])
    return sum(d["b"])


def entry_bool_key(x):
    d = {"a": [0.0], 1: [1.0]}
    d[True] = d["a"]
    d["a"].append(x[1])
    return sum(d[1])


def entry_in_loop(x):
    d = {"a": [0.0], "b": [1.0]}
    for _ in range(2):
        d["b"] = d["a"]
    d["a"].append(x[1])
    return sum(d["b"])


def entry_in_branch(x):
    d = {"a": [0.0], "b": [1.0]}
    if x[0] > 0:
        d["b"] = d["a"]
    d["a"].append(x[1])
    return sum(d["b"])


@pytest.mark.parametrize(
    "f",
    [
        two_keys_one_array,
        appended_array_updated,
        entry_rebound_to_other,
        entry_through_name,
        entry_computed_key,
        entry_by_update,
        entry_bool_key,
        entry_in_loop,
        entry_in_branch,
    ],
)
def test_dict_sharing_stays_refused(f) -> None:
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())


def asarray_of_signed_product(x):
    u = C * -0.213 + 1.0
    w = np.asarray(u)
    w[0] = np.sin(w[-1]) * u[0] * x[0]
    return np.sum(u + w) * x[1]


def view_of_where(x):
    u = np.array(np.where(x > 0, 1.5, x), dtype=float)
    w = u[1:]
    w[...] = np.sin(w) * 0.5
    return np.sum(u * x) + np.sum(w)


def item_of_where_floor(x):
    u = np.array(np.where(x > 0.2, x // 0.7 + x, x), dtype=float)
    r = u[1]
    r += x[0]  # (u is 1-D: `r` a number, rebound)
    return np.sum(u * u) * r


def test_views_of_made_arrays() -> None:
    check_scalar(asarray_of_signed_product, X)
    check_scalar(view_of_where, X)
    check_scalar(item_of_where_floor, X)

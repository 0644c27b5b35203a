"""The check the neighbour tests share (tests/lower/test_views15.py, test_views16.py,
test_views17.py): a program is right or refused, never wrong.

Input: a function and its arguments. Output: `right_or_refused` passes when srcad refuses it
(`srcad.SrcadError`), or raises what Python raises, or gives Python's value and leaves the
arguments as Python leaves them, with derivatives (forward and reverse, to second order) that
match finite differences (or are refused) when the arguments are of the types `grads_of`
names."""

from __future__ import annotations

import copy

import numpy as np

import srcad
from srcad.testing import check_grads


def python_run(f, args):
    """("ok", value, arguments after) or ("raises", exception type, arguments after)."""
    args = copy.deepcopy(args)
    try:
        return ("ok", f(*args), args)
    except Exception as e:  # noqa: BLE001 - Python's own error is the reference
        return ("raises", type(e), args)


def same(a, b) -> bool:
    if isinstance(a, dict):
        return all(same(a[k], b[k]) for k in a) and set(a) == set(b)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(p, q) for p, q in zip(a, b))
    return np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=1e-12)


def right_or_refused(f, args, grads_of: tuple = (np.ndarray,)) -> None:
    kind, want, after = python_run(f, args)
    got_args = copy.deepcopy(args)
    try:
        got = srcad.primal(f)(*got_args)
    except srcad.SrcadError:
        return  # refused: never wrong
    except Exception as e:  # noqa: BLE001 - Python's own error is the reference
        # (NumPy's casting error is a TypeError subclass, srcad's out_write raises TypeError)
        ok = kind == "raises" and (isinstance(e, want) or issubclass(want, type(e)))
        assert ok, f"srcad raises {e!r}, Python {want}"
        return
    assert kind == "ok", f"Python raises {want.__name__}, srcad ran"
    np.testing.assert_allclose(np.asarray(got, float), np.asarray(want, float), rtol=1e-12)
    for a, b in zip(got_args, after):  # the arguments left as Python leaves them
        assert same(a, b)
    if all(isinstance(a, grads_of) for a in args):
        try:
            check_grads(f, copy.deepcopy(args), modes=("fwd", "rev"), order=2)
        except srcad.SrcadError:
            pass  # a derivative refused when it runs: never wrong

"""Session 46's fuzz46: wrong values found attacking session 45's new code, each pinned.

- ``copy.deepcopy`` of a value holding an object whose class copies itself its own way
  (``__deepcopy__``, ``__reduce__``, ...): the copy's derivative was taken as the identity, so
  the gradient of ``sum(deepcopy(D(x)).w ** 2)`` with ``D.__deepcopy__`` tripling ``w`` was
  ``6 x`` where Python's function has ``18 x`` (forward mode ran the hook on the tangent and
  was right). Refused now when the code runs.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad


class _Tripled:
    def __init__(self, w):
        self.w = w

    def __deepcopy__(self, memo):
        return _Tripled(self.w * 3.0)


class _Reduced:
    def __init__(self, w):
        self.w = w

    def __reduce__(self):
        return (_Reduced, (self.w * 3.0,))


def deepcopy_own_hook(x):
    d = copy.deepcopy(_Tripled(x * 1.0))
    return np.sum(d.w**2)


def deepcopy_reduce_hook(x):
    d = copy.deepcopy(_Reduced(x * 1.0))
    return np.sum(d.w**2)


def deepcopy_list_of_hooked(x):
    d = copy.deepcopy([_Tripled(x * 1.0)])
    return np.sum(d[0].w ** 2)


def deepcopy_hooked_argument(x, o):
    d = copy.deepcopy(o)
    return np.sum(d.w**2 * x)


@pytest.mark.parametrize("fn", [deepcopy_own_hook, deepcopy_reduce_hook, deepcopy_list_of_hooked])
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_deepcopy_of_a_self_copying_object_is_refused(fn, mode):
    x = np.array([0.5, 1.5, -0.7])
    with pytest.raises(srcad.SrcadError, match="defines how it is copied"):
        if mode == "grad":
            srcad.grad(fn)(x)
        else:
            srcad.jvp(fn, (x,), (np.ones(3),))


def test_deepcopy_of_a_self_copying_argument_is_refused():
    x = np.array([0.5, 1.5, -0.7])
    with pytest.raises(srcad.SrcadError, match="defines how it is copied"):
        srcad.grad(deepcopy_hooked_argument)(x, _Tripled(x * 1.0))


class _Plain:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def test_deepcopy_of_plain_objects_still_differentiated():
    def f(x):
        s = _Plain([x * 1.0, x * 2.0], (x[0], {"k": x[1]}))
        t = copy.deepcopy(s)
        return np.sum(t.w[1] ** 2) * t.b[1]["k"]

    x = np.array([0.5, 1.5, -0.7])
    srcad.check_grads(f, (x,), modes=("fwd", "rev"))

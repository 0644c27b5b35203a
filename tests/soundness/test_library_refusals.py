"""A refusal met while reading a library's source (the standard library, site-packages) is
reported at the user's call, the library's line named in the message: ``heapq.nsmallest`` used
to point at ``heapq.py:507`` only, a line the user cannot change (ad/callees.py `_lower`)."""

from __future__ import annotations

import dataclasses
import heapq

import numpy as np
import pytest

import srcad

X = np.array([0.3, -0.7, 1.2, 0.5])


def two_smallest(x, n=2):
    s = heapq.nsmallest(n, list(x))  # (a constant n is sorted(...)[:n]: lower/stdlib.py)
    return s[0] * s[1]


def test_library_refusal_is_located_at_the_users_call():
    with pytest.raises(srcad.SrcadError) as info:
        srcad.grad(two_smallest)(X)
    e = info.value
    assert e.filename == __file__
    assert e.source_line.strip().startswith("s = heapq.nsmallest(n, list(x))")
    assert "heapq.nsmallest" in e.message and "heapq.py:" in e.message
    assert e.hint


def _local_helper(v):
    it = iter(v)
    first = [a for a, _ in zip(it, range(1))]
    return first[0] * sum(it)


def uses_local_helper(x):
    return _local_helper(list(x))


def test_a_refusal_in_user_code_keeps_its_own_location():
    with pytest.raises(srcad.SrcadError) as info:
        srcad.grad(uses_local_helper)(X)
    e = info.value
    assert e.filename == __file__
    assert "zip" in e.source_line


@dataclasses.dataclass
class _Pair:
    a: float
    b: float


def pair_product(x):
    a, b = dataclasses.astuple(_Pair(x[0], x[1]))
    return a * b


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_refusal_while_differentiating_a_library_callee_is_located_at_the_call(mode):
    # astuple lowers; its body's call of _astuple_inner is refused while astuple's body is
    # differentiated (ad/jvp.py, ad/vjp.py: `at_user_call`), which pointed at dataclasses.py
    with pytest.raises(srcad.SrcadError) as info:
        if mode == "grad":
            srcad.grad(pair_product)(X)
        else:
            srcad.jvp(pair_product, (X,), (np.ones_like(X),))
    e = info.value
    assert e.filename == __file__
    assert e.source_line.strip() == "a, b = dataclasses.astuple(_Pair(x[0], x[1]))"
    # (refuse38: astuple of a dataclass built inline is refused where it is called, saying what
    # is supported, before its body is differentiated)
    assert "dataclasses.astuple" in e.message

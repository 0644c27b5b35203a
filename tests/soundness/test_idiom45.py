"""Session 45 (idiom45): the refusals srcad must still give next to the idioms it now takes
(tests/regressions/test_idiom45.py), checked here.

A bound method kept in a list (``fs = [c.f]``, lower/objseq.function_like: a list of known
functions since idiom45) and passed to a helper srcad does not inline after a field of its
object was written: Python's method reads the new field; srcad would rebuild the object from
its constructor's arguments, so it is refused (moved from tests/soundness/test_refuse32b.py,
where the message was "already used as a value": now the write comes first in what srcad sees).
"""

from __future__ import annotations

import pytest

import srcad
from tests.soundness.test_refuse32b import Counter, apply_twice


def method_in_a_list_then_field_written(x):
    c = Counter()
    fs = [c.f]
    c.k = 3.0
    return apply_twice(fs[0], x)


def test_a_method_kept_in_a_list_stays_refused():
    with pytest.raises(srcad.SrcadError, match="as a value"):
        srcad.grad(method_in_a_list_then_field_written)(1.3)

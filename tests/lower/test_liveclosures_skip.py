"""lower/liveclosures.closure_reads answers at once for a function with no nested function.

Its walk for named nested functions (``def g``, ``q = lambda ...``) finds none where lower/
survey.py found no nested function or lambda: checked on every function of the test corpus
(both kinds occur). Where a closure does exist, its reads stay live: a lambda reading a name the
loop after it rebinds is still differentiated with the last value.
"""

from __future__ import annotations

import gast
import numpy as np

import srcad
from srcad.lower import liveclosures
from srcad.lower.survey import survey
from tests.lower.test_prechecks import _functions, _tree


def test_no_nested_function_no_named_one():
    empty = with_nested = 0
    for f in _functions():
        try:
            root = _tree(f)
        except srcad.SrcadError:
            continue
        if not isinstance(root, gast.FunctionDef):
            continue
        nested = survey(root).nested
        names: dict[int, str] = {}
        liveclosures._named(root.body, names)
        if nested:
            with_nested += 1
        else:
            empty += 1
            assert not names, f.__qualname__
            assert liveclosures.closure_reads(root.body, nested) == set()
    assert empty > 1000 and with_nested > 50, (empty, with_nested)


def late_read(x):
    s = x * 0.0
    q = lambda t: t * s  # noqa: E731 (reads `s` when called)
    for k in range(3):
        s = x * (k + 1.0)
    return np.sum(q(2.0))


def test_closure_reads_the_last_value():
    x = np.array([0.5, -1.0, 2.0])
    np.testing.assert_allclose(srcad.grad(late_read)(x), np.full(3, 6.0))

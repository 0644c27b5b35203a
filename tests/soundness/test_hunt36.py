"""Session 36 (hunt36): what held-out-style programs (tests/corpus/ported_corp36*.py) found.

- Wrong value and derivative: ``itertools.islice(it, ...)`` of an iterator bound to a name
  (``it = iter(rows)``) was lowered as ``list(it)[i:j:k]``, which takes all of `it`: a later
  ``list(it)`` / ``for v in it`` / ``next(it)`` saw nothing (or raised StopIteration), where
  Python leaves what islice does not take (``head = list(islice(it, 2)); rest = list(it)``).
  With the differentiated value outside the iterator (``w * sum(head) + w * w * sum(rest)``)
  the gradient was silently wrong. Now islice of such a name stays Python's lazy islice.
- Crash (memory): ``list(islice(itertools.cycle(signs), 5))`` (and of ``count()``, or a name
  bound to one) listed the endless iterator first and filled memory. Now islice of an endless
  iterator stays Python's islice too.
"""

from __future__ import annotations

import itertools
from itertools import count, cycle, islice

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

DATA = [0.6, -1.2, 0.9, 1.7, -0.35]
W5 = np.array([0.6, -1.2, 0.9, 1.7, -0.35])


def head_then_rest(w):
    it = iter(DATA)
    head = list(islice(it, 2))
    rest = list(it)
    return w * sum(head) + w * w * sum(rest)


def head_sum_then_next(w):
    it = iter(DATA)
    head = sum(itertools.islice(it, 3))
    return head * w + w * w * next(it)


def islice_loop_then_loop(w):
    it = iter(range(6))
    tot = 0.0
    for k in islice(it, 2):
        tot += w**k
    for k in it:
        tot += 0.5 * w * k
    return tot


def chunks_of_two(w):
    it = iter(DATA)
    tot = 0.0
    while True:
        chunk = list(islice(it, 2))
        if not chunk:
            break
        tot += chunk[0] * (chunk[-1] + w) * w
    return tot


def alternating_signs(w):
    return np.dot(w, list(itertools.islice(itertools.cycle([1.0, -1.0]), 5)))


def alternating_signs_named(w):
    c = cycle([1.0, -1.0])
    return np.dot(w, np.array(list(islice(c, 5)))) + next(c) * w[0]


def counted_weights(w):
    return np.dot(w, list(islice(count(1.0, 0.5), 5)))


SCALAR = [head_then_rest, head_sum_then_next, islice_loop_then_loop, chunks_of_two]
ARRAY = [alternating_signs, alternating_signs_named, counted_weights]


@pytest.mark.parametrize("f", SCALAR + ARRAY, ids=lambda f: f.__name__)
def test_islice_of_a_partly_read_iterator(f):
    x = 1.3 if f in SCALAR else W5
    expected = f(x)
    assert np.allclose(srcad.primal(f)(x), expected)
    check_grads(f, (x,), modes=("fwd", "rev"))

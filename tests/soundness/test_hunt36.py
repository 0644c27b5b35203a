"""Session 36 (hunt36): what held-out-style programs (tests/corpus/ported_corp36*.py) found.

- Wrong value and derivative: ``itertools.islice(it, ...)`` of an iterator bound to a name
  (``it = iter(rows)``) was lowered as ``list(it)[i:j:k]``, which takes all of `it`: a later
  ``list(it)`` / ``for v in it`` / ``next(it)`` saw nothing (or raised StopIteration), where
  Python leaves what islice does not take (``head = list(islice(it, 2)); rest = list(it)``).
  With the differentiated value outside the iterator (``w * sum(head) + w * w * sum(rest)``)
  the gradient was silently wrong. Now islice of such a name stays Python's lazy islice.
- Wrong value and derivative, the same way: other reads that may take only part of an
  ``iter(xs)`` name were lowered as taking all of it, where the name is read again later:
  ``for i, v in enumerate(it): ... break``, ``any(v < 0 for v in it)``, ``next(v for v in it
  if ...)``, ``pairwise(it)`` in a loop with ``break``, ``takewhile(p, it)``, a generator
  expression over it; and reads taking all of it that run twice (``for k in range(3): for v in
  it: ...`` read the whole list three times; ``[v for v in it]`` then ``sum(v for v in it)``
  read it twice, the listing shared). Now refused (lower/oneshot._check_iters: `next` and
  `islice` are Python's; one read taking all of it, run once, is exact; nothing else is).
- Crash: unpacking an iterator (``a, *rest = iter(xs)``, ``a, b = it``) indexed it
  (TypeError: 'list_iterator' object is not subscriptable); it is listed first now.
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
from srcad.errors import SrcadError
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


ROWS = [("t", "v"), (0.0, 1.0), (0.5, 1.4), (1.0, 2.1), (1.5, 2.3), (2.0, 3.2)]


def table_reader(a):
    # a header by `next`, a warm-up block by `islice`, the rest by a loop
    rows = iter(ROWS)
    header = next(rows)
    warmup = list(itertools.islice(rows, 2))
    sse = sum((a * t + 0.9 - v) ** 2 for t, v in warmup) * 0.5
    for t, v in rows:
        sse += (a * t + 0.9 - v) ** 2
    return sse / (len(ROWS) - 1) + len(header) * 0.0


SCALAR = [table_reader, head_then_rest, head_sum_then_next, islice_loop_then_loop, chunks_of_two]
ARRAY = [alternating_signs, alternating_signs_named, counted_weights]


@pytest.mark.parametrize("f", SCALAR + ARRAY, ids=lambda f: f.__name__)
def test_islice_of_a_partly_read_iterator(f):
    x = 1.3 if f in SCALAR else W5
    expected = f(x)
    assert np.allclose(srcad.primal(f)(x), expected)
    check_grads(f, (x,), modes=("fwd", "rev"))


def enumerate_break_then_rest(w):
    it = iter(DATA)
    tot = 0.0
    for i, v in enumerate(it):
        tot += w * v * i
        if v < 0:
            break
    return tot + w * w * sum(it)


def any_then_rest(w):
    it = iter(DATA)
    found = any(v < 0 for v in it)
    return w * found + w * w * sum(it)


def next_of_generator_then_rest(w):
    it = iter(DATA)
    first_neg = next(v for v in it if v < 0)
    return w * first_neg + w * w * sum(it)


def takewhile_then_rest(w):
    it = iter(DATA)
    s = sum(v * w for v in itertools.takewhile(lambda v: v > 0, it))
    return s + w * w * sum(it)


def pairwise_break_then_rest(w):
    it = iter(DATA)
    tot = 0.0
    for a, b in itertools.pairwise(it):
        tot += a * b * w
        if b < 0:
            break
    return tot + w * w * sum(it)


def two_whole_reads(w):
    it = iter(DATA)
    first = next(it)
    big = [v for v in it if v > 1.0]
    return w * first + w * w * sum(big) + sum(v for v in it)


def whole_read_in_a_loop(w):
    it = iter(DATA)
    tot = 0.0
    for k in range(3):
        for v in it:
            tot += v * w * k
    return tot


@pytest.mark.parametrize(
    "f",
    [
        enumerate_break_then_rest,
        any_then_rest,
        next_of_generator_then_rest,
        takewhile_then_rest,
        pairwise_break_then_rest,
    ],
    ids=lambda f: f.__name__,
)
def test_partial_or_repeated_reads_of_an_iterator_are_refused(f):
    with pytest.raises(SrcadError, match="read again elsewhere or in a loop"):
        srcad.grad(f)(1.3)


@pytest.mark.parametrize("f", [two_whole_reads, whole_read_in_a_loop], ids=lambda f: f.__name__)
def test_whole_reads_of_an_iterator_take_what_is_left(f):
    # iter37: each read taking all of it takes what the reads before left (the second read,
    # the loop's later passes: nothing), as Python's (`_srcad.rest_of`, lower/oneshot.py)
    assert np.allclose(srcad.primal(f)(1.3), f(1.3))
    check_grads(f, (1.3,), modes=("fwd", "rev"))


def whole_reads_then_next(w):
    it = iter(DATA)
    first = next(it)
    big = [v for v in it if v > 1.0]
    return w * first + w * w * sum(big) + next(it, 2.0) * w


def rebound_in_the_loop(w):
    tot = 0.0
    for row in ([0.5, 1.0, 2.0], [1.5, -1.0]):
        it = iter(row)
        head = next(it)
        tot += head * w + w * w * sum(v * v for v in it)
    return tot


def unpack_iterator(w):
    a, *mid, b = iter(DATA)
    it = iter(DATA[:2])
    c, d = it
    return a * w + sum(mid) * w * w + b + c * d * w


@pytest.mark.parametrize(
    "f", [whole_reads_then_next, rebound_in_the_loop, unpack_iterator], ids=lambda f: f.__name__
)
def test_reads_taking_all_of_an_iterator(f):
    assert np.allclose(srcad.primal(f)(1.3), f(1.3))
    check_grads(f, (1.3,), modes=("fwd", "rev"))

"""Soundness fixes of session 30's hunt30a: Python semantics in differentiated code.
Input: small functions written like users' code; output: assertions against Python and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.73, 0.218, -0.437, 1.1213, -0.9371, 0.3521])


# -- a generator the body of a `for` loop changes: its body reads an enclosing variable --------
# srcad computes a generator's items before the loop; Python runs its body item by item, after
# the loop body has rebound or updated what it reads (wrong values before the fix)


def gen_reads_rebound(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c = c * x[1]
    return s


def gen_reads_updated(x):
    c = [x[0]]

    def gen(n):
        for k in range(n):
            yield c[0] * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c[0] = c[0] * 2
    return s


def gen_enumerated(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for i, v in enumerate(gen(3)):
        s += v * (i + 1)
        c = c * x[1]
    return s


def gen_through_helper(x):
    c = [x[0]]

    def val(k):
        return c[0] * k

    def gen(n):
        for k in range(n):
            yield val(k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c[0] = c[0] * 2
    return s


def _gen_loop_helper(x, c):
    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v
        c = c * x[1]
    return s


def gen_in_inlined_helper(x):
    return _gen_loop_helper(x, x[0]) * 2


@pytest.mark.parametrize(
    "f", [gen_reads_rebound, gen_reads_updated, gen_enumerated, gen_through_helper,
          gen_in_inlined_helper],
)  # fmt: skip
def test_generator_reading_what_the_loop_changes_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="runs its items when it is consumed"):
        srcad.grad(f)(X.copy())


def gen_reads_unchanged(x):
    c = x[0]

    def gen(n):
        for k in range(n):
            yield c * (k + 1)

    s = 0.0
    for v in gen(3):
        s += v * x[1]
    c = c * 2.0  # after the loop: the generator has run
    return s + c


def test_generator_whose_reads_the_loop_leaves_alone_still_works():
    check_scalar(gen_reads_unchanged, X)


# -- an expression statement `cond and xs.append(v)` in a loop after `xs = []` ----------------
# crashed the lowering (AttributeError in lower/mappedseq.py's fold of append loops, reported as
# "internal error"); now the refusal of `.append()` inside an expression


def append_in_and(x):
    acc = []
    for v in x:
        v > 0 and acc.append(v**2)
    return sum(acc)


def append_in_or(x):
    acc = []
    for v in x:
        v > 0 or acc.append(v**2)
    return sum(acc)


@pytest.mark.parametrize("f", [append_in_and, append_in_or])
def test_append_inside_a_boolean_statement_is_a_clean_refusal(f):
    with pytest.raises(srcad.SrcadError, match=r"`\.append\(\)` is supported as a statement"):
        srcad.grad(f)(X.copy())

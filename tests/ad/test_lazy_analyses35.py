"""Session 35, transform speed: analyses of the reverse sweep that now do less work give the same
answers as the walks they replace.

- `branchmasks.Made` answers "made from a singular op?" from a value's definition back, where
  `_made` walked every op (`branch_values`, `partial_reads`): the same answer for every value,
  through elementwise chains, ``if`` results, loop carries (never made) and moves;
- `shape_reads.tape_reads`: a reverse loop's tape and its shape-only values in one walk, as
  `free_vars` and the old separate count found them;
- `zeroattrs.guard_field_zero_attrs` returns early when no ``.shape``-like read has a varied
  operand, and still guards one that has;
- `infvals._computed` (constants' arrays that make an infinity) with its loop instead of a
  generator per op: a written infinity still masked.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.ad import branchmasks, partreads
from srcad.ad.branchmasks import Made, _made
from srcad.ad.shape_reads import tape_reads
from srcad.ad.vjp_util import block_defs, free_vars
from srcad.passes.prepare import lowered
from srcad.ssa.census import ops_of
from srcad.ssa.core import Block, Op, Var, walk_ops
from srcad.testing import check_grads


def chain_in_branch(x):
    r = np.sqrt(x)
    s = 2.0 * r + 1.0
    if np.sum(x) > 0.0:
        y = s * 3.0
    else:
        y = x * 2.0
    return np.sum(y)


def if_yields_made(x, c):
    if c > 0.0:
        u = np.log(x)
    else:
        u = x * 1.0
    v = np.tanh(u) - x
    if np.max(v) > 1.0:
        w = v * 2.0
    else:
        w = x + 0.0
    return np.sum(w)


def loop_carries(x):
    acc = x * 1.0
    for i in range(3):
        acc = acc + np.sqrt(np.abs(acc) + 1.0) / (i + 1.0)
        if np.sum(acc) > 10.0:
            acc = acc * 0.5
    return np.sum(acc)


def moved_reads(x):
    r = np.sqrt(x)
    t = r.reshape(2, 2).T
    return t[0, 1] + r[3] + np.take(r, 2)


def no_singular(x):  # (no product with data either: ``x * 2.0`` is one, branchmasks._data_product)
    y = x + 1.0
    if np.sum(y) > 0.0:
        y = y - 3.0
    return np.sum(y)


FUNCS = [chain_in_branch, if_yields_made, loop_carries, moved_reads, no_singular]


def _values(fn) -> list[Var]:
    out = []
    for op in walk_ops(fn.body):
        out += [a for a in op.operands() if type(a) is Var]
        out += op.results
        for b in op.blocks:
            out += b.params
    return out


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_made_answers_as_the_walk(f):
    fn = lowered(f)
    ops = ops_of(fn.body)
    full = _made(ops, ())
    made = Made(ops, ())
    for v in _values(fn):  # (asked in the walk's order and again: answers kept between)
        assert (v in made) == (v in full), v
    assert all(v in made for v in full)
    assert any(True for _ in full) == (f is not no_singular)


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_moved_made_answers_as_the_walk(f):
    fn = lowered(f)
    ops = ops_of(fn.body)
    moved = partreads._moved(ops, _made(ops, ()))
    made = Made(ops, ())
    for v in _values(fn):
        assert partreads._moved_made(v, made) == (v in moved), v


def test_made_of_a_value_reaching_itself_walks_every_op():
    # not SSA (no lowering makes it): the walk of every op decides, no endless search
    a, b, x = Var("a"), Var("b"), Var("x")
    block = Block([x])
    block.ops = [Op("numpy.sqrt", [x], results=[a]), Op("add", [b, a], results=[b])]
    made = Made(list(block.ops), ())
    assert (b in made) == (b in _made(list(block.ops), ()))
    assert a in made


def test_made_checked_in_verify_mode(monkeypatch):
    fn = lowered(chain_in_branch)
    ops = ops_of(fn.body)
    made = Made(ops, ())
    monkeypatch.setattr(branchmasks, "_made", lambda ops, seq_ops, varied=None: set())  # wrong
    r = next(op.results[0] for op in ops if op.prim == "numpy.sqrt")
    with pytest.raises(srcad.ssa.verify.IRVerifyError, match="made values"):
        r in made  # noqa: B015


@pytest.mark.parametrize("f", FUNCS, ids=lambda f: f.__name__)
def test_branch_masks_still_applied(f):
    rng = np.random.default_rng(0)
    args = (np.abs(rng.standard_normal(4)) + 0.5, 0.7)[: f.__code__.co_argcount]
    check_grads(f, args, wrt=(0,))


def sqrt_in_branch(x):
    r = np.sqrt(x)  # x < 0 at x[1]: r is nan there, and not read where the branch is not taken
    if x[0] > 0.0:
        y = r[0] * 2.0
    else:
        y = x[0]
    return y + np.sum(x)


def test_partial_read_of_a_singular_value_still_masked():
    g = srcad.grad(sqrt_in_branch)(np.array([4.0, -1.0, 9.0]))
    assert np.all(np.isfinite(g)), g
    assert np.allclose(g, [1.0 + 0.5, 1.0, 1.0])


def tape_loop(x, n):
    s = x * 0.0
    for i in range(n):
        t = x * (i + 1.0)
        u = np.sin(t) + s
        s = s + u * t[0]
    return np.sum(s)


def test_tape_reads_as_free_vars_and_shape_counts():
    fn = lowered(tape_loop)
    loop = next(op for op in ops_of(fn.body) if op.prim == "for")
    body = loop.blocks[-1]
    defs = block_defs(body)
    needed, shaped = tape_reads(body, defs)  # (any block: here the forward body itself)
    assert needed == [v for v in free_vars(body) if v in defs]
    assert shaped <= set(needed)
    check_grads(tape_loop, (np.array([0.3, -0.2, 0.5]), 3), wrt=(0,))
    src = srcad.source(tape_loop, mode="grad", args=(np.ones(3), 3))
    assert "shape_like" in src or "tape" in src


class Shaped:
    def __init__(self, shape):
        self.shape = shape


def field_named_shape(o, x):
    return o.shape * np.sum(x)


def test_zero_attr_guard_still_made_for_a_varied_object():
    # `o` is differentiated (wrt 0): its `.shape` holds a float here, refused where it runs
    with pytest.raises(srcad.SrcadError, match="`.shape` of a Shaped"):
        srcad.grad(field_named_shape, wrt=(0, 1))(Shaped(2.0), np.ones(2))


def test_zero_attr_read_of_a_constant_needs_no_guard():
    # wrt 1 only: `o` is no varied value, nothing to guard (the early return)
    g = srcad.grad(field_named_shape, wrt=(1,))(Shaped(2.0), np.ones(2))
    assert np.allclose(g, [2.0, 2.0])


def written_inf(x):
    mask = np.log(np.tril(np.ones((3, 3))))  # -inf above the diagonal: fixed, written
    s = mask + x[:, None]
    return np.sum(np.exp(s))


def test_written_infinity_of_constant_arrays_still_found():
    g = srcad.grad(written_inf)(np.array([0.1, 0.2, 0.3]))
    assert np.all(np.isfinite(g)), g
    check_grads(written_inf, (np.array([0.1, 0.2, 0.3]),))


def enumerate_start(x):
    return sum(i * v for i, v in enumerate([x, x * x, 3.0], start=2))


def test_value_read_by_a_recomputed_index_product_stays_on_the_tape():
    # the reverse body reads `v` only for its shape until `_index_from_k` recomputes ``i * v``
    # there (`i` from the reverse index, `v` left on the tape): a `shape_like` stand-in of `v`
    # would then give that product garbage (a version of `tape_reads` counted before it did)
    src = srcad.source(enumerate_start, mode="grad", args=(1.5,))
    assert "shape_like" not in src, src
    check_grads(enumerate_start, (1.5,))
    check_grads(enumerate_start, (np.array([0.5, -1.0]),))

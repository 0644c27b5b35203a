"""Session 33 (fuzz33): what the fuzzer (tests/fuzz, seeds 33500000+) found.

- Crash under ``SRCAD_VERIFY=1`` (wild seed 33500022): "branch masks: leaving out `v3` changed
  the masks" (an `IRVerifyError`, which aborted the fuzz campaign) for a log's result read in a
  branch of an ``if`` on a comparison and in a loop, next to ``np.where(c, a.ravel(), ..)``. The
  check runs the mask analysis twice and compares the masks; the masks were equal, but a mask
  moved back through a reshape or an index (`ad/maskcarry.Moved`, here ``a.ravel()``'s) compared
  by identity, as `Expr` did before session 32. Moved conditions now compare (and hash) by
  their parts.
- Crash (wild33 seed 33600008): ``acc = [], []`` and ``acc[0].append(v)`` in a loop raised
  ``AttributeError: 'tuple' object has no attribute 'copy'`` from the generated code (also a
  tuple from a helper or joined by an ``if``). The lowering refuses writing into an element of a
  tuple only when it sees the tuple made; `_srcad.layout_copy` now refuses a tuple too, with the
  same message at the source line.
- Spurious refusal (wild33, ``q_kw_helpers``): a nested function as the default of another
  (``def h2(z, f=h1)``, ``f=lambda t: ..``, keyword-only too) was refused ("the nested function
  `h1` is used as a value"), though passing it at the call (``h2(z, h1)``) was differentiated.
  The default is now kept as the function and bound, where a call leaves it out, as that
  function passed there (lower/nestedargs.bound_default): Python's default is the function of
  the ``def`` (a later ``def h1`` does not change it), which reads the variables around it
  when called.
- Wrong dtype (wild33 seed 33602100): ``np.logaddexp.reduce`` (and ``.accumulate``,
  ``np.logaddexp2.reduce``) of a float32 array gave a float64 result where NumPy gives float32:
  the helpers compute in float64 (`_srcad.lae_reduce`, `lae_accumulate`). They now return
  NumPy's dtype (`arrays.ufunc_dtype`).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X4 = np.array([-0.0617, 0.8938, 1.4934, 0.6756])


def branch_read_and_ravel(x):
    v = np.log(x * x + 1.0)
    s = sum([e for e in v if e > 0.0])
    y = x * 1.0
    if x[0] > 0:
        t = v[3]
    else:
        t = 0.0
    w = np.where(x < 0.1344, y.ravel(), 1.0)
    return t + w.sum() + s


def try_index_and_ravel(x):
    v = np.log(x * x + 1.0)
    s = sum([e * 2.0 for e in v if np.sin(e) > 0.4])
    y = x * 0.5
    try:
        t = v[3] * 2.0
    except IndexError:
        t = 0.0
    w = np.where(x < 0.1344, 0 * y.ravel(), 1.0)
    return t + w.sum() + np.sum(x * s)


@pytest.mark.parametrize("f", [branch_read_and_ravel, try_index_and_ravel])
def test_moved_masks_compare_by_value(f):
    srcad.source(f, mode="grad", args=(X4,))  # (raised IRVerifyError under SRCAD_VERIFY)
    check_grads(f, (X4,), modes=("fwd", "rev"))


# -- a tuple of lists whose lists are appended to in a loop -------------------------------------


def tuple_of_lists_loop(x):
    acc = [], []
    for e, c in zip(x, np.tanh(x)):
        acc[0].append(e * c)
        acc[1].append(c)
    return np.sum(np.stack(acc[0]) + np.array(acc[1]))


def _pair():
    return [], []


def tuple_from_helper(x):
    acc = _pair()
    acc[0].append(x * 2.0)
    return np.sum(acc[0][0])


def tuple_joined_by_if(x):
    acc = (np.zeros(3), [])
    if x[0] > 0:
        acc = (np.ones(3), [])
    acc[0][1] = x[1] * 2.0
    return np.sum(acc[0])


@pytest.mark.parametrize("f", [tuple_of_lists_loop, tuple_from_helper, tuple_joined_by_if])
def test_write_into_tuple_element_refused(f):
    """Crash (wild33 seed 33600008): ``acc = [], []`` then ``acc[0].append(v)`` in a loop (or
    the tuple a helper returns, or one an ``if`` picks) raised ``AttributeError: 'tuple' object
    has no attribute 'copy'`` from the generated code: the lowering refuses ``t[i][j] = v`` only
    for a tuple it sees made in the same block. The functional write's copy now refuses a tuple
    with the same message, at the source line."""
    with pytest.raises(srcad.SrcadError, match="element of a tuple"):
        srcad.grad(f)(X4[:3].copy())
    with pytest.raises(srcad.SrcadError, match="element of a tuple"):
        srcad.jvp(f, (X4[:3].copy(),), (np.ones(3),))


def list_of_lists_loop(x):
    acc = [[], []]
    for e, c in zip(x, np.tanh(x)):
        acc[0].append(e * c)
        acc[1].append(c)
    return np.sum(np.stack(acc[0]) + np.array(acc[1]))


def test_list_of_lists_loop_still_differentiated():
    check_grads(list_of_lists_loop, (X4,), modes=("fwd", "rev"))


# -- nested functions as defaults of nested functions --------------------------------------------


def default_rebound(x):
    def h1(z):
        return z * 2.0

    def h2(z, f=h1):
        return f(z)

    def h1(z):  # noqa: F811 - the default keeps the first
        return z * 3.0

    return np.sum(h2(x) * x) + np.sum(h1(x))


def default_late_binding(x):
    c = x[0]

    def h1(z):
        return z * c

    def h2(z, f=h1):
        c = 100.0  # h2's own: not the one h1 reads
        return f(z) + c

    c = x[1] * 2.0
    return np.sum(h2(x))


def default_lambda_kwonly(x):
    def h1(z, s=1.0):
        return np.sin(z * s)

    def h2(z, *, f=h1, g=lambda t: t**2, s=0.5):
        return f(z, s) + g(z)

    return np.sum(h2(x) + h2(x, s=2.0))


def default_in_loop(x):
    def h1(z):
        return np.tanh(z)

    c, out = 1.0, 0.0
    for k in range(3):
        c = x[k]

        def g(z, f=lambda t: t * c, k=k):
            return f(z) * (k + 1) + h1(z)

        out = out + np.sum(g(x))
    return out


def default_overridden(x):
    def h1(z):
        return z * 2.0

    def h3(z):
        return z**3

    def h2(z, f=h1):
        return f(z)

    return np.sum(h2(x) + h2(x, h3) + h2(x, f=h3))


DEFAULTS = [
    default_rebound,
    default_late_binding,
    default_lambda_kwonly,
    default_in_loop,
    default_overridden,
]


@pytest.mark.parametrize("f", DEFAULTS)
def test_nested_function_default(f):
    np.testing.assert_allclose(srcad.primal(f)(X4), f(X4))
    check_grads(f, (X4,), modes=("fwd", "rev"))
    check_grads(f, (X4,), modes=("rev",), order=2)


def default_writer(x):
    n = 0

    def h1(z):
        nonlocal n
        n += 1
        return z * 2.0

    def h2(z, f=h1):
        return f(z)

    return np.sum(h2(x)) * n


def default_reads_what_a_call_writes(x):
    c = 1.0

    def bump():
        nonlocal c
        c = c + 1.0

    def h1(z):
        return z * c

    def h2(z, f=h1):
        bump()
        return f(z)  # (Python: c is 2.0 here)

    return np.sum(h2(x))


@pytest.mark.parametrize("f", [default_writer, default_reads_what_a_call_writes])
def test_nested_function_default_writing_around_refused(f):
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.grad(f)(X4)


def default_writer_elsewhere(x):
    total = 0.0

    def bump(v):
        nonlocal total
        total = total + v

    def h1(z):
        return np.sin(z)

    def h2(z, f=h1):
        return f(z) * 2.0

    bump(x[0])
    return np.sum(h2(x)) + total


def default_whose_default_reads_a_written_name(x):
    acc = 0.0

    def bump(t):
        nonlocal acc
        acc = acc + t * t
        return t

    bump(x[0])

    def h1(z, scale=acc * 0.1 + 1.0):  # (read at the def, not when h1 runs)
        return np.tanh(z * scale)

    def h2(z, f=h1):
        return f(z) * 2.0

    return np.sum(h2(x))


@pytest.mark.parametrize(
    "f", [default_writer_elsewhere, default_whose_default_reads_a_written_name]
)
def test_nested_function_default_next_to_a_writer(f):
    """(wild33 seeds 33602104, 33610134: a `nonlocal` write elsewhere in the function, or of a
    name the default function's own default reads, kept the refusal)"""
    np.testing.assert_allclose(srcad.primal(f)(X4), f(X4))
    check_grads(f, (X4,), modes=("fwd", "rev"))


# -- np.logaddexp.reduce / accumulate of float32 arrays ------------------------------------------


def lae_reduce_f32(x1):
    h = np.asarray(x1 * np.arange(1.0, 4.0), dtype=np.float32)
    return np.logaddexp.reduce(np.atleast_1d(max([e * e for e in h], default=0.0))) + h[0]


def lae_accumulate_f32(x1):
    return np.logaddexp.accumulate(np.asarray(x1 * np.arange(1.0, 4.0), dtype=np.float32))


def lae2_reduce_axis_f32(x1):
    return np.logaddexp2.reduce(np.asarray(x1 * np.ones((2, 3)), dtype=np.float32), axis=1)


def lae_reduce_ints(x1):
    return np.logaddexp.reduce(np.array([1, 2, 3])) * x1


@pytest.mark.parametrize(
    "f", [lae_reduce_f32, lae_accumulate_f32, lae2_reduce_axis_f32, lae_reduce_ints]
)
def test_logaddexp_reduce_keeps_numpy_dtype(f):
    want, got = f(-0.9847), srcad.primal(f)(-0.9847)
    assert np.asarray(got).dtype == np.asarray(want).dtype
    np.testing.assert_allclose(got, want, rtol=1e-6)
    # (float32 values: the derivative against float64 central differences of a float64 twin)
    g = srcad.jacfwd(f)(-0.9847)
    g64 = srcad.jacfwd(lambda t: np.asarray(f(t), dtype=float))(-0.9847)
    np.testing.assert_allclose(np.asarray(g, float), np.asarray(g64, float), rtol=1e-5)


def test_logaddexp_reduce_float64_derivatives():
    m = np.arange(6.0).reshape(2, 3) * 0.3
    check_grads(lambda x: np.logaddexp.reduce(x, axis=0) @ np.ones(3), (m,), modes=("fwd", "rev"))

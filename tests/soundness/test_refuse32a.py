"""What refuse32a accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences where cheap), and
the neighbours that must stay refused or be computed as NumPy computes them:

1. ``min(a, b, key=f)`` / ``max(a, b, c, key=f)``: Python's ``min([a, b], key=f)``
   (lower/idioms.keyed); it was refused as a lambda used as a value. The picked object is the
   argument itself, so a write into it is seen through the argument's name: still refused.
2. ``r = a[np.int64(1)]; r[0] = v``: a NumPy integer of an int indexes as the int does, so the
   row is a view written through (lower/viewfacts._np_int; passes/scalars.int_vars and
   alias_nested._same_index know ``np.int64(1)`` read twice is one key); a read of another
   name of the row after the write, or the same code on a 1-D array, stays refused.
3. ``T = np.tensordot(A, B, axes=1); T[0].fill(c)``: tensordot makes a new array no other name
   holds (lower/viewbases._tensordot), so the fill is ``T[0] = c``; it said "the in-place method
   `.fill()` is not supported". A second name of `T` read after the fill stays refused, and a
   full contraction (0-d) raises as NumPy does.
4. ``a[::-1].sort()`` / ``A[:, ::-1].sort(axis=0)`` / ``A.T[1].sort()``: NumPy sorts the view's
   elements in place, which is the write ``a[::-1] = np.sort(a[::-1])`` (lower/viewregion.
   sort_sub, through viewwrites.sub_fill); it said "the in-place method `.sort()` is not
   supported". A copy's sort (``a[[2, 0, 1]].sort()``, a list's slice) changes nothing in
   Python and stays refused, a second name read after it too, and ``a[0].sort()`` of a 1-D
   array raises as NumPy does.
5. ``for v in A.flat`` / ``enumerate(A.T.flat)`` / ``[f(v) for v in A[:, 1:].flat]``: the
   items of ``A.ravel()``, in C order (lower/flatiter.items, iterzip.special_space); it said
   "no derivative rule for `.flat`". A body writing into `A` (NumPy's iterator reads the
   changed elements later) stays refused; an object's own ``flat`` field is left alone.
6. ``D = np.diag(M); D[0] = v`` with `M` 2-D: NumPy returns the read-only diagonal and raises
   ValueError. srcad computed a value (`M` made here of a rank it did not know) or blamed the
   global (`M` a global array); now refused at the write when `M` is certainly 2-D (a global's
   value, ``np.outer``/``np.eye``, passes/ranks.py), else checked when it runs (NumPy's
   ValueError; passes/readonly._diag_check). ``np.diag(v)`` of a 1-D `v` is a new array:
   written as before, and so is a copy of the diagonal.
7. ``y = x * 1.0; r = y.reshape(2, 3); r[0, 1] = v`` then `y` read: the reshape of a
   C-contiguous array is a view, so the write changes `y` (NumPy); lower/viewfacts.chain took
   no reshape of a base that may be a number (``x * 1.0`` of a float `x`), now taken with `y`
   asserted a C-contiguous ndarray when it runs. Another name of `y` read after the write, a
   reshape of a transposed (non-contiguous) array, and `y` a NumPy number stay refused.
8. ``scipy.signal.convolve2d(a, k, boundary="symm" | "wrap")`` (their aliases, and "fill" with
   a ``fillvalue``, which may be differentiated): `a` padded as the boundary extends it
   (``np.pad``, by the kernel's size less one, "same" by its halves, which correlate2d takes
   the other way round) then the "valid" convolve/correlate (lower/library_lib25._padded2d);
   they had no rule. Checked against SciPy for every mode and both functions, kernels larger
   than the input included.
9. complex values written into float arrays (``np.put``, ``y.put``, ``np.copyto(...,
   casting="unsafe")``): NumPy keeps the real part (ComplexWarning), so the derivative is the
   real part's. The writers were refused as complex ops; now complex-safe (their tangents take
   the real part where the array is real: `out_tangent`, `real_like`), and their result is
   complex only when the array written into is (passes/complex_taint._WRITERS). Into a complex
   array the imaginary part is kept; ``np.copyto``'s default casting still raises TypeError.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. min/max of several positional arguments with key= ---------------------------------------
def min_max_two_keyed(x):
    a, b = x * 1.5, np.sin(x) + 0.25
    lo = min(a, b, key=lambda t: np.sum(t**2))
    hi = max(a, b, key=lambda t: float(np.sum(t)))
    return np.sum(lo * hi) + np.sum(lo)


def max_three_keyed_numbers(x):
    return max(x[0] * 2.0, x[1] ** 2, x[2], key=abs) * x[3]


def min_keyed_first_of_ties(x):
    a, b = x * 2.0, x * 3.0
    return np.sum(min(b, a, key=len) * x)  # equal keys: the first argument, as Python


@pytest.mark.parametrize("f", [min_max_two_keyed, max_three_keyed_numbers, min_keyed_first_of_ties])
def test_min_max_of_arguments_with_key(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def keyed_pick_written(x):
    a, b = x * 1.0, x * 2.0
    m = min(a, b, key=np.sum)
    m[0] = 7.0  # `m` is `a` or `b`: the write is seen through that name
    return np.sum(a * x)


def test_keyed_pick_written_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(keyed_pick_written)(X)


# -- 2. a row picked by a NumPy integer, written through -----------------------------------------
A33 = np.array([[0.5, -1.2, 0.8], [2.0, 0.3, -0.4], [1.1, 0.7, -0.9]])


def row_by_np_int(a):
    b = a * 1.0
    r = b[np.int64(1)]
    r[0] = a[0, 0] ** 2
    return np.sum(b * a)


def row_slice_by_np_int32(a):
    b = np.tanh(a)
    r = b[np.int32(2)]
    r[1:] = a[0, 1:] * 3.0
    return np.sum(b * b)


@pytest.mark.parametrize("f", [row_by_np_int, row_slice_by_np_int32])
def test_row_view_by_numpy_integer(f):
    assert srcad.primal(f)(A33.copy()) == pytest.approx(f(A33.copy()), rel=1e-14)
    _both(f, A33)
    H = srcad.hessian(lambda a: f(a) ** 2)(A33.copy())
    assert H.shape == (3, 3, 3, 3) and np.all(np.isfinite(H))


def row_by_np_int_other_name_read(a):
    b = a * 1.0
    r = b[np.int64(1)]
    c = b[1]
    r[0] = 3.0  # `c` is the same row: Python sees the write
    return np.sum(c * a[0])


def row_by_np_int_of_1d(x):
    b = x * 1.0
    r = b[np.int64(1)]  # a number: NumPy raises at the write
    r[0] = 3.0
    return np.sum(b)


def test_row_by_numpy_integer_neighbours_stay_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(row_by_np_int_other_name_read)(A33)
    with pytest.raises(srcad.SrcadError, match="not a NumPy array of 2 or more dimensions"):
        srcad.grad(row_by_np_int_of_1d)(X)


# -- 3. .fill() on a view of a tensordot result ----------------------------------------------------
B34 = np.array([[0.3, -0.5, 1.2, 0.1], [0.9, 0.4, -0.2, 0.6], [-0.7, 0.2, 0.5, 1.3]])


def tensordot_row_fill(a, b):
    T = np.tensordot(a, b, axes=1)
    T[0].fill(2.0)
    return np.sum(T * T)


def tensordot_axes_pairs_fill(a, b):
    T = np.tensordot(np.tanh(a), b, axes=([0], [0]))
    T[1:, 2].fill(-0.5)
    return np.sum(np.sin(T))


@pytest.mark.parametrize("f", [tensordot_row_fill, tensordot_axes_pairs_fill])
def test_fill_of_a_tensordot_view(f):
    assert srcad.primal(f)(A33.copy(), B34.copy()) == pytest.approx(f(A33.copy(), B34.copy()))
    _both(f, A33, B34)
    H = srcad.hessian(f, wrt=1)(A33.copy(), B34.copy())
    assert H.shape == (3, 4, 3, 4) and np.all(np.isfinite(H))


def tensordot_second_name_read(a, b):
    T = np.tensordot(a, b, 1)
    S = T
    T[0].fill(2.0)  # `S` is `T`
    return np.sum(S * a[0, 0])


def tensordot_full_contraction_fill(a, b):
    T = np.tensordot(a, b[:, :3], axes=2)  # 0-d: NumPy's T[0] raises IndexError
    T[0].fill(2.0)
    return np.sum(T)


def test_fill_of_a_tensordot_neighbours():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(tensordot_second_name_read)(A33, B34)
    with pytest.raises(srcad.SrcadError, match="not a NumPy array of 2 or more dimensions"):
        srcad.grad(tensordot_full_contraction_fill)(A33, B34)


# -- 4. .sort() of a view ---------------------------------------------------------------------------
W4 = np.array([1.0, -2.0, 0.5, 3.0])


def reversed_view_sort(x):
    a = np.sin(x) * 2.0
    a[::-1].sort()  # a descending sort of `a`
    return np.sum(a * W4)


def column_and_row_view_sorts(x):
    A = np.outer(x, x[:3])
    A[:, ::-1].sort(axis=0)
    A.T[1].sort()
    return np.sum(A * np.arange(12.0).reshape(4, 3))


@pytest.mark.parametrize("f", [reversed_view_sort, column_and_row_view_sorts])
def test_sort_of_a_view(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def copy_sort(x):
    a = x * 1.0
    a[[2, 0, 1]].sort()  # sorts a copy: `a` unchanged
    return np.sum(a * W4)


def sort_then_second_name(x):
    a = x * 1.0
    b = a
    a[1:].sort()
    return np.sum(b * W4)


def element_sort(x):
    a = x * 1.0
    a[0].sort()  # NumPy: AxisError (a 0-d value)
    return np.sum(a)


def test_sort_of_a_view_neighbours():
    with pytest.raises(srcad.SrcadError, match="in-place method `.sort"):
        srcad.grad(copy_sort)(X)
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(sort_then_second_name)(X)
    with pytest.raises(srcad.SrcadError, match="not a NumPy array of 2 or more dimensions"):
        srcad.grad(element_sort)(X)


# -- 5. iterating A.flat ---------------------------------------------------------------------------
A23 = np.array([[0.5, -1.2, 0.8], [2.0, 0.3, -0.4]])


def flat_loops(a):
    s = 0.0
    for v in a.flat:
        s = s + v * v
    for i, v in enumerate(a.T.flat):
        s = s + v * (i + 1.0)
    return s + sum(np.sin(v) for v in (a * 2.0).flat) + np.sum([v**3 for v in a[:, 1:].flat])


class _Fields:
    def __init__(self, w):
        self.flat = [w[0, 0], w[1, 2]]


def object_field_named_flat(a):
    return sum(v * 2.0 for v in _Fields(a).flat)


@pytest.mark.parametrize("f", [flat_loops, object_field_named_flat])
def test_iterating_flat(f):
    assert srcad.primal(f)(A23.copy()) == pytest.approx(f(A23.copy()), rel=1e-14)
    _both(f, A23)
    H = srcad.hessian(f)(A23.copy())
    assert H.shape == (2, 3, 2, 3) and np.all(np.isfinite(H))


def flat_loop_writing_its_array(a):
    b = a * 1.0
    s = 0.0
    for v in b.flat:
        b[1, 1] = b[1, 1] + v  # read by the iterator later
        s = s + v * v
    return s


def test_flat_loop_writing_its_array_stays_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(flat_loop_writing_its_array)(A23)


# -- 6. writes into np.diag of a 2-D array raise, as NumPy's ---------------------------------------
G33 = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])


def diag_of_global_written(x):
    D = np.diag(G33)
    D[0] = x[0]
    return np.sum(D * x[:3])


def diag_of_outer_scaled(x):
    D = np.diag(np.outer(x, x), 1)
    D *= 2.0
    return np.sum(D)


def diag_of_unknown_rank_written(x):
    A = x[:, None] * x  # 2-D when it runs
    D = np.diag(A)
    D[0] = 1.0
    return np.sum(D)


def test_writes_into_diag_of_2d_raise():
    for f in (diag_of_global_written, diag_of_outer_scaled, diag_of_unknown_rank_written):
        with pytest.raises(ValueError, match="read-only"):
            f(X.copy())
    for f in (diag_of_global_written, diag_of_outer_scaled):
        with pytest.raises(srcad.SrcadError, match="read-only view np.diag of a 2-D array"):
            srcad.grad(f)(X)
    with pytest.raises(ValueError, match="read-only"):
        srcad.grad(diag_of_unknown_rank_written)(X)
    with pytest.raises(ValueError, match="read-only"):
        srcad.jvp(diag_of_unknown_rank_written, (X,), (X,))


def diag_of_1d_written(x):
    v = x * 2.0  # rank unknown when lowering: checked, 1-D when it runs
    D = np.diag(v)
    D[0, 1] = x[0] ** 2
    if x[1] < 0:
        D[1] = D[1] * 3.0
    return np.sum(D * D) + np.sum(np.diag(G33).copy() * x[:3])


def test_writes_into_diag_of_1d_differentiate():
    assert srcad.primal(diag_of_1d_written)(X.copy()) == pytest.approx(diag_of_1d_written(X))
    _both(diag_of_1d_written, X)
    check_scalar(diag_of_1d_written, X)


# -- 7. writes through a reshape of an array made by arithmetic ------------------------------------
X6 = np.array([0.2, -0.45, 0.7, 0.95, -1.2, 1.4])


def reshape_of_product_written(x):
    y = x * 1.0
    r = y.reshape(2, 3)
    r[0, 1] = x[0] ** 2  # `y[1]` too
    return np.sum(y * x)


def reshape_rows_updated(x):
    y = np.sin(x) * 2.0
    r = np.reshape(y, (3, 2))
    r[1] *= 3.0
    r[2, :] = r[0, :] + x[:2]
    return np.sum(y * y) + np.sum(r)


@pytest.mark.parametrize("f", [reshape_of_product_written, reshape_rows_updated])
def test_write_through_reshape_of_a_new_array(f):
    assert srcad.primal(f)(X6.copy()) == pytest.approx(f(X6.copy()), rel=1e-14)
    _both(f, X6)
    check_scalar(f, X6)


def reshape_then_other_view_read(x):
    y = x * 1.0
    r = y.reshape(2, 3)
    t = y[1:]
    r[0, 1] = 7.0  # `t[0]` is that element
    return np.sum(t * x[1:])


def reshape_of_transposed_written(x):
    y = (x.reshape(2, 3) * 1.0).T
    r = y.reshape(6)  # a copy (not C-contiguous): `y` unchanged in NumPy
    r[0] = 9.0
    return np.sum(y * y)


def test_other_view_read_after_a_reshape_written():
    # lifted by hunt39a (lower/viewwrites._region: `t = y[1:]` bound after the active view `r`
    # sees the write through `r`; tests/soundness/test_hunt39a.py)
    f = reshape_then_other_view_read
    assert srcad.primal(f)(X6.copy()) == pytest.approx(f(X6.copy()), rel=1e-14)
    _both(f, X6)
    check_scalar(f, X6)


def reshape_of_number_written(x):
    y = x[0] * 2.0  # a NumPy number: its reshape is a new array
    r = y.reshape(1)
    r[0] = 5.0
    return y * x[1]


def test_write_through_reshape_neighbours_stay_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(reshape_of_transposed_written)(X6)
    with pytest.raises(srcad.SrcadError, match="not a NumPy array, C-contiguous"):
        srcad.grad(reshape_of_number_written)(X6)


# -- 8. convolve2d / correlate2d with the symm, wrap and fill boundaries ----------------------------
A45 = np.array(
    [[0.5, -1.2, 0.8, 0.1, 1.3], [2.0, 0.3, -0.4, 0.9, -0.6], [1.1, 0.7, -0.9, 0.2, 0.4],
     [-0.3, 1.5, 0.6, -1.1, 0.8]]
)  # fmt: skip
K23 = np.array([[0.3, -0.5, 1.2], [0.9, 0.4, -0.2]])
K55 = np.linspace(-1.0, 1.2, 25).reshape(5, 5)  # larger than the input's rows


def conv_symm_same(a, k):
    from scipy import signal

    return np.sum(np.tanh(signal.convolve2d(a, k, mode="same", boundary="symm")) ** 2)


def corr_wrap_full(a, k):
    from scipy import signal

    return np.sum(signal.correlate2d(a, k, "full", "wrap") ** 2)


def corr_symmetric_same(a, k):
    from scipy import signal

    return np.sum(np.sin(signal.correlate2d(a, k, mode="same", boundary="symmetric")))


def conv_circular_valid_and_fill(a, k):
    from scipy import signal

    fv = a[0, 0] * 2.0  # a differentiated fill value
    out = signal.convolve2d(a, k, mode="full", boundary="fill", fillvalue=fv)
    return np.sum(out**2) + np.sum(signal.convolve2d(a, k, "valid", boundary="circular"))


@pytest.mark.parametrize(
    "f", [conv_symm_same, corr_wrap_full, corr_symmetric_same, conv_circular_valid_and_fill]
)
@pytest.mark.parametrize("k", [K23, K55], ids=["k23", "k55"])
def test_convolve2d_boundaries(f, k):
    pytest.importorskip("scipy")
    if f is conv_circular_valid_and_fill and k is K55:
        k = K23[:, :2]  # ("valid" needs the kernel inside the input)
    assert srcad.primal(f)(A45.copy(), k) == pytest.approx(f(A45.copy(), k), rel=1e-12)
    _both(f, A45, k)
    H = srcad.hessian(f, wrt=1)(A45.copy(), k)
    assert H.shape == k.shape * 2 and np.all(np.isfinite(H))


# -- 9. complex values written into float arrays ----------------------------------------------------
C3 = np.array([1.0 + 2.0j, -0.5 + 0.3j, 0.2 - 1.1j])


def put_complex_into_floats(x):
    y = np.zeros(4)
    np.put(y, [0, 2], x[:2] * (1 + 2j))
    y.put([3], np.exp(1j * x[3]) * C3[1])
    return np.sum(np.sin(y) * x)


def copyto_complex_unsafe(x):
    y = np.zeros(4)
    np.copyto(y, np.exp(1j * x) * C3[0], casting="unsafe")
    return np.sum(y * x)


def writes_into_complex_array(x):
    y = np.zeros(4, dtype=complex)
    np.put(y, [2, 0], x[:2] * C3[:2])
    np.copyto(y, y * np.exp(1j * x), casting="unsafe")
    return np.sum(np.abs(y) ** 2 + y.imag)


@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.parametrize(
    "f", [put_complex_into_floats, copyto_complex_unsafe, writes_into_complex_array]
)
def test_complex_values_written_into_arrays(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()), rel=1e-14)
    _both(f, X)
    check_scalar(f, X)


def copyto_complex_same_kind(x):
    y = np.zeros(4)
    np.copyto(y, x * 1j)  # NumPy: TypeError (same_kind casting)
    return np.sum(y)


def test_copyto_complex_same_kind_raises():
    with pytest.raises(TypeError, match="same_kind"):
        srcad.grad(copyto_complex_same_kind)(X)

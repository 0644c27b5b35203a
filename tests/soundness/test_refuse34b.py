"""What refuse34b accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), and the
neighbours that must stay refused (tests/corpus/ported_refuse34b.py holds the corpus cases):

1. ``try``/``finally`` whose body returns, breaks or continues: the ``finally`` part copied
   before each exit (lower/finallies.py); a ``finally`` part that exits itself, or a nested
   ``try`` that exits, stays refused.
2. A list of arrays updated in place by a loop index, scikit-learn's MLP forward pass
   (``activations[i + 1] = activations[i] @ W[i]; activations[i + 1] += b[i]``): the mutation
   check knows a list literal's entries by position (passes/alias_slots.py) and the positions
   ``i + 1`` may name (passes/int_bounds.py), so the update never reaches the argument in
   ``activations[0]``. Updates that may reach it (``i`` itself, ``-2``, after ``append``,
   ``reverse``, a slice store, a second name, a helper's store) stay refused.
3. ``np.maximum.reduceat``/``np.minimum.reduceat`` (rules/reduceat_unique.py: ties share the
   derivative, as ``np.max``'s do).
4. ``np.unique(x)`` of a differentiated array, with ``return_index``/``return_inverse``/
   ``return_counts`` (lower/unique_np.py): distinct values move with their entries; where a
   value repeats there is no derivative and the derivative code raises `srcad.SrcadError`
   (``u[inverse]`` is `x` itself, which neither averaging nor picking a copy would give).
5. A dataclass built inside a `srcad.checkpoint` body: its generated ``__init__`` runs nothing
   of the user's (ad/objclasses.py); one whose default factory draws random numbers, or with a
   ``__post_init__``, stays refused in reverse mode.
6. ``np.linalg.norm`` of a complex array (vector norms, any ``ord``; matrix Frobenius norm): a
   norm of ``|z|``, so its derivative is the chain through ``|z|`` (``Re(conj(z) dz) / |z|``
   weighted, JAX's answer for the real and imaginary parts). The complex matrix 2-/nuclear
   norms and every second derivative of a complex norm raise `srcad.SrcadError` (their rules
   are for real values: before, a Hessian came out wrong).
7. ``with np.errstate(divide="raise", ...):`` (``invalid=``, ``over=``, ``all=``): the block is
   a ``try`` whose steps run under that errstate before they run (lower/withs.raising_try), so
   the values raise FloatingPointError where NumPy does, in every mode; ``"call"`` stays
   refused.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. try/finally with exits ------------------------------------------------------------------
def fin_return(x):
    s = 0.0
    try:
        s = np.sum(np.sin(x))
        if s > 10.0:
            return s
        s = s * 2.0
        return s * s
    finally:
        s = 0.0  # (the value returned was computed before)


def fin_continue(x):
    total = 0.0
    count = 0.0
    for i in range(len(x)):
        try:
            if x[i] < 0:
                continue
            total = total + x[i] ** 2
        finally:
            count = count + x[i]
    return total * count


def fin_break(x):
    out = []
    for v in x:
        try:
            if v > 1.5:
                break
            out.append(v * v)
        finally:
            out.append(v)
    return sum(out)


def fin_inner_break(x):
    acc = x * 1.0
    for k in range(3):
        try:
            for j in range(2):
                if j == 1:
                    break  # (leaves the inner loop only: no `finally` here)
                acc = acc * 1.1
            if k == 2:
                return np.sum(acc**2)
        finally:
            acc = acc + 0.5
    return -1.0


@pytest.mark.parametrize("f", [fin_return, fin_continue, fin_break, fin_inner_break])
def test_try_finally_with_exits(f):
    _both(f, X)
    check_scalar(f, X)
    assert srcad.value_and_grad(f)(X.copy())[0] == f(X.copy())


def fin_exits_itself(x):
    for v in x:
        try:
            y = v * 2.0
        finally:
            if v > 0:
                break  # noqa: B012 (refused: what it tests)
    return y


def fin_nested_try(x):
    try:
        try:
            return x[0] * 2.0
        finally:
            x = x * 3.0
    finally:
        x = x + 1.0


@pytest.mark.parametrize("f", [fin_exits_itself, fin_nested_try])
def test_try_finally_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="try`/`finally"):
        srcad.grad(f)(X)


# -- 2. a list of arrays updated in place by a loop index ----------------------------------------
R = np.random.default_rng(3)
W1, W2 = R.standard_normal((4, 5)), R.standard_normal((5, 2))
XB = R.standard_normal((3, 4))


def mlp_forward(b1, b2):
    coefs = [W1, W2]
    intercepts = [b1, b2]
    activations = [XB, None, None]
    for i in range(2):
        activations[i + 1] = activations[i] @ coefs[i]
        activations[i + 1] += intercepts[i]
        if i + 1 != 2:
            activations[i + 1] = np.tanh(activations[i + 1])
    return np.sum(activations[2] ** 2)


def mlp_input(x0, b1, b2):
    activations = [x0, None, None]
    coefs = [W1, W2]
    for i in range(len(coefs)):
        activations[i + 1] = activations[i] @ coefs[i]
        activations[i + 1] += [b1, b2][i]
    activations[-1] *= 0.5
    return np.sum(np.sin(activations[2]))


def constant_slots(x, b):
    acts = [x, None, x * 2.0]
    acts[1] = np.sin(acts[0])
    acts[1] += b
    acts[-1] += acts[1]
    return np.sum(acts[1] * acts[2])


def test_list_slots_by_loop_index():
    b1, b2 = R.standard_normal(5), R.standard_normal(2)
    _both(mlp_forward, b1, b2)
    x0 = R.standard_normal((3, 4))
    keep = x0.copy()
    _both(mlp_input, x0, b1, b2)
    check_grads(mlp_input, (x0, b1, b2), modes=("rev",), wrt=(0,))
    assert np.array_equal(x0, keep)
    _both(constant_slots, X, X[::-1].copy())
    check_scalar(lambda v: constant_slots(v, X * 0.5), X)


def _put(a, v):
    a[1] = v


def upd_index_itself(x, b):
    acts = [x, None]
    for i in range(2):
        acts[i] = x * 2.0 if i else acts[i]
        acts[i] += b
    return np.sum(acts[1])


def upd_negative(x, b):
    acts = [x, x * 2]
    acts[-2] += b
    return np.sum(acts[1])


def upd_second_name(x, b):
    acts = [x * 1.0, None]
    c = acts
    acts[1] = x
    c[1] += b
    return np.sum(acts[0])


def upd_helper_store(x, b):
    acts = [x * 1.0, x * 3.0]
    _put(acts, x)
    acts[1] += b
    return np.sum(acts[0] * acts[1])


def upd_after_append(x, b):
    acts = [x * 1.0]
    acts.append(x)
    acts[1] += b
    return np.sum(acts[0])


def upd_after_reverse(x, b):
    acts = [x, x * 2.0]
    acts.reverse()
    acts[1] += b
    return np.sum(acts[0])


def upd_down_loop(x, b):
    acts = [x, x * 2.0]
    for i in range(1, -1, -1):
        acts[i] += b
    return np.sum(acts[0])


def upd_slice_store(x, b):
    acts = [x, None]
    acts[1:] = [x]
    acts[1] += b
    return np.sum(acts[0])


def upd_nested_store(x, b):
    acts = [x, None]
    lst = [acts]
    lst[0][1] = x
    acts[1] += b
    return np.sum(acts[0])


def upd_loop_carried_index(x, b):
    acts = [x, x * 2.0]
    j = 1
    for i in range(1, 2):
        j = i - 1
    acts[j] += b
    return np.sum(acts[0])


@pytest.mark.parametrize(
    "f",
    [
        upd_index_itself,
        upd_negative,
        upd_helper_store,
        upd_after_append,
        upd_after_reverse,
        upd_down_loop,
        upd_slice_store,
        upd_loop_carried_index,
    ],
)
def test_list_slot_updates_reaching_the_argument_refused(f):
    x = X.copy()
    f(x, X * 0.5)
    assert not np.array_equal(x, X)  # Python changes the caller's array
    with pytest.raises(srcad.SrcadError, match="in place"):
        srcad.grad(f)(X.copy(), X * 0.5)


# -- 3. maximum/minimum.reduceat ----------------------------------------------------------------
def segment_max_pool(x):
    starts = [0, 2, 5]
    return np.sum(np.maximum.reduceat(x, starts) ** 2) + np.sum(np.minimum.reduceat(x, starts))


def segment_max_rows(a):
    return np.sum(np.tanh(np.maximum.reduceat(a, [0, 3, 1], axis=1)))


def test_ext_reduceat():
    x = np.array([0.3, -1.1, 0.8, 1.7, -0.4, 0.9, 2.2])
    _both(segment_max_pool, x)
    check_scalar(segment_max_pool, x)
    _both(segment_max_rows, R.standard_normal((3, 5)))
    assert srcad.value_and_grad(segment_max_pool)(x)[0] == segment_max_pool(x)


def test_ext_reduceat_tie_shared():
    x = np.array([1.0, 2.0, 2.0, -1.0])
    g = srcad.grad(lambda v: np.sum(np.maximum.reduceat(v, [0, 3])))(x)
    np.testing.assert_allclose(g, [0.0, 0.5, 0.5, 1.0])


# -- 4. np.unique's values ----------------------------------------------------------------------
XD = np.array([0.7, -0.2, 1.9, 0.4, -1.3])


def unique_spacing(x):
    u = np.unique(x)
    return np.sum(np.diff(u) ** 2) + u[0] * u[-1]


def unique_all_flags(x):
    u, first, inv, counts = np.unique(
        x * 2.0, return_index=True, return_inverse=True, return_counts=True
    )
    return np.sum(u[inv] * x) + np.sum(u * counts) + x[first[0]]


def unique_of_matrix(a):
    u, inv = np.unique(np.sin(a), return_inverse=True)
    return np.sum(u * np.arange(len(u))) + np.sum(u[inv.ravel()] ** 2)


def test_unique_values_distinct():
    _both(unique_spacing, XD)
    check_scalar(unique_spacing, XD)
    _both(unique_all_flags, XD)
    check_scalar(unique_all_flags, XD)
    _both(unique_of_matrix, R.standard_normal((2, 3)))
    assert srcad.value_and_grad(unique_all_flags)(XD)[0] == unique_all_flags(XD)


def unique_identity(x, w):
    u, inv = np.unique(x, return_inverse=True)
    return np.sum(w * u[inv])  # u[inv] is x: the gradient in x is w, for any x


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_unique_repeated_values_raise(mode):
    x = np.array([0.5, 1.5, 0.5, 2.0])
    w = np.array([1.0, 2.0, 3.0, 4.0])
    assert unique_identity(x, w) == np.sum(w * x)
    with pytest.raises(srcad.SrcadError, match="np.unique` of values that repeat"):
        if mode == "grad":
            srcad.grad(unique_identity)(x, w)
        else:
            srcad.jvp(unique_identity, (x, w), (w, w))
    np.testing.assert_allclose(srcad.grad(unique_identity)(x + [0, 0, 0.1, 0], w), w)
    # not differentiated: the repeats are fine
    assert srcad.grad(unique_identity, wrt=1)(x, w) @ w == unique_identity(x, w)


# -- 5. a dataclass built inside a srcad.checkpoint body ---------------------------------------
@dataclasses.dataclass
class Particle:
    pos: np.ndarray
    vel: np.ndarray
    tags: list = dataclasses.field(default_factory=list)
    mass: float = 2.0


def _advance(x):
    p = Particle(np.sin(x), np.cos(x))
    p.pos = p.pos + 0.1 * p.vel / p.mass
    return p.pos * p.vel


def ckpt_dataclass(x):
    y = srcad.checkpoint(_advance)(x)
    return np.sum(y**2)


def test_checkpoint_body_building_a_dataclass():
    _both(ckpt_dataclass, X)
    check_scalar(ckpt_dataclass, X)


_RNG = np.random.default_rng(5)


@dataclasses.dataclass
class Noisy:
    pos: np.ndarray
    noise: float = dataclasses.field(default_factory=lambda: float(_RNG.normal()))


@dataclasses.dataclass
class Posted:
    pos: np.ndarray

    def __post_init__(self):
        self.pos = self.pos + _RNG.normal()


def _noisy(x):
    return Noisy(x * 2.0).pos * 3.0


def _posted(x):
    return Posted(x * 2.0).pos * 3.0


@pytest.mark.parametrize("body", [_noisy, _posted])
def test_checkpoint_dataclass_running_user_code_refused(body):
    def f(x):
        return np.sum(srcad.checkpoint(body)(x))

    with pytest.raises(srcad.SrcadError):  # (a `__post_init__`: refused before the check)
        srcad.grad(f)(X)


# -- 6. np.linalg.norm of a complex array -------------------------------------------------------
A34 = R.standard_normal((3, 4))
B34 = R.standard_normal((3, 4))


def norm_of_complex(re, im):
    z = re + 1j * im
    return np.linalg.norm(z) + np.linalg.norm(z, ord=1) + np.linalg.norm(z * 1j, ord=np.inf)


def norm_rows_complex(re, im):
    z = A34 * re + 1j * B34 * im
    return np.sum(np.linalg.norm(z, axis=1) ** 2) + np.linalg.norm(z, "fro")


def norm_p3_spectrum(re, im):
    return np.linalg.norm(np.fft.fft(re + 1j * im), ord=3)


@pytest.mark.parametrize("f", [norm_of_complex, norm_rows_complex, norm_p3_spectrum])
def test_norm_of_complex(f):
    re, im = R.standard_normal(4), R.standard_normal(4)
    _both(f, re, im)
    g = srcad.grad(lambda v: f(v[:4], v[4:]))(np.concatenate([re, im]))
    if f is norm_of_complex:  # d|z|_2 / d(re, im) = (re, im) / |z|_2 on top of the others
        n = np.hypot(re, im)
        expect = np.concatenate([re, im]) / np.linalg.norm(n)
        expect += np.concatenate([re, im]) / np.tile(n, 2)
        k = np.argmax(n)
        expect[[k, k + 4]] += np.array([re[k], im[k]]) / n[k]
        np.testing.assert_allclose(g, expect, rtol=1e-12)


def test_norm_of_complex_second_order_and_matrix_2_norm_refused():
    v = R.standard_normal(8)
    with pytest.raises(srcad.SrcadError, match="second derivative of np.linalg.norm"):
        srcad.hessian(lambda w: np.linalg.norm(w[:4] + 1j * w[4:]))(v)
    with pytest.raises(srcad.SrcadError, match="complex matrix"):
        srcad.grad(lambda w: np.linalg.norm(np.outer(w[:4], w[4:] * 1j), 2))(v)


# -- 7. with np.errstate(...="raise") ------------------------------------------------------------
def err_divide(x):
    with np.errstate(divide="raise"):
        y = np.log(x * x)
    return np.sum(y * x)


def err_over_invalid(x):
    with np.errstate(invalid="raise", over="raise"):
        y = np.sqrt(x * x + 1.0)
        z = np.exp(y) / (1.0 + y)
    return np.sum(z)


def err_all_loop(x):
    s = 0.0
    with np.errstate(all="raise"):
        for i in range(len(x)):
            s = s + 1.0 / x[i] ** 2
    return s


@pytest.mark.parametrize(
    "f, bad",
    [
        (err_divide, np.array([0.0, 1.0])),
        (err_over_invalid, np.array([1000.0, 1.0])),
        (err_all_loop, np.array([1.0, 0.0])),
    ],
)
def test_errstate_raise(f, bad):
    _both(f, X)
    check_scalar(f, X)
    with pytest.raises(FloatingPointError):
        f(bad)
    with pytest.raises(FloatingPointError):
        srcad.grad(f)(bad)
    with pytest.raises(FloatingPointError):
        srcad.jvp(f, (bad,), (np.ones(2),))
    with pytest.raises(FloatingPointError):
        srcad.hessian(f)(bad)
    assert np.geterr()["divide"] == "warn"  # (left as it was)


def err_sqrt_at_zero(x):
    with np.errstate(divide="raise", invalid="raise"):
        y = np.sqrt(x)
    return np.sum(y)


def test_errstate_raise_not_in_the_derivative():
    # NumPy's sqrt(0) raises nothing; its derivative's 1/0 is srcad's, outside the block
    with np.errstate(divide="ignore"):
        g = srcad.grad(err_sqrt_at_zero)(np.array([0.0, 4.0]))
    assert g[1] == 0.25 and np.isinf(g[0])

"""Soundness fixes of session 32's hunt32b: derivatives called inside differentiated code.
Input: small functions written like users' code; output: assertions against NumPy and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])


# -- srcad.jacfwd / jacrev / hessian inside, of a function of a tuple, or returning a dict --------
# Inside a differentiated function these Jacobians are loops over unit vectors of one flattened
# array (lower/api_calls.py). A tuple of two same-shape arrays as the argument was read as one
# stacked (2, 3) array: the Jacobian had the wrong layout, and the outer function's value and
# derivatives were wrong with no error (7.155 where Python gives 8.918). Parts of other shapes, or
# a dict returned, failed in NumPy (ValueError, IndexError). Now a SrcadError names the call.


def pair_map(p):
    a, b = p
    return a * b + np.sin(b)


def parts_map(p):
    a, b = p
    return a * b[0] + np.sin(b)


def dict_map(w):
    return {"a": w[0] * w[1], "b": np.sin(w)}


def mixed_map(w):
    return w[0] * w[1], np.sin(w)


class Pair(NamedTuple):
    a: np.ndarray
    b: np.ndarray


def named_map(p):
    return p.a * p.b + np.sin(p.b)


def jacfwd_of_pair(x):
    J = srcad.jacfwd(pair_map)((x[:3], x[3:]))
    return np.sum(J[0] * x[0]) + np.sum(J[1] ** 2)


def jacrev_of_pair(x):
    J = srcad.jacrev(pair_map)((x[:3], x[3:]))
    return np.sum(J[0] * x[0]) + np.sum(J[1] ** 2)


def jacfwd_of_parts(x):
    J = srcad.jacfwd(parts_map)((x[0], x[1:4]))
    return np.sum(J[0] * x[3:6]) + np.sum(J[1] ** 2)


def jacfwd_of_namedtuple(x):
    J = srcad.jacfwd(named_map)(Pair(x[:3], x[3:]))
    return np.sum(J.a * x[0]) + np.sum(J.b**2)


def hessian_of_pair(x):
    H = srcad.hessian(lambda p: p[0] ** 2 * np.sum(p[1] ** 3))((x[0], x[1:4]))
    return np.sum(H[0][0]) + np.sum(H[1][1] * x[4])


def jacfwd_dict_out(x):
    J = srcad.jacfwd(dict_map)(x[:3] * x[4])
    return np.sum(J["a"] * x[3]) + np.sum(J["b"] ** 2)


def jacrev_dict_out(x):
    J = srcad.jacrev(dict_map)(x[:3] * x[4])
    return np.sum(J["a"] * x[3]) + np.sum(J["b"] ** 2)


def jacrev_mixed_out(x):
    J = srcad.jacrev(mixed_map)(x[:3])
    return J[0] @ x[3:] + np.sum(J[1])


REFUSED = [
    jacfwd_of_pair,
    jacrev_of_pair,
    jacfwd_of_parts,
    jacfwd_of_namedtuple,
    hessian_of_pair,
    jacfwd_dict_out,
    jacrev_dict_out,
    jacrev_mixed_out,
]


@pytest.mark.parametrize("f", REFUSED)
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_jacobian_inside_of_containers_refused(f, mode):
    f(X.copy())  # Python's own srcad.jacfwd/jacrev take containers
    with pytest.raises(srcad.SrcadError, match="inside a function srcad differentiates"):
        if mode == "grad":
            srcad.grad(f)(X.copy())
        else:
            srcad.jvp(f, (X.copy(),), (np.ones(6),))


# A tuple or list of same-shape arrays returned still stacks into one array (`J[i]` is the
# Jacobian of part `i`, as outside), and a tuple or list of numbers as the argument is one
# vector (outside too): unchanged, checked numerically.


def stacked_map(w):
    return [w[0] * w, w**2]


def jacfwd_stacked_out(x):
    J = srcad.jacfwd(stacked_map)(x[:3] * x[4])
    return np.sum(J[0] * x[3]) + np.sum(J[1] ** 2)


def jacrev_stacked_out(x):
    J = srcad.jacrev(stacked_map)(x[:3] * x[4])
    return np.sum(J[0] * x[3]) + np.sum(J[1] ** 2)


def hessian_of_array(x):
    H = srcad.hessian(lambda w: np.sum(w**3) * w[0])(x[:3] * x[5])
    return np.sum(H * x[3:].reshape(3, 1))


def number_map(p):
    return np.array([p[0] * p[1], np.sin(p[1])])


def jacrev_of_numbers(x):
    J = srcad.jacrev(number_map)([x[0], x[1]])  # (2, 2), as outside
    return J[0][0] * x[3] + J[1][1] * x[4]


def hessian_of_number_tuple(x):
    H = srcad.hessian(lambda p: p[0] ** 2 * p[1])((x[0], x[1] * x[2]))
    return H[0][1] * x[3] + H[0][0]


@pytest.mark.parametrize(
    "f",
    [
        jacfwd_stacked_out,
        jacrev_stacked_out,
        hessian_of_array,
        jacrev_of_numbers,
        hessian_of_number_tuple,
    ],
)
def test_jacobian_inside_of_arrays(f):
    check_scalar(f, X.copy())


# -- rng.choice(x, ...) of a differentiated array, from a generator made in the function -----------
# Bootstrap resampling and minibatch draws were refused (``no derivative rule for .choice()``),
# a spurious refusal: NumPy draws the same rows for an array as for ``rng.choice(len(x), ...)``,
# so the value is a fixed gather, ``x[idx]``, and so is its derivative (a row drawn twice gets
# both cotangents). Now lowered as `rng.permutation(x)` is (lower/permutes.py). The rows drawn
# with probabilities `p` that vary are piecewise constant in them (zero derivative).


def bootstrap_variance(x):
    rng = np.random.default_rng(6)
    means = []
    for _ in range(5):
        sample = rng.choice(x, size=6, replace=True)
        means.append(np.mean(sample))
    return np.var(means)


def choice_without_replacement(x):
    rng = np.random.default_rng(6)
    s = rng.choice(x, 4, replace=False)
    return np.sum(s * np.arange(4.0)) * s[0]


def choice_columns(x):
    rng = np.random.default_rng(3)
    m = np.outer(x[:2], x[2:])
    s = rng.choice(m, (2, 3), axis=-1)
    return np.sum(s**3) + np.sum(s[:, 0] * x[0])


def choice_scalar_draws_then_normal(x):
    rng = np.random.RandomState(11)
    tot = 0.0
    for _ in range(4):
        tot += rng.choice(x) ** 2
    return tot + np.sum(rng.normal(x[:3], 1.0) * x[3:])


@pytest.mark.parametrize(
    "f",
    [
        bootstrap_variance,
        choice_without_replacement,
        choice_columns,
        choice_scalar_draws_then_normal,
    ],
)
def test_rng_choice_of_array(f):
    check_scalar(f, X.copy())


def choice_varied_p(x):
    rng = np.random.default_rng(5)
    p = np.exp(x) / np.sum(np.exp(x))
    return np.sum(rng.choice(x, 8, p=p) ** 2)


def choice_constant_p(x):
    rng = np.random.default_rng(5)
    s = rng.choice(x, 8, p=[0.1, 0.1, 0.2, 0.2, 0.3, 0.1])
    return np.sum(s**2) * x[0]


@pytest.mark.parametrize("f", [choice_varied_p, choice_constant_p])
def test_rng_choice_with_p(f):
    # rows drawn with probabilities `p`: piecewise constant in `p` (central differences agree)
    check_scalar(f, X.copy())


# -- rng.permutation / shuffle / choice in a checkpointed loop or function -------------------------
# A `srcad.checkpoint_loop` body runs again in the reverse sweep; `rng.normal(...)` there was
# refused (it draws other numbers the second time), but `rng.permutation(x)` and `rng.shuffle(x)`
# (srcad's helper `perm_index`, which draws too) were not: the recomputed segments gathered other
# rows and the gradient was silently wrong (1.326 where central differences give 1.229). Now
# refused like the other draws, and `rng.choice(x, ...)` (`choice_index`) with them.


def permutation_in_checkpoint_loop(x):
    rng = np.random.default_rng(0)
    h = x[:3]
    for _ in srcad.checkpoint_loop(range(4), every=2):
        h = h + 0.1 * rng.permutation(x)[:3]
    return np.sum(h**2)


def shuffle_in_checkpoint_loop(x):
    rng = np.random.default_rng(0)
    h = x[:3]
    for _ in srcad.checkpoint_loop(range(4), every=2):
        y = x * 1.0
        rng.shuffle(y)
        h = h * y[:3]
    return np.sum(h**2)


def choice_in_checkpoint_loop(x):
    rng = np.random.default_rng(0)
    h = x[:3]
    for _ in srcad.checkpoint_loop(range(4), every=2):
        h = h + 0.1 * rng.choice(x, 3)
    return np.sum(h**2)


def _permuted_block(h, w):
    rng = np.random.default_rng(1)
    return np.tanh(h * rng.permutation(w))


def permutation_in_checkpoint_fn(x):
    blk = srcad.checkpoint(_permuted_block)
    return np.sum(blk(blk(x[:3], x[3:]), x[3:]) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        permutation_in_checkpoint_loop,
        shuffle_in_checkpoint_loop,
        choice_in_checkpoint_loop,
        permutation_in_checkpoint_fn,
    ],
)
def test_draws_in_checkpointed_code_refused(f):
    with pytest.raises(srcad.SrcadError, match="may give another value when it runs again"):
        srcad.grad(f)(X.copy())

"""Session 52 (sound52): first derivatives where kinks of different conventions tie.

At a tie each kink's slope is a convention: ``np.maximum`` splits it, Python's ``max``/``min``
take the first operand, ``np.clip`` the inside, a mask the side of its comparison's value. Added
up, kinks of one point whose conventions differ gave wrong slopes of smooth functions at the tie:
``np.clip(x, 0, None) + np.clip(x, None, 0)`` (``x``) 2, ``max(x, 0.0) + min(x, 0.0)`` 2,
``max(0.0, x) + min(0.0, x)`` 0, ``np.maximum(x, 0) + np.clip(x, None, 0)`` 1.5, ``np.where(x >
0, x, 0) + np.where(x < 0, x, 0)`` 0. Now the kinks of such a point share one convention at the
tie (ad/kinkties.py): the split, or the side of an ``if`` or a helper's kink that srcad cannot
change; where those disagree, the derivative is refused at the tie. A lone kink keeps its
convention (ReLU's slope at 0).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def relu_first(z):
    return max(z, 0.0)


def relu_if(z):
    return z if z > 0 else 0.0


def clip_pair(x):
    return np.clip(x, 0, None) + np.clip(x, None, 0)


def builtin_pair(x):
    return max(x, 0.0) + min(x, 0.0)


def builtin_pair_rev(x):
    return max(0.0, x) + min(0.0, x)


def builtin_diff(x):
    return max(x, 0.0) - max(-x, 0.0)


def clip_diff(x):
    return np.clip(x, 0, None) - np.clip(-x, 0, None)


def mixed_max_clip(x):
    return np.maximum(x, 0.0) + np.clip(x, None, 0)


def mixed_builtin_np(x):
    return max(x, 0.0) + np.minimum(x, 0.0)


def bounded_clips(x):
    return np.clip(x, 0, 1) + np.clip(x, -1, 0)


def shifted_pair(x):
    return max(x, 1.0) + min(x, 1.0)


def where_strict_pair(x):
    return np.where(x > 0, x, 0) + np.where(x < 0, x, 0)


def mask_strict_pair(x):
    return x * (x > 0) + x * (x < 0)


def helper_and_minimum(x):
    return relu_first(x) + np.minimum(x, 0.0)


def if_and_minimum(x):
    return (x if x > 0 else 0.0) + np.minimum(x, 0.0)


def sin_of_pair(x):
    return np.sin(max(x, 0.0) + min(x, 0.0))


def nested_where(x):  # x: the split gave 0.5 at 0 (a kink in each branch of another)
    return np.where(x > 0, np.maximum(x, 0), np.minimum(x, 0))


def abs_minus_maxes(x):  # 0: np.abs (split) with Python max (first): -1 with the maxes alone
    return np.abs(x) - max(x, 0.0) - max(-x, 0.0) + x


def array_pairs(x):
    return np.sum(np.clip(x, 0, None) + np.clip(x, None, 0) * 3.0 + max(x[0], 0.0) * x[1])


SMOOTH = [
    clip_pair, builtin_pair, builtin_pair_rev, builtin_diff, clip_diff, mixed_max_clip,
    mixed_builtin_np, bounded_clips, shifted_pair, where_strict_pair, mask_strict_pair,
    helper_and_minimum, if_and_minimum, sin_of_pair, nested_where, abs_minus_maxes,
]  # fmt: skip


def _cd(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("f", SMOOTH, ids=lambda f: f.__name__)
def test_smooth_sum_of_kinks_has_its_derivative(f):
    tie = 1.0 if f is shifted_pair else 0.0
    for x in (tie, tie + 0.3, tie - 0.7):  # (the tie first: each was wrong there)
        want = _cd(f, x)
        assert float(srcad.grad(f)(x)) == pytest.approx(want, abs=1e-6), x
        assert float(srcad.jvp(f, (x,), (1.0,))[1]) == pytest.approx(want, abs=1e-6), x
        (got,) = srcad.vjp(f, x)[1](1.0)
        assert float(got) == pytest.approx(want, abs=1e-6), x


def test_arrays_of_tied_kinks():
    x = np.array([0.0, 0.5, -0.5, 0.0])
    g = srcad.grad(array_pairs)(x)
    # (the clips take the side x > 0 at 0: 1 + 3 * 0; max(x[0], 0) alone takes x[0], broadcast
    # over 4: 4 * x[1])
    assert np.allclose(g, [1.0 + 4 * 0.5, 1.0, 3.0, 1.0])
    v = np.array([0.3, -1.0, 2.0, 0.7])
    assert float(srcad.jvp(array_pairs, (x,), (v,))[1]) == pytest.approx(float(g @ v))


def test_lone_kinks_keep_their_conventions():  # (a guard: the same on session 51's tree)
    assert float(srcad.grad(relu_first)(0.0)) == 1.0  # Python's max returns the first
    assert float(srcad.grad(lambda_clip)(0.0)) == 1.0  # np.clip: inside at its bound
    assert float(srcad.grad(lambda_maximum)(0.0)) == 0.5  # np.maximum: split, as JAX


def lambda_clip(x):
    return np.clip(x, 0.0, 1.0)


def lambda_maximum(x):
    return np.maximum(x, 0.0)


def two_ifs(x):
    return (x if x > 0 else 0.0) + (x if x < 0 else 0.0)


def two_helpers(x):
    return relu_first(x) - relu_first(-x)


def two_if_helpers(x):
    return relu_if(x) - relu_if(-x)


@pytest.mark.parametrize("f", [two_ifs, two_helpers, two_if_helpers], ids=lambda f: f.__name__)
def test_branches_srcad_cannot_choose_are_refused_at_the_tie(f):
    # the slope of ``x`` came out 0 or 2 at 0: refused there, right elsewhere
    with pytest.raises(srcad.SrcadError, match="kinks .* tie and take different sides"):
        srcad.grad(f)(0.0)
    with pytest.raises(srcad.SrcadError, match="tie and take different sides"):
        srcad.jvp(f, (0.0,), (1.0,))
    with pytest.raises(srcad.SrcadError, match="tie and take different sides"):
        srcad.vjp(f, 0.0)[1](1.0)
    assert float(srcad.grad(f)(0.4)) == pytest.approx(1.0)
    assert float(srcad.grad(f)(-0.4)) == pytest.approx(1.0)


def test_second_order_of_a_smooth_pair():
    # sin(x) at 0: first order now 1; the Hessian of the kinks' sum is refused at the tie as
    # before (ad/kinkpairs.py), right away from it
    assert float(srcad.grad(sin_of_pair)(0.0)) == pytest.approx(1.0)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(srcad.grad(sin_of_pair))(0.0)
    assert float(srcad.grad(srcad.grad(sin_of_pair))(0.5)) == pytest.approx(-np.sin(0.5))


# -- the tie point through copies (ad/kinkpairs._affine): x.copy(), np.copy(x), x[:] -----------


def copy_squares(x):  # x ** 2: Hessian 2 per entry; at x == 0 each half gave 1
    y = x.copy()
    return np.sum(np.maximum(x, 0) ** 2 + np.maximum(-y, 0) ** 2)


def whole_slice_squares(x):
    return np.sum(np.maximum(x, 0) ** 2 + np.maximum(-1.0 * x[:], 0) ** 2)


def copy_clips(x):  # x: slope 2 at 0 before
    return np.sum(np.clip(x, 0, None) + np.clip(np.copy(x), None, 0))


_XT = np.array([0.0, 0.5, -0.3])


@pytest.mark.parametrize("f", [copy_squares, whole_slice_squares], ids=lambda f: f.__name__)
def test_tie_through_a_copy_refused_at_second_order(f):
    with pytest.raises(srcad.SrcadError, match="at 0"):
        srcad.hessian(f)(_XT)
    with pytest.raises(srcad.SrcadError, match="at 0"):
        srcad.jacrev(srcad.grad(f))(_XT)
    x = np.array([0.2, 0.5, -0.3])
    np.testing.assert_allclose(srcad.hessian(f)(x), 2 * np.eye(3), atol=1e-12)


def test_tie_through_a_copy_first_order():
    np.testing.assert_allclose(srcad.grad(copy_clips)(_XT), np.ones(3), atol=1e-12)
    (g,) = srcad.vjp(copy_clips, _XT)[1](1.0)
    np.testing.assert_allclose(g, np.ones(3), atol=1e-12)
    assert float(srcad.jvp(copy_clips, (_XT,), (np.ones(3),))[1]) == pytest.approx(3.0)

"""User-defined derivatives (issue 10): custom_vjp, custom_jvp, defvjp/defjvp of opaque callables,
stop_gradient, checkpoint. Every derivative against plain NumPy and central differences."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.special as sp

import srcad
from srcad.testing import check_grads


def fd_grad(f, x, eps=1e-6):
    x = np.asarray(x, float)
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = eps
        out[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return out


def sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


# -- custom_vjp: the stable softplus ---------------------------------------------------------------
@srcad.custom_vjp
def softplus(x):
    return np.logaddexp(x, 0.0)


def softplus_fwd(x):
    return softplus(x), x


def softplus_bwd(x, g):
    return (g * sigmoid(x),)


softplus.defvjp(softplus_fwd, softplus_bwd)


def naive_softplus(x):
    return np.where(x > 30.0, x, np.log1p(np.exp(x)))


def softplus_loss(x):
    return np.sum(softplus(x))


def test_custom_vjp_stable_softplus_at_large_inputs():
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    g = srcad.grad(softplus_loss)(x)
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, [0.0, 0.2689414213699951, 0.5, 0.7310585786300049, 1.0])
    with np.errstate(all="ignore"):  # the np.where form: exp(1000) = inf on the unselected side
        naive = fd_grad(lambda z: np.sum(naive_softplus(z)), x[1:4])
    np.testing.assert_allclose(g[1:4], naive, rtol=1e-7)


def test_custom_vjp_at_top_level_and_shown_by_name():
    x = np.array(1000.0)
    assert srcad.grad(softplus)(x) == 1.0
    assert srcad.grad(softplus)(np.array(-2.0)) == pytest.approx(sigmoid(-2.0), rel=1e-15)
    text = srcad.source(softplus_loss)
    assert "softplus_fwd(x)" in text and "softplus_bwd(res," in text


def sp_loop(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(softplus(x * i + 1.0) ** 2)
    return s


def sp_loop_plain(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(np.logaddexp(x * i + 1.0, 0.0) ** 2)
    return s


def test_custom_vjp_inside_a_loop():
    x = np.array([0.3, -1.2, 2.0])
    g = srcad.grad(sp_loop)(x)
    np.testing.assert_allclose(g, srcad.grad(sp_loop_plain)(x), rtol=1e-13)
    np.testing.assert_allclose(g, fd_grad(sp_loop, x), rtol=1e-7)
    assert "tape" in srcad.source(sp_loop)  # each iteration's residuals are taped


def test_custom_vjp_under_jvp_differentiates_the_body():
    x = np.array([0.3, -1.2])
    out, t = srcad.jvp(softplus_loss, (x,), (np.array([1.0, 2.0]),))
    assert out == pytest.approx(np.sum(np.logaddexp(x, 0.0)), rel=1e-15)
    assert t == pytest.approx(sigmoid(0.3) + 2 * sigmoid(-1.2), rel=1e-13)
    check_grads(softplus_loss, (x,), modes=("fwd", "rev"))


# -- nondiff_argnums ----------------------------------------------------------------------------------
@srcad.custom_vjp(nondiff_argnums=(1,))
def scaled_clip(x, c):
    return np.clip(x, -c, c)


def scaled_clip_fwd(x, c):
    return scaled_clip(x, c), x


def scaled_clip_bwd(c, x, g):  # JAX: the nondiff arguments first
    return (g * (np.abs(x) <= c),)


scaled_clip.defvjp(scaled_clip_fwd, scaled_clip_bwd)


def clip_loss(x, c):
    return np.sum(scaled_clip(x, c) * x)


def test_nondiff_argnums():
    x = np.array([0.5, -3.0, 1.5])
    g = srcad.grad(clip_loss)(x, 1.0)
    np.testing.assert_allclose(g, [1.0, -1.0, 1.0])  # clip(x) + x * [|x| <= 1]
    np.testing.assert_allclose(g, fd_grad(lambda z: clip_loss(z, 1.0), x), rtol=1e-7)


# -- custom_jvp --------------------------------------------------------------------------------------
@srcad.custom_jvp
def log1pexp(x, y):
    return np.logaddexp(x, 0.0) * y


@log1pexp.defjvp
def log1pexp_jvp(primals, tangents):
    x, y = primals
    dx, dy = tangents
    return log1pexp(x, y), sigmoid(x) * y * dx + np.logaddexp(x, 0.0) * dy


def jvp_loss(x, y):
    return np.sum(log1pexp(x, y) ** 2)


def test_custom_jvp_forward_and_reverse():
    x, y = np.array([0.3, 1000.0, -2.0]), np.array([2.0, -1.0, 0.5])
    ref_x = 2 * np.logaddexp(x, 0.0) * y * sigmoid(x) * y
    ref_y = 2 * np.logaddexp(x, 0.0) * y * np.logaddexp(x, 0.0)
    gx, gy = srcad.grad(jvp_loss, wrt=(0, 1))(x, y)  # the rule's tangent map, transposed
    np.testing.assert_allclose(gx, ref_x, rtol=1e-14)
    np.testing.assert_allclose(gy, ref_y, rtol=1e-14)
    _, t = srcad.jvp(jvp_loss, (x, y), (np.ones(3), np.zeros(3)))
    assert t == pytest.approx(np.sum(ref_x), rel=1e-14)
    assert "log1pexp_jvp(primals, tangents)" in srcad.source(jvp_loss, mode="jvp")
    x = np.array([0.3, 1.0, -2.0])
    check_grads(jvp_loss, (x, y), modes=("fwd", "rev"))


def test_custom_jvp_at_top_level():
    g = srcad.grad(log1pexp)(np.array(1000.0), np.array(3.0))
    assert g == 3.0


# -- wrong structures ----------------------------------------------------------------------------------
@srcad.custom_vjp
def bad(x):
    return x * 2.0


def bad_fwd(x):
    return x * 2.0  # not a pair


def bad_bwd(res, g):
    return g


bad.defvjp(bad_fwd, bad_bwd)


@srcad.custom_vjp
def bad2(x):
    return x * 2.0


def bad2_fwd(x):
    return x * 2.0, None


def bad2_bwd(res, g):
    return g * 2.0  # not a tuple of cotangents


bad2.defvjp(bad2_fwd, bad2_bwd)


@srcad.custom_vjp
def bad3(x):
    return x * 2.0


def bad3_fwd(x):
    return x * 2.0, None


def bad3_bwd(res, g):
    return (np.sum(g),)  # wrong shape


bad3.defvjp(bad3_fwd, bad3_bwd)


@srcad.custom_jvp
def bad4(x):
    return x * 2.0


@bad4.defjvp
def bad4_jvp(primals, tangents):
    return primals[0] * 2.0, np.sum(tangents[0])  # wrong shape


def use(f):
    return lambda x: np.sum(f(x))


def bad_loss(x):
    return np.sum(bad(x))


def bad2_loss(x):
    return np.sum(bad2(x))


def bad3_loss(x):
    return np.sum(bad3(x))


def bad4_loss(x):
    return np.sum(bad4(x))


@pytest.mark.parametrize(
    "f, rule, what",
    [
        (bad_loss, "bad_fwd", "must return a pair"),
        (bad2_loss, "bad2_bwd", "one cotangent per"),
        (bad3_loss, "bad3_bwd", "of shape ()"),
        (bad4_loss, "bad4_jvp", "of shape ()"),
    ],
)
def test_wrong_structure_names_the_rule(f, rule, what):
    x = np.array([1.0, 2.0])
    with pytest.raises(srcad.SrcadError, match=rule) as e:
        srcad.grad(f)(x)
    assert what in str(e.value)


def test_wrong_tangent_in_forward_mode_names_the_rule():
    with pytest.raises(srcad.SrcadError, match="bad4_jvp"):
        srcad.jvp(bad4_loss, (np.ones(2),), (np.ones(2),))


# -- rules for callables srcad cannot read -----------------------------------------------------------
def dawsn_loss(x):
    return np.sum(sp.dawsn(x) * x)


def dawsn_jvp(primals, tangents):
    (x,) = primals
    (t,) = tangents
    y = sp.dawsn(x)
    return y, (1.0 - 2.0 * x * y) * t


_opaque_ns: dict = {"np": np}
exec("def opaque_cube(x):\n    return x ** 3\n", _opaque_ns)  # no source srcad can read
opaque_cube = _opaque_ns["opaque_cube"]


def cube_fwd(x):
    return x**3, x


def cube_bwd(x, g):
    return (3.0 * x**2 * g,)


def cube_loss(x):
    return np.sum(opaque_cube(x) * 2.0)


def test_defvjp_by_object_and_the_cache():
    x = np.array([0.3, -1.2])
    with pytest.raises(srcad.SrcadError):
        srcad.grad(cube_loss)(x)
    srcad.defvjp(opaque_cube, cube_fwd, cube_bwd)  # code built before is not served again
    np.testing.assert_allclose(srcad.grad(cube_loss)(x), 6.0 * x**2, rtol=1e-15)


def test_defjvp_of_a_scipy_ufunc_both_modes_and_second_order():
    x = np.array([0.3, 1.2])
    srcad.defjvp(sp.dawsn, dawsn_jvp)
    ref = fd_grad(dawsn_loss, x)
    np.testing.assert_allclose(srcad.grad(dawsn_loss)(x), ref, rtol=1e-8)
    _, t = srcad.jvp(dawsn_loss, (x,), (np.array([1.0, 0.0]),))
    assert t == pytest.approx(ref[0], rel=1e-8)
    d = sp.dawsn(x)
    d1 = 1.0 - 2.0 * x * d
    d2 = -2.0 * d - 2.0 * x * d1
    np.testing.assert_allclose(np.diag(srcad.hessian(dawsn_loss)(x)), 2 * d1 + x * d2, rtol=1e-12)


# -- stop_gradient ------------------------------------------------------------------------------------
def stop_loss(x):
    return np.sum(x * srcad.stop_gradient(x**2))


def stop_pair(x):
    a, b = srcad.stop_gradient((x, 2.0 * x))
    return np.sum(a * b + x)


def stop_loop(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(srcad.stop_gradient(x * i) * x)
    return s


def test_stop_gradient_both_modes():
    x = np.array([0.5, -2.0])
    np.testing.assert_allclose(srcad.grad(stop_loss)(x), x**2)
    _, t = srcad.jvp(stop_loss, (x,), (np.array([1.0, 1.0]),))
    assert t == pytest.approx(np.sum(x**2))
    np.testing.assert_allclose(srcad.grad(stop_pair)(x), [1.0, 1.0])
    np.testing.assert_allclose(srcad.grad(stop_loop)(x), 3.0 * x)  # (0 + 1 + 2) x
    _, t = srcad.jvp(stop_loop, (x,), (np.array([1.0, 0.0]),))
    assert t == pytest.approx(3.0 * 0.5)
    assert srcad.stop_gradient(x) is x


# -- checkpoint ----------------------------------------------------------------------------------------
def block(h, W, b):
    return np.tanh(W @ h + b)


def net_plain(h, W, b):
    for _ in range(4):
        h = block(h, W, b)
    return np.sum(h**2)


def net_inside(h, W, b):
    blk = srcad.checkpoint(block)
    for _ in range(4):
        h = blk(h, W, b)
    return np.sum(h**2)


cblock = srcad.checkpoint(block)


def net_module(h, W, b):
    for _ in range(4):
        h = cblock(h, W, b)
    return np.sum(h**2)


@srcad.checkpoint
def deco_block(h, W, b):
    return np.tanh(W @ h + b)


def net_deco(h, W, b):
    for _ in range(4):
        h = deco_block(h, W, b)
    return np.sum(h**2)


@pytest.mark.parametrize("net", [net_inside, net_module, net_deco])
def test_checkpoint_gradients_equal(net):
    rng = np.random.default_rng(0)
    h, W, b = rng.normal(size=5), 0.5 * rng.normal(size=(5, 5)), rng.normal(size=5)
    got = srcad.grad(net, wrt=(0, 1, 2))(h, W, b)
    ref = srcad.grad(net_plain, wrt=(0, 1, 2))(h, W, b)
    for a, r in zip(got, ref):
        np.testing.assert_allclose(a, r, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(got[0], fd_grad(lambda z: net_plain(z, W, b), h), rtol=1e-6)
    text = srcad.source(net, wrt=(0, 1, 2))
    assert "(checkpoint)" in text and "vjp_" in text
    assert srcad.jvp(net, (h, W, b), (h, W, b))[1] == pytest.approx(
        srcad.jvp(net_plain, (h, W, b), (h, W, b))[1], rel=1e-13
    )


def clip_loss_c(x, c):
    return np.sum(scaled_clip(x, c * x[0]))


def test_a_varied_nondiff_argument_is_refused():
    with pytest.raises(srcad.SrcadError, match="nondiff_argnums") as e:
        srcad.grad(clip_loss_c)(np.array([0.5, 2.0]), 1.0)
    assert "test_custom.py" in str(e.value)
    with pytest.raises(srcad.SrcadError, match="nondiff_argnums"):
        srcad.grad(clip_loss_c, wrt=1)(np.array([0.5, 2.0]), 1.0)
    # forward mode differentiates a custom_vjp's body: c's derivative is there
    x = np.array([0.5, 2.0])
    _, t = srcad.jvp(clip_loss_c, (x, 2.0), (np.zeros(2), 1.0))
    assert t == pytest.approx(0.5)  # clip(2, -c x0, c x0) = c x0 = 0.5 c at c = 2


def helper_calls_softplus(x):
    return softplus(x) * x


def via_helper(x):
    return np.sum(helper_calls_softplus(x))


def test_custom_vjp_called_from_a_helper():
    x = np.array([0.3, 1000.0])
    g = srcad.grad(via_helper)(x)
    np.testing.assert_allclose(g, [sigmoid(0.3) * 0.3 + np.logaddexp(0.3, 0.0), 1000.0 + 1000.0])
    assert "softplus_bwd(" in srcad.source(via_helper)


def test_checkpoint_tapes_only_the_inputs():
    text = srcad.source(net_module)
    entry = text.split("def vjp_")[0]  # the differentiated function, not the callee's pair
    assert "np.tanh" not in entry and "tape.append(h)" in entry
    assert entry.count(".append(") == 1


# -- checkpoint: a pullback after a global the recomputation reads is rebound ---------------------
CW = np.array([0.5, 1.5, -0.3])


def _scale(h):
    return h * CW  # read by a callee of the checkpointed function


@srcad.checkpoint
def ck_global(h):
    return np.sin(h * CW)


@srcad.checkpoint
def ck_global_callee(h):
    return np.sin(_scale(h))


def two_blocks(x):
    return np.sum(ck_global(ck_global(x)))


def two_blocks_callee(x):
    return np.sum(ck_global_callee(ck_global_callee(x)))


def two_blocks_plain(x):
    return np.sum(np.sin(np.sin(x * CW) * CW))


X3 = np.array([0.3, 0.2, 0.9])
# d/dx sum(sin(sin(x w) w)) = cos(sin(x w) w) w cos(x w) w, at w = CW
CK_WANT = np.cos(np.sin(X3 * CW) * CW) * CW * np.cos(X3 * CW) * CW


@pytest.mark.parametrize("f", [two_blocks, two_blocks_callee])
def test_checkpoint_reads_globals_as_the_forward_sweep_did(f):
    global CW
    np.testing.assert_allclose(
        CK_WANT, [0.24650305939846237, 1.9417563461174172, 0.0864618279511858]
    )
    np.testing.assert_allclose(srcad.grad(f)(X3), CK_WANT, rtol=1e-14)
    np.testing.assert_allclose(srcad.grad(f)(X3), fd_grad(two_blocks_plain, X3), rtol=1e-7)
    _, pull = srcad.vjp(f, X3)
    np.testing.assert_allclose(pull(1.0)[0], CK_WANT, rtol=1e-14)  # pullback, nothing rebound
    saved = CW
    try:
        _, pull = srcad.vjp(f, X3)
        CW = CW * 3.0  # rebound between the forward sweep and the pullback
        # it recomputed with 3 CW: [1.975, 3.004, 0.542] instead of CK_WANT
        with pytest.raises(srcad.SrcadError, match="`CW`.*rebound") as e:
            pull(1.0)
        assert "test_custom.py:" in str(e.value) and "srcad.checkpoint" in str(e.value)
        CW = saved * 1.0  # another array with the same values: still refused (identity)
        with pytest.raises(srcad.SrcadError, match="`CW`"):
            pull(1.0)
        CW = saved  # the forward sweep's array again: the pullback is right
        np.testing.assert_allclose(pull(1.0)[0], CK_WANT, rtol=1e-14)
    finally:
        CW = saved


@srcad.checkpoint
def noisy_block(h):
    return np.sin(h) * np.random.normal(size=h.shape)


def noisy_net(x):
    return np.sum(noisy_block(x))


def test_checkpoint_refuses_random_draws():
    # the recomputation drew other numbers: a wrong gradient ([0.974, 2.20] instead of
    # cos(x) * noise = [1.76, 0.392] at seed 0), now a located refusal at the draw
    with pytest.raises(srcad.SrcadError, match="numpy.random.normal.*srcad.checkpoint") as e:
        srcad.grad(noisy_net)(np.array([0.1, 0.2]))
    assert "return np.sin(h) * np.random.normal" in str(e.value) and "^" in str(e.value)


def test_checkpoint_recomputes_only_the_residuals():
    # the reverse sweep's recomputation returns the residuals, not (output, residuals): sin(h CW)
    # is neither computed again nor kept while the block's reverse sweep runs
    text = srcad.source(two_blocks)
    recompute = text.split("def vjp_ck_global_residuals(")[1].split("\ndef ")[0]
    assert "np.cos(" not in recompute and "np.sin(" not in recompute, recompute
    assert "res_1 = vjp_ck_global_residuals(x)" in text and "pair" not in text.split("def ")[1]
    np.testing.assert_allclose(srcad.grad(two_blocks)(X3), CK_WANT, rtol=1e-14)


@srcad.custom_vjp
def _mul_none(x, y):
    return x * y


_mul_none.defvjp(lambda x, y: (x * y, (x, y)), lambda r, g: (g * r[1], None))


def _mul_none_loop(x, y):
    s = 0.0
    for i in range(2):
        s = s + np.sum(_mul_none(x, y * i))
    return s


def test_a_none_cotangent_is_zero_also_in_loops() -> None:
    # bwd returns None for y (JAX: a zero cotangent); in a loop the reverse sweep adds it up
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0])
    gx, gy = srcad.grad(_mul_none_loop, wrt=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, y)
    np.testing.assert_array_equal(gy, [0.0, 0.0])

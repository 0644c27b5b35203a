"""Every corpus function: primal round trip, IR verification, forward mode, reverse mode.

Cases are listed in tests/corpus/*.py. A stage a case is known to break is marked
`xfail(strict=True)` through the case's `xfail` dict, so a fix in the compiler shows up as XPASS.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from srcad.trees import seq_like
from tests.corpus import ALL_CASES, Case

HAS_REV = hasattr(srcad, "grad")


def _params(stage: str, select=lambda c: True) -> list:
    out = []
    for c in ALL_CASES:
        if not select(c):
            continue
        marks = []
        if stage in c.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=c.xfail[stage]))
        out.append(pytest.param(c, id=c.name, marks=marks))
    return out


def _jitter(x, rng: np.random.Generator, scale: float):
    if isinstance(x, (tuple, list)):
        return seq_like(x, [_jitter(e, rng, scale) for e in x])  # namedtuples too
    if isinstance(x, dict):
        return {k: _jitter(v, rng, scale) for k, v in x.items()}
    if isinstance(x, (bool, np.bool_)):
        return x
    if isinstance(x, (float, np.floating)):
        return type(x)(x + scale * rng.standard_normal())
    if isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating):
        return x + scale * rng.standard_normal(x.shape)
    return x


def _assert_same(expected, got, path="out"):
    if isinstance(expected, (tuple, list)):
        assert type(got) is type(expected), f"{path}: {type(got).__name__} != {type(expected)}"
        assert len(got) == len(expected), f"{path}: length {len(got)} != {len(expected)}"
        for i, (e, g) in enumerate(zip(expected, got)):
            _assert_same(e, g, f"{path}[{i}]")
    elif isinstance(expected, dict):
        assert isinstance(got, dict) and list(got) == list(expected), f"{path}: keys differ"
        for k in expected:
            _assert_same(expected[k], got[k], f"{path}[{k!r}]")
    else:
        assert np.shape(got) == np.shape(expected), f"{path}: shape {np.shape(got)}"
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-12, err_msg=path)


@pytest.mark.parametrize("case", _params("primal"))
def test_primal_round_trip(case: Case) -> None:
    g = srcad.primal(case.fn)
    rng = np.random.default_rng(0)
    variants = [case.args]
    if case.jitter:
        variants += [_jitter(case.args, rng, case.jitter) for _ in range(2)]
    for args in variants:
        _assert_same(_call(case.fn, args), _call(g, args))


@pytest.mark.parametrize("case", _params("verify"))
def test_ir_verifies(case: Case) -> None:
    from srcad.frontend.source import unwrap
    from srcad.passes.prepare import lowered
    from srcad.ssa.verify import verify

    assert [str(e) for e in verify(lowered(unwrap(case.fn)))] == []


@pytest.mark.parametrize("case", _params("fwd", lambda c: bool(c.diff)))
def test_forward_mode(case: Case) -> None:
    check_grads(case.fn, case.args, modes=("fwd",), wrt=case.diff, atol=case.atol, rtol=case.rtol)


def _is_scalar(out) -> bool:
    return isinstance(out, (float, np.floating)) or (
        isinstance(out, np.ndarray) and out.shape == ()
    )


def _fd_grad(f, args, k, eps=1e-6):
    """Central-difference gradient of scalar f with respect to float argument k (a pytree)."""
    from srcad.testing import _flatten, _unflatten

    leaves, struct = _flatten(args[k])
    grads = []
    for li, leaf in enumerate(leaves):
        arr = np.array(leaf, dtype=float)
        g = np.zeros(arr.shape)
        for idx in np.ndindex(arr.shape):
            vals = []
            for s in (eps, -eps):
                a = arr.copy(order="K")  # the argument's memory order: f may read it
                a[idx] += s
                new = list(leaves)
                new[li] = a if isinstance(leaf, np.ndarray) else float(a)
                full = list(args)
                full[k] = _unflatten(struct, new)
                vals.append(float(_call(f, full)))
            g[idx] = (vals[0] - vals[1]) / (2 * eps)
        grads.append(g if isinstance(leaf, np.ndarray) else float(g))
    return _unflatten(struct, grads)


def _call(f, args):
    """`f(*args)` on a deep copy: a function may write into its array arguments."""
    return f(*copy.deepcopy(args))


def _rev_select(c: Case) -> bool:
    if not c.diff:
        return False
    out = _call(c.fn, c.args)
    if _is_scalar(out):
        return True
    return isinstance(out, np.ndarray) and all(isinstance(c.args[k], np.ndarray) for k in c.diff)


@pytest.mark.skipif(not HAS_REV, reason="reverse mode not implemented yet")
@pytest.mark.parametrize("case", _params("rev", _rev_select))
def test_reverse_mode(case: Case) -> None:
    from srcad.testing import _flatten

    out = _call(case.fn, case.args)
    wrt = tuple(case.diff)
    atol = 1e-6 if case.atol is None else case.atol
    rtol = 1e-5 if case.rtol is None else case.rtol
    if _is_scalar(out):
        grads = srcad.grad(case.fn, wrt)(*copy.deepcopy(case.args))  # f may update them
        for k, g in zip(wrt, grads):
            expected = _fd_grad(case.fn, case.args, k)
            for e, got in zip(_flatten(expected)[0], _flatten(g)[0]):
                np.testing.assert_allclose(got, e, atol=atol, rtol=rtol, err_msg=f"argument {k}")
    else:
        jr = srcad.jacrev(case.fn, wrt)(*copy.deepcopy(case.args))
        jf = srcad.jacfwd(case.fn, wrt)(*copy.deepcopy(case.args))
        for k, a, b in zip(wrt, jr, jf):
            np.testing.assert_allclose(a, b, atol=1e-10, rtol=1e-9, err_msg=f"argument {k}")


@pytest.mark.skipif(not HAS_REV, reason="reverse mode not implemented yet")
@pytest.mark.parametrize("case", _params("rev", lambda c: bool(c.diff)))
def test_dot_product(case: Case) -> None:
    """<u, J v> by srcad.jvp and by central differences equals <J^T u, v> by srcad.vjp."""
    check_grads(case.fn, case.args, modes=("rev",), wrt=case.diff, atol=case.atol, rtol=case.rtol)


# -- check_grads itself must catch wrong derivatives ---------------------------------------------


def _sq(x, y):
    return np.sin(x) * y


def test_check_grads_catches_wrong_jvp(monkeypatch) -> None:
    real = srcad.jvp

    def off(f, primals, tangents):
        out, dout = real(f, primals, tangents)
        return out, dout * 1.01

    monkeypatch.setattr(srcad.api, "jvp", off)  # what check_grads calls
    with pytest.raises(AssertionError, match=r"argument 0 \(`x`\)[\s\S]*max abs error"):
        check_grads(_sq, (np.array([0.5, 1.0]), 2.0))


@pytest.mark.skipif(not HAS_REV, reason="reverse mode not implemented yet")
def test_check_grads_catches_wrong_vjp(monkeypatch) -> None:
    real = srcad.vjp

    def off(f, *primals, **kw):
        out, pull = real(f, *primals, **kw)
        return out, lambda u: tuple(2.0 * g for g in pull(u))

    monkeypatch.setattr(srcad.api, "vjp", off)
    check_grads(_sq, (np.array([0.5, 1.0]), 2.0), modes=("fwd",))
    with pytest.raises(AssertionError, match="dot-product test failed"):
        check_grads(_sq, (np.array([0.5, 1.0]), 2.0), modes=("rev",))


def test_check_grads_pytrees_and_wrt() -> None:
    params = {"w": np.array([0.5, -0.3]), "b": (0.1, np.float64(0.2))}
    check_grads(_tree_loss, (params, 3, 1.5), modes=("fwd", "rev"))
    check_grads(_tree_loss, (params, 3, 1.5), modes=("fwd",), wrt=(2,), order=2)


def _tree_loss(p, n, s):
    return (np.tanh(p["w"] * s) ** 2).sum() * p["b"][0] + p["b"][1] * n * s

"""Hessians of every corpus function with a scalar output (issue 9, "what it must show").

Input: `tests.corpus.ALL_CASES`, each case whose function returns a scalar at its example
arguments and has float `diff` positions. Output, per case: the Hessian over all `diff` arguments
(flattened into one vector z; pytrees leaf by leaf) must

- match central differences of srcad's gradient (Richardson-extrapolated, steps 1e-4 and 5e-5
  scaled by |z_j|), and second differences of the primal where those are trustworthy;
- be symmetric;
- agree with `srcad.hvp` (the gradient and H @ v for a random v).

`srcad.hessian` builds H where it accepts the arguments (floats and arrays); for tuple/dict
(and record) arguments it does not yet (tests/higher/test_found.py), and H is built from
`srcad.hvp` columns.
A case srcad refuses at second order must be listed in `REFUSED` with (part of) its reason, and a
listed case must still be refused: the list shows both new refusals and fixed ones.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import _flatten, _unflatten
from srcad.trees import is_record
from tests.corpus import ALL_CASES, Case

# case name -> the reason srcad gives (a substring of the error's first line), e.g. "no derivative
# rule for `srcad.runtime.norm_vjp`" for a helper without second-derivative rules (NO_RULES).
# The last helpers the corpus reached (prod_others, norm_vjp, einsum_vjp, dot_vjp) got rules, and
# the matrix 2-, -2- and nuclear norms (rules/norm_svd.py, session 24): none is refused now.
REFUSED: dict[str, str] = {
    # interp1d with y-dependent fill values (idiom52): libinterp's rules are first-order only
    "ported_corp52_idiom.interp_clamped": "cannot differentiate `interp1d_eval_fwd` again",
    # np.random.seed(1) precedes the draw, but the draw's size is the shape of a computed array
    "ported_corp28_mlfs.dropout_layer_loss": "may draw other random numbers on every run",
    # cs231n's dropout: likewise (`np.random.rand(*x.shape)` after `np.random.seed(seed)`)
    "ported_corp28_cs.dropout_loss": "may draw other random numbers on every run",
    # the norm of a complex vector: first-order rule only (its second-order rules are real ones)
    "ported_refuse34b.spectral_norm_loss": "the second derivative of np.linalg.norm of a complex",
    # a full svd of a 3x4 block, only `s` used: the extra rows of Vh have no tangent
    "ported_corp36_np.linalg_mix": "the extra columns of a full U (rows of Vh) of a non-square",
    # Rodrigues at w = 0: the small-angle branch I + [w] is only first-order right; th = |w|
    "ported_corp51_a6.pose_loss_zero": "second derivative of np.linalg.norm at a zero vector",
}

# case name -> why its gradient jumps near the example point (no finite-difference check of the
# Hessian; it is still checked for symmetry and against `hvp`)
KINKED: dict[str, str] = {
    # max(S_T - K, 0) over 2000 samples: the gradient jumps wherever a sample crosses the strike
    "ported_corp36_sim.bs_mc_antithetic": "a Monte Carlo payoff with a kink per sample",
    # restyled copies of users_sim's NONSMOOTH cases (an early stop, the chaotic logistic map,
    # bounces): branches flip within the differences' steps, as for their originals
    "ported_corp38m_idi.logistic_enumerate_reversed": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.lv_return_early": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.lv_while_flag": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.lv_recursive": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.logistic_map_reduce": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.logistic_map_running": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.bouncing_ifexpr": "a variant of a users_sim.NONSMOOTH case",
    "ported_corp38m_sim.bouncing_where": "a variant of a users_sim.NONSMOOTH case",
}
# case name -> why second differences of the primal cannot judge it (test_corpus_hessian checks it
# against differences of srcad's gradient instead)
STIFF: dict[str, str] = {
    # round(v, 2) * v + floor(v) * v ** 2: round's steps of 0.01 fall within the differences' steps
    "ported_corp52_b2.f_round_builtin": "round(v, 2) jumps within the primal's second differences",
    # curvature ~200 after 5 Adam steps: differences at 1e-3 and 2e-3 do not agree
    "ported_corp36.adam_unrolled": "curvature too large for second differences of the primal",
    # dynesty's eggbox, (2 + cos(t0 / 2) cos(t1 / 2)) ** 5 with t = 10 pi x: curvature ~4e4
    "ported_corp38_mc.eggbox": "curvature too large for second differences of the primal",
    # a mixture's log-likelihood near its narrow foreground component: curvature ~900
    "ported_corp38_mc.mixture_foreground_background": "curvature too large for second differences",
    # Lennard-Jones forces of three atoms 1.12 apart (r ** -12): second differences at 1e-3 and
    # 2e-3 differ by ~0.02 on entries of ~14
    "ported_corp44_hunt.lj_verlet": "curvature too large for second differences of the primal",
    # a log barrier (t = 1e-3) near its constraint: second differences at 1e-3 and 2e-3 differ by
    # 0.13 on an entry of 89 (srcad's Hessian matches central differences of its gradient)
    "ported_corp27_hs.hs57_barrier": "curvature too large for second differences of the primal",
    # max(S - K, 0) payoffs of 6 paths and the variance floor; a CRR tree's early exercise; an
    # SIR peak's max and early stop: second differences of the primal at 1e-3 cross their kinks
    "ported_corp51_a.heston_euler": "kinks within the primal's second differences",
    "ported_corp51_a7.crr_american_put": "kinks within the primal's second differences",
    "ported_corp51_a7.sir_peak": "kinks within the primal's second differences",
}


def _call(f, args):
    return f(*copy.deepcopy(args))


def _is_scalar(out) -> bool:
    return isinstance(out, (float, np.floating)) or (
        isinstance(out, np.ndarray) and out.shape == ()
    )


def _selected(c: Case) -> bool:
    return bool(c.diff) and "rev" not in c.xfail and _is_scalar(_call(c.fn, c.args))


SELECTED = [c for c in ALL_CASES if _selected(c)]


class Packer:
    """The `diff` arguments of a call as one float vector z, and back (leaf types kept)."""

    def __init__(self, args: tuple, wrt: tuple[int, ...]) -> None:
        self.args, self.wrt = args, wrt
        self.parts = [(k, *_flatten(args[k])) for k in wrt]
        self.n = sum(int(np.size(leaf)) for _, lv, _ in self.parts for leaf in lv)

    def pack(self, trees) -> np.ndarray:
        out = [np.ravel(np.asarray(leaf, float)) for t in trees for leaf in _flatten(t)[0]]
        return np.concatenate(out) if out else np.zeros(0)

    def z0(self) -> np.ndarray:
        return self.pack([self.args[k] for k in self.wrt])

    def trees(self, z: np.ndarray) -> list:
        """One tree per `wrt` argument, shaped and typed like the example argument."""
        pos, out = 0, []
        for _, lv, st in self.parts:
            new = []
            for leaf in lv:
                seg = z[pos : pos + int(np.size(leaf))]
                pos += int(np.size(leaf))
                if isinstance(leaf, np.ndarray):
                    new.append(seg.reshape(leaf.shape).astype(leaf.dtype))
                elif isinstance(leaf, np.floating):
                    new.append(type(leaf)(seg[0]))
                else:
                    new.append(float(seg[0]))
            out.append(_unflatten(st, new))
        return out

    def args_at(self, z: np.ndarray) -> list:
        args = list(copy.deepcopy(self.args))
        for k, t in zip(self.wrt, self.trees(z)):
            args[k] = t
        return args

    def tangents(self, v: np.ndarray) -> list:
        tans: list = [None] * len(self.args)
        for k, t in zip(self.wrt, self.trees(v)):
            tans[k] = t
        return tans


def _gradient(case: Case, P: Packer):
    g = srcad.grad(case.fn, wrt=P.wrt)
    return lambda z: P.pack(g(*P.args_at(z)))


def _fd_hessian(gz, z: np.ndarray) -> tuple[np.ndarray, float]:
    """Central differences of the gradient, Richardson-extrapolated over steps h and h/2;
    also the spread between the two step sizes (large near a branch or a kink)."""
    n = z.size

    def jac(h: float) -> np.ndarray:
        cols = []
        for j in range(n):
            e = np.zeros(n)
            e[j] = h * max(1.0, abs(z[j]))
            cols.append((gz(z + e) - gz(z - e)) / (2 * e[j]))
        return np.stack(cols, axis=1)

    h1, h2 = jac(1e-4), jac(5e-5)
    return (4 * h2 - h1) / 3, float(np.max(np.abs(h1 - h2), initial=0.0))


def _primal_second_differences(case: Case, P: Packer, z: np.ndarray, h: float) -> np.ndarray:
    f = lambda z: float(_call(case.fn, P.args_at(z)))  # noqa: E731
    n = z.size
    H = np.zeros((n, n))
    for i in range(n):
        for j in range(i, n):
            ei, ej = np.zeros(n), np.zeros(n)
            ei[i], ej[j] = h, h
            H[i, j] = H[j, i] = (
                f(z + ei + ej) - f(z + ei - ej) - f(z - ei + ej) + f(z - ei - ej)
            ) / (4 * h * h)
    return H


def _srcad_hessian(case: Case, P: Packer) -> np.ndarray:
    """H over z: from srcad.hessian when every `diff` argument is a float or an array, else
    from srcad.hvp with unit tangents."""
    args, n = P.args_at(P.z0()), P.n
    if all(not isinstance(args[k], (tuple, list, dict)) and not is_record(args[k]) for k in P.wrt):
        blocks = srcad.hessian(case.fn, wrt=P.wrt)(*copy.deepcopy(args))
        if len(P.wrt) == 1:
            blocks = ((blocks,),)
        sizes = [int(np.size(args[k])) for k in P.wrt]
        rows = [
            np.concatenate(
                [np.reshape(np.asarray(b, float), (si, sj)) for b, sj in zip(row, sizes)], axis=1
            )
            for row, si in zip(blocks, sizes)
        ]
        return np.concatenate(rows, axis=0)
    cols = []
    for j in range(n):
        e = np.zeros(n)
        e[j] = 1.0
        _, hv = srcad.hvp(case.fn, copy.deepcopy(args), P.tangents(e), wrt=P.wrt)
        cols.append(P.pack(hv if len(P.wrt) > 1 else (hv,)))
    return np.stack(cols, axis=1)


def _hessian_or_refusal(case: Case, P: Packer) -> np.ndarray | str:
    try:
        return _srcad_hessian(case, P)
    except srcad.SrcadError as e:
        return str(e).strip().splitlines()[0]


@pytest.mark.parametrize("case", SELECTED, ids=[c.name for c in SELECTED])
def test_corpus_hessian(case: Case) -> None:
    P = Packer(case.args, tuple(case.diff))
    z = P.z0()
    H = _hessian_or_refusal(case, P)
    if isinstance(H, str):
        assert case.name in REFUSED, f"newly refused at second order: {H}"
        assert REFUSED[case.name] in H, H
        return
    assert H.shape == (P.n, P.n)
    scale = max(1.0, float(np.max(np.abs(H), initial=0.0)))
    # symmetric, up to the rounding of the columns' separate hvp runs: ~1e-16 times the condition
    # number of what the function factorises (a GP kernel with 1e-6 jitter: ~1e7, so ~1e-12 of the
    # largest entry; how it rounds depends on the LAPACK build NumPy ships with)
    np.testing.assert_allclose(H, H.T, rtol=0, atol=1e-10 * scale)
    # against central differences of srcad's own gradient
    gz = _gradient(case, P)
    Hfd, spread = _fd_hessian(gz, z)
    if case.name not in KINKED:
        assert spread <= 1e-5 * scale, "finite differences of the gradient do not converge here"
        np.testing.assert_allclose(H, Hfd, rtol=1e-7, atol=1e-8 * scale)
    # hvp: (the gradient, H @ v) for a random v
    v = np.random.default_rng(len(case.name)).standard_normal(P.n)
    g, hv = srcad.hvp(case.fn, P.args_at(z), P.tangents(v), wrt=P.wrt)
    multi = len(P.wrt) > 1
    np.testing.assert_allclose(P.pack(g if multi else (g,)), gz(z), rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(
        P.pack(hv if multi else (hv,)), H @ v, rtol=1e-10, atol=1e-12 * scale
    )
    # checked first, so a case a new rule makes work shows its numbers before this
    assert case.name not in REFUSED, f"no longer refused ({REFUSED[case.name]}): update REFUSED"


# second differences of the primal: a check independent of srcad's gradient (small inputs only)
SMALL = [
    c
    for c in SELECTED
    if c.name not in REFUSED
    and c.name not in KINKED
    and c.name not in STIFF
    and Packer(c.args, tuple(c.diff)).n <= 6
]


@pytest.mark.parametrize("case", SMALL, ids=[c.name for c in SMALL])
def test_corpus_hessian_against_the_primal(case: Case) -> None:
    P = Packer(case.args, tuple(case.diff))
    z = P.z0()
    H = _srcad_hessian(case, P)
    h1 = _primal_second_differences(case, P, z, 2e-3)
    h2 = _primal_second_differences(case, P, z, 1e-3)
    Hfd = (4 * h2 - h1) / 3
    fscale = max(1.0, abs(float(_call(case.fn, case.args))))
    scale = max(1.0, float(np.max(np.abs(H), initial=0.0)))
    assert np.max(np.abs(h1 - h2)) <= 1e-3 * scale, "second differences do not converge here"
    np.testing.assert_allclose(H, Hfd, rtol=1e-5, atol=1e-5 * scale + 1e-8 * fscale)


def test_refused_cases_are_pinned() -> None:
    """Every case REFUSED lists is in the corpus. (test_corpus_hessian pins the rest, case by
    case: a refused case must be listed with its reason, a listed case must still be refused;
    computing every Hessian again here doubled the file's time.)"""
    assert sorted(set(REFUSED) - {c.name for c in SELECTED}) == []
    assert sorted((set(KINKED) | set(STIFF)) - {c.name for c in SELECTED}) == []
    assert len(SELECTED) >= 100  # the corpus did not shrink under us

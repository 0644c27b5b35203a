"""Ported cases (session 50, hunt50b): jax-md's energies (jax_md/energy.py, space.py,
util.py) rewritten in NumPy.

``safe_mask``, periodic displacements (``np.mod``), pairwise maps, the diagonal mask with
``np.nan_to_num``, soft-sphere, Lennard-Jones (with ``multiplicative_isotropic_cutoff``, a
``functools.wraps`` closure), Morse, spring bonds, the Gupta potential (closures of closures), the
damped-shifted-force Coulomb term (``scipy.special.erfc``; differentiated in the positions only:
in the charges, the diagonal's ``0 * inf`` makes the gradient nan, as JAX's) and
Stillinger-Weber's three-body term (its triple vmap written as loops).

Float64 arrays of positions -> a float. Each row is checked forward and reverse (the rows marked
``extra="hvp"`` also at second order)."""

from __future__ import annotations

import functools

import numpy as np
from scipy.special import erfc

from . import Case

R = np.random.default_rng(50203)


def safe_mask(mask, fn, operand, placeholder=0):
    masked = np.where(mask, operand, 0)
    return np.where(mask, fn(masked), placeholder)


def periodic_displacement(side, dR):
    return np.mod(dR + side * 0.5, side) - 0.5 * side


def square_distance(dR):
    return np.sum(dR**2, axis=-1)


def distance(dR):
    dr = square_distance(dR)
    return safe_mask(dr > 0, np.sqrt, dr)


def map_product(R):
    return R[:, None, :] - R[None, :, :]


def _diagonal_mask(X):
    N = X.shape[0]
    X = np.nan_to_num(X)
    mask = 1.0 - np.eye(N, dtype=X.dtype)
    if len(X.shape) == 3:
        mask = np.reshape(mask, (N, N, 1))
    return mask * X


def soft_sphere(dr, sigma=1.0, epsilon=1.0, alpha=2.0):
    dr = dr / sigma
    fn = lambda dr: epsilon / alpha * (1.0 - dr) ** alpha
    return safe_mask(dr < 1.0, fn, dr, 0.0)


def lennard_jones(dr, sigma=1.0, epsilon=1.0):
    idr = sigma / dr
    idr = idr * idr
    idr6 = idr * idr * idr
    idr12 = idr6 * idr6
    return np.nan_to_num(4.0 * epsilon * (idr12 - idr6))


def morse(dr, sigma=1.0, epsilon=5.0, alpha=5.0):
    U = epsilon * (1.0 - np.exp(-alpha * (dr - sigma))) ** 2.0 - epsilon
    return np.nan_to_num(np.array(U, dtype=dr.dtype))


def multiplicative_isotropic_cutoff(fn, r_onset, r_cutoff):
    r_c = r_cutoff**2.0
    r_o = r_onset**2.0

    def smooth_fn(dr):
        r = dr**2.0
        inner = np.where(
            dr < r_cutoff, (r_c - r) ** 2 * (r_c + 2 * r - 3 * r_o) / (r_c - r_o) ** 3, 0
        )
        return np.where(dr < r_onset, 1, inner)

    @functools.wraps(fn)
    def cutoff_fn(dr, *args, **kwargs):
        return smooth_fn(dr) * fn(dr, *args, **kwargs)

    return cutoff_fn


def pair_energy(fn, box, **params):
    def energy(R):
        dR = periodic_displacement(box, map_product(R))
        dr = distance(dR)
        return 0.5 * np.sum(_diagonal_mask(fn(dr, **params)))

    return energy


def soft_sphere_periodic(R):
    return pair_energy(soft_sphere, 2.0, sigma=1.2, alpha=2.5)(R)


def lj_periodic(R):
    return pair_energy(lennard_jones, 3.0, sigma=0.9)(R)


def lj_cutoff_periodic(R):
    fn = multiplicative_isotropic_cutoff(lennard_jones, 1.1, 1.4)
    return pair_energy(fn, 3.0, sigma=0.9)(R)


def morse_periodic(R):
    return pair_energy(morse, 3.0, sigma=1.0, alpha=3.0)(R)


def simple_spring_bond(R, bond, length=1.0, epsilon=1.0, alpha=2.0):
    dR = R[bond[:, 0]] - R[bond[:, 1]]
    dr = distance(dR)
    return np.sum(epsilon / alpha * np.abs(dr - length) ** alpha)


def gupta_potential(p, q, r_0n, U_n, A, cutoff):
    def _gupta_term1(r, p, r_0n, cutoff):
        within_cutoff = (r > 0) & (r < cutoff)
        term1 = np.exp(-1.0 * p * (r / r_0n - 1))
        return np.where(within_cutoff, term1, 0.0)

    def _gupta_term2(r, q, r_0n, cutoff):
        within_cutoff = (r > 0) & (r < cutoff)
        term2 = np.exp(-2.0 * q * (r / r_0n - 1))
        return np.where(within_cutoff, term2, 0.0)

    def compute_fn(R):
        dR = map_product(R)
        dr = distance(dR)
        first_term = A * np.sum(_gupta_term1(dr, p, r_0n, cutoff), axis=1)
        attractive_term = np.sum(_gupta_term2(dr, q, r_0n, cutoff), axis=1)
        second_term = safe_mask(attractive_term > 0, np.sqrt, attractive_term)
        return U_n / 2.0 * np.sum(first_term - second_term)

    return compute_fn


GUPTA_GOLD55_DICT = {"p": 10.15, "q": 4.13, "r_0n": 2.96, "U_n": 3.454, "A": 0.118428}


def gupta_gold(R):
    return gupta_potential(cutoff=8.0, **GUPTA_GOLD55_DICT)(R)


def dsf_coulomb(r, Q_sq, alpha=0.25, cutoff=8.0):
    qqr2e = 332.06371
    cutoffsq = cutoff * cutoff
    erfcc = erfc(alpha * cutoff)
    erfcd = np.exp(-alpha * alpha * cutoffsq)
    f_shift = -(erfcc / cutoffsq + 2 / np.sqrt(np.pi) * alpha * erfcd / cutoff)
    e_shift = erfcc / cutoff - f_shift * cutoff
    e = qqr2e * Q_sq / r * (erfc(alpha * r) - r * e_shift - r**2 * f_shift)
    return np.where(r < cutoff, e, 0.0)


def coulomb_energy(R, charges):
    dr = distance(map_product(R))
    Q_sq = charges[:, None] * charges[None, :]
    return 0.5 * np.sum(_diagonal_mask(dsf_coulomb(dr, Q_sq, cutoff=3.0)))


def cosine_angle_between_two_vectors(dR_12, dR_13):
    dr_12 = distance(dR_12) + 1e-7
    dr_13 = distance(dR_13) + 1e-7
    cos_angle = np.dot(dR_12, dR_13) / dr_12 / dr_13
    return np.clip(cos_angle, -1.0, 1.0)


def _sw_angle_interaction(gamma, sigma, cutoff, dR12, dR13):
    a = cutoff / sigma
    dr12 = distance(dR12)
    dr13 = distance(dR13)
    dr12 = np.where(dr12 < cutoff, dr12, 0)
    dr13 = np.where(dr13 < cutoff, dr13, 0)
    term1 = np.exp(gamma / (dr12 / sigma - a) + gamma / (dr13 / sigma - a))
    cos_angle = cosine_angle_between_two_vectors(dR12, dR13)
    term2 = (cos_angle + 1.0 / 3) ** 2
    within_cutoff = (dr12 > 0) & (dr13 > 0) & (np.linalg.norm(dR12 - dR13) > 1e-5)
    return np.where(within_cutoff, term1 * term2, 0)


def _sw_radial_interaction(sigma, B, cutoff, r):
    a = cutoff / sigma
    p = 4
    term1 = B * (r / sigma) ** (-p) - 1.0
    within_cutoff = (r > 0) & (r < cutoff)
    r = np.where(within_cutoff, r, 0)
    term2 = np.exp(1 / (r / sigma - a))
    return np.where(within_cutoff, term1 * term2, 0.0)


def stillinger_weber(
    R,
    sigma=2.0951,
    A=7.049556277,
    B=0.6022245584,
    lam=21.0,
    gamma=1.2,
    epsilon=2.16826,
    cutoff=3.77118,
):
    # jax-md vmaps the three-body term three times; written here as loops over atoms
    dR = map_product(R)
    dr = distance(dR)
    two = functools.partial(_sw_radial_interaction, sigma, B, cutoff)
    first_term = np.sum(two(dr)) / 2.0 * A
    n = R.shape[0]
    second = 0.0
    for i in range(n):
        for j in range(n):
            for k in range(n):
                second += _sw_angle_interaction(gamma, sigma, cutoff, dR[i, j], dR[i, k])
    second_term = lam * second / 2.0
    return epsilon * (first_term + second_term)


_R2 = R.uniform(0, 2.0, (5, 2))
_R3 = R.uniform(0, 3.0, (5, 3))
_BONDS = np.array([[0, 1], [1, 2], [2, 3], [3, 4], [4, 0]])
_Q = np.array([0.5, -0.5, 1.0, -1.0, 0.3])


def _c(fn, *args, diff=(0,), **kw):
    return Case(fn, args, diff, **kw)


def _h(fn, *args, diff=(0,), **kw):
    return Case(fn, args, diff, extra="hvp", **kw)


CASES = [
    _h(soft_sphere_periodic, _R2.copy()),
    _h(lj_periodic, _R3.copy()),
    _h(lj_cutoff_periodic, _R3.copy()),
    _h(morse_periodic, _R3.copy()),
    _h(simple_spring_bond, _R3.copy(), _BONDS),
    _h(gupta_gold, _R3.copy() * 2),
    _c(coulomb_energy, _R3.copy(), _Q),
    _c(stillinger_weber, R.uniform(0, 4.0, (4, 3))),
]

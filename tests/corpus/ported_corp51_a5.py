"""Ported cases (session 51, hunt51a): delicate points of user programs: Black-Scholes vectorised
with np.where over T = 0, CVaR with tied losses, a GARCH variance floor, a bond angle in degrees,
integer-valued float powers, returns with done flags, an empty RK loop, attention with a fully
masked row, an argmax gate, pairwise distances whose diagonal is exactly 0 (RBF, Matern, SPH),
coincident softened bodies; helpers that write an infinity and return it (a masked r2 for Lennard-
Jones, an ordered probit's edges).

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtr

from . import Case


# bs at T exactly 0 handled by early return, vectorised with np.where masking NaN
def bs_vec_where(S, K, T, r, sigma):
    T_safe = np.where(T > 0, T, 1.0)
    sq = sigma * np.sqrt(T_safe)
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T_safe) / sq
    d2 = d1 - sq
    price = S * ndtr(d1) - K * np.exp(-r * T_safe) * ndtr(d2)
    intrinsic = np.maximum(S - K, 0.0)
    return np.sum(np.where(T > 0, price, intrinsic))


def bs_where_loss(S):
    return bs_vec_where(S, np.array([100.0, 90.0, 110.0]), np.array([0.5, 0.0, 1.0]), 0.01, 0.2)


# CVaR with tied losses (same column returns)
def cvar_ties(w, R, alpha=0.75):
    losses = -(R @ w)
    idx = np.argsort(losses)
    srt = losses[idx]
    n = len(srt)
    k = int(alpha * n)
    return srt[k:].mean()


# GARCH with variance floor
def garch_floor(theta, r):
    omega, alpha, beta = theta[0], theta[1], theta[2]
    h = np.empty_like(r)
    h[0] = r.var()
    for t in range(1, len(r)):
        h[t] = max(omega + alpha * r[t - 1] ** 2 + beta * h[t - 1], 1e-6)
    return 0.5 * np.sum(np.log(h) + r**2 / h)


# angle with arccos at exactly collinear bonds is kinked; use a non-collinear but clip near 1
def bond_angle_deg(x):
    a, b, c = x[:3], x[3:6], x[6:]
    u = a - b
    v = c - b
    cosang = u @ v / np.sqrt((u @ u) * (v @ v))
    cosang = np.clip(cosang, -1.0, 1.0)
    return np.degrees(np.arccos(cosang))


# heat equation where kappa is integer valued float, power with float-integral exponent
def heat_pow(k):
    n = 4
    A = np.diag(np.full(n, 2.0)) - np.diag(np.ones(n - 1), 1) - np.diag(np.ones(n - 1), -1)
    u = np.linspace(-1.0, 1.0, n)
    M = np.eye(n) + k[0] * A
    for _ in range(3):
        u = np.linalg.solve(M, u)
    return np.sum(u**2.0) + np.sum(np.abs(u) ** 3.0)


# discounted returns with episode boundaries, dones as bool array, in-place on slice
def returns_dones(r, dones, gamma=0.9):
    out = r.copy()
    for t in range(len(r) - 2, -1, -1):
        if not dones[t]:
            out[t] += gamma * out[t + 1]
    return out @ out


# empty loop: zero steps
def rk_zero_steps(y0, n=0):
    y = y0.copy()
    h = 0.1
    for _ in range(n):
        y = y + h * np.sin(y)
    return np.sum(y**2)


# softmax attention with a fully masked row replaced by zeros via nan_to_num
def attn_full_mask(X, Wq):
    s = (X @ Wq) @ X.T
    mask = np.array([[True, False, False], [False, False, False], [True, True, True]])
    s = np.where(mask, s, -np.inf)
    m = np.max(s, axis=1, keepdims=True)
    m = np.where(np.isfinite(m), m, 0.0)
    e = np.exp(s - m)
    den = e.sum(axis=1, keepdims=True)
    a = np.where(den > 0, e / np.where(den > 0, den, 1.0), 0.0)
    return np.sum((a @ X) ** 2)


# argmax-selected head (hard gate)
def hard_gate(W, x):
    logits = W @ x
    k = np.argmax(logits)
    return logits[k] ** 2 + np.sum(W[k] * x)


# ising with integer spins cast from float sign
def ising_soft(h, J=0.5):
    s = np.tanh(h)
    E = -J * np.sum(s * np.roll(s, 1, 0)) - J * np.sum(s * np.roll(s, -1, 1))
    spins = np.sign(h).astype(int)
    return E + 0.0 * spins.sum() + np.sum(h * spins)


# nbody with two bodies at exact same position softened
def nbody_same(pos, eps=0.1):
    diff = pos[:, None, :] - pos[None, :, :]
    r = np.sqrt(np.sum(diff**2, axis=-1) + eps**2)
    iu = np.triu_indices(len(pos), 1)
    return -np.sum(1.0 / r[iu])


# norm of identically-zero vector (distance of a point to itself) inside a kernel
def rbf_self(X, ls=0.7):
    n = X.shape[0]
    K = np.zeros((n, n))
    for i in range(n):
        for j in range(n):
            d = np.linalg.norm(X[i] - X[j])
            K[i, j] = np.exp(-0.5 * (d / ls) ** 2)
    return np.sum(K)


def matern_self(X, ls=0.7):
    n = X.shape[0]
    tot = 0.0
    for i in range(n):
        for j in range(n):
            r = np.linalg.norm(X[i] - X[j]) / ls
            tot += (1 + math.sqrt(3) * r) * np.exp(-math.sqrt(3) * r)
    return tot


# sph kernel exactly at cutoff distance
def sph_cutoff(x, h=1.0):
    r = np.abs(x[:, None] - x[None, :])
    q = r / h
    w = np.where(q < 1, (1 - q) ** 2, 0.0)
    return np.sum(w)


# helpers that write an infinity and return it
def masked_r2(X):
    d = X[:, None, :] - X[None, :, :]
    r2 = np.sum(d**2, axis=-1)
    np.fill_diagonal(r2, np.inf)
    return r2


def lj_masked(X):
    r2 = masked_r2(X)
    return np.sum(1.0 / r2**3 - 1.0 / r2**6)


def masked_dists(x):
    d = np.abs(x[:, None] - x[None, :])
    np.fill_diagonal(d, np.inf)
    return d


def soft_neighbours(x, g):
    u = masked_dists(x)
    return np.sum(np.exp(-u / g[0]))


def ordered_probit(theta, X, y):
    p = X.shape[1]
    beta = theta[:p]
    cuts = np.concatenate([[theta[p]], theta[p] + np.cumsum(np.exp(theta[p + 1 :]))])
    eta = X @ beta
    edges = np.concatenate([[-np.inf], cuts, [np.inf]])
    upper = ndtr(edges[y + 1] - eta)
    lower = ndtr(edges[y] - eta)
    return -np.sum(np.log(upper - lower))


_XO = np.random.default_rng(62).standard_normal((8, 2))
_YO = np.array([0, 1, 2, 1, 0, 2, 1, 1])


def probit_model(theta):
    return ordered_probit(theta, _XO, _YO)


CASES = [
    Case(bs_where_loss, (np.array([100.0, 95.0, 105.0]),), (0,)),
    Case(
        cvar_ties,
        (np.array([0.4, 0.6]), np.array([[0.01, 0.01], [0.02, -0.01], [-0.01, 0.02], [0.0, 0.0]])),
        (0,),
    ),
    Case(garch_floor, (np.array([0.2, 0.1, 0.7]), np.array([1.0, -2.0, 0.5, 3.0, -1.0])), (0,)),
    Case(bond_angle_deg, (np.array([1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.3, 1.0, 0.0]),), (0,)),
    Case(heat_pow, (np.array([1.0]),), (0,)),
    Case(
        returns_dones,
        (np.array([1.0, 0.5, -1.0, 2.0]), np.array([False, True, False, False])),
        (0,),
    ),
    Case(rk_zero_steps, (np.array([0.3, -0.2]),), (0,)),
    Case(
        attn_full_mask,
        (np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]]), np.array([[0.2, 0.1], [-0.3, 0.4]])),
        (0, 1),
    ),
    Case(
        hard_gate, (np.array([[0.2, 0.1], [-0.3, 0.4], [0.5, -0.2]]), np.array([1.0, 2.0])), (0, 1)
    ),
    Case(ising_soft, (np.array([[0.2, -0.1], [-0.3, 0.4]]),), (0,)),
    Case(nbody_same, (np.array([[0.0, 0.0], [0.0, 0.0], [1.0, 0.5]]),), (0,)),
    Case(rbf_self, (np.array([[0.0, 0.1], [0.3, 0.2], [0.5, -0.4]]),), (0,)),
    Case(matern_self, (np.array([[0.0, 0.1], [0.3, 0.2], [0.5, -0.4]]),), (0,)),
    Case(sph_cutoff, (np.array([0.0, 0.5, 1.25]),), (0,)),
    Case(lj_masked, (np.array([[0.0, 0.0], [1.1, 0.2], [0.3, 1.2]]),), (0,), extra="hvp"),
    Case(soft_neighbours, (np.array([0.0, 0.5, 1.3]), np.array([0.7])), (0, 1), extra="hvp"),
    Case(probit_model, (np.array([0.3, -0.2, -0.5, 0.1]),), (0,), extra="hvp"),
]

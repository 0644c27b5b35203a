"""Ported cases (session 30, corp30), written anew as user code after NumPy recommender-system
tutorials and molecular-dynamics teaching codes: matrix factorisation trained by SGD over
``(user, item, rating)`` triples with biases (``P[u] += lr * (e * Q[i] - reg * P[u])`` on row
views), the regularised squared error over the observed ratings, an alternating-least-squares
sweep solving ``(Q^T Q + lambda I) p_u = Q^T r_u`` with ``np.linalg.solve`` user by user; the
Lennard-Jones and Morse pair energies summed by a double loop over atom pairs with a cutoff and
the minimum-image convention, forces as the negative gradient, and a few velocity-Verlet steps
whose forces are computed by hand in the same pair loop, or as ``-srcad.grad(energy)`` inside
the integrator (differentiated: a second-order program).

Float factor matrices, positions and potential parameters -> float scalar losses or arrays."""

from __future__ import annotations

import numpy as np

import srcad

from . import Case, refused_everywhere

R = np.random.default_rng(30004)
N_USERS, N_ITEMS, K = 4, 5, 2
RATINGS = [(0, 1, 4.0), (0, 3, 2.0), (1, 0, 5.0), (1, 1, 3.5), (2, 2, 1.0), (2, 4, 4.5),
           (3, 3, 3.0), (3, 0, 2.5), (1, 4, 4.0)]  # fmt: skip
BOX = 3.0


def _p(*shape, s=0.4):
    return np.round(R.normal(size=shape) * s, 3)


def mf_loss(P, Q, reg=0.05):
    loss = 0.0
    for u, i, r in RATINGS:
        e = r - np.dot(P[u], Q[i])
        loss += e**2
    return loss + reg * (np.sum(P**2) + np.sum(Q**2))


class MatrixFactorization:
    def __init__(self, P, Q, lr=0.05, reg=0.02):
        self.P = P.copy()
        self.Q = Q.copy()
        self.b_u = np.zeros(P.shape[0])
        self.b_i = np.zeros(Q.shape[0])
        self.b = np.mean([r for _, _, r in RATINGS])
        self.lr = lr
        self.reg = reg

    def predict(self, u, i):
        return self.b + self.b_u[u] + self.b_i[i] + self.P[u, :].dot(self.Q[i, :].T)

    def sgd(self, samples):
        for u, i, r in samples:
            prediction = self.predict(u, i)
            e = r - prediction
            self.b_u[u] += self.lr * (e - self.reg * self.b_u[u])
            self.b_i[i] += self.lr * (e - self.reg * self.b_i[i])
            P_u = self.P[u, :][:]
            self.P[u, :] += self.lr * (e * self.Q[i, :] - self.reg * self.P[u, :])
            self.Q[i, :] += self.lr * (e * P_u - self.reg * self.Q[i, :])

    def mse(self):
        err = 0.0
        for u, i, r in RATINGS:
            err += (r - self.predict(u, i)) ** 2
        return err / len(RATINGS)


class CopyingMF(MatrixFactorization):
    def sgd(self, samples):
        for u, i, r in samples:
            e = r - self.predict(u, i)
            self.b_u[u] += self.lr * (e - self.reg * self.b_u[u])
            self.b_i[i] += self.lr * (e - self.reg * self.b_i[i])
            P_u = self.P[u, :].copy()
            self.P[u, :] += self.lr * (e * self.Q[i, :] - self.reg * self.P[u, :])
            self.Q[i, :] += self.lr * (e * P_u - self.reg * self.Q[i, :])


def mf_sgd_epochs(P, Q):
    # `P_u = self.P[u, :][:]` is a view: the Q step reads the updated row (Python's meaning)
    mf = MatrixFactorization(P, Q)
    for _ in range(2):
        mf.sgd(RATINGS)
    return mf.mse()


def mf_sgd_epochs_copy(P, Q):
    mf = CopyingMF(P, Q, lr=0.04)
    for _ in range(2):
        mf.sgd(RATINGS)
    return mf.mse() + np.sum(mf.b_u**2)


def mf_sgd_rows(P, Q, lr=0.05, reg=0.02):
    P, Q = P.copy(), Q.copy()
    for _epoch in range(2):
        for u, i, r in RATINGS:
            pu, qi = P[u], Q[i]
            e = r - pu @ qi
            P[u] += lr * (e * qi - reg * pu)
            Q[i] += lr * (e * P[u] - reg * qi)
    return mf_loss(P, Q)


def mf_shuffled_arrays(P, Q, lr=0.05):
    # ratings as parallel arrays, a seeded shuffle per epoch, tuple-swapped row updates
    users = np.array([u for u, _, _ in RATINGS])
    items = np.array([i for _, i, _ in RATINGS])
    ratings = np.array([r for _, _, r in RATINGS])
    P, Q = P.copy(), Q.copy()
    rng = np.random.default_rng(1)
    for _ in range(2):
        for idx in rng.permutation(len(users)):
            u, i, r = users[idx], items[idx], ratings[idx]
            err = r - np.dot(P[u], Q[i])
            P[u], Q[i] = P[u] + lr * err * Q[i], Q[i] + lr * err * P[u]
    pred = np.sum(P[users] * Q[items], axis=1)
    return np.sqrt(np.mean((pred - ratings) ** 2))


def als_sweep(P, Q, lam=0.1):
    R_mat = np.zeros((N_USERS, N_ITEMS))
    mask = np.zeros((N_USERS, N_ITEMS))
    for u, i, r in RATINGS:
        R_mat[u, i] = r
        mask[u, i] = 1.0
    P = P.copy()
    for u in range(N_USERS):
        idx = np.nonzero(mask[u])[0]
        Qu = Q[idx]
        A = Qu.T @ Qu + lam * np.eye(K)
        P[u] = np.linalg.solve(A, Qu.T @ R_mat[u, idx])
    for i in range(N_ITEMS):
        idx = np.nonzero(mask[:, i])[0]
        Pi = P[idx]
        Q[i] = np.linalg.solve(Pi.T @ Pi + lam * np.eye(K), Pi.T @ R_mat[idx, i])
    return np.sum(mask * (R_mat - P @ Q.T) ** 2)


def als_loss(P, Q):
    # lam=0.5: with 0.1, item 2's one rating leaves a nearly singular solve whose Hessian (1274)
    # changes faster than central differences of the gradient resolve at their step
    return als_sweep(P, Q.copy(), lam=0.5)


# -- molecular potentials ------------------------------------------------------------------------


def lj_energy(pos, epsilon=1.0, sigma=1.0, rc=2.5):
    n = len(pos)
    e = 0.0
    for i in range(n - 1):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            d -= BOX * np.round(d / BOX)  # minimum image
            r2 = np.dot(d, d)
            if r2 < rc * rc:
                sr6 = (sigma * sigma / r2) ** 3
                e += 4.0 * epsilon * (sr6 * sr6 - sr6)
    return e


def morse_energy(pos, params):
    De, a, re = params["De"], params["a"], params["re"]
    energy = 0.0
    for i in range(len(pos)):
        for j in range(i):
            r = np.linalg.norm(pos[i] - pos[j])
            energy += De * (1.0 - np.exp(-a * (r - re))) ** 2 - De
    return energy


def morse_fit(De, a, re):
    pos = np.array([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [0.4, 0.9, 0.1]])
    return morse_energy(pos, {"De": De, "a": a, "re": re})


def cell_list_energy(pos, cell=1.5):
    # a cell list: atoms binned by integer cell coordinates in a dict, pairs within a cell
    cells = {}
    for idx, p in enumerate(pos):
        key = tuple(np.floor(p / cell).astype(int))
        cells.setdefault(key, []).append(idx)
    e = 0.0
    for members in cells.values():
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                i, j = members[a], members[b]
                r = np.linalg.norm(pos[i] - pos[j])
                e += (1.0 / r) ** 12 - 2 * (1.0 / r) ** 6
    return e


def lj_vectorized(pos, rc=2.5):
    i, j = np.triu_indices(len(pos), k=1)
    d = pos[i] - pos[j]
    r2 = np.sum(d * d, axis=1)
    sr6 = (1.0 / r2[r2 < rc * rc]) ** 3
    return np.sum(4.0 * (sr6**2 - sr6))


def lj_forces(pos, epsilon=1.0, sigma=1.0):
    n = len(pos)
    f = np.zeros_like(pos)
    for i in range(n):
        for j in range(i + 1, n):
            rij = pos[i] - pos[j]
            r2 = np.sum(rij**2)
            sr6 = (sigma**2 / r2) ** 3
            fmag = 24.0 * epsilon * (2.0 * sr6 * sr6 - sr6) / r2
            f[i] += fmag * rij
            f[j] -= fmag * rij
    return f


def velocity_verlet(pos, vel, dt=0.005, steps=3, mass=1.0):
    pos, vel = pos.copy(), vel.copy()
    f = lj_forces(pos)
    for _ in range(steps):
        vel += 0.5 * dt * f / mass
        pos += dt * vel
        f = lj_forces(pos)
        vel += 0.5 * dt * f / mass
    ke = 0.5 * mass * np.sum(vel**2)
    return ke + lj_energy(pos)


def force_residual(pos):
    # the hand-written forces against -grad of the energy would be zero; here their squared norm
    return np.sum(lj_forces(pos) ** 2)


def verlet_autodiff_forces(vel, dt=0.005, steps=2):
    # forces = -grad(energy) by srcad itself inside the integrator (differentiated: second order)
    pos = POS.copy()
    force = lambda p: -srcad.grad(lj_energy)(p)  # noqa: E731
    f = force(pos)
    for _ in range(steps):
        vel = vel + 0.5 * dt * f
        pos = pos + dt * vel
        f = force(pos)
        vel = vel + 0.5 * dt * f
    return 0.5 * np.sum(vel**2) + lj_energy(pos)


POS = np.array([[0.0, 0.0, 0.0], [1.12, 0.05, 0.0], [0.5, 1.0, 0.1], [1.6, 1.1, -0.2]])
POS5 = np.array(
    [[0.1, 0.2, 0.1], [1.2, 0.3, 0.2], [0.4, 1.1, 0.3], [2.0, 2.1, 0.2], [2.6, 2.2, 0.9]]
)

CASES = [
    Case(mf_loss, (_p(N_USERS, K), _p(N_ITEMS, K)), (0, 1)),
    Case(
        mf_sgd_epochs,
        (_p(N_USERS, K), _p(N_ITEMS, K)),
        (0, 1),
        xfail=refused_everywhere(
            "`P_u = self.P[u, :][:]` is a view of the row `self.P[u, :] += ...` updates, read "
            "after it: Python's aliasing, refused (the copying subclass is accepted)"
        ),
    ),
    Case(mf_sgd_epochs_copy, (_p(N_USERS, K), _p(N_ITEMS, K)), (0, 1)),
    Case(mf_sgd_rows, (_p(N_USERS, K), _p(N_ITEMS, K)), (0, 1)),
    Case(als_loss, (_p(N_USERS, K) + 1.0, _p(N_ITEMS, K) + 1.0), (0, 1)),
    Case(lj_energy, (POS,), (0,), jitter=0.01),
    Case(morse_fit, (1.5, 1.2, 1.0), (0, 1, 2)),
    Case(lj_forces, (POS,), (0,), jitter=0.01),
    Case(cell_list_energy, (POS5,), (0,), jitter=0.01),
    Case(lj_vectorized, (POS5,), (0,), jitter=0.01),
    Case(mf_shuffled_arrays, (_p(N_USERS, K), _p(N_ITEMS, K)), (0, 1)),
    Case(velocity_verlet, (POS, _p(4, 3, s=0.1)), (0, 1), jitter=0.01),
    Case(force_residual, (POS,), (0,), jitter=0.01),
    Case(verlet_autodiff_forces, (_p(4, 3, s=0.1),), (0,)),
]

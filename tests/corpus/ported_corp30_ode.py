"""Ported cases (session 30, corp30), written anew as user code after the compartment models of
epidemiology and pharmacokinetics tutorials in NumPy: SIR and SEIR right-hand sides returning
``np.array([dS, dI, dR])`` or a dict of compartments with a ``defaultdict(list)`` history, a
classical RK4 stepper and a forward-Euler loop filling a
trajectory array row by row, a least-squares loss of the infected curve against observations in
the parameters ``(beta, gamma)``, a parameter dict, a model class with a ``rhs`` method, the
final epidemic size by a fixed-point iteration; a one-compartment oral-dose PK model in closed
form (the Bateman function) and by Euler steps with repeated doses added to the gut compartment
at dosing times, a two-compartment IV bolus model, and the negative log-likelihood of
log-normal concentration data.

Float parameters -> float scalar losses or arrays."""

from __future__ import annotations

import math
from collections import defaultdict

import numpy as np

from . import Case

R = np.random.default_rng(30003)
T_OBS = np.arange(0.0, 10.0, 1.0)
I_OBS = np.round(np.array([0.01, 0.02, 0.04, 0.07, 0.11, 0.15, 0.17, 0.16, 0.13, 0.1]), 3)
C_OBS = np.round(np.array([0.0, 2.1, 3.0, 3.2, 3.0, 2.6, 2.2, 1.9, 1.6, 1.3]), 2)


def sir_rhs(y, t, beta, gamma):
    S, I, R_ = y  # noqa: E741
    N = S + I + R_
    dS = -beta * S * I / N
    dI = beta * S * I / N - gamma * I
    dR = gamma * I
    return np.array([dS, dI, dR])


def rk4_step(f, y, t, h, *args):
    k1 = f(y, t, *args)
    k2 = f(y + 0.5 * h * k1, t + 0.5 * h, *args)
    k3 = f(y + 0.5 * h * k2, t + 0.5 * h, *args)
    k4 = f(y + h * k3, t + h, *args)
    return y + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)


def odeint_rk4(f, y0, ts, *args, substeps=4):
    ys = np.zeros((len(ts), len(y0)))
    ys[0] = y0
    y = y0
    for i in range(1, len(ts)):
        h = (ts[i] - ts[i - 1]) / substeps
        t = ts[i - 1]
        for _ in range(substeps):
            y = rk4_step(f, y, t, h, *args)
            t += h
        ys[i] = y
    return ys


def sir_loss(beta, gamma):
    y0 = np.array([0.99, 0.01, 0.0])
    sol = odeint_rk4(sir_rhs, y0, T_OBS, beta, gamma)
    return np.sum((sol[:, 1] - I_OBS) ** 2)


def seir_euler(params, y0, days, dt=0.25):
    S, E, I, R_ = y0  # noqa: E741
    steps = int(days / dt)
    traj = np.empty((steps + 1, 4))
    traj[0] = [S, E, I, R_]
    for k in range(steps):
        new_exposed = params["beta"] * S * I * dt
        new_infectious = params["sigma"] * E * dt
        new_recovered = params["gamma"] * I * dt
        S -= new_exposed
        E += new_exposed - new_infectious
        I += new_infectious - new_recovered  # noqa: E741
        R_ += new_recovered
        traj[k + 1] = [S, E, I, R_]
    return traj


def seir_peak(beta, sigma, gamma):
    traj = seir_euler({"beta": beta, "sigma": sigma, "gamma": gamma}, (0.98, 0.01, 0.01, 0.0), 6)
    # a smooth peak: the log-sum-exp of the infectious curve
    return 0.05 * np.log(np.sum(np.exp(traj[:, 2] / 0.05)))


def sir_state_dict(beta, gamma, dt=0.5, steps=16):
    # the state as a dict of compartments, the trajectory in a defaultdict(list)
    state = {"S": 0.99, "I": 0.01, "R": 0.0}
    history = defaultdict(list)
    for _ in range(steps):
        infections = beta * state["S"] * state["I"] * dt
        recoveries = gamma * state["I"] * dt
        state["S"] -= infections
        state["I"] += infections - recoveries
        state["R"] += recoveries
        for compartment, value in state.items():
            history[compartment].append(value)
    peak = 0.02 * np.log(np.sum(np.exp(np.array(history["I"]) / 0.02)))
    return peak + 0.1 * history["R"][-1]


class SIRModel:
    def __init__(self, beta, gamma, N=1000.0):
        self.beta = beta
        self.gamma = gamma
        self.N = N

    def rhs(self, y):
        S, I = y[0], y[1]  # noqa: E741
        infection = self.beta * S * I / self.N
        recovery = self.gamma * I
        return np.array([-infection, infection - recovery, recovery])

    def simulate(self, y0, dt, n):
        y = np.asarray(y0, dtype=float)
        out = [y]
        for _ in range(n):
            y = y + dt * self.rhs(y)
            out.append(y)
        return np.array(out)

    @property
    def r0(self):
        return self.beta / self.gamma


def sir_class_attack_rate(beta, gamma):
    m = SIRModel(beta, gamma)
    traj = m.simulate([990.0, 10.0, 0.0], 0.5, 20)
    return traj[-1, 2] / m.N + 0.01 * m.r0


def final_size(r0, n_iter=30):
    # z = 1 - exp(-R0 z), by fixed-point iteration from z = 0.5
    z = 0.5
    for _ in range(n_iter):
        z = 1.0 - math.exp(-r0 * z)
    return z


def adaptive_heun(k, t_end=1.0, tol=1e-4):
    # y' = -k y by Heun-Euler with step-size control (the accepted steps depend on k)
    t, y, h = 0.0, 1.0, 0.1
    n = 0
    while t < t_end and n < 200:
        h = min(h, t_end - t)
        k1 = -k * y
        k2 = -k * (y + h * k1)
        y_new = y + 0.5 * h * (k1 + k2)
        err = abs(0.5 * h * (k2 - k1))
        if err < tol:
            t += h
            y = y_new
        h = 0.9 * h * min(2.0, max(0.2, (tol / (err + 1e-12)) ** 0.5))
        n += 1
    return y


def bateman(t, dose, ka, ke, V):
    return dose * ka / (V * (ka - ke)) * (np.exp(-ke * t) - np.exp(-ka * t))


def pk_oral_nll(log_ka, log_ke, log_V, log_sigma):
    ka, ke, V, sigma = np.exp(log_ka), np.exp(log_ke), np.exp(log_V), np.exp(log_sigma)
    pred = bateman(T_OBS[1:], 100.0, ka, ke, V)
    resid = np.log(C_OBS[1:]) - np.log(pred)
    n = len(resid)
    return 0.5 * np.sum(resid**2) / sigma**2 + n * np.log(sigma) + 0.5 * n * np.log(2 * np.pi)


def pk_interp_loss(ka, ke):
    # the model on a fine grid, read at the sampling times by np.interp
    t = np.linspace(0.0, 10.0, 51)
    c = bateman(t, 100.0, ka, ke, 25.0)
    pred = np.interp(T_OBS[1:] + 0.25, t, c)
    return np.sum((pred - C_OBS[1:]) ** 2)


def pk_multi_dose_euler(ka, ke, V, doses=((0.0, 100.0), (4.0, 50.0)), dt=0.1, t_end=8.0):
    gut, central = 0.0, 0.0
    conc = []
    schedule = dict(doses)
    n = int(round(t_end / dt))
    for k in range(n):
        t = round(k * dt, 6)
        if t in schedule:
            gut += schedule[t]
        absorbed = ka * gut * dt
        gut -= absorbed
        central += absorbed - ke * central * dt
        conc.append(central / V)
    return np.array(conc)


def pk_auc(ka, ke, V):
    c = pk_multi_dose_euler(ka, ke, V)
    return np.trapezoid(c, dx=0.1) if hasattr(np, "trapezoid") else np.trapz(c, dx=0.1)


def two_compartment_iv(params, dose, ts):
    k10, k12, k21, V1 = params
    A = np.array([[-(k10 + k12), k21], [k12, -k21]])
    x = np.array([dose, 0.0])
    out = []
    dt = 0.05
    t = 0.0
    for target in ts:
        while t < target - 1e-9:
            x = x + dt * (A @ x)
            t += dt
        out.append(x[0] / V1)
    return np.array(out)


def two_compartment_loss(params):
    pred = two_compartment_iv(params, 100.0, [0.5, 1.0, 2.0, 4.0])
    obs = np.array([8.0, 6.5, 4.6, 2.9])
    return np.sum((pred - obs) ** 2)


CASES = [
    Case(
        sir_loss,
        (0.9, 0.35),
        (0, 1),
        jitter=0.01,
        xfail=dict.fromkeys(
            ("primal", "fwd", "rev"),
            "`t = ts[i - 1]; t += h` in a helper given the global array `T_OBS`: a number "
            "(T_OBS is 1-D), but the rank of a global is not known when the caller is "
            "transformed, so the update may be in place",
        ),
    ),
    Case(seir_peak, (1.2, 0.5, 0.3), (0, 1, 2), jitter=0.01),
    Case(sir_state_dict, (0.9, 0.3), (0, 1), jitter=0.01),
    Case(sir_class_attack_rate, (0.6, 0.25), (0, 1), jitter=0.01),
    Case(final_size, (2.5,), (0,), jitter=0.01),
    # k=1.306: the accepted steps are the same within 0.0065 of it (1.3 is 0.0015 from a change)
    Case(adaptive_heun, (1.306,), (0,), jitter=0.0),
    Case(pk_oral_nll, (np.log(1.2), np.log(0.15), np.log(25.0), np.log(0.2)), (0, 1, 2, 3)),
    Case(pk_interp_loss, (1.2, 0.15), (0, 1)),
    Case(pk_multi_dose_euler, (1.1, 0.2, 20.0), (0, 1, 2), jitter=0.01),
    Case(pk_auc, (1.1, 0.2, 20.0), (0, 1, 2), jitter=0.01),
    Case(two_compartment_loss, (np.array([0.3, 0.5, 0.4, 10.0]),), (0,), jitter=0.01),
]

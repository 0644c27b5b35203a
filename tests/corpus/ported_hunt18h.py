"""Ported cases (session 18, hunt18h: second order and nesting), written anew after user code:
a trainer whose loss is made by a factory and differentiated inside the function (the factory's
variable shadowed by the caller's: wrong before), a meta-learning step over a list of made
losses, a Newton solve of a made objective, a state dict updated in a loop with an entry the
loss never reads (grad-of-grad crashed), a list of stage buffers, a dataclass simulation and
namedtuple records from helpers, and third-order-friendly special functions.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

import numpy as np
from scipy import special

import srcad

from . import Case

X = np.array([0.31, -0.53, 0.82, 0.13, 0.45, -0.27])
DATA = np.array([[0.5, -1.0, 0.3], [0.1, 0.4, -0.7], [0.9, 0.2, -0.4]])


# -- losses made by a factory, differentiated inside -----------------------------------------------
def make_loss(scale):
    def loss(z):
        return np.sum(np.tanh(DATA @ z * scale) ** 2) + 0.1 * np.sum(z**2)

    return loss


def nest_factory_step(w):
    scale = 2.0  # the caller's own `scale`: the made loss reads the factory's
    z = w[:3] - 0.3 * srcad.grad(make_loss(w[3] + 1.0))(w[:3])
    return make_loss(scale)(z) + w[4] ** 2


def nest_factory_tasks(w):
    tot = 0.0
    for k in range(2):
        loss = make_loss(w[3 + k])
        z = w[:3] - 0.2 * srcad.grad(loss)(w[:3])
        tot = tot + loss(z)
    return tot


def nest_factory_newton(w):
    def make_obj(c):
        return lambda z: np.sum((z - c) ** 4 + z**2)

    c = 7.0
    z = np.ones(3)
    obj = make_obj(w[:3])
    for _ in range(3):
        z = z - np.linalg.solve(srcad.hessian(obj)(z), srcad.grad(obj)(z))
    return np.sum(z**2 * w[3:]) + c


# -- containers with entries the loss never reads (grad-of-grad crashed) ---------------------------
def state_dict_unread(w):
    state = {name: w[[1]] * (i + 1.0) for i, name in enumerate(("m", "v", "t"))}
    for name in ("m", "t"):
        state[name] = np.sin(state[name]) * w[0]
    return np.sum(state["m"] * state["t"]) + w[2] ** 2


def stage_buffers(w):
    bufs = [np.zeros(2), np.zeros(2), np.zeros(2)]
    for i in range(3):
        bufs[i] = w[2 * i : 2 * i + 2] * (i + 1.0)
    return np.sum(np.tanh(bufs[0] * bufs[2]))


# -- records ---------------------------------------------------------------------------------------
@dataclasses.dataclass
class Body:
    pos: np.ndarray
    vel: np.ndarray


def rec_dataclass_sim(w):
    b = Body(w[:3], w[3:])
    for _ in range(4):
        acc = -np.sin(b.pos) - 0.1 * b.vel
        b = Body(b.pos + 0.1 * b.vel, b.vel + 0.1 * acc)
    return np.sum(b.pos**2) + np.sum(b.vel**2) * 0.5


class Seg(NamedTuple):
    a: float
    b: np.ndarray
    w: float


def _seg(p, i):
    return Seg(p[i] ** 2, p[i : i + 2], 0.5 * (i + 1))


def rec_namedtuple_helper(w):
    tot = 0.0
    for i in range(3):
        a, b, wt = _seg(w, i)
        tot = tot + a * np.sum(b**2) * wt
    return tot


# -- special functions ------------------------------------------------------------------------------
def special_mix(w):
    return (
        np.sum(special.gammaln(w + 2.0) * w)
        + special.logsumexp(w * 2.0)
        + np.sum(special.erf(w) * special.expit(w))
        + np.sum(special.digamma(w**2 + 1.0))
    )


CASES = [
    Case(nest_factory_step, (X,), (0,), extra="hvp"),
    Case(nest_factory_tasks, (X,), (0,), extra="hvp"),
    Case(nest_factory_newton, (X,), (0,), extra="hvp"),
    Case(state_dict_unread, (X,), (0,), extra="hvp"),
    Case(stage_buffers, (X,), (0,), extra="hvp"),
    Case(rec_dataclass_sim, (X,), (0,), extra="hvp"),
    Case(rec_namedtuple_helper, (X,), (0,), extra="hvp"),
    Case(special_mix, (X,), (0,), extra="hvp"),
]

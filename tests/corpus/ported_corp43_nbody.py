"""Ported cases (session 43, nbody43), written anew after the shape of pyperformance's n-body and
of small particle simulations: lists built in the function (positions, velocities) held by several
containers at once (the bodies, the pairs, springs naming their two nodes) and updated in place
through any of them, in helpers too (lower/listobjs.py).

Small user functions -> `CASES`; scalar-valued, second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(43004300)
XN = np.round(R.standard_normal(8) * 0.2, 3)

SOLAR_MASS = 4 * np.pi * np.pi
DAYS = 365.24


# -- pyperformance n-body with offset_momentum -----------------------------------------------------
# `_advance` and `_energy` restate ported_bench22's on purpose: lower/listobjs.py inlines only
# helpers of the differentiated function's own module, as the benchmark's program has them.


def _system(x):
    return {
        "sun": ([0.0, 0.0, 0.0], [0.0, 0.0, 0.0], SOLAR_MASS),
        "jupiter": (
            [4.84 + 0.1 * float(x[0]), -1.16, -0.10 + 0.05 * float(x[1])],
            [1.66e-03 * DAYS, 7.69e-03 * DAYS, -6.9e-05 * DAYS],
            9.54e-04 * SOLAR_MASS,
        ),
        "saturn": (
            [8.34, 4.12 + 0.1 * float(x[2]), -0.40],
            [-2.76e-03 * DAYS, 4.99e-03 * DAYS + 0.01 * float(x[3]), 2.3e-05 * DAYS],
            2.86e-04 * SOLAR_MASS,
        ),
        "uranus": (
            [12.89, -15.11, -0.22],
            [2.96e-03 * DAYS, 2.37e-03 * DAYS, -2.96e-05 * DAYS],
            4.36e-05 * SOLAR_MASS,
        ),
    }


def _pairs(seq):
    out = []
    for i, a in enumerate(seq):
        for b in seq[i + 1 :]:
            out.append((a, b))
    return out


def _offset_momentum(ref, bodies, px=0.0, py=0.0, pz=0.0):
    for _r, [vx, vy, vz], m in bodies:
        px -= vx * m
        py -= vy * m
        pz -= vz * m
    (_r, v, m) = ref
    v[0] = px / m
    v[1] = py / m
    v[2] = pz / m


def _advance(dt, n, bodies, pairs):
    for _ in range(n):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** (-1.5))
            b1m = m1 * mag
            b2m = m2 * mag
            v1[0] -= dx * b2m
            v1[1] -= dy * b2m
            v1[2] -= dz * b2m
            v2[0] += dx * b1m
            v2[1] += dy * b1m
            v2[2] += dz * b1m
        for r, [vx, vy, vz], _m in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz


def _energy(bodies, pairs, e=0.0):
    for ((x1, y1, z1), _v1, m1), ((x2, y2, z2), _v2, m2) in pairs:
        dx = x1 - x2
        dy = y1 - y2
        dz = z1 - z2
        e -= (m1 * m2) / ((dx * dx + dy * dy + dz * dz) ** 0.5)
    for _r, [vx, vy, vz], m in bodies:
        e += m * (vx * vx + vy * vy + vz * vz) / 2.0
    return e


def nbody_offset_momentum(x):
    system = _system(x)
    bodies = list(system.values())
    pairs = _pairs(bodies)
    _offset_momentum(system["sun"], bodies)
    _advance(0.01, 3, bodies, pairs)
    return _energy(bodies, pairs)


def nbody_energy_history(x):
    system = _system(x)
    bodies = list(system.values())
    pairs = _pairs(bodies)
    history = []
    for _ in range(3):
        _advance(0.02, 1, bodies, pairs)
        history.append(_energy(bodies, pairs))
    sun_r = system["sun"][0]
    return sum(history) + 0.1 * sun_r[0]


# -- a particle system: [pos, vel] lists, gravity and a bounce ------------------------------------


def particles_bounce(x):
    ps = [
        [[0.1 + x[0], 0.3], [0.2, 0.1 + x[1]]],
        [[x[2], 0.2 + 0.1 * x[3]], [-0.1, 0.0]],
        [[-0.3, 0.25], [x[4], -0.05]],
    ]
    fast = [ps[0], ps[2]]
    dt = 0.05
    for _ in range(8):
        for pos, vel in ps:
            vel[1] -= 9.81 * dt * 0.1
            for k in range(2):
                pos[k] += dt * vel[k]
            if pos[1] < 0.0:
                pos[1] = -pos[1]
                vel[1] = -0.9 * vel[1]
        for _pos, vel in fast:
            vel[0] *= 0.99
    return sum(p[0][0] ** 2 + p[0][1] + 0.5 * p[1][0] ** 2 for p in ps)


# -- a spring-mass chain: springs name the nodes they join ---------------------------------------


def spring_chain(x):
    nodes = [
        [0.0, 0.0, 1.0],
        [1.0 + 0.1 * x[0], 0.0, 1.0 + 0.1 * x[5]],
        [2.0 + 0.1 * x[1], 0.0, 1.5],
        [3.0 + 0.1 * x[2], 0.1 * x[6], 1.0],
    ]
    springs = [(nodes[i], nodes[i + 1], 2.0 + 0.1 * i) for i in range(3)]
    springs.append((nodes[0], nodes[3], 0.5 + 0.1 * x[7]))
    dt = 0.05
    for _ in range(10):
        for a, b, k in springs:
            f = k * (b[0] - a[0] - 1.0)
            a[1] += dt * f / a[2]
            b[1] -= dt * f / b[2]
        for nd in nodes[1:]:
            nd[0] += dt * nd[1]
    kinetic = sum(0.5 * nd[2] * nd[1] ** 2 for nd in nodes)
    stretch = sum(0.5 * k * (b[0] - a[0] - 1.0) ** 2 for a, b, k in springs)
    return kinetic + stretch


def _hvp(fn, x=XN, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(nbody_offset_momentum),
    _hvp(nbody_energy_history),
    _hvp(particles_bounce),
    _hvp(spring_chain),
]

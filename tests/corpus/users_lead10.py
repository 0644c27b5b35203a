"""User programs from the lead's probes (session 10): an ``__init__`` that assigns one value to a
field and a name at once (``self.x = x = math.sin(i)``, pyperformance's `float` benchmark: its
`Point` class, normalised in place and folded with `maximize`); a loss that logs its values
(``log.info("loss %f", s)`` of a module's `logging.Logger`, ``logging.info(...)``:
the message is written, no derivative flows; a user class's own `info` method is still
differentiated). Checked forward, reverse and (``extra="hvp"``) at second order."""

from __future__ import annotations

import logging
import math

import numpy as np

from . import Case

V4 = np.array([0.3, 0.2, 0.5, -0.4])


class Point:
    def __init__(self, i):
        self.x = x = math.sin(i)
        self.y = math.cos(i) * 3
        self.z = (x * x) / 2

    def normalize(self):
        x = self.x
        y = self.y
        z = self.z
        norm = math.sqrt(x * x + y * y + z * z)
        self.x /= norm
        self.y /= norm
        self.z /= norm

    def maximize(self, other):
        self.x = self.x if self.x > other.x else other.x
        self.y = self.y if self.y > other.y else other.y
        self.z = self.z if self.z > other.z else other.z
        return self


def float_benchmark(t):
    points = [Point(t[0] + i * 0.3) for i in range(5)]
    for p in points:
        p.normalize()
    nxt = points[0]
    for p in points[1:]:
        nxt = nxt.maximize(p)
    return nxt.x + 2 * nxt.y + 3 * nxt.z


class Chained:
    def __init__(self, a, b):
        self.a = self.b = a * b  # two fields, one value
        s = self.c = a + b  # a name first, then a field
        self.d = s * self.a


def chained_init(t):
    c = Chained(t[0], t[1])
    c.b = c.b * 2.0
    return c.a + c.b + c.c * c.d


_LOG = logging.getLogger("srcad.tests.users_lead10")


class Monitor:
    def info(self, v):  # a user method named like Logger.info: differentiated
        return v * v


MON = Monitor()


def logged_loss(t):
    s = np.sum(np.sin(t) ** 2)
    _LOG.info("loss %f", s)
    logging.info("t0=%s", t[0])
    for i in range(2):
        _LOG.warning("step %d: %s", i, s * t[i]) if s > 100.0 else None
    return s + MON.info(t[1])


CASES = [
    Case(float_benchmark, (V4,), (0,), extra="hvp"),
    Case(chained_init, (V4,), (0,), extra="hvp"),
    Case(logged_loss, (V4,), (0,), extra="hvp"),
]

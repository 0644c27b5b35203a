"""The module-level prelude of a wild43 program (tests/fuzz/gen_wild_43.py).

Input: a decision source (`choice.Rand`). Output: the source of the classes, generators and
helpers the body of ``f`` uses, with randomly drawn constants and method bodies: a dataclass of
scalars ``P`` (``moved``, ``kicked``) and of arrays ``A`` (``step``), a NamedTuple ``N``
(``norm2``, ``scaled``, ``moved``, ``__add__``), an accumulator ``Acc`` whose ``__iadd__`` and
``step`` return ``self`` through ``add``, a class ``Lazy`` with ``@property`` getters caching into
``self`` and counting reads, an ``Integrator`` handed ufuncs and ``math`` functions, generators
``gen_a``/``gen_b``, ``model``/``wrapped`` (``**opts`` of a dict default), and helpers with
``isinstance`` switches and early returns.
"""

from __future__ import annotations

from typing import Any

HEADER = (
    "import math\nfrom dataclasses import dataclass\nfrom itertools import islice\n"
    "from typing import NamedTuple\n\nimport numpy as np\n"
)


def _c(r: Any, lo: float = 0.1, hi: float = 0.9) -> str:
    return repr(round(lo + (hi - lo) * abs(r.normal()) % (hi - lo), 3))


def _unary(r: Any, e: str) -> str:
    return r.pick(
        [
            f"np.sin({e})",
            f"np.tanh({e})",
            f"np.cos({e})",
            f"{e} * {e} * 0.5",
            f"np.exp(-{e} * {e})",
            f"{e} / (1.0 + {e} * {e})",
        ]
    )


def prelude(r: Any) -> str:
    """The module-level definitions (see the module docstring), constants and bodies drawn."""
    mv = r.pick(
        [
            "P(self.x + dt * self.v, self.v)",
            "P(self.x + dt * np.sin(self.v), self.v * {c})",
            "P(self.x + dt * self.v * self.x, self.v - dt * self.x)",
        ]
    ).format(c=_c(r, 0.8, 1.0))
    kick = f"P(self.x, self.v - a * {_unary(r, 'self.x')})"
    astep = r.pick(
        [
            "A(self.x + dt * np.sin(self.v), self.v * {c})",
            "A(self.x + dt * self.v, self.v - dt * np.tanh(self.x))",
        ]
    ).format(c=_c(r, 0.8, 1.0))
    nmv = r.pick(
        ["N(self.x + dt * self.y * self.x, self.y)", "N(self.x + dt * self.y, self.y * 0.9)"]
    )
    norm2 = r.pick(["self.x**2 + self.y**2", "self.x * self.x + 0.5 * self.y * self.y"])
    accstep = r.pick(
        [
            "if v > 0:\n            return self.add(v * v)\n        return self.add(np.sin(v))",
            "return self.add({u})".format(u=_unary(r, "v")),
        ]
    )
    gram = r.pick(["np.outer(self.x, self.x)", "np.sum(self.x * self.x) * np.ones(2)"])
    ga = r.pick(["for e in v:", "for i in range(len(v)):\n        e = v[i]"]) + "\n        yield "
    ga += _unary(r, "e")
    gb = r.pick(
        [
            "    acc = 0.0\n    for e in v:\n        acc = acc + e\n        yield acc\n",
            f"    for e in v:\n        yield e * {_c(r, 0.5, 2.0)}\n",
            "    k = 0\n    for e in v:\n        k += 1\n        yield e / k\n",
            "    for i in range(len(v)):\n        yield v[i] * (i + 1.0)\n",
        ]
    )
    hsmall = _unary(r, "v")
    return f"""

@dataclass
class P:
    x: float
    v: float

    def moved(self, dt):
        return {mv}

    def kicked(self, a):
        return {kick}


@dataclass
class A:
    x: np.ndarray
    v: np.ndarray

    def step(self, dt):
        return {astep}


class N(NamedTuple):
    x: float
    y: float

    def norm2(self):
        return {norm2}

    def scaled(self, c):
        return N(self.x * c, self.y * c)

    def moved(self, dt):
        return {nmv}

    def __add__(self, o):
        return N(self.x + o.x, self.y + o.y)


class Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total = self.total + v
        self.n += 1
        return self

    def __iadd__(self, v):
        return self.add(v)

    def step(self, v):
        {accstep}


class Lazy:
    def __init__(self, x):
        self.x = x
        self._g = None
        self.reads = 0

    @property
    def gram(self):
        if self._g is None:
            self._g = {gram}
        return self._g

    @property
    def energy(self):
        self.reads += 1
        return np.sum(self.x * self.x) * {_c(r)}


class Integrator:
    def __init__(self, h):
        self.h = h

    def euler(self, fn, y):
        return y + self.h * fn(y)

    def rk2(self, fn, y):
        k1 = fn(y)
        return y + self.h * fn(y + 0.5 * self.h * k1)


def gen_a(v):
    {ga}


def gen_b(v):
{gb}

def model(x, scale=1.0, shift=0.0):
    return x * scale + shift


def wrapped(x, opts={{"scale": {_c(r, 0.5, 2.0)}, "shift": {_c(r)}}}):  # noqa: B006
    return model(np.sin(x), **opts)


def total(v):
    if isinstance(v, np.ndarray):
        return np.sum(v)
    return v


def soft(v, t):
    if isinstance(v, float) and v > t:
        return t + np.tanh(v - t)
    return {hsmall}


def first_big(v, t):
    for i in range(len(v)):
        if v[i] > t:
            return v[i] * {_c(r, 0.5, 2.0)}
    return np.sum(v) * 0.5
"""

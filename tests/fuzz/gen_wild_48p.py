"""The module-level prelude of a wild48 program (tests/fuzz/gen_wild_48.py), added after wild47's
(tests/fuzz/gen_wild_47p.py).

Input: a decision source (`choice.Rand`). Output: the source of the classes and helpers session
47's features meet in the wild48 blocks, constants drawn: an iterator class (``__iter__``
returning ``self``, ``__next__`` raising StopIteration: lower/selfiter.py), a PyTorch-style
``Module`` whose subclass fills ``self.params`` after ``super().__init__()`` (lower/objinit.py),
a dual-number class whose operators dispatch on ``isinstance`` (lower/receivers.py), and a
dataclass expression tree whose nodes call their fields' ``eval`` (lower/postinit.py).
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c

HEADER = "import dataclasses\nfrom numpy.lib.stride_tricks import as_strided\n"


def prelude48(r: Any) -> str:
    """The definitions of the module docstring, constants drawn."""
    item = r.pick(["v * v", "np.sin(v) * {c}", "v * {c} + 0.5"]).format(c=_c(r, 0.5, 1.5))
    act = r.pick(["np.tanh(z)", "z * {c}", "np.sin(z) + z"]).format(c=_c(r, 0.5, 1.5))
    return f"""

class Steps48:
    def __init__(self, xs, n):
        self.xs = xs
        self.n = n
        self.i = 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.i >= self.n:
            raise StopIteration
        v = self.xs[self.i]
        self.i += 1
        return {item}


class Module48:
    def __init__(self):
        self.params = {{}}


class Lin48(Module48):
    def __init__(self, w, b):
        super().__init__()
        self.params["w"] = w
        self.params["b"] = b

    def __call__(self, h):
        z = self.params["w"] * h + self.params["b"]
        return {act}


class Dual48:
    def __init__(self, v, d):
        self.v = v
        self.d = d

    def __add__(self, o):
        if isinstance(o, Dual48):
            return Dual48(self.v + o.v, self.d + o.d)
        return Dual48(self.v + o, self.d)

    __radd__ = __add__

    def __mul__(self, o):
        if isinstance(o, (int, float)):
            return Dual48(self.v * o, self.d * o)
        return Dual48(self.v * o.v, self.v * o.d + self.d * o.v)

    __rmul__ = __mul__


@dataclasses.dataclass
class Leaf48:
    k: int

    def eval(self, env):
        return env[self.k]


@dataclasses.dataclass
class Mul48:
    a: object
    b: object

    def eval(self, env):
        return self.a.eval(env) * self.b.eval(env)


@dataclasses.dataclass
class Add48:
    a: object
    b: object

    def eval(self, env):
        return self.a.eval(env) + self.b.eval(env)
"""

"""The module-level prelude of a wild45 program (tests/fuzz/gen_wild_45.py), added after wild44's
(tests/fuzz/gen_wild_44p.py).

Input: a decision source (`choice.Rand`). Output: the source of the helpers session 44's
features meet in the wild45 blocks, constants and bodies drawn: SGD steps updating a dict's or
a list's items with ``op=`` (``sgd_step``, ``sgd_list``), keyword callees read through ``**``
of a run-time dict (``kwloss`` with a default and a keyword-only parameter, ``kwrest`` taking
``**kw``), a ``Stepper`` whose steps are chosen by ``getattr(self, "_step_" + method)`` (a
subclass overriding one, a module-level instance), context managers that let the body's
exception through (a class, a ``contextmanager`` with ``try/finally``) and ones that swallow it
(which srcad must refuse), and a pair loop helper over ``itertools.combinations``.
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import _c, _unary

HEADER = "import itertools\nimport math\n"


def prelude45(r: Any) -> str:
    """The definitions of the module docstring, constants and bodies drawn."""
    step = r.pick(["lr * np.tanh(p[q])", "lr * g * p[q]", "lr * (p[q] - g)"])
    kwbody = r.pick(
        ["np.tanh(scale * v + shift) * power", "(scale * v + shift) ** power / (1.0 + power)"]
    )
    swallow = r.pick(
        [
            "    try:\n        yield\n    finally:\n        return\n",
            "    try:\n        yield\n    except KeyError:\n        pass\n",
        ]
    )
    return f"""

def sgd_step(p, lr, g):
    for q in p:
        p[q] -= {step}


def sgd_list(ps, lr):
    for i in range(len(ps)):
        ps[i] -= lr * np.sin(ps[i])


def kwloss(v, scale, shift=0.0, *, power=2):
    return {kwbody}


def kwrest(v, **kw):
    return v * kw.get("scale", 1.0) + kw.get("shift", 0.0) * len(kw)


class Stepper:
    def __init__(self, h):
        self.h = h
        self.calls = 0

    def _step_euler(self, y):
        self.calls += 1
        return y + self.h * np.sin(y)

    def _step_mid(self, y):
        self.calls += 2
        return y + self.h * np.sin(y + 0.5 * self.h * np.sin(y))

    def _step_heun(self, y):
        k = {_unary(r, "y")}
        return y + 0.5 * self.h * (k + np.sin(y + self.h * k))

    def run(self, y, method, steps=2):
        for _ in range(steps):
            y = getattr(self, "_step_" + method)(y)
        return y


class Stepper2(Stepper):
    def _step_mid(self, y):
        return y + self.h * np.tanh(y) * {_c(r, 0.5, 1.5)}


STEPPER = Stepper({_c(r, 0.05, 0.3)})


class Tally:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append(1.0)
        return len(self.log)

    def __exit__(self, t, v, tb):
        self.log.append(2.0)


@contextlib.contextmanager
def guarded(log):
    log.append(1.0)
    try:
        yield len(log)
    finally:
        log.append(2.0)


@contextlib.contextmanager
def swallowing():
{swallow}

def pair_kick(bodies, c):
    for p, q in itertools.combinations(bodies, 2):
        d = p[0] - q[0]
        p[1] -= c * d * q[2]
        q[1] += c * d * p[2]
"""

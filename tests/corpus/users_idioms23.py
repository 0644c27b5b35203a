"""Programs srcad used to refuse, session 23 (`idiom23`): ordinary Python idioms users write.

- ``getattr(o, "name", default)`` / ``hasattr(o, "name")`` on a record a user class's call made
  in the function, decided when lowering (lower/getattrs.py);
- version shims over functions: ``getattr(np, "trapezoid", None) or np.trapz``, ``if fn is
  None: fn = ...`` (lower/fnrefs.py);
- decorated nested functions (lower/decorators.py), ``functools.wraps`` in the decorator;
- ``setattr``/``getattr`` in a loop over a constant tuple of field names (lower/attrloops.py);
- a dict display in a ``try`` body whose handler catches KeyError (lower/trysteps.py);
- ``functools.cached_property`` of an object built in the function (ad/properties.py);
- idioms srcad took already, kept as guards: ``functools.lru_cache`` memoised recursion as
  weights, ``collections.Counter`` weights, namedtuple ``_replace`` / frozen dataclass
  ``dataclasses.replace`` in a loop, ``enum.Enum`` dispatch, ``f(*x, scale=s)`` of an array.

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_idiom23.py."""

from __future__ import annotations

import collections
import dataclasses
import enum
import functools

import numpy as np

from . import Case

X4 = np.array([0.3, 0.7, 0.2, 0.9])


class Options:
    def __init__(self, rate):
        self.rate = rate


class Spring:
    damping = 0.25

    def __init__(self, k, m):
        self.k = k
        self.m = m


def optional_field_default(x):
    opts = Options(x[0] * 2.0)
    momentum = getattr(opts, "momentum", 0.9)
    return opts.rate * momentum + np.sum(x**2) * getattr(opts, "rate", 1.0)


def optional_fields_by_hasattr(x):
    total = 0.0
    for obj in (Options(x[1]), Spring(x[2], x[3] + 1.0)):
        if hasattr(obj, "k"):
            total = total + obj.k / obj.m * getattr(obj, "damping", 0.0)
        else:
            total = total + obj.rate**2
    return total


def trapezoid_shim(x):
    trap = getattr(np, "trapezoid", None) or np.trapz
    return trap(np.exp(x) * x, dx=0.5)


def optional_fast_path(x):
    fast = getattr(np, "no_such_fast_kernel", None)
    if fast is None:
        fast = np.cumsum
    return np.sum(fast(x) ** 2)


def _clipped_grad_style(fn):
    @functools.wraps(fn)
    def wrapper(*args):
        return np.tanh(fn(*args))

    return wrapper


def decorated_helpers(x):
    def doubled(fn):
        @functools.wraps(fn)
        def inner(t):
            return 2.0 * fn(t)

        return inner

    @doubled
    def energy(t):
        return t**2 + np.cos(t)

    @_clipped_grad_style
    def squashed(t):
        return 3.0 * t * x[3]

    double_energy = doubled(energy)
    return double_energy(x[0]) + squashed(x[1]) + squashed(x[2]) ** 2


class Layer:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def decay_fields(x):
    layer = Layer(x[0] * x[1], x[2])
    for name in ("w", "b"):
        setattr(layer, name, getattr(layer, name) * (1.0 - 0.1 * x[3]))
    return np.tanh(layer.w) + layer.b**2


def lookup_with_fallback(x):
    total = 0.0
    for key in ("linear", "quad", "cubic"):
        try:
            coef = {"linear": x[0], "quad": x[1] ** 2}[key]
        except KeyError:
            coef = np.exp(-x[2])
        total = total + coef * x[3]
    return total


class Disk:
    def __init__(self, r, density):
        self.r = r
        self.density = density

    @functools.cached_property
    def mass(self):
        return self.density * np.pi * self.r**2


def cached_masses(x):
    disks = [Disk(x[i], 1.0 + x[3]) for i in range(3)]
    return sum(d.mass * d.r for d in disks) + disks[0].mass ** 2


@functools.lru_cache(maxsize=128)
def _binomial(n, k):
    if k == 0 or k == n:
        return 1
    return _binomial(n - 1, k - 1) + _binomial(n - 1, k)


def bernstein_weights(x):
    n = x.size - 1
    t = 0.3
    return sum(_binomial(n, i) * t**i * (1 - t) ** (n - i) * x[i] ** 2 for i in range(n + 1))


def counter_weights(x):
    counts = collections.Counter([0, 1, 1, 3, 3, 3])
    return sum(n * x[k] ** 2 for k, n in sorted(counts.items()))


State = collections.namedtuple("State", ["pos", "vel"])


@dataclasses.dataclass(frozen=True)
class Schedule:
    lr: float
    decay: float = 0.5


def replace_in_loop(x):
    s = State(x[0], x[1])
    sched = Schedule(x[2])
    for _ in range(3):
        s = s._replace(pos=s.pos + sched.lr * s.vel, vel=s.vel - sched.lr * s.pos)
        sched = dataclasses.replace(sched, lr=sched.lr * sched.decay)
    return s.pos * s.vel + x[3] * s.pos


class Activation(enum.Enum):
    TANH = 1
    SOFTPLUS = 2


def _activate(kind, v):
    if kind is Activation.TANH:
        return np.tanh(v)
    return np.log1p(np.exp(v))


def enum_dispatch(x):
    return np.sum(_activate(Activation.TANH, x) * _activate(Activation.SOFTPLUS, x - 0.5))


def _bilinear(a, b, c, d, scale=1.0):
    return (a * b + c * d) * scale


def star_array(x):
    return _bilinear(*x, scale=2.0) + _bilinear(*(x**2), scale=x[0])


CASES = [
    Case(f, (X4.copy(),), (0,), extra="hvp")
    for f in (
        optional_field_default,
        optional_fields_by_hasattr,
        trapezoid_shim,
        optional_fast_path,
        decorated_helpers,
        decay_fields,
        lookup_with_fallback,
        cached_masses,
        bernstein_weights,
        counter_weights,
        replace_in_loop,
        enum_dispatch,
        star_array,
    )
]

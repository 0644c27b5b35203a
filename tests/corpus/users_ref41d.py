"""Forms users write that srcad refused spuriously until session 41 (ref41d), each checked
forward, reverse and at second order (``extra="hvp"``):

- a helper updating its parameter with ``op=`` (``t *= decay``) called with ``float(...)`` of a
  reduction: a Python number, which the update only rebinds (passes/scalars.py);
- ``np.einsum("ij,ij->", A, B)`` (every index contracted), a NumPy scalar a later ``op=``
  rebinds while a second name keeps the old value (passes/reductions.py);
- an argument normalised in place, returned early when small, else rebound (the caller's array
  updated as Python updates it on both paths: lower/argsnap.py).
"""

from __future__ import annotations

import numpy as np

from tests.corpus import Case

_RNG = np.random.default_rng(41)


def _decayed(t, rate=0.9):
    t *= rate
    return t * t


def converted_then_decayed(w):
    """A loss scale taken as a Python float, passed to a helper that decays its copy."""
    scale = float(np.sum(w * w))
    return _decayed(scale) + scale * np.sum(np.tanh(w))


def frobenius_then_halved(w):
    """A Frobenius inner product by einsum, kept under a second name before ``*=``."""
    a = np.outer(w, np.sin(w))
    fro = min(np.einsum("ij,ij->", a, a), np.einsum("ii->", a) ** 2)
    first = fro
    fro *= 0.5
    return fro + first * np.sum(w)


def normalise_or_squash(x, floor):
    """Centres the argument in place; a small one is returned as is, else squashed."""
    x -= np.mean(x)
    norm = np.sqrt(np.sum(x * x))
    if norm < floor:
        return np.sum(x * x)
    x = np.tanh(x / norm)
    return np.sum(x * np.arange(1.0, 1.0 + x.shape[0]))


CASES = [
    Case(converted_then_decayed, (_RNG.standard_normal(4),), (0,), extra="hvp"),
    Case(frobenius_then_halved, (_RNG.standard_normal(3),), (0,), extra="hvp"),
    Case(normalise_or_squash, (_RNG.standard_normal(4), 0.1), (0,), extra="hvp"),
    Case(
        normalise_or_squash,
        (0.01 * _RNG.standard_normal(4), 0.1),
        (0,),
        name="users_ref41d.normalise_small",
    ),
]

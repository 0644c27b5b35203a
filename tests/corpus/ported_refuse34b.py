"""Programs srcad used to refuse, session 34 (`refuse34b`): NumPy code as people write it.

- ``try``/``finally`` whose body returns or continues (lower/finallies.py: the ``finally`` part
  copied before each exit);
- scikit-learn's MLP forward pass, a list of arrays updated in place by a loop index
  (``activations[i + 1] += intercepts[i]``: passes/alias_slots.py, passes/int_bounds.py);
- segment pooling with ``np.maximum.reduceat``/``np.minimum.reduceat`` and the distinct values
  of ``np.unique`` with its index/inverse/count results (rules/reduceat_unique.py);
- a dataclass state built inside a ``srcad.checkpoint`` step (ad/objclasses.py: its generated
  ``__init__`` runs nothing of the user's);
- ``np.linalg.norm`` of a complex spectrum (rules/linalg.norm_grad: through ``|z|``; first order
  only: its second derivative is refused);
- ``with np.errstate(divide="raise", invalid="raise"):`` around the risky steps
  (lower/withs.raising_try: each step checked under that errstate before it runs);

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse34b.py."""

from __future__ import annotations

import dataclasses

import numpy as np

import srcad

from . import Case

X = np.array([0.5, -1.2, 0.8, 2.0, -0.3])
_R = np.random.default_rng(34)
COEFS = [_R.standard_normal((5, 4)), _R.standard_normal((4, 3))]
INTERCEPTS = [_R.standard_normal(4), _R.standard_normal(3)]


def finally_after_return(x):
    s = np.sum(np.sin(x))
    try:
        if s > 10.0:
            return s
        s = s * 2.0
        return s * s + x[0]
    finally:
        s = 0.0


def finally_counts_skipped(x):
    total = 0.0
    seen = 0.0
    for i in range(len(x)):
        try:
            if x[i] < 0:
                continue
            total = total + np.exp(x[i])
        finally:
            seen = seen + x[i] ** 2
    return total * seen


def mlp_forward_pass(x):
    activations = [x.reshape(1, -1), None, None]
    n_layers = 3
    for i in range(n_layers - 1):
        activations[i + 1] = activations[i] @ COEFS[i]
        activations[i + 1] += INTERCEPTS[i]
        if (i + 1) != (n_layers - 1):
            activations[i + 1] = np.tanh(activations[i + 1])
    return np.sum(activations[i + 1] ** 2)


def segment_pooling(x):
    starts = np.array([0, 2, 3])
    hi = np.maximum.reduceat(x, starts)
    lo = np.minimum.reduceat(x, starts)
    return np.sum(hi * lo) + np.sum(np.add.reduceat(x, starts) ** 2)


def sorted_levels(x):
    levels, first, counts = np.unique(np.round(x, 1) + 0.01 * x, return_index=True,
                                      return_counts=True)  # fmt: skip
    gaps = np.diff(levels)
    return np.sum(gaps**2 * counts[1:]) + levels[0] * x[first[-1]]


@dataclasses.dataclass
class _State:
    q: np.ndarray
    p: np.ndarray
    dt: float = 0.1


def _leapfrog(q, p):
    s = _State(q, p)
    half = s.p - 0.5 * s.dt * np.sin(s.q)
    q2 = s.q + s.dt * half
    return q2, half - 0.5 * s.dt * np.sin(q2)


def checkpointed_dataclass_steps(x):
    q, p = x, np.zeros_like(x)
    step = srcad.checkpoint(_leapfrog)
    for _ in range(3):
        q, p = step(q, p)
    return np.sum(q**2) + np.sum(p * x)


def spectral_norm_loss(x):
    spec = np.fft.fft(x * np.hanning(len(x)))
    return np.linalg.norm(spec[1:3]) + np.linalg.norm(spec, ord=1) / len(x)


def guarded_log_likelihood(x):
    with np.errstate(divide="raise", invalid="raise"):
        p = 1.0 / (1.0 + np.exp(-x))
        ll = np.log(p) + np.log1p(-p) * 0.5
    return np.sum(ll)


CASES = [
    Case(finally_after_return, (X,), (0,), extra="hvp"),
    Case(finally_counts_skipped, (X,), (0,), extra="hvp"),
    Case(mlp_forward_pass, (X,), (0,), extra="hvp"),
    Case(segment_pooling, (X,), (0,), extra="hvp"),
    Case(sorted_levels, (X,), (0,), extra="hvp"),
    Case(checkpointed_dataclass_steps, (X,), (0,), extra="hvp"),
    Case(spectral_norm_loss, (X,), (0,)),
    Case(guarded_log_likelihood, (X,), (0,), extra="hvp"),
]

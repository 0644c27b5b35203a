"""Programs srcad used to refuse, session 34 (`refuse34b`): NumPy code as people write it.

- ``try``/``finally`` whose body returns or continues (lower/finallies.py: the ``finally`` part
  copied before each exit);
- scikit-learn's MLP forward pass, a list of arrays updated in place by a loop index
  (``activations[i + 1] += intercepts[i]``: passes/alias_slots.py, passes/int_bounds.py);

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse34b.py."""

from __future__ import annotations

import numpy as np

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


CASES = [
    Case(finally_after_return, (X,), (0,), extra="hvp"),
    Case(finally_counts_skipped, (X,), (0,), extra="hvp"),
    Case(mlp_forward_pass, (X,), (0,), extra="hvp"),
]

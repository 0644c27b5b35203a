"""What idioms25 accepts, checked numerically (gradient against central differences, the JVP/VJP
dot test, the Hessian against differences of the gradient), and the neighbours that must stay
refused (tests/corpus/users_idioms25.py holds the corpus cases):

- ``getattr(np, CFG["act"])(z)`` / ``getattr(np, ACT)(z)`` with a module-level configuration
  (lower/modattrs.py): the string is read now and recorded, so ``CFG["act"] = "sin"`` or a
  rebound ``CFG`` makes a new transform; a local or computed name stays refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])

CFG = {"act": "tanh", "net": {"out": "sin"}}
ACT = "cos"
ACTS = ("exp", "tanh")


def config_activation(x):
    z = x * 2.0
    return np.sum(getattr(np, CFG["act"])(z)) + np.sum(getattr(np, CFG["net"]["out"])(x))


def named_activation(x):
    return np.sum(getattr(np, ACT)(x) * getattr(np, ACTS[1])(x[::-1]))


@pytest.mark.parametrize("f", [config_activation, named_activation])
def test_module_attribute_by_configured_name(f):
    check_scalar(f, X)


def test_configured_name_changed_transforms_anew():
    g = srcad.grad(config_activation)
    np.testing.assert_allclose(g(X.copy()), 2 / np.cosh(2 * X) ** 2 + np.cos(X), rtol=1e-12)
    CFG["act"] = "sin"
    try:
        np.testing.assert_allclose(g(X.copy()), 2 * np.cos(2 * X) + np.cos(X), rtol=1e-12)
        _, t = srcad.jvp(config_activation, (X.copy(),), (np.ones(4),))
        np.testing.assert_allclose(t, np.sum(2 * np.cos(2 * X) + np.cos(X)), rtol=1e-12)
        CFG["act"] = "no_such_function"
        with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
            g(X.copy())
    finally:
        CFG["act"] = "tanh"


def local_name_activation(x):
    act = "tanh"
    if x[0] > 10.0:
        act = "sin"
    return np.sum(getattr(np, act)(x))


def computed_name_activation(x):
    return np.sum(getattr(np, CFG["act"][:2] + "nh")(x))


def shadowed_config(x):
    CFG = {"act": "sin"}  # noqa: N806
    return np.sum(getattr(np, CFG["act"])(x))


@pytest.mark.parametrize("f", [local_name_activation, computed_name_activation, shadowed_config])
def test_run_time_attribute_names_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
        srcad.grad(f)(X.copy())

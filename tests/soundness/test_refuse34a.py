"""What refuse34a accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), and the
neighbours that stay refused (tests/corpus/users_refuse34a.py holds the corpus cases):

1. A user class's own method named like a list's or dict's in-place one (``opt.update(p, g)``,
   ``bag.pop()``, ``o.clear()``) on an object a call of the class made here: the class's method
   (lower/usermethods.py: even a record of such a class is built while lowering), in an
   expression, as a statement and in a loop; a receiver of no class known when lowering (an
   argument) and a subclass of dict stay refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. user methods named like a container's in-place methods ---------------------------------
class Opt:
    def __init__(self, lr):
        self.lr = lr

    def update(self, params, grads):
        return {k: params[k] - self.lr * grads[k] for k in params}


class Bag:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def pop(self):
        return self.b * self.a

    def clear(self):
        return np.sum(self.a)

    def setdefault(self, k, v):
        return self.a if k == "a" else v


def opt_update_loop(x):
    p = {"w": x * 1.0}
    o = Opt(0.3)
    for _ in range(3):
        p = o.update(p, {"w": np.sin(p["w"])})
    return np.sum(p["w"] ** 2)


def opt_update_inline(x):
    p = Opt(x[0] ** 2).update({"w": x}, {"w": np.cos(x)})
    return np.sum(p["w"] * x)


def opt_update_statement(x):
    p = {"w": x * 2.0}
    o = Opt(0.1)
    o.update(p, {"w": x})  # its result dropped: `p` unchanged, as in Python
    return np.sum(p["w"] ** 2)


def bag_methods(x):
    g = Bag(x, np.sin(x))
    return np.sum(g.pop()) * g.clear() + np.sum(g.setdefault("a", x) ** 2)


@pytest.mark.parametrize(
    "f", [opt_update_loop, opt_update_inline, opt_update_statement, bag_methods]
)
def test_user_method_named_like_container_method(f):
    _both(f, X)
    check_scalar(f, X)


def test_opt_update_value():
    # p_{k+1} = p_k - 0.3 sin(p_k), three steps, then sum(p^2): compare with the chain rule
    p, dp = X.copy(), np.ones(3)
    for _ in range(3):
        p, dp = p - 0.3 * np.sin(p), dp * (1.0 - 0.3 * np.cos(p))
    np.testing.assert_allclose(srcad.grad(opt_update_loop)(X), 2 * p * dp, rtol=1e-13)


def update_of_argument(x, o):
    return np.sum(o.update({"w": x}, {"w": x})["w"])


def test_receiver_of_unknown_class_stays_refused():
    with pytest.raises(srcad.SrcadError, match="update"):
        srcad.grad(update_of_argument)(X, Opt(0.1))


class DictBag(dict):
    def __init__(self, a):
        super().__init__(a=a)

    def update(self, v):  # noqa: D102 - shadows dict.update on purpose
        return v


def dict_subclass_update(x):
    d = DictBag(x)
    return np.sum(d.update(x))


def test_container_subclass_is_not_taken_for_a_user_method():
    with pytest.raises(srcad.SrcadError):
        srcad.grad(dict_subclass_update)(X)

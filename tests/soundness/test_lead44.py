"""Session 44 (lead): a method chosen by ``getattr(self, "_step_" + method)`` with `method` known
only at run time (lower/methodpick.py) read the class's method where the instance's own field of
that name (``self._step_mid = lambda y: ...`` in a subclass's ``__init__``) shadows it: the
gradient was of the class's method, not of the lambda Python calls. Each branch now reads the
object by its own name, as ``self._step_mid(y)`` does: the lambda field is refused there."""

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class _Integ:
    def __init__(self, h):
        self.h = h

    def _step_euler(self, y):
        return y + self.h * np.sin(y)

    def _step_mid(self, y):
        k = y + 0.5 * self.h * np.sin(y)
        return y + self.h * np.sin(k)

    def run(self, y, method):
        for _ in range(3):
            y = getattr(self, "_step_" + method)(y)
        return y


class _Override(_Integ):
    def _step_mid(self, y):
        return y * 2.0 + np.sin(y)


class _Shadowed(_Integ):
    def __init__(self, h):
        self.h = h
        self._step_mid = lambda y: y * 3.0


def plain(x, method):
    return np.sum(_Integ(0.1).run(x, method))


def overridden(x, method):
    return np.sum(_Override(0.1).run(x, method))


def shadowed(x, method):
    return np.sum(_Shadowed(0.1).run(x, method))


X = np.array([0.3, -0.7, 1.1])


@pytest.mark.parametrize("f", [plain, overridden])
@pytest.mark.parametrize("method", ["euler", "mid"])
def test_method_by_run_time_name_is_right(f, method):
    check_grads(lambda x: f(x, method), (X,), order=2)
    g = srcad.grad(f)(X, method)
    e = np.eye(3) * 1e-6
    fd = [(f(X + e[i], method) - f(X - e[i], method)) / 2e-6 for i in range(3)]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("method", ["euler", "mid"])
def test_instance_field_shadowing_the_method_is_refused(method):
    with pytest.raises(srcad.SrcadError, match="holds a lambda"):
        srcad.grad(shadowed)(X, method)

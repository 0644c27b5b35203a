"""Session-27 findings: a confusing argument-count message.

- ``srcad.hessian(np.sum)(x, 0)`` said "sum(): too many positional arguments" (a call Python
  accepts): a library function given to a transform takes its required parameters only; the
  TypeError now says it as Python words an argument-count error and how to pass the others
  (srcad/callmsg.py). Plain functions get Python's words too.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X2 = np.array([0.3, -0.7])


def test_library_function_with_more_arguments_says_so():
    with pytest.raises(TypeError) as e:
        srcad.hessian(np.sum)(X2.copy(), 0)
    msg = str(e.value)
    assert "sum() takes 1 positional argument but 2 were given" in msg
    assert "lambda a: numpy.sum(a, ...)" in msg


def test_argument_count_errors_use_python_words():
    def f(x, y=1.0):
        return x * y

    def g(x, y, z):
        return x * y * z

    with pytest.raises(TypeError, match=r"f\(\) takes from 1 to 2 positional arguments but 3"):
        srcad.grad(f)(1.0, 2.0, 3.0)
    with pytest.raises(
        TypeError, match=r"g\(\) missing 2 required positional arguments: 'y' and 'z'"
    ):
        srcad.grad(g)(1.0)
    with pytest.raises(TypeError, match=r"f\(\) got an unexpected keyword argument 'w'"):
        srcad.grad(f)(1.0, w=2.0)

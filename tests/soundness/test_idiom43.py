"""Wrong values idiom43 found, now refused:

a. An object of a user class built in the function with a lambda (or nested def) as a field,
   used as a run-time value (returned, as ``has_aux``'s aux, or in srcad.primal): the lowering
   rebuilt it by calling the class again with the lambda's lowering-time record (`NestedFn`)
   as the argument, so the caller got an object whose ``.fn`` was srcad's internal record
   (calling it: TypeError; the aux silently wrong). lower/objects.as_value now passes every
   argument that is no run-time value through `operand`, which refuses the lambda where the
   object is used ("the nested function `<lambda>` is used as a value").
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([0.3, -0.7, 1.2])


class _Act:
    def __init__(self, fn, gain):
        self.fn, self.gain = fn, gain

    def __call__(self, x):
        return self.gain * self.fn(x)


def returns_object_holding_lambda(x):
    a = _Act(lambda v: v * v, 2.0)
    return a


def aux_object_holding_lambda(x):
    a = _Act(lambda v: v * v, 2.0)
    return np.sum(a(x)), a


def test_object_holding_a_lambda_returned_is_refused():
    assert returns_object_holding_lambda(X3).fn(2.0) == 4.0
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.primal(returns_object_holding_lambda)(X3)


def test_object_holding_a_lambda_as_aux_is_refused():
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.value_and_grad(aux_object_holding_lambda, has_aux=True)(X3)


def calls_object_holding_lambda(x):
    a = _Act(lambda v: v * v, 2.0)
    return np.sum(a(x))


def test_object_holding_a_lambda_called_in_place_still_works():
    g = srcad.grad(calls_object_holding_lambda)(X3)
    assert np.allclose(g, 4.0 * X3)

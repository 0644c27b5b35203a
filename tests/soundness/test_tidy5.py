"""Loose ends of the 5th session (helper `tidy`), each failing before its fix.

- grad, on an error of the generated code, ran `f` again to tell a non-scalar output from an error
  of its own: `f`'s side effects ran twice. The output is now read from the failed frame when the
  error came from the reverse sweep (`backend/locations.reverse_output`).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def outer_loss(x):
    print("ran")
    return x @ x.T  # a (2, 2) output: the reverse sweep's matmul_vjp(1.0, ...) fails


def own_error(x):
    print("ran")
    y = np.sum(x)
    if y > 0:
        raise ValueError("f's own")
    return y


@pytest.mark.parametrize("make", [srcad.grad, srcad.value_and_grad], ids=["grad", "vg"])
def test_grad_errors_run_f_once(make, capsys) -> None:
    x = np.ones((2, 3))
    for _ in range(2):  # the full path, then the fast one
        with pytest.raises(srcad.SrcadError, match=r"returned an array of shape \(2, 2\)"):
            make(outer_loss)(x)
        assert capsys.readouterr().out.count("ran") == 1
        with pytest.raises(ValueError, match="f's own"):
            make(own_error)(x)
        assert capsys.readouterr().out.count("ran") == 1
    assert make(own_error)(-x) is not None

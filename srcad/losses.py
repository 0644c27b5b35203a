"""What ``srcad.grad`` accepts as a loss: the one scalar-output check and its wording.

Input: a function's output (or, inside generated code, the cotangent a gradient level seeds) and
the function's name. Output: None when the output is a real scalar, else the `SrcadError` saying
why not. Used by every route that seeds an output with 1.0: calling ``grad(f)``
(`srcad.gradcall.loss_error`), the gradient levels of ``hessian``/``hvp``/``jacfwd(grad(f))``
(`srcad.gradcall.check_loss`), and ``srcad.grad(f)`` called inside differentiated code
(``_srcad.scalar_grad``, and ``_srcad.elem`` where the seed meets a tuple's cotangent), so the
three say the same thing.

grad needs a real scalar: a float, a NumPy floating scalar, a 0-d array, or an int (a function
that returns an int somewhere, like ``max(0, 1 - y * x)``, is locally constant there). Refused:
tuples, lists, dicts, arrays of any other shape (shape (1,) too, like JAX), bools, complex numbers
and other objects.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.arrays import is_duck_array
from srcad.errors import SrcadError

HINT = "reduce it (e.g. np.sum) or use srcad.jacrev / srcad.vjp for non-scalar outputs"
_REAL = "differentiate a real quantity"
_COMPLEX = "differentiate a real quantity, e.g. abs(z)**2 or z.real"


def nonscalar(name: str, what: str, real: bool = False) -> str:
    """The message: `name` (already quoted) returned `what` (``an array of shape (3,)``)."""
    return f"grad needs a {'real ' if real else ''}scalar output, but {name} returned {what}"


def _a(v: Any) -> str:
    return f"a {type(v).__name__}"


def scalar_error(out: Any, name: str) -> SrcadError | None:
    """Why `out`, the output of the function called `name` (quoted), is not a loss grad can seed
    (None when it is one)."""
    if isinstance(out, (tuple, list, dict)):
        return SrcadError(nonscalar(name, _a(out)), hint=HINT)
    if is_duck_array(out):  # a Dask or CuPy array: its dtype and rank, nothing computed
        if out.ndim == 0 and out.dtype.kind in "fiu":
            return None
        if out.ndim == 0:
            return SrcadError(
                nonscalar(name, f"an array of dtype {out.dtype}", real=True), hint=_REAL
            )
        return SrcadError(nonscalar(name, f"an array of shape {out.shape}"), hint=HINT)
    if isinstance(out, (bool, np.bool_)) or (isinstance(out, np.ndarray) and out.dtype.kind == "b"):
        return SrcadError(
            nonscalar(name, "a bool", real=True),
            hint="return the quantity to differentiate, not a comparison",
        )
    if isinstance(out, (complex, np.complexfloating)) or (
        isinstance(out, np.ndarray) and out.dtype.kind == "c"
    ):
        return SrcadError(nonscalar(name, "a complex value", real=True), hint=_COMPLEX)
    if isinstance(out, np.ndarray):
        if out.ndim == 0 and out.dtype.kind in "fiu":
            return None
        hint = HINT
        if out.shape == (1,):
            hint = "index it (out[0]) or reduce it (np.sum): grad does not unwrap shape (1,)"
        return SrcadError(nonscalar(name, f"an array of shape {out.shape}"), hint=hint)
    if not isinstance(out, (float, int, np.floating, np.integer)):
        return SrcadError(nonscalar(name, _a(out)), hint=HINT)
    return None

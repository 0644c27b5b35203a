"""The mutation check a transform runs first, with what the call knows about the arguments.

Input: a lowered `Function` and the facts about its arguments (numbers, array ranks, lists of
numbers, Nones). Output: nothing, or the `LoweringError` of `passes/alias.check_transform`
(the hazards the lowering deferred to the argument types).
"""

from __future__ import annotations

from srcad.passes.alias import check_transform
from srcad.ssa.core import Function


def check_augmented_for(
    fn: Function,
    scalar_params: tuple,
    param_ndims: dict | None,
    param_seqs: dict | None = None,
    helper_ndims: dict | None = None,
    boxes: tuple | frozenset = (),
    nones: tuple | frozenset = (),
    f64: tuple = (),
) -> None:
    """Decide the mutation hazards the lowering deferred, now that the argument types are known:
    `x op= v` is fine on a number; reading `x[i]` after `x` changed is fine when `x` is 1-D; an
    object inside an array argument does not exist. `param_ndims` is None for a called helper
    (its caller checks what it updates), a dict for the differentiated function itself, which
    may not update its arguments in place. A NumPy float scalar argument of the differentiated
    function (``np.float64(0.5)``: kind "f" and not a float64 array) is a number too: ``y = x;
    y += 1`` rebinds `y`. `nones`: the arguments that are None (`passes/alias_nones.py`);
    `f64`: the float64 array arguments (``np.asarray(x, dtype=np.float32)`` copies them)."""
    if param_ndims is not None and param_seqs:
        npscal = (i for i, k in param_seqs.items() if k == "f" and i not in param_ndims)
        scalar_params = (*scalar_params, *(i for i in npscal if i not in scalar_params))
    check_transform(fn, scalar_params, param_ndims, param_seqs, helper_ndims, boxes, nones, f64)

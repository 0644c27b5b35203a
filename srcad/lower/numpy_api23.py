"""NumPy calls written as the primitives they equal (more of `srcad.lower.library.REWRITES`):
``np.fft.ihfft(a, n, axis, norm)`` -> ``np.conjugate(np.fft.rfft(a, n, axis, norm=swapped))``,
NumPy's own definition (``norm`` swapped: "backward"/None <-> "forward", "ortho" kept), for a
``norm`` known when lowering and no ``out=``.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call as it is: refused). Example::

    np.fft.ihfft(x)  ->  np.conjugate(np.fft.rfft(x, None, -1, norm="forward"))
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand

_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def ihfft(lc: Any, a: Operand, n: Operand, axis: Operand, norm: Operand, out: Operand) -> Any:
    if out != Const(None) or not isinstance(norm, Const) or norm.value not in _SWAP:
        return None
    spectrum = lc.op("numpy.fft.rfft", [a, n, axis], {"norm": Const(_SWAP[norm.value])})
    return lc.op("numpy.conjugate", [spectrum])


REWRITES = {"numpy.fft.ihfft": (lambda a, n=None, axis=-1, norm=None, out=None: None, ihfft)}

"""SciPy calls users make, written as primitives that have rules (more of
`srcad.lower.library.REWRITES`), so every order closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is: refused, having no rule).

- ``scipy.linalg.pinvh(a, lower=...)`` with the default tolerances: ``np.linalg.pinv`` of the
  symmetric matrix of `a`'s one triangle (``_srcad.herm``), with ``rtol = max(M, N) eps``, the
  cut-off ``pinvh`` uses; ``pinv``'s rule refuses a rank-deficient matrix, where the
  pseudo-inverse jumps (its value there is still ``pinvh``'s).

- ``scipy.linalg.pinv(a)`` with the default tolerances: ``np.linalg.pinv(a, rtol=max(M, N)
  eps)``, SciPy's cut-off (``atol=0``), with ``pinv``'s rule.
- ``scipy.linalg.qr(a, mode=...)`` without pivoting: ``np.linalg.qr`` in the mode of the same
  shapes (``"full"``: ``"complete"``, ``"economic"``: ``"reduced"``); ``mode="r"`` is SciPy's
  1-tuple ``(R,)`` of the full R (M x N, the complete mode's). Both run LAPACK's Householder QR
  (geqrf, orgqr), the same factors. ``"raw"`` and ``pivoting=True`` stay refused.

Example: ``scipy.linalg.pinvh(a)`` lowers to::

    np.linalg.pinv(_srcad.herm(a, "L"), rtol=max(np.shape(a)[-2:]) * 2.0**-52)
"""

from __future__ import annotations

from typing import Any

from srcad.ssa.core import Const, Operand

_NONE = Const(None)
_RT = "srcad.runtime."


def pinvh(lc: Any, a: Operand, atol: Operand, rtol: Operand, lower: Operand,
          return_rank: Operand, check_finite: Operand) -> Operand | None:  # fmt: skip
    if atol != _NONE or rtol != _NONE or return_rank != Const(False):
        return None
    if not isinstance(lower, Const) or not isinstance(lower.value, bool):
        return None
    h = lc.op(_RT + "herm", [a, Const("L" if lower.value else "U")])
    return lc.op("numpy.linalg.pinv", [h], {"rtol": _scipy_rtol(lc, a)})


def pinv(lc: Any, a: Operand, atol: Operand, rtol: Operand, return_rank: Operand,
         check_finite: Operand) -> Operand | None:  # fmt: skip
    if atol != _NONE or rtol != _NONE or return_rank != Const(False):
        return None
    return lc.op("numpy.linalg.pinv", [a], {"rtol": _scipy_rtol(lc, a)})


def _scipy_rtol(lc: Any, a: Operand) -> Operand:
    """SciPy's default relative cut-off of `pinv`/`pinvh`: ``max(M, N) * eps`` of `a`'s shape."""
    shape = lc.op("numpy.shape", [a])
    n = lc.op("max", [lc.op("getitem", [shape, Const(slice(-2, None))])])
    return lc.op("mul", [n, Const(float(2.0**-52))])


_QR_MODES = {"full": "complete", "economic": "reduced", "r": "complete"}


def qr(lc: Any, a: Operand, overwrite_a: Operand, lwork: Operand, mode: Operand,
       pivoting: Operand, check_finite: Operand) -> Operand | None:  # fmt: skip
    if pivoting != Const(False) or lwork != _NONE or not isinstance(mode, Const):
        return None
    m = _QR_MODES.get(mode.value) if isinstance(mode.value, str) else None
    if m is None:
        return None
    out = lc.op("numpy.linalg.qr", [a], {"mode": Const(m)})
    if mode.value == "r":  # SciPy's (R,), R of the full decomposition
        return lc.op("tuple", [lc.op("getitem", [out, Const(1)])])
    return out


REWRITES = {
    "scipy.linalg.pinvh": (
        lambda a, atol=None, rtol=None, lower=True, return_rank=False, check_finite=True: None,
        pinvh,
    ),
    "scipy.linalg.pinv": (
        lambda a, *, atol=None, rtol=None, return_rank=False, check_finite=True: None,
        pinv,
    ),
    "scipy.linalg.qr": (
        lambda a, overwrite_a=False, lwork=None, mode="full", pivoting=False, check_finite=True: (
            None
        ),
        qr,
    ),
}

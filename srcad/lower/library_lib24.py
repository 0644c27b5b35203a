"""SciPy/NumPy calls users make, written as the primitives they equal (more of
`srcad.lower.library.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is: refused if it has no rule). Arguments that
choose the formula (axes, flags, metrics) must be constants when lowering; otherwise None.

- scipy.stats: ``gmean`` (``exp(average(log a, weights))``), ``hmean`` (``1 / average(1 / a,
  weights)``, NaN if an entry is negative), ``sem`` (``std(a, ddof) / sqrt(n)``), ``skew`` and
  ``kurtosis`` (biased: central moments ``m3 / m2**1.5``, ``m4 / m2**2 (- 3)``), ``moment``,
  ``zscore``, ``entropy`` (``sum(entr(pk))`` or ``sum(rel_entr(pk, qk))`` of the normalised
  vectors, broadcast first, ``/ log(base)`` for a constant base); with
  ``nan_policy="propagate"`` and ``keepdims=False``;
- scipy.integrate: ``trapezoid`` -> ``np.trapezoid``; ``cumulative_trapezoid`` (``cumsum`` of the
  panel areas, ``initial=0`` a leading zero); ``simpson``/``cumulative_simpson`` in ``y`` (linear:
  ``y @ W`` with SciPy's own weights, `srcad.rules.scipy_extra24.simpson_apply`; an active
  ``x``/``dx`` is refused);
- scipy.signal: ``fftconvolve``/``oaconvolve`` (``axes=None``) -> ``scipy.signal.convolve``;
  ``lfilter(b, a, x, axis)`` without ``zi`` -> `srcad.rules.scipy_signal24.sp_lfilter`; with
  ``zi`` (another axis moved last and back), ``lfilter_zi`` and the default ``filtfilt`` ->
  calls of the NumPy code of `srcad.libsignal`, differentiated through its source;
- ``np.fft.hfft(a, n, axis, norm)`` -> ``np.fft.irfft(np.conjugate(a), n, axis, swapped norm)``
  (NumPy's definition); ``np.linalg.cond(x, p)`` for ``p`` in "fro", "nuc", +-1, +-inf ->
  ``norm(x, p) * norm(inv(x), p)`` (NumPy's formula); ``scipy.linalg.norm`` -> ``np.linalg.norm``;
- scipy.linalg ``toeplitz``/``circulant``/``hankel`` and scipy.spatial.distance ``squareform``:
  a gather ``take(concatenate([0], ravel(c), ravel(r)), index)``, the index made by the SciPy
  function itself on integer positions (`srcad.rules.scipy_extra24.struct_index`).

Example: ``scipy.stats.zscore(a)`` lowers to::

    (a - np.mean(a, axis=0, keepdims=True)) / np.std(a, axis=0, ddof=0, keepdims=True)
"""

from __future__ import annotations

import math
from typing import Any

from srcad import lazy
from srcad.lower import spatial_lib24
from srcad.ssa.core import Const, Operand

_NONE = Const(None)
libsignal = lazy.module("srcad.libsignal")  # (it imports scipy: only when a program calls it)
_SWAP = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def _op(lc: Any, name: str, *args: Any, **kw: Any) -> Operand:
    """`name` of `args` (Python numbers as constants), keywords as constants or operands."""
    a = [x if isinstance(x, Operand) else Const(x) for x in args]
    k = {n: v if isinstance(v, Operand) else Const(v) for n, v in kw.items()}
    return lc.op(name, a, k or None)


def _plain(*flags: Operand) -> bool:
    """Every flag a constant (the formula is chosen when lowering)."""
    return all(isinstance(f, Const) for f in flags)


def _stats_ok(axis: Operand, nan_policy: Operand, keepdims: Operand) -> bool:
    return (
        _plain(axis, nan_policy, keepdims)
        and nan_policy.value == "propagate"
        and keepdims.value is False
        and (axis.value is None or isinstance(axis.value, int))
    )


def _central(lc: Any, a: Operand, axis: Operand, k: int) -> Operand:
    """The k-th central moment of `a` along `axis` (mean of ``(a - mean)**k``)."""
    d = _op(lc, "sub", a, _op(lc, "numpy.mean", a, axis=axis, keepdims=True))
    return _op(lc, "numpy.mean", _op(lc, "pow", d, float(k)), axis=axis)


def gmean(lc: Any, a: Operand, axis: Operand, dtype: Operand, weights: Operand, nan_policy: Operand,
          keepdims: Operand) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims) or dtype != Const(None):
        return None
    log_a = _op(lc, "numpy.log", a)
    return _op(lc, "numpy.exp", _op(lc, "numpy.average", log_a, axis=axis, weights=weights))


def hmean(lc: Any, a: Operand, axis: Operand, dtype: Operand, weights: Operand, nan_policy: Operand,
          keepdims: Operand) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims) or dtype != Const(None):
        return None
    inv = _op(lc, "numpy.average", _op(lc, "numpy.divide", 1.0, a), axis=axis, weights=weights)
    ok = _op(lc, "numpy.all", _op(lc, "ge", a, 0.0))
    return _op(lc, "numpy.where", ok, _op(lc, "numpy.divide", 1.0, inv), math.nan)


def _count(lc: Any, a: Operand, reduced: Operand) -> Operand:
    """How many entries of `a` each entry of `reduced` summarises (an integer, constant)."""
    return _op(lc, "truediv", lc.op("numpy.size", [a]), lc.op("numpy.size", [reduced]))


def sem(lc: Any, a: Operand, axis: Operand, ddof: Operand, nan_policy: Operand, keepdims: Operand
        ) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims):
        return None
    s = _op(lc, "numpy.std", a, axis=axis, ddof=ddof)
    return _op(lc, "truediv", s, _op(lc, "numpy.sqrt", _count(lc, a, s)))


def skew(lc: Any, a: Operand, axis: Operand, bias: Operand, nan_policy: Operand, keepdims: Operand
         ) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims) or bias != Const(True):
        return None
    m2, m3 = _central(lc, a, axis, 2), _central(lc, a, axis, 3)
    return _op(lc, "truediv", m3, _op(lc, "pow", m2, 1.5))


def kurtosis(lc: Any, a: Operand, axis: Operand, fisher: Operand, bias: Operand, nan_policy: Operand,
             keepdims: Operand) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims) or bias != Const(True) or not _plain(fisher):
        return None
    m2, m4 = _central(lc, a, axis, 2), _central(lc, a, axis, 4)
    g2 = _op(lc, "truediv", m4, _op(lc, "pow", m2, 2.0))
    return _op(lc, "sub", g2, 3.0) if fisher.value else g2


def moment(lc: Any, a: Operand, order: Operand, axis: Operand, nan_policy: Operand, center: Operand,
           keepdims: Operand) -> Operand | None:  # fmt: skip
    ok = _plain(order) and isinstance(order.value, int) and order.value >= 1
    if not ok or not _stats_ok(axis, nan_policy, keepdims):
        return None
    if center == Const(None):
        center = _op(lc, "numpy.mean", a, axis=axis, keepdims=True)
    d = _op(lc, "sub", a, center)
    return _op(lc, "numpy.mean", _op(lc, "pow", d, float(order.value)), axis=axis)


def zscore(lc: Any, a: Operand, axis: Operand, ddof: Operand, nan_policy: Operand) -> Any:
    if not _stats_ok(axis, nan_policy, Const(False)):
        return None
    mean = _op(lc, "numpy.mean", a, axis=axis, keepdims=True)
    std = _op(lc, "numpy.std", a, axis=axis, ddof=ddof, keepdims=True)
    return _op(lc, "truediv", _op(lc, "sub", a, mean), std)


def entropy(lc: Any, pk: Operand, qk: Operand, base: Operand, axis: Operand, nan_policy: Operand,
            keepdims: Operand) -> Operand | None:  # fmt: skip
    if not _stats_ok(axis, nan_policy, keepdims) or axis == Const(None):
        return None

    def unit(p: Operand) -> Operand:
        return _op(lc, "truediv", p, _op(lc, "numpy.sum", p, axis=axis, keepdims=True))

    if not _plain(base) or (base.value is not None and base.value <= 0):
        return None
    if qk == Const(None):
        terms = _op(lc, "scipy.special.entr", unit(pk))
    else:  # SciPy broadcasts the two first
        shp = _op(
            lc, "numpy.broadcast_shapes", lc.op("numpy.shape", [pk]), lc.op("numpy.shape", [qk])
        )
        pk, qk = _op(lc, "numpy.broadcast_to", pk, shp), _op(lc, "numpy.broadcast_to", qk, shp)
        terms = _op(lc, "scipy.special.rel_entr", unit(pk), unit(qk))
    s = _op(lc, "numpy.sum", terms, axis=axis)
    return s if base == Const(None) else _op(lc, "truediv", s, _op(lc, "numpy.log", base))


def trapezoid(lc: Any, y: Operand, x: Operand, dx: Operand, axis: Operand) -> Operand:
    return lc.op("numpy.trapezoid", [y, x, dx, axis])


def cumulative_trapezoid(lc: Any, y: Operand, x: Operand, dx: Operand, axis: Operand,
                         initial: Operand) -> Operand | None:  # fmt: skip
    if not _plain(axis, initial) or initial.value not in (None, 0, 0.0):
        return None
    if axis.value != -1 and x != Const(None):
        return None
    ym = _op(lc, "numpy.moveaxis", y, axis, -1)
    hi = lc.op("getitem", [ym, Const((Ellipsis, slice(1, None)))])
    lo = lc.op("getitem", [ym, Const((Ellipsis, slice(None, -1)))])
    d = dx if x == Const(None) else _op(lc, "numpy.diff", x, axis=-1)
    res = _op(lc, "numpy.cumsum", _op(lc, "mul", d, _op(lc, "mul", _op(lc, "add", hi, lo), 0.5)),
              axis=-1)  # fmt: skip
    if initial.value is not None:
        zero = _op(lc, "numpy.zeros_like", lc.op("getitem", [ym, Const((Ellipsis, slice(0, 1)))]))
        res = _op(lc, "numpy.concatenate", lc.op("tuple", [zero, res]), axis=-1)
    return _op(lc, "numpy.moveaxis", res, -1, axis)


def _simpson(cumulative: bool) -> Any:
    def rewrite(lc: Any, y: Operand, x: Operand, dx: Operand, axis: Operand,
                initial: Operand = _NONE) -> Operand | None:  # fmt: skip
        if not _plain(axis, initial) or (initial.value is not None and not cumulative):
            return None
        ym = _op(lc, "numpy.moveaxis", y, axis, -1)
        flags = Const((cumulative, initial.value))
        res = lc.op("srcad.runtime.simpson_apply", [ym, x, dx, flags])
        return _op(lc, "numpy.moveaxis", res, -1, axis) if cumulative else res

    return rewrite


def fftconvolve(lc: Any, in1: Operand, in2: Operand, mode: Operand, axes: Operand) -> Any:
    if axes != Const(None):
        return None
    return lc.op("scipy.signal.convolve", [in1, in2, mode])


def lfilter(lc: Any, b: Operand, a: Operand, x: Operand, axis: Operand, zi: Operand) -> Any:
    if not _plain(axis):
        return None
    if zi == _NONE:
        return lc.op("srcad.runtime.sp_lfilter", [b, a, x, axis])
    # (y, zf): NumPy code over the rules without zi (srcad/libsignal.py), along the last axis
    if _last(axis):
        return lc.op("call", [Const(libsignal.lfilter_zi_call), b, a, x, zi])
    if type(axis.value) is not int:
        return None
    xm, zm = (_op(lc, "numpy.moveaxis", v, axis, -1) for v in (x, zi))
    both = lc.op("call", [Const(libsignal.lfilter_zi_call), b, a, xm, zm])
    y, zf = (
        _op(lc, "numpy.moveaxis", lc.op("getitem", [both, Const(k)]), -1, axis) for k in (0, 1)
    )
    return lc.op("tuple", [y, zf])


def _last(axis: Operand) -> bool:
    return isinstance(axis, Const) and type(axis.value) is int and axis.value == -1


def lfilter_zi(lc: Any, b: Operand, a: Operand) -> Any:
    return lc.op("call", [Const(libsignal.lfilter_zi), b, a])


def filtfilt(lc: Any, b: Operand, a: Operand, x: Operand, axis: Operand, padtype: Operand,
             padlen: Operand, method: Operand, irlen: Operand) -> Any:  # fmt: skip
    """The default ``filtfilt`` (odd padding, ``method="pad"``) along the last axis."""
    fixed = padtype == Const("odd") and method == Const("pad") and irlen == _NONE
    pad = isinstance(padlen, Const) and (padlen.value is None or type(padlen.value) is int)
    if not (fixed and pad and _last(axis)):
        return None
    return lc.op("call", [Const(libsignal.filtfilt), b, a, x, padlen])


def hfft(lc: Any, a: Operand, n: Operand, axis: Operand, norm: Operand, out: Operand) -> Any:
    if out != Const(None) or not isinstance(norm, Const) or norm.value not in _SWAP:
        return None
    conj = lc.op("numpy.conjugate", [a])
    return lc.op("numpy.fft.irfft", [conj, n, axis], {"norm": Const(_SWAP[norm.value])})


def cond(lc: Any, x: Operand, p: Operand) -> Operand | None:
    if not _plain(p) or p.value not in ("fro", "nuc", 1, -1, math.inf, -math.inf):
        return None
    inv = lc.op("numpy.linalg.inv", [x])
    kw = {"axis": Const((-2, -1))}
    return _op(
        lc, "mul", lc.op("numpy.linalg.norm", [x, p], kw), lc.op("numpy.linalg.norm", [inv, p], kw)
    )


def sla_norm(lc: Any, a: Operand, ord: Operand, axis: Operand, keepdims: Operand,
             check_finite: Operand) -> Operand:  # fmt: skip
    return lc.op("numpy.linalg.norm", [a, ord, axis, keepdims])


def _gather(kind: str) -> Any:
    """``scipy.linalg.<kind>(c, r)``: the entries of ``[0, c..., r...]`` at SciPy's positions."""

    def rewrite(lc: Any, c: Operand, r: Operand = _NONE) -> Operand:
        if kind == "toeplitz" and r == Const(None):
            r = lc.op("numpy.conjugate", [c])
        index = lc.op("srcad.runtime.struct_index", [Const(kind), c, r])
        parts = [_op(lc, "numpy.zeros", 1), lc.op("numpy.ravel", [c])]
        if r != Const(None):
            parts.append(lc.op("numpy.ravel", [r]))
        vals = lc.op("numpy.concatenate", [lc.op("tuple", parts)])
        return lc.op("numpy.take", [vals, index])

    return rewrite


def squareform(lc: Any, X: Operand, force: Operand, checks: Operand) -> Operand | None:
    if not _plain(force, checks):
        return None
    flags = Const((force.value, checks.value))
    index = lc.op("srcad.runtime.struct_index", [Const("squareform"), X, flags])
    vals = _op(
        lc,
        "numpy.concatenate",
        lc.op("tuple", [_op(lc, "numpy.zeros", 1), lc.op("numpy.ravel", [X])]),
    )
    return lc.op("numpy.take", [vals, index])


_GM = lambda a, axis=0, dtype=None, weights=None, *, nan_policy="propagate", keepdims=False: None  # noqa: E731
_HM = lambda a, axis=0, dtype=None, *, weights=None, nan_policy="propagate", keepdims=False: None  # noqa: E731
_ST = "scipy.stats."
REWRITES = {
    _ST + "gmean": (_GM, gmean),
    _ST + "hmean": (_HM, hmean),
    _ST + "sem": (lambda a, axis=0, ddof=1, nan_policy="propagate", *, keepdims=False: None, sem),
    _ST + "skew": (
        lambda a, axis=0, bias=True, nan_policy="propagate", *, keepdims=False: None,
        skew,
    ),
    _ST + "kurtosis": (
        lambda a, axis=0, fisher=True, bias=True, nan_policy="propagate", *, keepdims=False: None,
        kurtosis,
    ),
    _ST + "moment": (
        lambda a, order=1, axis=0, nan_policy="propagate", *, center=None, keepdims=False: None,
        moment,
    ),
    _ST + "zscore": (lambda a, axis=0, ddof=0, nan_policy="propagate": None, zscore),
    _ST + "entropy": (
        lambda pk, qk=None, base=None, axis=0, *, nan_policy="propagate", keepdims=False: None,
        entropy,
    ),
    "scipy.integrate.trapezoid": (lambda y, x=None, dx=1.0, axis=-1: None, trapezoid),
    "scipy.integrate.cumulative_trapezoid": (
        lambda y, x=None, dx=1.0, axis=-1, initial=None: None,
        cumulative_trapezoid,
    ),
    "scipy.integrate.simpson": (lambda y, x=None, *, dx=1.0, axis=-1: None, _simpson(False)),
    "scipy.integrate.cumulative_simpson": (
        lambda y, *, x=None, dx=1.0, axis=-1, initial=None: None,
        _simpson(True),
    ),
    "scipy.signal.fftconvolve": (lambda in1, in2, mode="full", axes=None: None, fftconvolve),
    "scipy.signal.oaconvolve": (lambda in1, in2, mode="full", axes=None: None, fftconvolve),
    "scipy.signal.lfilter": (lambda b, a, x, axis=-1, zi=None: None, lfilter),
    "scipy.signal.lfilter_zi": (lambda b, a: None, lfilter_zi),
    "scipy.signal.filtfilt": (
        lambda b, a, x, axis=-1, padtype="odd", padlen=None, method="pad", irlen=None: None,
        filtfilt,
    ),
    "numpy.fft.hfft": (lambda a, n=None, axis=-1, norm=None, out=None: None, hfft),
    "numpy.linalg.cond": (lambda x, p=None: None, cond),
    "scipy.linalg.norm": (
        lambda a, ord=None, axis=None, keepdims=False, check_finite=True: None,
        sla_norm,
    ),
    "scipy.linalg.toeplitz": (lambda c, r=None: None, _gather("toeplitz")),
    "scipy.linalg.hankel": (lambda c, r=None: None, _gather("hankel")),
    "scipy.linalg.circulant": (lambda c: None, _gather("circulant")),
    "scipy.spatial.distance.squareform": (lambda X, force="no", checks=True: None, squareform),
    **spatial_lib24.REWRITES,
}

"""``scipy.signal.lfilter`` with initial conditions, ``lfilter_zi`` and ``filtfilt`` written as
NumPy/SciPy code srcad differentiates through its source (`srcad.lower.library_lib24` calls
these), so every argument and every order closes on the rules of ``lfilter`` without ``zi``
(`srcad.rules.scipy_signal24`), ``hankel`` and ``solve``.

Input: the arguments of the SciPy call (`axis` -1 or the last axis; ``a[0]`` nonzero, as SciPy
requires; ``lfilter_zi`` drops leading zeros of ``a`` first, as SciPy's does before 1.18, or
raises SciPy's ValueError, as 1.18's does). Output: SciPy's
values. With ``bn, an`` the coefficients padded to ``m`` and divided by ``a[0]``, ``e`` the
initial state padded with zeros to the signal's length:

- ``y = lfilter(b, a, x) + lfilter(a[:1], a, e)`` (``an(q) y = bn(q) x + e``);
- ``zf_i = sum_{j>i} (bn_j x[N+i-j] - an_j y[N+i-j]) + zi[N+i]`` (samples before 0 are zero):
  the last ``m - 1`` samples reversed times the Hankel matrices of ``bn[1:]`` and ``an[1:]``;
- ``lfilter_zi``: ``solve(I - companion(an).T, bn[1:] - an[1:] bn[0])`` (SciPy's formula);
- ``filtfilt`` (``padtype="odd"``, ``method="pad"``): the odd extension, forwards and
  backwards with ``lfilter_zi`` scaled by the first sample, the padding cut off.

Example::

    >>> y, zf = lfilter_zi_call(np.array([1.0]), np.array([1.0, -0.5]), np.ones(3), np.ones(1))
"""

from __future__ import annotations

from typing import Any

import numpy as np

try:
    import scipy.linalg as sl
    import scipy.signal as ss
except ImportError:  # pragma: no cover - scipy is optional
    sl = ss = None


def _gain_raises() -> bool:
    """Whether the installed SciPy's ``lfilter_zi`` of a pure gain raises (1.15 to 1.17: the
    companion matrix needs two coefficients) or answers an empty state (1.18)."""
    try:
        ss.lfilter_zi([1.0], [1.0])
    except ValueError:
        return True
    except Exception:  # pragma: no cover - scipy absent
        return False
    return False


GAIN_RAISES = _gain_raises()


def _lead_zero_message() -> str | None:
    """The message of the installed SciPy's ``lfilter_zi`` when ``a[0] == 0`` (1.18 raises),
    or None when it drops the leading zeros (1.15 to 1.17)."""
    try:
        ss.lfilter_zi([1.0], [0.0, 1.0, 0.5])
    except ValueError as e:
        return str(e)
    except Exception:  # pragma: no cover - scipy absent
        return None
    return None


LEAD_ZERO_RAISES = _lead_zero_message()


def lfilter_zi_call(b: Any, a: Any, x: Any, zi: Any) -> Any:
    """``scipy.signal.lfilter(b, a, x, axis, zi)`` -> ``(y, zf)``, along the last axis."""
    m = max(len(a), len(b))
    a0 = a[0]
    bn = np.concatenate([b, np.zeros(m - len(b))]) / a0  # (no calls of this module's
    an = np.concatenate([a, np.zeros(m - len(a))]) / a0  # functions: srcad refuses those)
    n = np.shape(x)[-1]
    zi = np.asarray(zi)
    want = np.shape(x)[:-1] + (m - 1,)
    if np.ndim(zi) != len(want) or np.broadcast_shapes(np.shape(zi), want) != want:
        raise ValueError(f"Unexpected shape for zi: expected {want}, found {np.shape(zi)}.")
    rest = np.zeros(np.shape(zi)[:-1] + (n,))
    e = np.concatenate([zi, rest], axis=-1)
    y = ss.lfilter(b, a, x) + ss.lfilter(a[:1], a, np.take(e, np.arange(n), axis=-1))
    xp = np.concatenate([np.zeros(np.shape(x)[:-1] + (m - 1,)), x], axis=-1)
    yp = np.concatenate([np.zeros(np.shape(y)[:-1] + (m - 1,)), y], axis=-1)
    last = np.arange(n + m - 2, n - 1, -1)  # (the last m - 1 samples, reversed; no `...`:
    u = np.take(xp, last, axis=-1)  # srcad's second order differentiates this code's
    w = np.take(yp, last, axis=-1)  # derivative, where an Ellipsis has no tangent)
    zf = (
        u @ sl.hankel(bn[1:]) - w @ sl.hankel(an[1:]) + np.take(e, np.arange(n, n + m - 1), axis=-1)
    )
    return y, zf


def lfilter_zi(b: Any, a: Any) -> Any:
    """``scipy.signal.lfilter_zi(b, a)``: the initial state of a step response's steady state."""
    if LEAD_ZERO_RAISES is not None and a[0] == 0:  # (SciPy 1.18 raises)
        raise ValueError(LEAD_ZERO_RAISES)
    lead = 0
    while lead < len(a) - 1 and a[lead] == 0:  # (SciPy before 1.18 drops the leading zeros)
        lead = lead + 1
    a = a[lead:]
    m = max(len(a), len(b))
    a0 = a[0]
    if m < 2 and GAIN_RAISES:  # (a pure gain: SciPy before 1.18 raises, from `companion`)
        raise ValueError("The length of `a` along the last axis must be at least 2.")
    bn = np.concatenate([b, np.zeros(m - len(b))]) / a0  # (no calls of this module's
    an = np.concatenate([a, np.zeros(m - len(a))]) / a0  # functions: srcad refuses those)
    eye = np.eye(m - 1)
    lhs = eye - np.eye(m - 1, k=1) + an[1:, None] * eye[:1]
    return np.linalg.solve(lhs, bn[1:] - an[1:] * bn[0])


def filtfilt(b: Any, a: Any, x: Any, padlen: Any) -> Any:
    """``scipy.signal.filtfilt(b, a, x, padlen=padlen)`` along the last axis, odd padding."""
    edge = 3 * max(len(a), len(b)) if padlen is None else padlen
    n = np.shape(x)[-1]
    if n <= edge:
        raise ValueError(
            f"The length of the input vector x must be greater than padlen, which is {edge}."
        )
    if edge > 0:
        left = 2 * np.take(x, [0], axis=-1) - np.take(x, np.arange(edge, 0, -1), axis=-1)
        right = 2 * np.take(x, [n - 1], axis=-1) - np.take(
            x, np.arange(n - 2, n - edge - 2, -1), axis=-1
        )
        x = np.concatenate([left, x, right], axis=-1)
    zi = ss.lfilter_zi(b, a)  # (lowered as calls of the functions above)
    y, _ = ss.lfilter(b, a, x, zi=zi * np.take(x, [0], axis=-1))
    y = np.flip(y, axis=-1)
    y, _ = ss.lfilter(b, a, y, zi=zi * np.take(y, [0], axis=-1))
    y = np.flip(y, axis=-1)
    if edge > 0:
        y = np.take(y, np.arange(edge, edge + n), axis=-1)
    return y

"""scipy.ndimage's linear filters and scipy.signal.savgol_filter as runtime helpers whose rules
close every order (the calls `srcad.lower.library_lib25` writes them as). Registered only when
scipy is imported.

Input: the `RuleTable` pair. Output: the tables filled with the rules of the helpers. With
``P`` the boundary extension of `spec` (``np.pad`` of the ndimage mode, widths from the kernel
shape and origin) and ``V(p, k)`` the valid correlation:

- ``ndi_corr(x, w, kshape, spec) = V(P x, w)`` (``scipy.ndimage.correlate``/``correlate1d``
  with ``cval=0``): bilinear; VJP in ``x`` ``ndi_corr_tx(g, w)`` (``P' (g * w)``, the full
  convolution folded back by the extension's transpose), in ``w`` ``ndi_corr_tw(x, g)``
  (``V(P x, g)``, the kernel's shape);
- ``ndi_corr_tx`` and ``ndi_corr_tw`` are bilinear too, with each other and ``ndi_corr`` as
  transposes, so every order closes;
- ``savgol_apply(y, delta, flags) = y @ S`` (``savgol_filter`` along the last axis: linear in ``y``),
  its transpose ``savgol_apply_t(t, delta, flags, n) = t @ S.T``, ``S`` made by SciPy on the identity
  (O(n^2), reverse mode only).

`spec` is ``(mode, origins, axis, conv)``: the ndimage mode, the origin (one per kernel axis,
or one for all), the axis of a 1-D kernel (``correlate1d``; None: the kernel has ``x``'s rank),
and whether the origins are a convolution's (``convolve`` is the correlation with the flipped
kernel and mirrored origins). ``ndi_sep(x, w, spec)``/``ndi_sep_t`` (``gaussian_filter``,
``uniform_filter``): a constant 1-D kernel along each axis in turn, linear in ``x``.

Example::

    vjp of ndi_corr(x, w, kshape, spec) in w:  _srcad.ndi_corr_tw(x, g, kshape, spec)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import helper, rt

try:
    import scipy.signal as ss
except ImportError:  # pragma: no cover - scipy is optional
    ss = None

# ndimage boundary modes -> np.pad modes (ndimage's "reflect" repeats the edge sample)
PAD_MODES = {
    "reflect": "symmetric",
    "grid-mirror": "symmetric",
    "mirror": "reflect",
    "nearest": "edge",
    "wrap": "wrap",
    "grid-wrap": "wrap",
    "constant": "constant",
    "grid-constant": "constant",
}


def _kernel(w, kshape, spec, ndim):
    """The kernel with ``x``'s rank: a 1-D kernel along ``spec``'s axis is reshaped."""
    w = np.asarray(w)
    axis = spec[2]
    if axis is None:
        return np.reshape(w, kshape)
    shape = [1] * ndim
    shape[axis % ndim] = kshape[0]
    return np.reshape(w, shape)


def _widths(kshape, spec, ndim):
    """The extension's (before, after) widths per axis of ``x`` (``spec[3]``: a convolution's
    origins, which SciPy mirrors, one more for an even kernel)."""
    axis, origins, conv = spec[2], spec[1], spec[3]
    if axis is None:
        sizes = list(kshape)
        origins = [origins] * len(sizes) if np.ndim(origins) == 0 else list(origins)
    else:
        sizes, o = [1] * ndim, [0] * ndim
        sizes[axis % ndim], o[axis % ndim] = kshape[0], origins
        origins = o
    if conv:
        origins = [-o - (1 - k % 2) if k > 1 else -o for k, o in zip(sizes, origins)]
    if len(sizes) != ndim:
        raise RuntimeError("filter weights array has incorrect shape.")
    return [(k // 2 + o, k - 1 - k // 2 - o) for k, o in zip(sizes, origins)]


def _extend(x, kshape, spec):
    x = np.asarray(x)
    return np.pad(x, _widths(kshape, spec, x.ndim), mode=PAD_MODES[spec[0]])


def _valid(p, k):
    return ss.correlate(p, k, mode="valid", method="direct")


def ndi_corr(x, w, kshape, spec):
    """``scipy.ndimage.correlate(x, w, mode, cval=0, origin)`` (``correlate1d`` along
    ``spec[2]``), as the valid correlation of the extended `x`."""
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.inexact):
        raise TypeError(
            "srcad: scipy.ndimage filters an integer array into integers: srcad computes in "
            "floats; convert the input with .astype(float)"
        )
    return _valid(_extend(x, kshape, spec), _kernel(w, kshape, spec, x.ndim))


def ndi_corr_tx(t, w, kshape, spec):
    """The transpose of `ndi_corr` in ``x``: the full convolution of `t` with the kernel,
    folded back onto ``x``'s entries by the transpose of the extension."""
    g = np.asarray(t)
    full = ss.convolve(g, _kernel(w, kshape, spec, g.ndim), mode="full", method="direct")
    widths = _widths(kshape, spec, g.ndim)
    mode = PAD_MODES[spec[0]]
    pos = np.arange(g.size).reshape(g.shape)
    src = (
        np.pad(pos, widths, mode=mode, constant_values=-1)
        if mode == "constant"
        else np.pad(pos, widths, mode=mode)
    )
    keep = src >= 0
    out = np.bincount(src[keep], weights=np.real(full[keep]), minlength=g.size)
    return out.reshape(g.shape)


def ndi_corr_tw(x, t, kshape, spec):
    """The transpose of `ndi_corr` in ``w``: the valid correlation of the extended `x` with
    `t` (``x``'s shape), in the kernel's shape."""
    x = np.asarray(x)
    return np.reshape(_valid(_extend(x, kshape, spec), np.asarray(t)), kshape)


def ndi_sep(x, w, spec):
    """The 1-D kernel `w` correlated along each axis of ``spec[2]`` in turn (None: every
    axis), as ``gaussian_filter``/``uniform_filter`` do; ``spec = (mode, origin, axes)``."""
    x = np.asarray(x)
    for ax in range(x.ndim) if spec[2] is None else spec[2]:
        x = ndi_corr(x, w, (np.size(w),), (spec[0], spec[1], ax, False))
    return x


def ndi_sep_t(t, w, spec):
    """The transpose of `ndi_sep` in ``x``: the passes' transposes in reverse order."""
    t = np.asarray(t)
    for ax in reversed(range(t.ndim) if spec[2] is None else spec[2]):
        t = ndi_corr_tx(t, w, (np.size(w),), (spec[0], spec[1], ax, False))
    return t


def savgol_apply(y, delta, flags):
    """``scipy.signal.savgol_filter(y, wl, po, deriv, delta, axis=-1, mode, cval)``,
    ``flags = (wl, po, deriv, mode, cval)``."""
    wl, po, deriv, mode, cval = flags
    return ss.savgol_filter(y, wl, po, deriv=deriv, delta=delta, axis=-1, mode=mode, cval=cval)


def savgol_apply_t(t, delta, flags, n):
    """The transpose of `savgol_apply` on rows of length `n`: ``t @ S.T``, ``S`` SciPy's
    filter of the identity."""
    s = savgol_apply(np.eye(n), delta, flags)
    return np.matmul(np.asarray(t), s.T)


_CORR = ("ndi_corr", "ndi_corr_tx", "ndi_corr_tw")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    if ss is None:
        return
    nd = ("kshape", "spec")
    c, tx, tw = (lambda a, b, f=f: f"_srcad.{f}({a}, {b}, kshape, spec)" for f in _CORR)
    sig = "x, w, kshape, spec"
    jvp.defjvp(rt(ndi_corr), sig, nondiff=nd, x=c("dx", "w"), w=c("x", "dw"))
    vjp.defvjp(rt(ndi_corr), sig, nondiff=nd, x=tx("g", "w"), w=tw("x", "g"))
    sig = "t, w, kshape, spec"
    jvp.defjvp(rt(ndi_corr_tx), sig, nondiff=nd, t=tx("dt", "w"), w=tx("t", "dw"))
    # <ndi_corr_tx(t, w), g> = <t, ndi_corr(g, w)> = <w, ndi_corr_tw(g, t)>
    vjp.defvjp(rt(ndi_corr_tx), sig, nondiff=nd, t=c("g", "w"), w=tw("g", "t"))
    sig = "x, t, kshape, spec"
    jvp.defjvp(rt(ndi_corr_tw), sig, nondiff=nd, x=tw("dx", "t"), t=tw("x", "dt"))
    # <ndi_corr_tw(x, t), g> = <ndi_corr(x, g), t> = <x, ndi_corr_tx(t, g)>
    vjp.defvjp(rt(ndi_corr_tw), sig, nondiff=nd, x=tx("t", "g"), t=c("x", "g"))
    # in x only: the 1-D kernel of a gaussian/uniform filter is a constant (active: refused)
    sig, nd = "x, w, spec", ("spec",)
    jvp.defjvp(rt(ndi_sep), sig, nondiff=nd, x="_srcad.ndi_sep(dx, w, spec)")
    vjp.defvjp(rt(ndi_sep), sig, nondiff=nd, x="_srcad.ndi_sep_t(g, w, spec)")
    sig = "t, w, spec"
    jvp.defjvp(rt(ndi_sep_t), sig, nondiff=nd, t="_srcad.ndi_sep_t(dt, w, spec)")
    vjp.defvjp(rt(ndi_sep_t), sig, nondiff=nd, t="_srcad.ndi_sep(g, w, spec)")
    # linear in y; the sample spacing `delta` has no term: active, it is refused
    sig, nd = "y, delta, flags", ("flags",)
    jvp.defjvp(rt(savgol_apply), sig, nondiff=nd, y="_srcad.savgol_apply(dy, delta, flags)")
    vjp.defvjp(rt(savgol_apply), sig, nondiff=nd,
               y="_srcad.savgol_apply_t(g, delta, flags, np.shape(y)[-1])")  # fmt: skip
    sig, nd = "t, delta, flags, n", ("flags", "n")
    jvp.defjvp(rt(savgol_apply_t), sig, nondiff=nd,
               t="_srcad.savgol_apply_t(dt, delta, flags, n)")  # fmt: skip
    vjp.defvjp(rt(savgol_apply_t), sig, nondiff=nd, t="_srcad.savgol_apply(g, delta, flags)")


ELEMENTWISE: tuple[str, ...] = ()
PURE: tuple[str, ...] = ()
if ss is not None:  # runtime helpers only with scipy
    for _fn in (ndi_corr, ndi_corr_tx, ndi_corr_tw, ndi_sep, ndi_sep_t):
        helper(_fn)
    helper(savgol_apply)
    helper(savgol_apply_t)

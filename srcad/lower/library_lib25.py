"""SciPy filters users call, written as the runtime helpers of `srcad.rules.scipy_ndimage25` or
as other primitives (more of `srcad.lower.library.REWRITES`), so every order closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc`. Output: the result
operand, or None (the call is then lowered as it is: refused, having no rule). The arguments
that choose the filter (sizes, sigmas, modes, origins, axes, orders) must be constants when
lowering; ``output=`` must be None.

- scipy.ndimage ``correlate``/``convolve``/``correlate1d``/``convolve1d`` (in the input and the
  weights) -> ``ndi_corr(x - cval, w) + cval * sum(w)`` (the ``cval`` shift only for a
  constant mode with ``cval != 0``; ``convolve`` flips the weights);
- ``uniform_filter``/``uniform_filter1d``/``gaussian_filter``/``gaussian_filter1d`` (in the
  input; ``cval = 0`` or a non-constant mode) -> ``ndi_sep(x, w, spec)``, the kernel made here
  as SciPy makes it (the gaussian's ``_gaussian_kernel1d``, reversed), or by NumPy ops for a
  scalar ``sigma`` (order 0) that is not a constant (an active sigma is refused at ``ndi_sep``);
- scipy.signal ``convolve2d``/``correlate2d`` with ``boundary="fill", fillvalue=0`` ->
  ``scipy.signal.convolve``/``correlate`` (``correlate2d``'s "same", or a mode not constant, as
  ``flip(correlate(flip(a), flip(b), mode))``: "same" centres the other way); another
  ``boundary`` ("symm", "wrap", "fill" with a ``fillvalue``) -> ``np.pad`` of the input as the
  boundary extends it, then the "valid" ``convolve``/``correlate``; ``savgol_filter``
  -> ``savgol_apply`` along the last axis (moved there and back);
- scipy.linalg ``polar`` (SciPy's SVD formulas) and ``expm_frechet`` (``expm`` and the helper
  ``sl_frechet``, each with rules).

Example: ``scipy.ndimage.uniform_filter1d(x, 3)`` lowers to::

    _srcad.ndi_sep(x, np.asarray((1/3, 1/3, 1/3)), ("reflect", 0, (-1,)))
"""

from __future__ import annotations

from typing import Any

import numpy as np

from srcad.ssa.core import Const, Operand

_NONE = Const(None)
_M1, _ZERO = Const(-1), Const(0)
_CONSTANT = ("constant", "grid-constant")
_MODES = ("reflect", "grid-mirror", "mirror", "nearest", "wrap", "grid-wrap", *_CONSTANT)
_RT = "srcad.runtime."


def _plain(*flags: Operand) -> bool:
    return all(isinstance(f, Const) for f in flags)


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _ints(v: Any) -> bool:
    """An int, or a tuple/list of ints."""
    return _is_int(v) or (isinstance(v, (tuple, list)) and all(_is_int(o) for o in v))


def _filter_ok(output: Operand, mode: Operand, origin: Operand) -> bool:
    return output == _NONE and _plain(mode, origin) and mode.value in _MODES and _ints(origin.value)


def _shifted(lc: Any, x: Operand, w: Operand, mode: Operand, cval: Operand, spec: tuple) -> Any:
    """``ndi_corr(x - cval, w) + cval * sum(w)``: the boundary value of a constant mode."""
    kshape = lc.op("numpy.shape", [w])
    if mode.value not in _CONSTANT or cval == Const(0.0) or cval == Const(0):
        return lc.op(_RT + "ndi_corr", [x, w, kshape, Const(spec)])
    xs = lc.op("sub", [x, cval])
    out = lc.op(_RT + "ndi_corr", [xs, w, kshape, Const(spec)])
    return lc.op("add", [out, lc.op("mul", [cval, lc.op("numpy.sum", [w])])])


def _correlate(conv: bool, one_d: bool) -> Any:
    def rewrite(lc: Any, input: Operand, weights: Operand, output: Operand, mode: Operand,
                cval: Operand, origin: Operand, axis: Operand = _M1,
                axes: Operand = _NONE) -> Operand | None:  # fmt: skip
        if not _filter_ok(output, mode, origin) or axes != _NONE or not _plain(axis):
            return None
        if one_d and not _is_int(origin.value):
            return None
        w = lc.op("numpy.flip", [weights]) if conv else weights
        origins = tuple(origin.value) if isinstance(origin.value, list) else origin.value
        spec = (mode.value, origins, axis.value if one_d else None, conv)
        return _shifted(lc, input, w, mode, cval, spec)

    return rewrite


def _sep(lc: Any, x: Operand, kernels: list, mode: Operand, cval: Operand, origin: Any) -> Any:
    """`x` correlated with each ``(kernel, axes)`` of `kernels` in turn (`ndi_sep`)."""
    if mode.value in _CONSTANT and cval not in (Const(0.0), Const(0)):
        return None
    for w, axes in kernels:
        wk = w if isinstance(w, Operand) else lc.op("numpy.asarray", [Const(tuple(map(float, w)))])
        x = lc.op(_RT + "ndi_sep", [x, wk, Const((mode.value, origin, axes))])
    return x


def _per_axis(value: Any, axes: Any) -> list | None:
    """``[(value, (axis,)), ...]`` for a sequence `value` (one per axis), ``[(value, axes)]``
    for a scalar one (None: every axis)."""
    if isinstance(value, (tuple, list)):
        axes = tuple(range(len(value))) if axes is None else tuple(axes)
        return None if len(axes) != len(value) else [(v, (a,)) for v, a in zip(value, axes)]
    return [(value, None if axes is None else tuple(axes))]


def uniform(one_d: bool) -> Any:
    def rewrite(lc: Any, input: Operand, size: Operand, output: Operand, mode: Operand,
                cval: Operand, origin: Operand, axis: Operand = _M1,
                axes: Operand = _NONE) -> Operand | None:  # fmt: skip
        if not _filter_ok(output, mode, origin) or not _plain(size, axis, axes):
            return None
        if not _is_int(origin.value) or not _ints(size.value):
            return None
        rows = _per_axis(size.value, (axis.value,) if one_d else axes.value)
        if rows is None or any(s < 1 for s, _ in rows):
            return None
        kernels = [(np.full(s, 1.0 / s), ax) for s, ax in rows if s > 1]
        return _sep(lc, input, kernels, mode, cval, origin.value)

    return rewrite


def _gauss_kernel(sigma: float, order: int, radius: int) -> np.ndarray:
    """SciPy's ``_gaussian_kernel1d`` (the convolution kernel of a gaussian's `order`-th
    derivative), reversed: the correlation kernel ``gaussian_filter1d`` applies."""
    x = np.arange(-radius, radius + 1)
    phi = np.exp(-0.5 / (sigma * sigma) * x**2)
    phi = phi / phi.sum()
    if order:
        exps = np.arange(order + 1)
        q = np.zeros(order + 1)
        q[0] = 1
        d = np.diag(exps[1:], 1) + np.diag(np.ones(order) / -(sigma * sigma), -1)
        for _ in range(order):
            q = d.dot(q)
        phi = (x[:, None] ** exps).dot(q) * phi
    return phi[::-1]


def _runtime_gauss(lc: Any, sigma: Operand, truncate: Operand, radius: Operand) -> Operand:
    """SciPy's order-0 kernel of a scalar `sigma` known at run time, as NumPy ops: ``phi =
    exp(-x^2 / (2 sigma^2)) / sum`` on ``x = arange(-r, r + 1)``, ``r = int(truncate * sigma +
    0.5)`` (or `radius`); ``[1.0]`` for ``sigma <= 1e-15`` (``gaussian_filter`` skips the axis).
    `ndi_sep` has no term in its kernel: an active sigma is refused there."""
    tiny = lc.op("le", [sigma, Const(1e-15)])
    s = lc.op("numpy.where", [tiny, Const(1.0), sigma])
    if radius == _NONE:
        r = lc.op("int", [lc.op("add", [lc.op("mul", [truncate, sigma]), Const(0.5)])])
        r = lc.op("numpy.where", [tiny, _ZERO, r])
    else:
        r = radius
    x = lc.op("numpy.arange", [lc.op("neg", [r]), lc.op("add", [r, Const(1)])])
    phi = lc.op("numpy.exp", [lc.op("mul", [lc.op("truediv", [Const(-0.5), lc.op("mul", [s, s])]),
                                            lc.op("mul", [x, x])])])  # fmt: skip
    return lc.op("truediv", [phi, lc.op("numpy.sum", [phi])])


def gaussian(one_d: bool) -> Any:
    def rewrite(lc: Any, input: Operand, sigma: Operand, output: Operand, mode: Operand,
                cval: Operand, truncate: Operand, radius: Operand, order: Operand = _ZERO,
                axis: Operand = _M1, axes: Operand = _NONE) -> Operand | None:  # fmt: skip
        if not _filter_ok(output, mode, Const(0)) or not _plain(order, truncate, radius):
            return None
        if not _plain(axis, axes) or not _ints(order.value):
            return None
        ax = (axis.value,) if one_d else axes.value
        if not isinstance(sigma, Const):  # a scalar sigma known at run time (active: refused)
            if order.value != 0:
                return None
            w = _runtime_gauss(lc, sigma, truncate, radius)
            return _sep(lc, input, [(w, None if ax is None else tuple(ax))], mode, cval, 0)
        rows = _per_axis(sigma.value, ax)
        orders = _per_axis(order.value, ax) if rows else None
        if not rows or not orders:
            return None
        if len(orders) != len(rows):
            orders = [(orders[0][0], a) for _, a in rows] if len(orders) == 1 else None
        if orders is None or any(not isinstance(s, (int, float)) for s, _ in rows):
            return None
        kernels = []
        for (s, a), (o, _) in zip(rows, orders):
            if s <= 1e-15:  # SciPy skips the axis
                continue
            lw = int(truncate.value * float(s) + 0.5) if radius.value is None else radius.value
            if not _is_int(lw) or lw < 0 or o < 0:
                return None
            kernels.append((_gauss_kernel(float(s), o, lw), a))
        return _sep(lc, input, kernels, mode, cval, 0)

    return rewrite


# scipy.signal's boundary names -> np.pad's mode
_PADS = {"fill": "constant", "pad": "constant", "symm": "symmetric", "symmetric": "symmetric",
         "wrap": "wrap", "circular": "wrap"}  # fmt: skip


def _padded2d(lc: Any, prim: str, in1: Operand, in2: Operand, mode: Operand, boundary: Operand,
              fillvalue: Operand) -> Operand | None:  # fmt: skip
    """``convolve2d``/``correlate2d`` with another boundary (or fill value): `in1` padded as the
    boundary extends it (``np.pad``, by the kernel's size less one, "same" by its halves), then
    the "valid" ``convolve``/``correlate``, linear in each argument as the 2-D function is;
    mode and boundary constants (None otherwise: refused as before)."""
    how = _PADS.get(boundary.value) if isinstance(boundary, Const) else None
    if how is None or mode not in (Const("full"), Const("same"), Const("valid")):
        return None
    if mode == Const("valid"):
        return lc.op(prim, [in1, in2, mode])  # (the boundary is never read)
    shape, widths = lc.op("attr.shape", [in2]), []
    for ax in (0, 1):
        less = lc.op("sub", [lc.op("getitem", [shape, Const(ax)]), Const(1)])
        lo = hi = less
        if mode == Const("same"):  # correlate2d's "same" centres the other way
            half = lc.op("floordiv", [lc.op("add", [less, Const(1)]), Const(2)])
            rest = lc.op("floordiv", [less, Const(2)])
            lo, hi = (half, rest) if prim.endswith("convolve") else (rest, half)
        widths.append(lc.op("tuple", [lo, hi]))
    kw = {"mode": Const(how)} | ({"constant_values": fillvalue} if how == "constant" else {})
    padded = lc.op("numpy.pad", [in1, lc.op("tuple", widths)], kw)
    return lc.op(prim, [padded, in2, Const("valid")])


def conv2d(prim: str) -> Any:
    def rewrite(lc: Any, in1: Operand, in2: Operand, mode: Operand, boundary: Operand,
                fillvalue: Operand) -> Operand | None:  # fmt: skip
        if boundary != Const("fill") or fillvalue not in (Const(0), Const(0.0)):
            return _padded2d(lc, prim, in1, in2, mode, boundary, fillvalue)
        if prim.endswith("convolve") or mode in (Const("full"), Const("valid")):
            return lc.op(prim, [in1, in2, mode])
        # correlate2d's "same" crops the full output from k // 2 (correlate's from (k - 1) // 2);
        # the flipped form is correlate2d's for every mode (a mode known only when running)
        a, b = lc.op("numpy.flip", [in1]), lc.op("numpy.flip", [in2])
        return lc.op("numpy.flip", [lc.op(prim, [a, b, mode])])

    return rewrite


def savgol(lc: Any, x: Operand, window_length: Operand, polyorder: Operand, deriv: Operand,
           delta: Operand, axis: Operand, mode: Operand, cval: Operand) -> Operand | None:  # fmt: skip
    if not _plain(window_length, polyorder, deriv, axis, mode, cval):
        return None
    flags = Const((window_length.value, polyorder.value, deriv.value, mode.value, cval.value))
    xm = lc.op("numpy.moveaxis", [x, axis, Const(-1)])
    res = lc.op(_RT + "savgol_apply", [xm, delta, flags])
    return lc.op("numpy.moveaxis", [res, Const(-1), axis])


def polar(lc: Any, a: Operand, side: Operand) -> Operand | None:
    """SciPy's ``polar``: ``w, s, vh = svd(a, full_matrices=False)``, ``u = w vh``, ``p = vh^T
    diag(s) vh`` (right) or ``w diag(s) w^T`` (left)."""
    if side not in (Const("right"), Const("left")):
        return None
    usv = lc.op("numpy.linalg.svd", [a], {"full_matrices": Const(False)})
    w, s, vh = (lc.op("getitem", [usv, Const(i)]) for i in range(3))
    u = lc.op("matmul", [w, vh])
    left = w if side.value == "left" else lc.op("numpy.transpose", [vh])
    right = lc.op("numpy.transpose", [w]) if side.value == "left" else vh
    p = lc.op("matmul", [lc.op("mul", [left, s]), right])
    return lc.op("tuple", [u, p])


def expm_frechet(lc: Any, A: Operand, E: Operand, method: Operand, compute_expm: Operand,
                 check_finite: Operand) -> Operand | None:  # fmt: skip
    """``(expm(A), L(A, E))`` (``L`` alone for ``compute_expm=False``), ``L`` the helper
    ``sl_frechet`` of `srcad.rules.scipy_linalg`."""
    if not isinstance(compute_expm, Const) or method not in (_NONE, Const("SPS")):
        return None
    frechet = lc.op(_RT + "sl_frechet", [A, E])
    if not compute_expm.value:
        return frechet
    return lc.op("tuple", [lc.op("scipy.linalg.expm", [A]), frechet])


_ND = "scipy.ndimage."
_CORR = lambda input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None: None  # noqa: E731
_CORR1 = lambda input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0: None  # noqa: E731
_UNI = lambda input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None: None  # noqa: E731
_UNI1 = lambda input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0: None  # noqa: E731


def _GAU(input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0, *,
         radius=None, axes=None) -> None: ...  # fmt: skip


def _GAU1(input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0,
          *, radius=None) -> None: ...  # fmt: skip


def _SAVGOL(x, window_length, polyorder, deriv=0, delta=1.0, axis=-1, mode="interp", cval=0.0
            ) -> None: ...  # fmt: skip


_C2 = lambda in1, in2, mode="full", boundary="fill", fillvalue=0: None  # noqa: E731
REWRITES = {
    _ND + "correlate": (_CORR, _correlate(False, False)),
    _ND + "convolve": (_CORR, _correlate(True, False)),
    _ND + "correlate1d": (_CORR1, _correlate(False, True)),
    _ND + "convolve1d": (_CORR1, _correlate(True, True)),
    _ND + "uniform_filter": (_UNI, uniform(False)),
    _ND + "uniform_filter1d": (_UNI1, uniform(True)),
    _ND + "gaussian_filter": (_GAU, gaussian(False)),
    _ND + "gaussian_filter1d": (_GAU1, gaussian(True)),
    "scipy.signal.convolve2d": (_C2, conv2d("scipy.signal.convolve")),
    "scipy.signal.correlate2d": (_C2, conv2d("scipy.signal.correlate")),
    "scipy.signal.savgol_filter": (_SAVGOL, savgol),
    "scipy.linalg.polar": (lambda a, side="right": None, polar),
    "scipy.linalg.expm_frechet": (
        lambda A, E, method=None, compute_expm=True, check_finite=True: None,
        expm_frechet,
    ),
}

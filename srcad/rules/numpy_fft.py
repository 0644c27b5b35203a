"""``np.fft`` and the complex values it makes: ``fft``/``ifft``, ``rfft``/``irfft``, their 2-D and
n-D forms (``n=``/``s=``, ``axis=``/``axes=``, ``norm=``), ``fftshift``/``ifftshift``,
``fftfreq``/``rfftfreq`` (in the spacing ``d``), and the complex-aware rules of ``np.abs``,
``np.imag`` and ``.imag``, with the runtime helpers their rules call and those helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

Complex values (JAX's convention). srcad differentiates real-valued functions of real arguments;
complex values may occur in between (a spectrum, a complex constant). The tangent of a complex
`z` is a complex ``dz``; its cotangent is the complex ``ct`` with ``dL = Re(sum(ct * dz))``: the
transpose of the tangent map, not its adjoint (no conjugate). So a holomorphic step keeps its
real rule unchanged (``g * y`` for ``x * y``, ``A^T g`` for a product, ``fft`` of ``g`` for ``fft``: the DFT
matrix is symmetric), and the steps that are not holomorphic say so:

- ``|z|``: tangent ``Re(conj(z) dz) / |z|``, cotangent ``Re(g) conj(z) / |z|`` (0 at z = 0);
- ``Im z``: tangent ``Im(dz)``, cotangent ``-1j Re(g)``; ``Re z``: ``Re(dz)``, ``Re(g)``.

The cotangent of a real value may carry an imaginary part that means nothing: the rule of a step
from complex to real reads ``Re(g)``, and a derivative handed back for a real input is its real
part. ``rfft`` is the first ``n // 2 + 1`` bins of ``fft`` (cotangent: the bins padded with zeros to
`n`, ``fft``, real part); ``irfft`` reads bins 1..n/2-1 twice (as themselves and as their
conjugates), so its cotangent is ``c * conj(rfft(Re g))`` with ``c`` 2 there and 1 at the edges,
under the dual normalisation.

Example (``np.abs(np.fft.rfft(x)) ** 2``)::

    _t1 = np.fft.rfft(x)
    ...
    _t5 = _srcad.abs_vjp(_t4, _t1)                       # Re(g) conj(z) / |z|
    bx = _srcad.fft_vjp(_t5, x, 'rfft', None, -1, None)  # Re(fft(pad(g)))
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, deflinear_helpers, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.root_at0 import refuse_at0
from srcad.rules.trees import unbroadcast

ONE_D = ("fft", "ifft", "rfft", "irfft")
N_D = ("fft2", "ifft2", "fftn", "ifftn", "rfft2", "rfftn", "irfft2", "irfftn")
_DUAL = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    for name in ONE_D:
        sig, nd = "a, n=None, axis=-1, norm=None, out=None", ("n", "axis", "norm", "out")
        jvp.defjvp(f"numpy.fft.{name}", sig, nondiff=nd,
                   a=f"_srcad.fft_apply(da, a, {name!r}, n, axis, norm, out)")  # fmt: skip
        vjp.defvjp(f"numpy.fft.{name}", sig, nondiff=nd,
                   a=f"_srcad.fft_vjp(g, a, {name!r}, n, axis, norm)")  # fmt: skip
    for name in N_D:
        axes = "(-2, -1)" if name.endswith("2") else "None"
        sig, nd = f"a, s=None, axes={axes}, norm=None, out=None", ("s", "axes", "norm", "out")
        jvp.defjvp(f"numpy.fft.{name}", sig, nondiff=nd,
                   a=f"_srcad.fftn_apply(da, a, {name!r}, s, axes, norm, out)")  # fmt: skip
        vjp.defvjp(f"numpy.fft.{name}", sig, nondiff=nd,
                   a=f"_srcad.fftn_vjp(g, a, {name!r}, s, axes, norm)")  # fmt: skip
    sig = "t, like, name, n, axis, norm, out=None"
    deflinear_helper(jvp, vjp, fft_apply, sig, "_srcad.fft_apply(dt, like, name, n, axis, norm)",
                     "_srcad.fft_vjp(g, like, name, n, axis, norm)")  # fmt: skip
    deflinear_helper(jvp, vjp, fft_vjp, "t, like, name, n, axis, norm",
                     "_srcad.fft_vjp(dt, like, name, n, axis, norm)",
                     "_srcad.fft_apply(g, like, name, n, axis, norm)")  # fmt: skip
    sig = "t, like, name, s, axes, norm, out=None"
    deflinear_helper(jvp, vjp, fftn_apply, sig, "_srcad.fftn_apply(dt, like, name, s, axes, norm)",
                     "_srcad.fftn_vjp(g, like, name, s, axes, norm)")  # fmt: skip
    deflinear_helper(jvp, vjp, fftn_vjp, "t, like, name, s, axes, norm",
                     "_srcad.fftn_vjp(dt, like, name, s, axes, norm)",
                     "_srcad.fftn_apply(g, like, name, s, axes, norm)")  # fmt: skip
    for name, other in (("fftshift", "ifftshift"), ("ifftshift", "fftshift")):
        jvp.deflinear(f"numpy.fft.{name}", "x, axes=None", nondiff=("axes",))
        vjp.deflinear(f"numpy.fft.{name}", "x, axes=None", nondiff=("axes",),
                      x=f"np.fft.{other}(g, axes)")  # fmt: skip
    for name in ("fftfreq", "rfftfreq"):  # k / (n d): only the spacing d has a derivative
        sig = "n, d=1.0, device=None"
        jvp.defjvp(f"numpy.fft.{name}", sig, nondiff=("n", "device"), d="-ans * dd / d")
        vjp.defvjp(f"numpy.fft.{name}", sig, nondiff=("n", "device"), d="-np.sum(g * ans) / d")
    _complex_rules(jvp, vjp)


def _resize(x, axis, m):
    """`x` cropped or padded with zeros to length `m` along `axis`."""
    k = x.shape[axis]
    if k >= m:
        return np.take(x, np.arange(m), axis=axis)
    pad = [(0, 0)] * x.ndim
    pad[axis] = (0, m - k)
    return np.pad(x, pad)


def _real_like(x, like):
    """`x` as the derivative of `like`: its real part when `like` is real."""
    return x if np.iscomplexobj(like) else np.real(x) + 0.0


def _no_out(out):
    if out is not None:
        raise _unsupported("np.fft with out= has no derivative rule: srcad does not track writes")


@helper
def fft_apply(t, like, name, n, axis, norm, out=None):
    """``np.fft.<name>(t, n, axis, norm)`` for a derivative `t` of `like` (the transform's input:
    only its real part when `like` is real)."""
    _no_out(out)
    return getattr(np.fft, name)(_real_like(np.asarray(t), like), n, axis, norm)


@helper
def fft_vjp(g, like, name, n, axis, norm):
    """Cotangent of the input `like` of ``np.fft.<name>(like, n, axis, norm)`` (1-D kinds)."""
    g = np.asarray(g)
    m = np.shape(like)[axis]
    if name in ("fft", "ifft"):
        ct = getattr(np.fft, name)(g, axis=axis, norm=norm)
    elif name == "rfft":
        n = m if n is None else n
        ct = np.fft.fft(_resize(g, axis, n), axis=axis, norm=norm)
    else:  # irfft
        n = 2 * (m - 1) if n is None else n
        ct = np.conj(np.fft.rfft(np.real(g), n, axis, _DUAL[norm])) * _edges(n, axis, g.ndim)
    return _real_like(_resize(ct, axis, m), like)


def _edges(n, axis, ndim):
    """The weights of the half spectrum irfft reads: 1 at bin 0 (and n/2 for even n), else 2."""
    c = np.full(n // 2 + 1, 2.0)
    c[0] = 1.0
    if n % 2 == 0:
        c[-1] = 1.0
    shape = [1] * ndim
    shape[axis] = c.size
    return c.reshape(shape)


def _nd_args(name, like, s, axes):
    """(s, axes) of an n-D transform as NumPy resolves them (NumPy 2's `_cook_nd_args`, with the
    1-D transforms' defaults for None entries), the axes non-negative."""
    shape = np.shape(like)
    inv_real, shapeless = name.startswith("irfft"), s is None
    s = (list(shape) if axes is None else [shape[a] for a in axes]) if s is None else list(s)
    axes = list(range(-len(s), 0)) if axes is None else list(axes)
    if inv_real and shapeless:
        s[-1] = 2 * (shape[axes[-1]] - 1)
    s = [shape[a] if k == -1 else k for k, a in zip(s, axes)]
    for i, (k, a) in enumerate(zip(s, axes)):
        if k is None:
            s[i] = 2 * (shape[a] - 1) if inv_real and i == len(s) - 1 else shape[a]
    return s, tuple(a % len(shape) for a in axes)


@helper
def fftn_apply(t, like, name, s, axes, norm, out=None):
    """``np.fft.<name>(t, s, axes, norm)`` for a derivative `t` of `like` (n-D kinds)."""
    _no_out(out)
    return getattr(np.fft, name)(_real_like(np.asarray(t), like), s, axes, norm)


@helper
def fftn_vjp(g, like, name, s, axes, norm):
    """Cotangent of the input `like` of ``np.fft.<name>(like, s, axes, norm)`` (n-D kinds)."""
    g = np.asarray(g)
    s, axes = _nd_args(name, like, s, axes)
    kind = name.rstrip("n2")
    if kind in ("fft", "ifft"):
        ct = getattr(np.fft, kind + "n")(g, axes=axes, norm=norm)
    elif kind == "rfft":
        ct = np.fft.fftn(_resize(g, axes[-1], s[-1]), axes=axes, norm=norm)
    else:  # irfftn: the transposes of irfft along the last axis, then of ifft along the others
        last = axes[-1]
        ct = np.conj(np.fft.rfft(np.real(g), s[-1], last, _DUAL[norm]))
        ct = ct * _edges(s[-1], last, g.ndim)
        if len(axes) > 1:
            ct = np.fft.ifftn(ct, axes=axes[:-1], norm=norm)
    for a in axes:
        ct = _resize(ct, a, np.shape(like)[a])
    return _real_like(ct, like)


# -- np.abs / np.imag / .imag of complex values --------------------------------------------------
def _complex_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    jvp.defjvp("numpy.absolute", "x, /", x="_srcad.abs_jvp(dx, x)")
    vjp.defvjp("numpy.absolute", "x, /", x="_srcad.abs_vjp(g, x)")
    # linear in the derivative; in `x`, the second derivative of |x|: B(u, v) = Re(conj(u) v) / r
    # - Re(conj(x) u) Re(conj(x) v) / r^3 (0 for real x), whose v-gradient is abs_d2_vjp(1, u, x)
    jvp.defjvp(rt(abs_jvp), "t, x", t="_srcad.abs_jvp(dt, x)",
               x="np.real(_srcad.abs_d2_vjp(1.0, dx, x) * t)")  # fmt: skip
    vjp.defvjp(rt(abs_jvp), "t, x", t="_srcad.abs_vjp(g, x)", x="_srcad.abs_d2_vjp(g, t, x)")
    jvp.defjvp(rt(abs_vjp), "t, x", t="_srcad.abs_vjp(dt, x)", x="_srcad.abs_d2_vjp(t, dx, x)")
    vjp.defvjp(rt(abs_vjp), "t, x", t="_srcad.abs_jvp(g, x)", x="_srcad.abs_d2_vjp(t, g, x)")
    d3 = "_srcad.real_zero(x, 'the third derivative of np.abs')"
    jvp.defjvp(rt(abs_d2_vjp), "w, u, x", w="_srcad.abs_d2_vjp(dw, u, x)",
               u="_srcad.abs_d2_vjp(w, du, x)", x=d3)  # fmt: skip
    vjp.defvjp(rt(abs_d2_vjp), "w, u, x", w="np.real(g * _srcad.abs_d2_vjp(1.0, u, x))",
               u="_srcad.abs_d2_vjp(w, g, x)", x=d3)  # fmt: skip
    for prim, p in (("numpy.imag", "val"), ("attr.imag", "x")):
        jvp.defjvp(prim, p, **{p: f"np.imag(d{p})"})
        vjp.defvjp(prim, p, **{p: f"_srcad.imag_vjp(g, {p})"})
    deflinear_helper(jvp, vjp, imag_vjp, "t, x", "_srcad.imag_vjp(dt, x)", "np.imag(g)")
    # Python's complex(real, imag) = real + 1j imag (complex parts allowed: complex(a, z) is
    # a + 1j z); a real part's cotangent is Re(g), an imaginary part's Re(1j g) = -Im(g)
    jvp.defjvp("complex", "real=0, imag=0", real="dreal + 0j", imag="1j * dimag")
    vjp.defvjp("complex", "real=0, imag=0", real="_srcad.real_like(g, real)",
               imag="_srcad.real_like(1j * g, imag)")  # fmt: skip
    deflinear_helper(jvp, vjp, real_like, "t, like", "_srcad.real_like(dt, like)", "g + 0j")
    # (its own transpose: a real argument's cotangent may carry an imaginary part, meaningless)
    deflinear_helper(jvp, vjp, real_grad, "t, like", "_srcad.real_grad(dt, like)",
                     "_srcad.real_grad(g, like)")  # fmt: skip
    # `z.imag[i] = v` (lower/complexparts.py): linear in `c` and `v` together; the kept part's
    # transpose is the same projection, the written one's Re(g) (real) / Re(1j g) (imag)
    sig = "c, v, which"
    jvp.defjvp(rt(with_part), sig, nondiff=("which",), c="_srcad.with_part(dc, 0.0, which)",
               v="_srcad.with_part(np.zeros_like(c), dv, which)")  # fmt: skip
    vjp.defvjp(rt(with_part), sig, nondiff=("which",), c="_srcad.part_keep(g, c, which)",
               v="_srcad.part_vjp(g, v, c, which)")  # fmt: skip
    deflinear_helpers(jvp, vjp, (
        (part_keep, "t, c, which", "_srcad.part_keep(g, c, which)"),
        (part_vjp, "t, v, c, which", "_srcad.with_part(np.zeros_like(c), g, which)"),
    ))  # fmt: skip
    # np.angle(z) = Im(log z): tangent Im(dz / z), cotangent -1j Re(g) / z (0 for real z, whose
    # angle is 0 or pi: locally constant); `deg` scales both
    scale = "(180.0 / np.pi if deg else 1.0)"
    jvp.defjvp("numpy.angle", "z, deg=False", nondiff=("deg",),
               z=f"np.imag(dz * _srcad.angle_inv(z)) * {scale}")  # fmt: skip
    vjp.defvjp("numpy.angle", "z, deg=False", nondiff=("deg",),
               z=f"_srcad.angle_vjp(g * {scale}, z)")  # fmt: skip
    jvp.defjvp(rt(angle_inv), "z", z="-dz * _srcad.angle_inv(z) ** 2")
    vjp.defvjp(rt(angle_inv), "z", z="-g * _srcad.angle_inv(z) ** 2")
    jvp.defjvp(rt(angle_vjp), "t, z", t="_srcad.angle_vjp(dt, z)",
               z="-_srcad.angle_vjp(t, z) * dz * _srcad.angle_inv(z)")  # fmt: skip
    vjp.defvjp(rt(angle_vjp), "t, z", t="np.real(-1j * g * _srcad.angle_inv(z))",
               z="-g * _srcad.angle_vjp(t, z) * _srcad.angle_inv(z)")  # fmt: skip


@helper
def abs_jvp(t, x):
    """Tangent of ``np.abs(x)``: ``t sign(x)`` for real `x`; ``Re(conj(x) t) / |x|`` (0 at 0)
    for complex `x`."""
    if not np.iscomplexobj(x):
        return t * np.sign(x)
    r = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r == 0, 0.0, np.real(np.conj(x) * t) / r)


@helper
def abs_vjp(g, x):
    """Cotangent of `x` for ``np.abs(x)``: ``g sign(x)`` for real `x`; ``Re(g) conj(x) / |x|``
    (0 at 0) for complex `x`."""
    if not np.iscomplexobj(x):
        return g * np.sign(x)
    r = np.abs(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r == 0, 0.0, np.real(g) * np.conj(x) / r)


@helper
def abs_d2_vjp(w, u, x):
    """``Re(w) (conj(u) / r - Re(conj(x) u) conj(x) / r^3)``, r = |x| (0 where r = 0): the
    cotangent of `v` in ``Re(w) B(u, v)``, B the second derivative of ``|x|`` (0 for real x,
    also where `x` is NaN: ``np.nansum(np.abs(p - y))``'s left-out entries gave NaN).
    Refused where a complex `x` is 0 and the direction `u` is not: ``|x|`` is a cone there, whose
    first derivative took the subgradient 0 (the Hessian of ``np.sum(np.cos(np.abs(z)))`` at
    ``z = 0`` came out 0; rules/root_at0.py's refusal)."""
    if not np.iscomplexobj(x):  # (exactly: not the rounding of u / r - u x^2 / r^3, nor NaN)
        return np.zeros(np.broadcast_shapes(np.shape(w), np.shape(u), np.shape(x)))
    r = np.abs(x)
    if np.any((r == 0) & (np.asarray(u) != 0)):
        refuse_at0("np.abs of a complex value")
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.real(w) * (np.conj(u) / r - np.real(np.conj(x) * u) * np.conj(x) / r**3)
        return np.where(r == 0, 0.0, out)


@helper
def imag_vjp(g, x):
    """Cotangent of `x` for ``np.imag(x)``: ``-1j Re(g)`` (complex `x`); 0 for real `x`."""
    if not np.iscomplexobj(x):
        return np.zeros(np.shape(x)) if np.ndim(x) else 0.0
    return np.broadcast_to(-1j * np.real(g), np.shape(x)) + 0j


@helper
def real_like(t, like):
    """`t` as the cotangent of `like`: its real part when `like` is real (a Python float for a
    Python number), `t` itself when `like` is complex."""
    if np.iscomplexobj(like):
        return t
    if isinstance(like, (int, float)):
        return float(np.real(t))
    return np.real(t) + 0.0


@helper
def real_grad(t, like):
    """`t`, a gradient of the argument `like` (a list, tuple or dict of them too), as the
    gradient srcad hands back: the real part for a real `like` (`real_like`), as
    ``srcad.grad`` gives it to its caller (`srcad.ad.compose`: a gradient used inside
    differentiated code)."""
    if t is None or like is None:
        return t
    tl = type(like)
    if (tl is list or tl is tuple) and type(t) in (list, tuple) and len(t) == len(like):
        return type(t)(real_grad(a, b) for a, b in zip(t, like))
    if isinstance(like, dict) and isinstance(t, dict):
        return {k: real_grad(v, like.get(k)) for k, v in t.items()}
    if isinstance(t, (list, tuple, dict)) or not np.iscomplexobj(t) or np.iscomplexobj(like):
        return t
    return real_like(t, like)


@helper
def angle_inv(z):
    """``1 / z`` for complex `z` (0 where z = 0), 0 for real `z`: d np.angle(z) = Im(dz / z)."""
    if not np.iscomplexobj(z):
        return np.zeros(np.shape(z)) if np.ndim(z) else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(z == 0, 0.0, 1.0 / np.where(z == 0, 1.0, z))


@helper
def angle_vjp(g, z):
    """Cotangent of `z` for ``np.angle(z)``: ``-1j Re(g) / z`` (0 where z = 0); 0 for real `z`."""
    if not np.iscomplexobj(z):
        return np.zeros(np.shape(z)) if np.ndim(z) else 0.0
    return np.broadcast_to(-1j * np.real(g) * angle_inv(z), np.shape(z)) + 0j


@helper
def with_part(c, v, which):
    """A copy of `c` whose `which` part (``"real"``/``"imag"``) is `v` (broadcast), the other
    kept as it is: ``z.imag[i] = v`` is ``z[i] = with_part(z[i], v, "imag")``
    (lower/complexparts.py; ``"imag all"``: ``z.imag = v``). A real `c` has no imaginary part
    to set (Python's ValueError, TypeError for the whole part); its real part is itself."""
    if which != "real" and not np.iscomplexobj(c):  # (``z.imag = v``: "imag all")
        if which == "imag":
            raise ValueError("assignment destination is read-only")
        raise TypeError("array does not have imaginary part to set")
    out = np.array(c, copy=True)
    if np.iscomplexobj(out):
        setattr(out, which[:4], v)
    else:
        out[...] = v
    return out


@helper
def part_keep(t, c, which):
    """Cotangent of `c` for ``with_part(c, v, which)``: `t`'s other part (0 for a real `c`)."""
    if not np.iscomplexobj(c):
        return np.zeros(np.shape(c))
    return with_part(np.asarray(t) + 0j, 0.0, which)


@helper
def part_vjp(t, v, c, which):
    """Cotangent of `v` for ``with_part(c, v, which)``: Re(t) (real) or Re(1j t) = -Im(t)
    (imag), summed to `v`'s shape (a number's: a float)."""
    part = np.real(t) if which == "real" else -np.imag(t)
    out = unbroadcast(np.broadcast_to(part, np.shape(c)) + 0.0, v)
    return float(out) if isinstance(v, (int, float)) else out

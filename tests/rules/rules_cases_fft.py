"""Rule cases of `srcad.rules.numpy_fft` (``np.fft``, ``np.abs``/``np.imag``/``.imag`` of complex
values, and their helpers).

Complex outputs are compared by both parts, cotangents paired with tangents by ``Re(sum(ct *
t))`` (no conjugate: the convention of `srcad.rules.numpy_fft`). Cases with complex arguments
(``_wrt`` naming them) are checked on the templates only: srcad's entry points take real arguments.

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

from tests.rules.rules_cases import case, randn


def crandn(*shape):
    """Complex standard normal values."""
    return randn(*shape) + 1j * randn(*shape)


Z = ("z",)
# -- 1-D transforms: n (crop / pad), axis, norm -------------------------------------------------
for name in ("fft", "ifft"):
    p = f"numpy.fft.{name}"
    case(p, f"np.fft.{name}(x)", x=randn(5))
    case(p, f"np.fft.{name}(x, 8, 0, 'ortho')", x=randn(5, 2))
    case(p, f"np.fft.{name}(x, n=3, norm='forward')", x=randn(2, 5))
    case(p, f"np.fft.{name}(z, 6, axis=0)", Z, z=crandn(4, 3))
case("numpy.fft.rfft", "np.fft.rfft(x)", x=randn(6))
case("numpy.fft.rfft", "np.fft.rfft(x)", x=randn(7))
case("numpy.fft.rfft", "np.fft.rfft(x, 9, norm='ortho')", x=randn(6))
case("numpy.fft.rfft", "np.fft.rfft(x, 4, axis=0, norm='forward')", x=randn(5, 3))
case("numpy.fft.irfft", "np.fft.irfft(x)", x=randn(5))
case("numpy.fft.irfft", "np.fft.irfft(z)", Z, z=crandn(5))
case("numpy.fft.irfft", "np.fft.irfft(z, 7, norm='ortho')", Z, z=crandn(4))
case("numpy.fft.irfft", "np.fft.irfft(z, 4, axis=0, norm='forward')", Z, z=crandn(5, 2))
case("numpy.fft.irfft", "np.fft.irfft(z, n=12)", Z, z=crandn(2, 4))
# -- n-D transforms: s, axes, norm -------------------------------------------------------------
for name in ("fft2", "ifft2", "fftn", "ifftn"):
    p = f"numpy.fft.{name}"
    case(p, f"np.fft.{name}(x)", x=randn(3, 4))
    case(p, f"np.fft.{name}(x, (2, 5), (0, 2), 'ortho')", x=randn(3, 2, 4))
    case(p, f"np.fft.{name}(z, axes=(1, 0), norm='forward')", Z, z=crandn(3, 4))
case("numpy.fft.rfft2", "np.fft.rfft2(x)", x=randn(3, 4))
case("numpy.fft.rfft2", "np.fft.rfft2(x, (4, 3), norm='ortho')", x=randn(2, 3, 5))
case("numpy.fft.rfftn", "np.fft.rfftn(x)", x=randn(2, 3, 4))
case("numpy.fft.rfftn", "np.fft.rfftn(x, s=(2, 7), axes=(2, 0))", x=randn(3, 2, 4))
case("numpy.fft.irfft2", "np.fft.irfft2(x)", x=randn(3, 4))
case("numpy.fft.irfft2", "np.fft.irfft2(z, (4, 5), norm='ortho')", Z, z=crandn(3, 3))
case("numpy.fft.irfftn", "np.fft.irfftn(z)", Z, z=crandn(2, 3, 4))
case("numpy.fft.irfftn", "np.fft.irfftn(z, s=(3, 6), axes=(2, 0), norm='forward')", Z,
     z=crandn(4, 2, 3))  # fmt: skip
# -- shifts, frequencies ------------------------------------------------------------------------
case("numpy.fft.fftshift", "np.fft.fftshift(x)", x=randn(5))
case("numpy.fft.fftshift", "np.fft.fftshift(x, axes=1)", x=randn(3, 4))
case("numpy.fft.ifftshift", "np.fft.ifftshift(x)", x=randn(3, 5))
case("numpy.fft.ifftshift", "np.fft.ifftshift(z, axes=(0,))", Z, z=crandn(5, 2))
case("numpy.fft.fftfreq", "np.fft.fftfreq(7, d)", d=0.3)
case("numpy.fft.rfftfreq", "np.fft.rfftfreq(8, d=d)", d=1.7)
# -- abs / imag of complex values --------------------------------------------------------------
case("numpy.absolute", "np.abs(z)", Z, z=crandn(4))
case("numpy.absolute", "np.abs(z)", Z, z=complex(0.3, -1.2))
case("numpy.imag", "np.imag(z)", Z, z=crandn(2, 3))
case("numpy.imag", "np.imag(x)", x=randn(3))
case("attr.imag", "z.imag", Z, z=crandn(3))
case("attr.imag", "x.imag", x=randn(3))
# -- cmath's holomorphic functions of a number (srcad.rules.math.CMATH): complex or real argument
for _n in ("exp", "sin", "cos", "sinh", "cosh", "sqrt", "log", "log10"):
    case(f"cmath.{_n}", f"cmath.{_n}(z)", Z, z=complex(0.4, -0.7))
    case(f"cmath.{_n}", f"cmath.{_n}(x)", x=0.6)
case("cmath.sqrt", "cmath.sqrt(x)", x=-1.3)  # (a real argument's complex root)
case("cmath.log", "cmath.log(x)", x=-1.3)  # (a real argument's log: log|x| + pi i)
case("cmath.log10", "cmath.log10(x)", x=-0.4)
case("cmath.log", "cmath.log(z, 10)", Z, z=complex(-0.4, -0.7))  # (a constant base)
case("cmath.log", "cmath.log(z, -2.0)", Z, z=complex(1.4, 0.3))  # (base on the cut: its +pi i)
case("cmath.log", "cmath.log(x, 1.5 - 0.5j)", x=2.5)
# -- helpers ------------------------------------------------------------------------------------
case("srcad.runtime.fft_apply", "_srcad.fft_apply(t, a, 'rfft', 7, 0, 'ortho')", ("t",),
     t=randn(5), a=randn(5))  # fmt: skip
case("srcad.runtime.fft_apply", "_srcad.fft_apply(t, a, 'fft', None, -1, None)", ("t",),
     t=crandn(2, 3), a=crandn(2, 3))  # fmt: skip
case("srcad.runtime.fft_vjp", "_srcad.fft_vjp(t, a, 'rfft', 7, 0, 'ortho')", ("t",),
     t=crandn(4), a=randn(5))  # fmt: skip
case("srcad.runtime.fft_vjp", "_srcad.fft_vjp(t, a, 'irfft', 6, -1, None)", ("t",),
     t=randn(2, 6), a=crandn(2, 5))  # fmt: skip
case("srcad.runtime.fft_vjp", "_srcad.fft_vjp(t, a, 'ifft', 3, -1, 'forward')", ("t",),
     t=crandn(3), a=randn(4))  # fmt: skip
case("srcad.runtime.fftn_apply", "_srcad.fftn_apply(t, a, 'irfft2', (3, 4), (0, 1), None)", ("t",),
     t=crandn(2, 3), a=crandn(2, 3))  # fmt: skip
case("srcad.runtime.fftn_vjp", "_srcad.fftn_vjp(t, a, 'rfftn', None, None, 'ortho')", ("t",),
     t=crandn(3, 3), a=randn(3, 4))  # fmt: skip
case("srcad.runtime.fftn_vjp", "_srcad.fftn_vjp(t, a, 'irfftn', (4, 4), (1, 0), None)", ("t",),
     t=randn(4, 4), a=crandn(3, 2))  # fmt: skip
case("srcad.runtime.abs_jvp", "_srcad.abs_jvp(t, z)", ("t", "z"), t=crandn(3), z=crandn(3))
case("srcad.runtime.abs_jvp", "_srcad.abs_jvp(t, x)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.abs_vjp", "_srcad.abs_vjp(t, z)", ("t", "z"), t=randn(3), z=crandn(3))
case("srcad.runtime.abs_vjp", "_srcad.abs_vjp(t, x)", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.abs_d2_vjp", "_srcad.abs_d2_vjp(w, u, z)", ("w", "u"), w=randn(3),
     u=crandn(3), z=crandn(3))  # fmt: skip
case("srcad.runtime.imag_vjp", "_srcad.imag_vjp(t, z)", ("t",), t=randn(3), z=crandn(3))
# Python's complex(real, imag): real parts give Re(g), imaginary parts Re(1j g); complex parts
case("complex", "complex(a, b)", a=randn(), b=randn())
case("complex", "complex(a)", a=randn())
case("complex", "complex(z)", Z, z=complex(0.4, -0.7))
case("complex", "complex(a, z)", ("a", "z"), a=randn(), z=complex(-1.1, 0.3))
case("srcad.runtime.real_like", "_srcad.real_like(t, z)", ("t",), t=crandn(3), z=crandn(3))
case("srcad.runtime.real_like", "_srcad.real_like(t, x)", ("t",), t=crandn(3), x=randn(3))
# `z.imag[i] = v` (lower/complexparts.py): a part replaced, the other kept; its helpers
W = "srcad.runtime.with_part"
case(W, "_srcad.with_part(z, v, 'imag')", ("z", "v"), z=crandn(3), v=randn(3))
case(W, "_srcad.with_part(z, v, 'real')", ("z", "v"), z=crandn(2, 3), v=randn(3))
case(W, "_srcad.with_part(z, v, 'imag')", ("z", "v"), z=crandn(3), v=randn())
case(W, "_srcad.with_part(x, v, 'real')", x=randn(3), v=randn(3))
case("srcad.runtime.part_keep", "_srcad.part_keep(t, z, 'imag')", ("t",), t=crandn(3),
     z=crandn(3))  # fmt: skip
case("srcad.runtime.part_keep", "_srcad.part_keep(t, z, 'real')", ("t",), t=crandn(2, 2),
     z=crandn(2, 2))  # fmt: skip
case("srcad.runtime.part_vjp", "_srcad.part_vjp(t, v, z, 'imag')", ("t",), t=crandn(2, 3),
     v=randn(3), z=crandn(2, 3))  # fmt: skip
case("srcad.runtime.part_vjp", "_srcad.part_vjp(t, v, z, 'real')", ("t",), t=crandn(3),
     v=randn(3), z=crandn(3))  # fmt: skip
case("srcad.runtime.part_keep", "_srcad.part_keep(t, x, 'real')", ("t",), t=randn(3), x=randn(3))
case("srcad.runtime.part_vjp", "_srcad.part_vjp(t, v, x, 'real')", ("t",), t=randn(2, 3),
     v=randn(), x=randn(2, 3))  # fmt: skip
# np.angle(z) = Im(log z): Im(dz / z); its helpers angle_inv (1/z) and angle_vjp (-1j Re(g) / z)
case("numpy.angle", "np.angle(z)", Z, z=crandn(3))
case("numpy.angle", "np.angle(z, deg=True)", Z, z=crandn(2, 2))
case("srcad.runtime.angle_inv", "_srcad.angle_inv(z)", Z, z=crandn(3))
case("srcad.runtime.angle_inv", "_srcad.angle_inv(x)", x=randn(3))
case("srcad.runtime.angle_vjp", "_srcad.angle_vjp(t, z)", ("t", "z"), t=randn(3), z=crandn(3))
case("srcad.runtime.angle_vjp", "_srcad.angle_vjp(t, x)", ("t",), t=randn(3), x=randn(3))
# a gradient used inside differentiated code (srcad.ad.compose): a real argument's is real
case("srcad.runtime.real_grad", "_srcad.real_grad(t, x)", ("t",), t=crandn(3), x=randn(3))
case("srcad.runtime.real_grad", "_srcad.real_grad(t, z)", ("t",), t=crandn(3), z=crandn(3))

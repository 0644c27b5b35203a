"""Rule cases of the helpers added in session 11 (`srcad.rules.infzero`, `srcad.rules.pad_kwargs`,
`srcad.rules.numpy_api11`).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

import numpy as np

from tests.rules.rules_cases import case, randn, zero

# -- inf0(t, d, v): t, 0 where d == 0 and v is infinite (linear in t, the mask held constant) --
_d = np.array([0.0, 1.5, 0.0, -2.0])
_v = np.array([np.inf, np.inf, 2.0, -np.inf])
case("srcad.runtime.inf0", "_srcad.inf0(t, d, v)", ("t",), t=randn(4), d=_d, v=_v)
case("srcad.runtime.inf0", "_srcad.inf0(t, d, v)", ("t",), t=randn(3, 4), d=_d, v=_v)
case("srcad.runtime.inf0", "_srcad.inf0(t, d, v)", ("t",), t=randn(), d=0.0, v=np.inf)
case("srcad.runtime.inf0", "_srcad.inf0(t, d, v)", ("t",), t=randn(), d=1.0, v=3.0)

# -- inf_fixed(t, v): t, 0 where v is infinite (linear in t, the mask held constant) --
case("srcad.runtime.inf_fixed", "_srcad.inf_fixed(t, v)", ("t",), t=randn(4), v=_v)
case("srcad.runtime.inf_fixed", "_srcad.inf_fixed(t, v)", ("t",), t=randn(3, 4), v=_v)
case("srcad.runtime.inf_fixed", "_srcad.inf_fixed(t, v)", ("t",), t=randn(), v=np.inf)
case("srcad.runtime.inf_fixed", "_srcad.inf_fixed(t, v)", ("t",), t=randn(), v=3.0)

# -- inf_kept(t, r, da, db, fa, fb): t, 0 where r is infinite and fa/fb is or da, db are 0 ----
_r = np.array([np.inf, np.inf, -np.inf, 2.0])
_f = np.array([np.inf, 0.0, 0.0, np.inf])
_kept = "_srcad.inf_kept(t, r, da, db, fa, fb)"
case("srcad.runtime.inf_kept", _kept, ("t",), t=randn(4), r=_r, da=_d, db=0.0, fa=_f, fb=0.0)
case("srcad.runtime.inf_kept", _kept, ("t",), t=randn(3, 4), r=_r, da=1.0, db=_d, fa=0.0, fb=_f)
case("srcad.runtime.inf_kept", _kept, ("t",), t=randn(), r=np.inf, da=0.0, db=0.0, fa=0.0, fb=0.0)
case("srcad.runtime.inf_kept", _kept, ("t",), t=randn(), r=np.inf, da=1.0, db=0.0, fa=0.0, fb=0.0)

# -- matmul_fixed(t, r, a, b): t, 0 where r = a @ b is infinite from an infinite row/column ----
_A = np.array([[0.3, -0.4], [np.inf, 0.5], [0.1, -0.2]])
_B = np.array([[1.0, -2.0, 0.5], [0.7, 0.2, -1.0]])
_mf = "_srcad.matmul_fixed(t, r, a, b)"
case("srcad.runtime.matmul_fixed", _mf, ("t",), t=randn(3, 3), r=_A @ _B, a=_A, b=_B)
case("srcad.runtime.matmul_fixed", _mf, ("t",), t=randn(3), r=_A @ _B[:, 0], a=_A, b=_B[:, 0])
case("srcad.runtime.matmul_fixed", _mf, ("t",), t=randn(2), r=_B[0] @ _A, a=_B[0], b=_A)
case("srcad.runtime.matmul_fixed", _mf, ("t",), t=randn(2, 3), r=_B[:, :2] @ _B, a=_B[:, :2], b=_B)
case("srcad.runtime.matmul_fixed", _mf, ("t",), t=randn(), r=_A[1] @ _B[:, 0], a=_A[1], b=_B[:, 0])

# -- inf_from(v, *args): v where it and an arg are infinite, else 0 (a mask: zero derivative) --
zero("srcad.runtime.inf_from", "_srcad.inf_from(v, a)", v=_r, a=_f)
zero("srcad.runtime.inf_from", "_srcad.inf_from(v, a, b)", v=np.inf, a=1.0, b=np.inf)
# (weighted_root_s(s, *w): 0 where s is and every weight > 0, else 1: the root check's test)
zero(
    "srcad.runtime.weighted_root_s",
    "_srcad.weighted_root_s(s, w)",
    s=_r,
    w=np.array([1.0, 0.0, 2.0]),
)
zero("srcad.runtime.weighted_root_s", "_srcad.weighted_root_s(s, w)", s=2.0, w=_f)

# -- np.pad with reflect_type= / stat_length= / end_values= (rules/pad_kwargs.py) -------------
for _mode, _kw in [
    ("reflect", "reflect_type='odd'"),
    ("symmetric", "reflect_type='odd'"),
    ("mean", "stat_length=2"),
    ("mean", "stat_length=((1, 2), (3, 1))"),
    ("linear_ramp", "end_values=(1.5, -2.0)"),
]:
    case("numpy.pad", f"np.pad(x, ((1, 2), (3, 1)), mode='{_mode}', {_kw})", x=randn(2, 3))
case("numpy.pad", "np.pad(x, 5, mode='reflect', reflect_type='odd')", x=randn(3))
case("srcad.runtime.pad_axes", "_srcad.pad_axes(t, (2, 3), ((1, 2), (3, 1)), 'mean', k)",
     ("t",), t=randn(2, 3), k={"stat_length": 2})  # fmt: skip
case("srcad.runtime.pad_axes", "_srcad.pad_axes(t, (2, 3), 2, 'reflect', k, True)", ("t",),
     t=randn(6, 7), k={"reflect_type": "odd"})  # fmt: skip
case("srcad.runtime.pad_jvp", "_srcad.pad_jvp(t, x, 2, 'symmetric', k)", ("t",), t=randn(3),
     x=randn(3), k={"reflect_type": "odd"})  # fmt: skip
case("srcad.runtime.pad_vjp", "_srcad.pad_vjp(t, x, 2, 'symmetric', k)", ("t",), t=randn(7),
     x=randn(3), k={"reflect_type": "odd"})  # fmt: skip
zero("srcad.runtime.pad_kw", "_srcad.pad_kw('mean', x, 'even')", x=2)

# -- np.choose (rules/numpy_api11.py) ----------------------------------------------------------
_i = np.array([[0, 1, 2], [2, 1, 0]])
case("numpy.choose", "np.choose(i, [x, y, z])", ("x", "y", "z"), i=_i, x=randn(2, 3),
     y=randn(3), z=randn())  # fmt: skip
case("numpy.choose", "np.choose(i, (x, y), mode='wrap')", ("x", "y"), i=_i, x=randn(2, 3),
     y=randn(2, 3))  # fmt: skip
case("numpy.choose", "np.choose(i, [x, c], mode='clip')", ("x",), i=_i, x=randn(2, 3), c=randn(3))
case("srcad.runtime.choose_vjp", "_srcad.choose_vjp(t, i, [x, y], 'clip')", ("t",), t=randn(2, 3),
     i=_i, x=randn(3), y=randn(2, 3))  # fmt: skip

# -- contract_fixed(t, r, a, b, axes): matmul_fixed of np.tensordot(a, b, axes) / np.inner -----
_C3 = np.stack([_A, _A * 0.5])  # (2, 3, 2): an inf at [:, 1, 0]
for _a, _b, _ax in (
    (_A, _B, 1), (_A, _B.T[:2], None), (_A, _B[:, 0], None), (_C3, _B, ([2], [0])),
    (_A[1], _B[:, 0], None), (np.inf, _B[0], None),
):  # fmt: skip
    _r = np.inner(_a, _b) if _ax is None else np.tensordot(_a, _b, _ax)
    case(
        "srcad.runtime.contract_fixed", "_srcad.contract_fixed(t, r, a, b, axes)", ("t",),
        t=randn(*np.shape(_r)), r=_r, a=_a, b=_b, axes=_ax,
    )  # fmt: skip

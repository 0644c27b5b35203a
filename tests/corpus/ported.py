"""Functions in the spirit of other AD tools' test corpora (autograd, Tangent, JAX), rewritten in
srcad's style: shared inputs here, the functions in tests/corpus/ported_*.py -> `CASES` (all of them).
A case whose stage fails lists it in `xfail` (strict): a missing rule or a refusal to lift later."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(7)
V3 = np.array([0.4, -0.7, 1.3])
V5 = np.array([0.3, -1.1, 0.8, 1.7, -0.4])
P5 = np.array([0.35, 1.1, 0.65, 1.45, 0.45])
M23 = np.array([[0.5, -0.3, 1.2], [0.9, 0.2, -0.8]])
M33 = np.array([[1.5, 0.2, -0.3], [0.1, 1.2, 0.4], [-0.2, 0.3, 0.9]])
SPD = M33 @ M33.T + np.eye(3)
M34 = R.standard_normal((3, 4))
T234 = R.standard_normal((2, 3, 4))
_STATE = {"k": 2.5}
MLP = [
    (R.standard_normal((3, 4)), R.standard_normal(4)),
    (R.standard_normal((4, 2)), R.standard_normal(2)),
]
XB = R.standard_normal((5, 3))
YB = R.standard_normal((5, 2))
ONEHOT = np.eye(3)[[0, 2, 1, 1, 0]]


def _xf(stages: list[str], reason: str) -> dict[str, str]:
    return dict.fromkeys(stages, reason)


def _collect() -> list[Case]:
    from . import (
        ported_bench22,
        ported_bench22b,
        ported_builtins,
        ported_corp7,
        ported_corp8,
        ported_corp9_adb,
        ported_corp9_ez,
        ported_corp9_npb,
        ported_corp9_poly,
        ported_corp9_zy,
        ported_corp10_ag,
        ported_corp10_ml,
        ported_corp10_sim,
        ported_corp11_bench,
        ported_corp11_jax,
        ported_corp11_nr,
        ported_corp11_opt,
        ported_corp11_ppl,
        ported_corp22_jx,
        ported_corp22_la,
        ported_corp22_nd,
        ported_corp22_sp,
        ported_corp22_sp2,
        ported_corp23_go,
        ported_corp23_go2,
        ported_corp23_mgh,
        ported_corp23_ops,
        ported_corp24_gp,
        ported_corp24_kf,
        ported_corp24_lm,
        ported_corp24_more,
        ported_corp24_ot,
        ported_corp24_sm,
        ported_graphs,
        ported_higher24,
        ported_higher24b,
        ported_hunt12_ml,
        ported_hunt12_py,
        ported_hunt12_sim,
        ported_hunt13,
        ported_hunt14,
        ported_hunt15,
        ported_hunt16,
        ported_hunt17,
        ported_hunt17h,
        ported_hunt18,
        ported_hunt18h,
        ported_hunt19,
        ported_hunt19h,
        ported_hunt20,
        ported_hunt20b,
        ported_hunt20c,
        ported_hunt20d,
        ported_hunt20h,
        ported_hunt21,
        ported_hunt21b,
        ported_hunt21c,
        ported_hunt21d,
        ported_hunt21e,
        ported_hunt21f,
        ported_hunt22,
        ported_hunt22b,
        ported_hunt22c,
        ported_hunt22d,
        ported_hunt22e,
        ported_hunt22f,
        ported_hunt23,
        ported_hunt23b,
        ported_hunt23c,
        ported_hunt23d,
        ported_idioms15,
        ported_idioms16,
        ported_lib23,
        ported_lib24,
        ported_loops,
        ported_nan22,
        ported_numpy1,
        ported_numpy2,
        ported_python,
        ported_semantics1,
        ported_semantics2,
        ported_semantics3,
        ported_semantics4,
        ported_signatures,
        ported_tangent1,
        ported_tangent2,
    )

    out: list[Case] = []
    for mod in (
        ported_tangent1,
        ported_tangent2,
        ported_numpy1,
        ported_numpy2,
        ported_builtins,
        ported_graphs,
        ported_semantics1,
        ported_semantics2,
        ported_semantics3,
        ported_semantics4,
        ported_python,
        ported_loops,
        ported_signatures,
        ported_corp7,
        ported_corp8,
        ported_corp9_poly,
        ported_corp9_npb,
        ported_corp9_adb,
        ported_corp9_zy,
        ported_corp9_ez,
        ported_corp10_ag,
        ported_corp10_ml,
        ported_corp10_sim,
        ported_corp11_jax,
        ported_corp11_ppl,
        ported_bench22,
        ported_bench22b,
        ported_corp11_bench,
        ported_corp11_nr,
        ported_corp11_opt,
        ported_hunt12_ml,
        ported_hunt12_sim,
        ported_hunt12_py,
        ported_hunt13,
        ported_hunt14,
        ported_hunt15,
        ported_hunt16,
        ported_hunt17,
        ported_hunt17h,
        ported_hunt18,
        ported_hunt18h,
        ported_hunt19,
        ported_hunt19h,
        ported_hunt20,
        ported_hunt20b,
        ported_hunt20c,
        ported_hunt20d,
        ported_hunt20h,
        ported_hunt21,
        ported_hunt21b,
        ported_hunt21c,
        ported_hunt21d,
        ported_hunt21e,
        ported_hunt21f,
        ported_hunt22,
        ported_hunt22b,
        ported_hunt22c,
        ported_nan22,
        ported_hunt22d,
        ported_hunt22e,
        ported_hunt22f,
        ported_hunt23,
        ported_hunt23b,
        ported_hunt23c,
        ported_hunt23d,
        ported_idioms15,
        ported_lib23,
        ported_idioms16,
        ported_corp22_sp,
        ported_corp22_sp2,
        ported_corp22_la,
        ported_corp22_jx,
        ported_corp22_nd,
        ported_corp23_go,
        ported_corp23_go2,
        ported_corp23_mgh,
        ported_corp23_ops,
        ported_corp24_ot,
        ported_corp24_gp,
        ported_corp24_lm,
        ported_corp24_sm,
        ported_corp24_kf,
        ported_higher24,
        ported_higher24b,
        ported_lib24,
        ported_corp24_more,
    ):
        out.extend(mod.CASES)
    return out


CASES: list[Case] = _collect()

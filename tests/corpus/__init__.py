"""A corpus of user-style NumPy/`math` functions, each with example inputs.

Every module in this package defines functions and a `CASES` table of `Case` entries. `ALL_CASES`
collects them; tests/corpus/test_corpus.py runs the primal round trip, the IR verifier and the derivative
checks on each, and tests/golden/test_golden.py prints some of them.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import srcad


@dataclass
class Case:
    """`fn(*args)`; `diff`: positions of float arguments that may be differentiated."""

    fn: Callable
    args: tuple
    diff: tuple[int, ...] = ()
    name: str = ""
    # reason -> the case is expected to fail in the named stage ("primal", "verify", "fwd", "rev")
    xfail: dict[str, str] = field(default_factory=dict)
    atol: float | None = None
    rtol: float | None = None
    # scale of random perturbations for the extra primal variants (0: reuse the example inputs)
    jitter: float = 0.05
    extra: Any = None

    def __post_init__(self) -> None:
        if not self.name:
            self.name = f"{self.fn.__module__.rsplit('.', 1)[-1]}.{self.fn.__name__}"


def refused_everywhere(reason: str) -> dict[str, str]:
    """A `Case.xfail` table: refused when lowered, so every stage fails."""
    return dict.fromkeys(("primal", "verify", "fwd", "rev"), reason)


def refused_when_differentiated(reason: str) -> dict[str, str]:
    """A `Case.xfail` table: the primal runs, both derivative modes are refused."""
    return dict.fromkeys(("fwd", "rev"), reason)


def hvp_and_gradient_differences(case: Case) -> tuple[Any, Any, Any, Any]:
    """For a case with a scalar output: srcad.hvp's (gradient, Hessian-vector product) along a
    fixed random direction v of the first differentiated argument, and central differences of
    srcad.grad along v; returns (g, hv, fd, v). Arguments are deep-copied for every call."""
    k = case.diff[0]
    x = np.asarray(case.args[k], float)
    v = np.random.default_rng(1).standard_normal(x.shape)
    to = (lambda a: a) if isinstance(case.args[k], np.ndarray) else float

    def at(t: float) -> list:
        a = list(copy.deepcopy(case.args))
        a[k] = to(x + t * v)
        return a

    grad = srcad.grad(case.fn, k)
    eps = 1e-5
    fd = (np.asarray(grad(*at(eps))) - np.asarray(grad(*at(-eps)))) / (2 * eps)
    tangents = [None] * len(case.args)
    tangents[k] = to(v)
    g, hv = srcad.hvp(case.fn, copy.deepcopy(case.args), tangents, wrt=k)
    return g, hv, fd, v


def scalar_float_cases(cases: list[Case]) -> list[Case]:
    """The cases whose output is a scalar and whose first differentiated argument is a float or
    an array (what `check_hvp_and_hessian` takes)."""
    return [
        c
        for c in cases
        if np.ndim(c.fn(*copy.deepcopy(c.args))) == 0
        and isinstance(c.args[c.diff[0]], (float, np.ndarray))
    ]


def check_hvp_and_hessian(case: Case) -> None:
    """srcad.hvp against central differences of srcad.grad, and srcad.hessian times the same
    direction against srcad.hvp (`hvp_and_gradient_differences`)."""
    k = case.diff[0]
    _, hv, fd, v = hvp_and_gradient_differences(case)
    np.testing.assert_allclose(hv, fd, rtol=1e-4, atol=1e-5)
    H = np.asarray(srcad.hessian(case.fn, k)(*copy.deepcopy(case.args)))
    Hv = np.tensordot(H, v, axes=v.ndim) if v.ndim else H * v
    np.testing.assert_allclose(Hv, hv, rtol=1e-6, atol=1e-8)


def _collect() -> list[Case]:
    from . import arithmetic, calls, containers, control, indexing, loops, ml, tricky

    out: list[Case] = []
    for mod in (arithmetic, control, loops, indexing, containers, calls, ml, tricky):
        out.extend(mod.CASES)
    from . import ported

    out.extend(ported.CASES)
    from . import (
        users_argw11,
        users_arrays,
        users_classes2,
        users_fnval12,
        users_hunt4,
        users_hunt4b,
        users_hunt5,
        users_hunt5b,
        users_hunt6,
        users_hunt7,
        users_hunt8,
        users_hunt9,
        users_idioms,
        users_idioms2,
        users_idioms3,
        users_idioms6,
        users_idioms7,
        users_idioms8,
        users_idioms9,
        users_idioms23,
        users_idioms25,
        users_lead8,
        users_lead10,
        users_lead11,
        users_ml,
        users_models26,
        users_models27,
        users_objects6,
        users_objects9,
        users_objects10,
        users_refuse10,
        users_refuse11,
        users_refuse15,
        users_refuse16,
        users_refuse17,
        users_refuse18,
        users_refuse19,
        users_refuse20,
        users_refuse21,
        users_refuse22,
        users_refuse23,
        users_refuse24,
        users_refuse27,
        users_refuse29,
        users_refuse30a,
        users_refuse30b,
        users_refuse31,
        users_refuse32a,
        users_refuse33b,
        users_refuse34a,
        users_refuse35,
        users_refuse36,
        users_refuse37,
        users_refuse38,
        users_sim,
        users_stdlib6,
        users_try12,
        users_unbound34,
        users_views10,
    )

    mods = (
        users_ml,
        users_sim,
        users_idioms,
        users_arrays,
        users_idioms2,
        users_hunt4,
        users_hunt4b,
        users_hunt5,
        users_hunt5b,
        users_hunt6,
        users_hunt7,
        users_hunt8,
        users_hunt9,
        users_classes2,
        users_idioms3,
        users_objects6,
        users_stdlib6,
        users_idioms6,
        users_idioms7,
        users_lead8,
        users_idioms8,
        users_objects9,
        users_idioms9,
        users_lead10,
        users_objects10,
        users_views10,
        users_refuse10,
        users_lead11,
        users_argw11,
        users_refuse11,
        users_try12,
        users_fnval12,
        users_refuse15,
        users_refuse16,
        users_refuse17,
        users_refuse18,
        users_refuse19,
        users_refuse20,
        users_refuse21,
        users_refuse22,
        users_idioms23,
        users_refuse23,
        users_refuse24,
        users_idioms25,
        users_models26,
        users_refuse27,
        users_refuse29,
        users_refuse30a,
        users_refuse30b,
        users_refuse31,
        users_refuse32a,
        users_models27,
        users_refuse33b,
        users_unbound34,
        users_refuse34a,
        users_refuse35,
        users_refuse36,
        users_refuse37,
        users_refuse38,
    )
    out.extend(c for m in mods for c in m.CASES)
    from . import closures_alias40, users_iter41c, users_obj41a, users_ref41d

    out.extend(closures_alias40.CASES)
    out.extend(users_obj41a.CASES)
    out.extend(users_ref41d.CASES)
    out.extend(users_iter41c.CASES)
    return out


ALL_CASES = _collect()

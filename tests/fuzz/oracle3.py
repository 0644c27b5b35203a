"""The higher-order entry points of a generated program, checked against its Hessian-vector product.

Input: a program whose second-order check (`oracle2.check2`) got H v for a direction v, its
runner and arguments. Output: nothing, or `Wrong` (properties prefixed ``hvp_``), or the
first line of a `SrcadError` one of them raised (the caller counts it as a refusal: hvp
differentiated the program, so a refusal here is spurious unless the entry point itself is
limited). Checked, for programs of float and float64 array arguments with at most `MAX_SIZE`
differentiated elements:

- `srcad.hessian(f, wrt)` contracted with v equals H v (`hvp_hessian`);
- `srcad.jacrev(srcad.grad(f, wrt), wrt)` (reverse over reverse) equals the Hessian
  (`hvp_jacrev_grad`);
- `srcad.jacfwd(srcad.grad(f, wrt), wrt)` equals it too (`hvp_jacfwd_grad`);
- each leaves the arguments as one Python call does (`hvp_effects`: a function updating its
  argument in place updates it once).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

import srcad

from .compare import Wrong, close, leaves

MAX_SIZE = 12


def _blocks(h: Any, wrt: tuple) -> list[list[np.ndarray]]:
    """The Hessian's blocks ``H[i][j]`` as arrays, whatever the `wrt` layout."""
    if len(wrt) == 1:
        return [[np.asarray(h, float)]]
    return [[np.asarray(b, float) for b in row] for row in h]


def _contract(blocks: list[list[np.ndarray]], v: list[Any]) -> list[np.ndarray]:
    out = []
    for row in blocks:
        acc = None
        for b, vj in zip(row, v):
            vj = np.asarray(vj, float)
            t = np.tensordot(b, vj, axes=vj.ndim) if vj.ndim else b * vj
            acc = t if acc is None else acc + t
        out.append(acc)
    return out


def eligible(args: tuple, wrt: tuple) -> bool:
    ok = all(isinstance(args[k], float | np.ndarray) for k in wrt)
    return ok and 0 < sum(np.size(args[k]) for k in wrt) <= MAX_SIZE and len(wrt) <= 2


def entries(
    f: Any,
    args: tuple,
    ref_args: Any,
    wrt: tuple,
    v: dict,
    hv: Any,
    rtol: float,
    reset: Any = None,
) -> str | None:
    """Check the entry points against `hv` (H v along `v`) and the arguments they leave against
    `ref_args` (as one Python call leaves them); a refusal's reason, or None. `reset` puts the
    module's global arrays back before each entry point (a function updating a global in place
    would otherwise start the next one from the last one's globals)."""
    if not eligible(args, wrt):
        return None
    w = wrt[0] if len(wrt) == 1 else wrt
    hvl = [np.asarray(x, float) for x in leaves(list(hv))]
    scale = 1.0 + max(float(np.max(np.abs(x), initial=0.0)) for x in hvl)
    vs = [v[k] for k in wrt]
    makers = [
        ("hvp_hessian", lambda: srcad.hessian(f, wrt=w)),
        ("hvp_jacrev_grad", lambda: srcad.jacrev(srcad.grad(f, wrt=w), wrt=w)),
        ("hvp_jacfwd_grad", lambda: srcad.jacfwd(srcad.grad(f, wrt=w), wrt=w)),
    ]
    for prop, make in makers:
        if reset is not None:
            reset()
        a = copy.deepcopy(args)
        try:
            h = make()(*a)
        except srcad.SrcadError as e:
            first = str(getattr(e, "message", e)).splitlines()[0][:120]
            return f"{prop[4:]}: {first}"
        close(ref_args, a, 1e-9, 1e-12, "hvp_effects", f"arguments after {prop[4:]}")
        got = _contract(_blocks(h, wrt), vs)
        for k, (e, g) in enumerate(zip(hvl, got)):
            if np.shape(e) != np.shape(g) or not np.allclose(
                g, e, rtol=rtol * 100, atol=rtol * 100 * scale
            ):
                raise Wrong(prop, f"argument {wrt[k]}: H v {e!r}, {prop[4:]} contracted {g!r}")
    return None

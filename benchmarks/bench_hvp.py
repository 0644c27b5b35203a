"""Second-order speed: srcad.hvp against srcad.grad, and srcad.hessian against JAX and autograd.

    python benchmarks/bench_hvp.py

Input: the problems of problems.py. Output: two markdown tables and benchmarks/results/hvp.json.

1. Hessian-vector products (forward over reverse, `srcad.hvp`: gradient and H v in one pass)
   against the gradient (`srcad.grad`) of the same problem: the ratio HVP / gradient, which the
   cheap-gradient bound keeps a small constant (issue 9's target: <= 4x). Peers' own ratios
   (JAX: ``jit(jvp(grad))``; autograd: reverse over reverse, ``grad(<grad f, v>)``) when
   importable, and their first calls (JAX: trace + XLA compile). Each HVP is checked against
   central differences of the hand-written gradient, each peer's gradient against it.
2. The Hessian of a 100-parameter function (L2-regularised logistic regression, 1000 rows):
   `srcad.hessian` (one forward-over-reverse pass per parameter) against the hand-written one and
   ``jax.jit(jax.jacfwd(jax.jacrev(f)))`` / ``autograd.hessian`` when importable ("n/a" when not).

BLAS runs on one thread; times are the best of 7 rounds, interleaved across the functions of a
row (so the ratios hold on a machine whose load changes); srcad's calls go through the public API
(cached transform).
"""

from __future__ import annotations

import harness  # first: pins BLAS threads before numpy is imported
import numpy as np
import problems

import srcad


def _split(p: problems.Problem, f):
    """`f` as a function of the tuple of differentiated arguments (the others fixed)."""
    args = p.args

    def g(ws):
        it = iter(ws)
        return f(*[next(it) if k in p.wrt else a for k, a in enumerate(args)])

    return g, tuple(args[k] for k in p.wrt)


def peer_fns(name: str, lib, anp, f, p: problems.Problem, tans: list):
    """Zero-argument callables (gradient, HVP) computed with JAX or autograd."""
    g, ws = _split(p, f)
    vs = tuple(tans)
    if name == "jax":
        jg = harness.blocking(lib, lib.jit(lib.grad(g)))
        jh = harness.blocking(lib, lib.jit(lambda ws, vs: lib.jvp(lib.grad(g), (ws,), (vs,))[1]))
        return (lambda: jg(ws)), (lambda: jh(ws, vs))
    ag = lib.grad(g)

    def gv(ws, vs):
        return sum(anp.sum(a * b) for a, b in zip(ag(ws), vs))

    ah = lib.grad(gv)
    return (lambda: ag(ws)), (lambda: ah(ws, vs))


def check_hvp(p: problems.Problem, hv, tans: list, what: str, eps: float = 1e-6) -> None:
    """H v against central differences of the hand-written gradient along v."""

    def at(t: float) -> np.ndarray:
        a = list(p.args)
        for k, v in zip(p.wrt, tans):
            a[k] = a[k] + t * v
        return harness.leaves(p.hand_grad(*a))

    fd = (at(eps) - at(-eps)) / (2 * eps)
    got = harness.leaves(hv)
    np.testing.assert_allclose(got, fd, rtol=1e-5, atol=1e-6 * np.max(np.abs(fd)), err_msg=what)


def bench_hvp(p: problems.Problem, peers: dict) -> dict:
    args = p.args
    tans = p.tangents()
    full = [None] * len(args)
    for k, t in zip(p.wrt, tans):
        full[k] = t
    grad = srcad.grad(p.f, wrt=p.wrt)

    def hvp():
        return srcad.hvp(p.f, args, full, wrt=p.wrt)

    transform = harness.first_call(hvp)
    g, hv = hvp()
    harness.assert_close(g, p.hand_grad(*args), f"srcad.hvp's gradient of {p.name}")
    check_hvp(p, hv, tans, f"srcad HVP of {p.name}")
    fns = {
        "objective": lambda: p.f(*args),
        "hand_grad": lambda: p.hand_grad(*args),
        "srcad_grad": lambda: grad(*args),
        "srcad_hvp": hvp,
    }
    firsts = {"srcad_hvp_first_call": transform}
    for name, (lib, np_mod, math_mod) in peers.items():
        pf = harness.peer_function(name, (lib, np_mod, math_mod), p.f, p.jax_f)
        pg, ph = peer_fns(name, lib, np_mod, pf, p, tans)
        firsts[f"{name}_grad_first_call"] = harness.first_call(pg)
        harness.assert_close(pg(), p.hand_grad(*args), f"{name} gradient of {p.name}")
        firsts[f"{name}_hvp_first_call"] = harness.first_call(ph)
        check_hvp(p, ph(), tans, f"{name} HVP of {p.name}")
        fns[f"{name}_grad"], fns[f"{name}_hvp"] = pg, ph
    row = {"problem": p.name, **harness.best_times(fns), **firsts}
    print(f"# {p.name}: srcad.hvp first call (transform + run) {transform * 1e3:.1f} ms")
    return row


def bench_hessian(peers: dict) -> dict:
    w, X, y = args = problems.logreg_args()
    f = problems.logreg_loss
    want = problems.logreg_hessian(*args)
    hess = srcad.hessian(f)
    transform = harness.first_call(lambda: hess(*args))
    harness.assert_close(hess(*args), want, "srcad.hessian of the logistic regression")
    grad = srcad.grad(f)
    v = np.linspace(-1.0, 1.0, w.size)
    harness.assert_close(srcad.hvp(f, args, (v, None, None))[1], want @ v, "srcad.hvp")
    fns = {
        "objective": lambda: f(*args),
        "srcad_grad": lambda: grad(*args),
        "srcad_hvp": lambda: srcad.hvp(f, args, (v, None, None)),
        "srcad_hessian": lambda: hess(*args),
        "hand_hessian": lambda: problems.logreg_hessian(*args),
    }
    firsts = {"srcad_hessian_first_call": transform}
    for name, (lib, np_mod, math_mod) in peers.items():
        pf = harness.rebind(f, np_mod, math_mod)
        if name == "jax":
            ph = harness.blocking(lib, lib.jit(lib.jacfwd(lib.jacrev(pf))))
        else:
            ph = lib.hessian(pf)
        fns[f"{name}_hessian"] = lambda ph=ph: ph(*args)
        firsts[f"{name}_hessian_first_call"] = harness.checked_first_call(
            fns[f"{name}_hessian"], want, f"{name} Hessian of the logistic regression"
        )
    row = {
        "problem": f"logistic regression, {w.size} parameters, {X.shape[0]} rows",
        **harness.best_times(fns),
        **firsts,
    }
    print(f"# Hessian: srcad first call (transform + run) {transform * 1e3:.1f} ms")
    return row


def _ratio(r: dict, a: str, b: str) -> str:
    return "n/a" if r.get(a) is None or r.get(b) is None else f"{r[a] / r[b]:.1f}x"


def _seconds(t: float | None) -> str:
    return "n/a" if t is None else f"{t:.3g}"


def main() -> None:
    peers = harness.peers()
    names = ["jax", "autograd"]
    rows = [bench_hvp(p, peers) for p in problems.problems()]
    hrow = bench_hessian(peers)
    print("\nHessian-vector product vs gradient (ms per call; ratios HVP / gradient)\n")
    head = ["problem", "objective ms", "srcad grad ms", "srcad HVP ms", "srcad HVP/grad"]
    head += ["HVP/hand grad"] + [f"{n} HVP/grad" for n in names]
    head += [f"{n} HVP first call s" for n in names]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        cells = [r["problem"], harness.fmt_ms(r["objective"]), harness.fmt_ms(r["srcad_grad"])]
        cells += [harness.fmt_ms(r["srcad_hvp"]), _ratio(r, "srcad_hvp", "srcad_grad")]
        cells += [_ratio(r, "srcad_hvp", "hand_grad")]
        cells += [_ratio(r, f"{n}_hvp", f"{n}_grad") for n in names]
        cells += [_seconds(r.get(f"{n}_hvp_first_call")) for n in names]
        print("| " + " | ".join(cells) + " |")
    print("\nHessian of a 100-parameter function (ms per call)\n")
    head = ["problem", "objective ms", "srcad grad ms", "srcad HVP ms", "srcad hessian ms"]
    head += ["hessian/grad"]
    head += ["hand ms"] + [f"{n} ms" for n in names] + [f"{n} first call s" for n in names]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    cells = [hrow["problem"], harness.fmt_ms(hrow["objective"]), harness.fmt_ms(hrow["srcad_grad"])]
    cells += [harness.fmt_ms(hrow["srcad_hvp"]), harness.fmt_ms(hrow["srcad_hessian"])]
    cells += [_ratio(hrow, "srcad_hessian", "srcad_grad")]
    cells += [harness.fmt_ms(hrow["hand_hessian"])]
    cells += [harness.fmt_ms(hrow.get(f"{n}_hessian")) for n in names]
    cells += [_seconds(hrow.get(f"{n}_hessian_first_call")) for n in names]
    print("| " + " | ".join(cells) + " |")
    harness.write_json("hvp", rows, hessian=[hrow])


if __name__ == "__main__":
    main()

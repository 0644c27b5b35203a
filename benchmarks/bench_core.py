"""Transform speed: lower + optimize + differentiate + emit + compile a ~100-line function.

    python benchmarks/bench_core.py          # BENCH_CORE_ROUNDS=5 for a quicker run

Each round defines a fresh function object (new code object, so srcad's caches miss) from the same
source, registered in `linecache`, and times `srcad.source(f, mode=...)`, which runs the whole
pipeline, and what a user waits for, the first call `srcad.grad(f)(*args)` (the transform for
the arguments' kinds, the cache entry and guard, and one run of the gradient: about 2.5 ms of
it). Prints the best of N rounds in ms per mode (target: <= 25 ms for grad), the phases of
the best round (`phase_timer`: parse, lower, check, optimise, transform, optimise-ad, inplace,
emit, compile) for the 100-line gradient and for generated 100/200/400-line functions, and their
gradient transform times with the growth per doubling (target: 400 lines <= 0.4 s, 200 -> 400
<= 2.3x); writes all of it to benchmarks/results/core.json. On a shared machine compare ratios
measured in the same minute, not absolute times.
"""

from __future__ import annotations

import contextlib
import json
import linecache
import math
import os
import time
from collections.abc import Iterator

import harness  # before numpy: pins BLAS threads
import numpy as np

import srcad

ROUNDS = int(os.environ.get("BENCH_CORE_ROUNDS", "20"))
# transforms, not disk-cache loads (a second run would find the same sources on disk)
os.environ["SRCAD_NO_DISK_CACHE"] = "1"

SOURCE = '''
def simulate(params, x0, v0, forces, dt):
    """A damped particle chain with springs, a soft wall, friction and a summary loss."""
    k, c, m, wall, mu = params[0], params[1], params[2], params[3], params[4]
    n = x0.shape[0]
    x = x0
    v = v0
    energy = 0.0
    penalty = 0.0
    impacts = 0.0
    path = 0.0
    for step in range(forces.shape[0]):
        f = forces[step]
        left = np.concatenate([x[:1], x[:-1]])
        right = np.concatenate([x[1:], x[-1:]])
        spring = k * (left - 2.0 * x + right)
        damping = -c * v
        total = spring + damping + f
        over = x - wall
        if np.max(over) > 0.0:
            push = -10.0 * k * np.maximum(over, 0.0)
            total = total + push
            impacts = impacts + 1.0
        else:
            push = np.zeros_like(x)
        speed = np.abs(v)
        friction = -mu * np.tanh(5.0 * v) * m
        total = total + friction
        a = total / m
        v = v + dt * a
        x = x + dt * v
        kinetic = 0.5 * m * np.sum(v * v)
        potential = 0.5 * k * np.sum((right - x) ** 2)
        energy = energy + dt * (kinetic + potential)
        path = path + dt * np.sum(speed)
        if step % 5 == 0:
            penalty = penalty + np.sum(np.maximum(np.abs(x) - 3.0, 0.0) ** 2)
    spread = np.std(x)
    centre = np.mean(x)
    skew = np.mean(((x - centre) / (spread + 1e-8)) ** 3)
    peaks = 0.0
    i = 1
    while i < n - 1:
        if x[i] > x[i - 1] and x[i] > x[i + 1]:
            peaks = peaks + x[i]
        i = i + 1
    moments = []
    for p in range(1, 5):
        moments.append(np.mean(x ** p))
    shape = moments[0] + 0.5 * moments[1] - 0.25 * moments[2] + 0.125 * moments[3]
    weights = np.exp(-np.arange(n) / n)
    weighted = np.dot(weights, x) / np.sum(weights)
    order = np.argsort(x)
    ranked = x[order]
    top = np.sum(ranked[-3:])
    bottom = np.sum(ranked[:3])
    gap = top - bottom
    if gap > 1.0:
        gap_term = math.log(gap)
    else:
        gap_term = gap - 1.0
    outer = np.outer(x, v)
    cov = outer - np.mean(outer, axis=0, keepdims=True)
    fro = np.sqrt(np.sum(cov ** 2) + 1e-12)
    mix = np.tanh(x) @ np.cos(v)
    soft = np.log(np.sum(np.exp(x - np.max(x)))) + np.max(x)
    terms = [energy, penalty, spread, skew, peaks, shape, weighted, gap_term, fro, mix, soft]
    scales = [1.0, 0.1, 2.0, 0.01, 0.5, 0.3, 1.5, 0.2, 0.05, 0.7, 0.9]
    loss = 0.0
    for t, s in zip(terms, scales):
        loss = loss + s * t
    if impacts > 3.0:
        loss = loss + 0.01 * impacts
    reg = 0.0
    for j in range(len(params)):
        reg = reg + params[j] ** 2
    loss = loss + 1e-3 * reg
    clipped = np.clip(x, -2.0, 2.0)
    loss = loss + 0.05 * np.sum(clipped * clipped)
    drift = x[-1] - x[0]
    loss = loss + 0.1 * drift ** 2
    tail = 0.0
    for q in range(n):
        if q >= n - 2:
            break
        tail = tail + 0.001 * x[q] * x[q + 1]
    norms = np.zeros(3)
    for r in range(3):
        norms[r] = np.linalg.norm(forces[r])
    loss = loss + 0.01 * np.sum(norms)
    grid = np.reshape(np.tile(x, 2), (2, n))
    loss = loss + 0.02 * np.sum(np.diff(grid, axis=1) ** 2)
    if loss > 1e6:
        loss = 1e6 + 0.0 * loss
    elif loss < -1e6:
        loss = -1e6 + 0.0 * loss
    stats = {"mean": centre, "std": spread}
    loss = loss + 0.01 * (stats["mean"] ** 2 + stats["std"])
    hist = sum([np.sum(x > b) * b for b in (0.0, 0.5)])
    loss = loss + 0.0 * hist
    return loss + tail + 0.0 * path
'''


def fresh(round_: int):
    """A new function object for `simulate`, with its source findable through linecache."""
    filename = f"<bench-core-{round_}>"
    linecache.cache[filename] = (len(SOURCE), None, SOURCE.splitlines(True), filename)
    ns = {"np": np, "math": math, "__name__": "bench_core_simulate"}
    exec(compile(SOURCE, filename, "exec"), ns)
    return ns["simulate"]


def generated_source(n: int) -> str:
    """A function of about `n` lines, ~6 operations a line: straight-line array arithmetic with an
    `if` every 10 lines and a short loop every 25 (transform time against size)."""
    out = ["def big(x, y):", "    a = x * 1.0", "    b = y * 1.0", "    c = a + b"]
    k = 0
    while len(out) < n:
        k += 1
        if k % 25 == 0:
            out += ["    for i in range(3):", "        a = a * 0.9 + np.sin(b) * 0.1 - c * 0.01"]
        elif k % 10 == 0:
            out += [
                "    if np.sum(a) > 0.0:",
                "        c = c * 0.5 + np.tanh(a) - b * 0.25",
                "    else:",
                "        c = c * 0.4 - np.tanh(b) + a * 0.5",
            ]
        else:
            v, w, u = "abc"[k % 3], "abc"[(k + 1) % 3], "abc"[(k + 2) % 3]
            out.append(f"    {v} = np.sin({w}) * {u} + {v} * 0.5 - np.cos({u}) / (1.0 + {w} * {w})")
    out.append("    return np.sum(a * b + c)")
    return "\n".join(out) + "\n"


def fresh_generated(n: int, round_: int):
    src = generated_source(n)
    filename = f"<bench-core-gen-{n}-{round_}>"
    linecache.cache[filename] = (len(src), None, src.splitlines(True), filename)
    ns = {"np": np, "__name__": "bench_core_generated"}
    exec(compile(src, filename, "exec"), ns)
    return ns["big"]


FIRST_CALL = "grad(f)(x) first call"
PHASES = ("parse", "lower", "check", "optimise", "transform", "optimise-ad", "inplace", "emit",
          "compile")  # fmt: skip


@contextlib.contextmanager
def phase_timer() -> Iterator[dict[str, float]]:
    """Seconds spent in each phase of the transforms run meanwhile: the driver's stages, with its
    cached first stage split into parsing the source (frontend), lowering, the mutation check
    and the optimisation (passes/prepare.lowered runs those three)."""
    from srcad.backend import driver
    from srcad.lower import lower as lower_mod
    from srcad.passes import prepare

    acc = dict.fromkeys(PHASES, 0.0)
    inner = [0.0]  # time of the phases nested in the one running (subtracted from it)

    def timed(name: str, fn):
        def run(*args, **kwargs):
            t0, outer = time.perf_counter(), inner[0]
            inner[0] = 0.0
            try:
                return fn(*args, **kwargs)
            finally:
                dt = time.perf_counter() - t0
                acc[name] += dt - inner[0]
                inner[0] = outer + dt

        return run

    stages = driver.STAGES
    patches = [
        (lower_mod, "get_source", "parse"),
        (prepare, "lower_function", "lower"),
        (prepare, "check_mutations", "check"),
        (prepare, "optimize", "optimise"),
    ]
    saved = [(m, a, getattr(m, a)) for m, a, _ in patches]
    for m, a, name in patches:
        setattr(m, a, timed(name, getattr(m, a)))
    driver.STAGES = tuple(
        driver.Stage(s.name, timed(s.name, s.run) if s.name in acc else s.run, s.ir) for s in stages
    )
    try:
        yield acc
    finally:
        driver.STAGES = stages
        for m, a, v in saved:
            setattr(m, a, v)


def scaling(
    sizes: tuple[int, ...] = (100, 200, 400), rounds: int = 3
) -> dict[int, tuple[float, dict[str, float]]]:
    """Best gradient transform time of a generated function of each size, in seconds, with the
    phase breakdown of that round."""
    out = {}
    for n in sizes:
        best = None
        for r in range(rounds):
            f = fresh_generated(n, r)
            with phase_timer() as ph:
                t0 = time.perf_counter()
                srcad.source(f, mode="grad")
                t = time.perf_counter() - t0
            if best is None or t < best[0]:
                best = (t, dict(ph))
        out[n] = best
    return out


def main() -> None:
    rng = np.random.default_rng(0)
    args = (np.array([2.0, 0.3, 1.5, 1.2, 0.05]), rng.standard_normal(8) * 0.5, np.zeros(8),
            0.3 * rng.standard_normal((20, 8)), 0.05)  # fmt: skip
    lines = len(SOURCE.strip().splitlines())
    f0 = fresh(-1)
    g = srcad.grad(f0)(*args)  # warm up srcad's imports and rule tables; check it runs
    assert np.all(np.isfinite(g)), g
    rounds = 0
    results: dict[str, dict] = {}
    for mode in ("primal", "jvp", "grad", FIRST_CALL):
        times, best = [], None
        for _ in range(ROUNDS):
            f = fresh(rounds)
            rounds += 1
            with phase_timer() as ph:
                t0 = time.perf_counter()
                if mode == FIRST_CALL:
                    srcad.grad(f)(*args)
                else:
                    srcad.source(f, mode=mode)
                t = time.perf_counter() - t0
            times.append(t)
            if best is None or t < best[0]:
                best = (t, dict(ph))
        results[mode] = {
            "best": min(times),
            "median": sorted(times)[len(times) // 2],
            "phases_of_best": best[1],
        }
    print(f"transform of a {lines}-line function (best of {ROUNDS} rounds; target <= 25 ms)\n")
    print("| mode | best ms | median ms |")
    print("|---|---|---|")
    for mode, r in results.items():
        print(f"| {mode} | {r['best'] * 1e3:.1f} | {r['median'] * 1e3:.1f} |")
    sizes = scaling()
    print(
        "\nphases (ms) of the best round: the 100-line gradient (source, first call), the generated"
        " functions' gradients\n"
    )
    print("| phase | 100-line grad | first call | " + " | ".join(f"gen {n}" for n in sizes) + " |")
    print("|---|---|---|" + "---|" * len(sizes))
    for p in PHASES:
        row = [
            results["grad"]["phases_of_best"][p],
            results[FIRST_CALL]["phases_of_best"][p],
            *(ph[p] for _, ph in sizes.values()),
        ]
        print(f"| {p} | " + " | ".join(f"{t * 1e3:.1f}" for t in row) + " |")
    print("\ngradient transform of a generated function (best of 3; target: 400 lines <= 0.4 s,")
    print("200 -> 400 growth <= 2.3x)\n")
    print("| lines | ms | growth |")
    print("|---|---|---|")
    prev = None
    for n, (t, _) in sizes.items():
        growth = f"{t / prev:.2f}x" if prev else ""
        print(f"| {n} | {t * 1e3:.0f} | {growth} |")
        prev = t
    harness.RESULTS.mkdir(exist_ok=True)
    out = harness.RESULTS / "core.json"
    data = {
        "lines": lines,
        "seconds": results,
        "generated": {str(n): t for n, (t, _) in sizes.items()},
        "generated_phases": {str(n): ph for n, (_, ph) in sizes.items()},
        "growth_200_400": sizes[400][0] / sizes[200][0],
    }
    out.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()

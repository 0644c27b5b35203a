"""Transform speed: lower + optimize + differentiate + emit + compile a ~100-line function.

    python benchmarks/bench_core.py

Each round defines a fresh function object (new code object, so srcad's caches miss) from the same
source, registered in `linecache`, and times `srcad.source(f, mode=...)`, which runs the whole
pipeline. Prints the best of N rounds in ms per mode (target: <= 25 ms for grad), then the
gradient transform time of generated 100/200/400-line functions (linear growth), and writes
benchmarks/results/core.json.
"""

from __future__ import annotations

import json
import linecache
import math
import os
import time

import harness  # before numpy: pins BLAS threads
import numpy as np

import srcad

ROUNDS = 20
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


def scaling(sizes: tuple[int, ...] = (100, 200, 400), rounds: int = 3) -> dict[int, float]:
    """Best gradient transform time of a generated function of each size, in seconds."""
    out = {}
    for n in sizes:
        times = []
        for r in range(rounds):
            f = fresh_generated(n, r)
            t0 = time.perf_counter()
            srcad.source(f, mode="grad")
            times.append(time.perf_counter() - t0)
        out[n] = min(times)
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
    results = {}
    for mode in ("primal", "jvp", "grad"):
        times = []
        for _ in range(ROUNDS):
            f = fresh(rounds)
            rounds += 1
            t0 = time.perf_counter()
            srcad.source(f, mode=mode)
            times.append(time.perf_counter() - t0)
        results[mode] = {"best": min(times), "median": sorted(times)[len(times) // 2]}
    print(f"transform of a {lines}-line function (best of {ROUNDS} rounds; target <= 25 ms)\n")
    print("| mode | best ms | median ms |")
    print("|---|---|---|")
    for mode, r in results.items():
        print(f"| {mode} | {r['best'] * 1e3:.1f} | {r['median'] * 1e3:.1f} |")
    sizes = scaling()
    print("\ngradient transform of a generated function (best of 3; target: 400 lines <= 0.4 s,")
    print("200 -> 400 growth <= 2.3x)\n")
    print("| lines | ms | growth |")
    print("|---|---|---|")
    prev = None
    for n, t in sizes.items():
        growth = f"{t / prev:.2f}x" if prev else ""
        print(f"| {n} | {t * 1e3:.0f} | {growth} |")
        prev = t
    harness.RESULTS.mkdir(exist_ok=True)
    out = harness.RESULTS / "core.json"
    data = {"lines": lines, "seconds": results, "generated": {str(n): t for n, t in sizes.items()}}
    out.write_text(json.dumps(data, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()

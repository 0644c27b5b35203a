"""Per-call overhead of srcad's wrappers (issue 11 item 3): a cached call minus the generated code.

    python benchmarks/bench_overhead.py

For a tiny function, times (interleaved, best of rounds) the generated function called directly
and each public entry point on the cached path: grad, value_and_grad (also with has_aux), jvp,
vjp (the forward call against the generated forward sweep, the pullback against the generated
reverse sweep), hvp (against the forward-over-reverse function), jacfwd, jacrev. Prints the
overhead in microseconds and the ratio to the generated code, and
writes benchmarks/results/overhead.json. Prints; never asserts.

Times are CPU time of this process (`time.process_time`), best of interleaved rounds: on a
machine shared with other jobs, wall-clock rounds include time spent descheduled, which made
sub-microsecond differences unreadable; CPU time still varies with cache contention.
"""

from __future__ import annotations

import json
import time
import timeit

import harness  # before numpy: pins BLAS threads
import numpy as np

import srcad
from srcad.backend.cache import compile_transform
from srcad.backend.driver import Mode, Request, spec_of


def tiny(x):
    return x * x + 1.0


def tiny_aux(x):
    return x * x + 1.0, x


def tiny_arr(x):
    return np.sum(x * x)


def cpu_best_times(fns: dict, repeat: int = 25, min_time: float = 0.05) -> dict[str, float]:
    """`harness.best_times` (interleaved rounds, the best of each) in process CPU time."""
    timers, numbers = {}, {}
    for name, fn in fns.items():
        fn()
        timers[name] = timeit.Timer(fn, timer=time.process_time)
        number, _ = timeit.Timer(fn).autorange()
        numbers[name] = max(1, int(number * min_time / 0.2))
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, t in timers.items():
            best[name] = min(best[name], t.timeit(numbers[name]) / numbers[name])
    return best


def main() -> None:
    x = 0.7
    xa = np.array([0.5, 1.5, 2.0])
    g = srcad.grad(tiny)
    vg = srcad.value_and_grad(tiny)
    ga = srcad.grad(tiny_arr)
    jf = srcad.jacfwd(tiny)
    jr = srcad.jacrev(tiny)
    jfa = srcad.jacfwd(tiny_arr)
    jra = srcad.jacrev(tiny_arr)
    raw_grad = compile_transform(Request(tiny, Mode.GRAD, (0,), spec_of([x]))).fn
    raw_grad_a = compile_transform(Request(tiny_arr, Mode.GRAD, (0,), spec_of([xa]))).fn
    raw_jvp = compile_transform(Request(tiny, Mode.JVP, (0,), spec_of([x]))).fn
    vjp_c = compile_transform(Request(tiny, Mode.VJP, (0,), spec_of([x])))
    raw_fwd, raw_bwd = vjp_c.fn, vjp_c.fns[list(vjp_c.fns)[1]]
    _, res = raw_fwd(x)
    hvp_c = compile_transform(Request(tiny, Mode.JVP, (0,), spec_of([x]), ((Mode.GRAD, (0,)),)))
    raw_hvp = hvp_c.fn
    vga = srcad.value_and_grad(tiny_aux, has_aux=True)
    srcad.vjp(tiny, x)
    _, pull = srcad.vjp(tiny, x)  # the second call: the fast path's pullback
    fns = {
        "generated grad_tiny(x)": lambda: raw_grad(x),
        "grad(tiny)(x)": lambda: g(x),
        "value_and_grad(tiny)(x)": lambda: vg(x),
        "generated grad_tiny_arr(xa)": lambda: raw_grad_a(xa),
        "grad(tiny_arr)(xa)": lambda: ga(xa),
        "generated jvp_tiny(x, dx)": lambda: raw_jvp(x, 1.0),
        "jvp(tiny, (x,), (1.0,))": lambda: srcad.jvp(tiny, (x,), (1.0,)),
        "value_and_grad(tiny_aux, has_aux=True)(x)": lambda: vga(x),
        "generated vjp_tiny(x)": lambda: raw_fwd(x),
        "vjp(tiny, x)": lambda: srcad.vjp(tiny, x),
        "generated vjp_tiny bwd(res, 1.0)": lambda: raw_bwd(res, 1.0),
        "pullback(1.0)": lambda: pull(1.0),
        "generated jvp_grad_tiny(x, dx)": lambda: raw_hvp(x, 1.0),
        "hvp(tiny, (x,), (1.0,))": lambda: srcad.hvp(tiny, (x,), (1.0,)),
        "jacfwd(tiny)(x)": lambda: jf(x),
        "jacrev(tiny)(x)": lambda: jr(x),
        "jacfwd(tiny_arr)(xa)": lambda: jfa(xa),
        "jacrev(tiny_arr)(xa)": lambda: jra(xa),
    }
    best = cpu_best_times(fns)
    base = {
        "grad(tiny)(x)": "generated grad_tiny(x)",
        "value_and_grad(tiny)(x)": "generated grad_tiny(x)",
        "grad(tiny_arr)(xa)": "generated grad_tiny_arr(xa)",
        "jvp(tiny, (x,), (1.0,))": "generated jvp_tiny(x, dx)",
        "value_and_grad(tiny_aux, has_aux=True)(x)": "generated grad_tiny(x)",
        "vjp(tiny, x)": "generated vjp_tiny(x)",
        "pullback(1.0)": "generated vjp_tiny bwd(res, 1.0)",
        "hvp(tiny, (x,), (1.0,))": "generated jvp_grad_tiny(x, dx)",
    }
    print(
        "per-call cost of a cached call (CPU time, best of 25 interleaved rounds; "
        "target: overhead <= 1 us)\n"
    )
    print("| call | us | overhead us | ratio to generated |")
    print("|---|---|---|---|")
    rows = {}
    for name, t in best.items():
        ref = base.get(name)
        over = (t - best[ref]) * 1e6 if ref else None
        ratio = t / best[ref] if ref else None
        rows[name] = {"seconds": t, "overhead_us": over, "ratio": ratio}
        o = f"{over:.2f}" if over is not None else ""
        r = f"{ratio:.1f}x" if ratio is not None else ""
        print(f"| {name} | {t * 1e6:.2f} | {o} | {r} |")
    harness.RESULTS.mkdir(exist_ok=True)
    out = harness.RESULTS / "overhead.json"
    out.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"\nwrote {out}")


if __name__ == "__main__":
    main()

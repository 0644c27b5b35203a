"""Shared benchmark plumbing: BLAS pinned to one thread, best-of-repeats timing, tables and JSON.

Import this module before numpy (it sets the thread variables first).
"""

from __future__ import annotations

import datetime
import importlib.metadata
import json
import os
import platform
import sys
import time
import timeit
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
# XLA's old switch for one thread (run_all.py sets it too); JAX 0.10 ignores it: see `peers`
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

import numpy as np  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def best_time(fn: Callable[[], Any], repeat: int = 5, min_time: float = 0.2) -> float:
    """Seconds per call: the best of `repeat` rounds, each long enough to be measured (timeit)."""
    fn()  # warm up (and, for srcad, transform and cache)
    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    number = max(1, int(number * min_time / 0.2))
    return min(timer.repeat(repeat=repeat, number=number)) / number


def best_times(
    fns: dict[str, Callable[[], Any]], repeat: int = 7, min_time: float = 0.1
) -> dict[str, float]:
    """Seconds per call of each function, best of `repeat` rounds, the rounds interleaved
    (a, b, c, a, b, c, ...): on a shared machine whose load changes, ratios between the
    functions stay meaningful where one function timed after another would not."""
    timers, numbers = {}, {}
    for name, fn in fns.items():
        fn()
        timers[name] = timeit.Timer(fn)
        number, _ = timers[name].autorange()
        numbers[name] = max(1, int(number * min_time / 0.2))
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, t in timers.items():
            best[name] = min(best[name], t.timeit(numbers[name]) / numbers[name])
    return best


def first_call(fn: Callable[[], Any]) -> float:
    """Seconds taken by one call (used for the first call, which includes srcad's transform)."""
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def leaves(x: Any) -> np.ndarray:
    if isinstance(x, (tuple, list)):
        return np.concatenate([leaves(e) for e in x]) if x else np.zeros(0)
    return np.ravel(np.asarray(x, dtype=float))


def assert_close(got: Any, want: Any, what: str) -> None:
    np.testing.assert_allclose(leaves(got), leaves(want), rtol=1e-7, atol=1e-10, err_msg=what)


def rebind(f: Callable, np_module: Any, math_module: Any) -> Callable:
    """`f` with its globals `np` and `math` replaced (to run the same code under autograd/JAX)."""
    g = dict(f.__globals__)
    g["np"], g["math"] = np_module, math_module
    return types.FunctionType(f.__code__, g, f.__name__, f.__defaults__, f.__closure__)


def _threads() -> set[int]:
    """This process's thread ids (Linux), empty where /proc is not there."""
    try:
        return {int(t) for t in os.listdir("/proc/self/task")}
    except OSError:
        return set()


@contextmanager
def one_cpu() -> Iterator[None]:
    """This thread restricted to one CPU meanwhile: thread pools created meanwhile see one CPU
    and size themselves to one thread. Afterwards this thread and the threads started meanwhile
    (which inherited the mask) may run on every CPU again, so no computation is pinned."""
    if not hasattr(os, "sched_setaffinity"):
        yield
        return
    cpus = os.sched_getaffinity(0)
    before = _threads()
    os.sched_setaffinity(0, {min(cpus)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, cpus)
        for tid in sorted(_threads() - before):
            try:
                os.sched_setaffinity(tid, cpus)
            except OSError:  # the thread ended meanwhile
                pass


def peers() -> dict[str, Any]:
    """Optional peers that are importable: autograd, jax.

    JAX computes on one thread, like NumPy here: its CPU client is created (``jax.devices()``)
    while this thread may run on one CPU only, so XLA sizes its thread pools to one thread; then
    every thread may run on every CPU again (`one_cpu`: nothing stays pinned, NumPy and srcad
    never are). ``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false`` alone does not do it in JAX
    0.10: its matrix products still ran on two threads of the 2-core machine."""
    out: dict[str, Any] = {}
    try:
        import autograd
        import autograd.numpy as anp

        out["autograd"] = (autograd, anp, types.SimpleNamespace(sin=anp.sin, cos=anp.cos))
    except ImportError:
        pass
    try:
        with one_cpu():
            import jax
            import jax.numpy as jnp

            jax.config.update("jax_enable_x64", True)
            jax.devices()
        out["jax"] = (jax, jnp, types.SimpleNamespace(sin=jnp.sin, cos=jnp.cos))
    except ImportError:
        pass
    return out


def peer_function(name: str, peer: tuple, f: Callable, jax_f: Callable | None = None) -> Callable:
    """`f` for a peer: its globals `np`/`math` rebound to the peer's, or for JAX `jax_f(jax)`
    when the problem has a JAX-specific version (the scalar loop's `lax.fori_loop`)."""
    lib, np_mod, math_mod = peer
    if name == "jax" and jax_f is not None:
        return jax_f(lib)
    return rebind(f, np_mod, math_mod)


def peer_grad(name: str, lib: Any, f: Callable, wrt: tuple[int, ...]) -> Callable:
    """The peer's gradient of `f` in the arguments `wrt`: ``autograd.grad`` or ``jax.jit(jax.grad)``."""
    if name == "autograd":
        return lib.grad(f, argnum=wrt)
    return blocking(lib, lib.jit(lib.grad(f, argnums=wrt)))


def blocking(jax: Any, fn: Callable) -> Callable:
    """`fn` returning only when JAX has computed its result: JAX dispatches asynchronously, so
    timing the bare call measures the dispatch (microseconds), not the computation."""

    def run(*args: Any) -> Any:
        return jax.block_until_ready(fn(*args))

    return run


def checked_first_call(fn: Callable[[], Any], want: Any, what: str) -> float:
    """Seconds of the first call of `fn` (srcad's transform, JAX's trace and XLA compile), then
    its result checked against `want` (before anything is timed)."""
    first = first_call(fn)
    assert_close(fn(), want, what)
    return first


def cannot(exc: BaseException) -> str:
    """Why a peer cannot run a problem, in one short line: the exception's type and first line."""
    lines = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__
    return text if len(text) <= 100 else text[:97] + "..."


def add_peer(
    fns: dict[str, Callable[[], Any]],
    row: dict[str, Any],
    name: str,
    fn: Callable[[], Any],
    want: Any,
    what: str,
) -> str | None:
    """Time peer `name` on a problem: its first call (JAX's trace and compile) into
    ``row[name + "_first_call"]``, its result checked against `want`, `fn` into `fns`; None.
    When the peer cannot run the code (it raises: JAX arrays are immutable, autograd has no
    ``x[i] = v``), the reason, also written to ``row[name + "_note"]``. A wrong derivative is
    never a note: the `assert_allclose` error propagates."""
    try:
        first = first_call(fn)
    except Exception as e:  # the peer cannot trace or run the code
        row[f"{name}_note"] = f"cannot run it: {cannot(e)}"
        return cannot(e)
    assert_close(fn(), want, what)
    row[f"{name}_first_call"] = first
    row.pop(f"{name}_note", None)
    fns[name] = fn
    return None


def fmt_ms(t: float | None) -> str:
    return "n/a" if t is None else f"{t * 1e3:.3f}"


def fmt_ratio(t: float | None, base: float) -> str:
    return "n/a" if t is None else f"{t / base:.1f}x"


def report(kind: str, rows: list[dict], columns: list[str]) -> None:
    """Print a markdown table (times in ms, ratios to the objective) and write JSON to results/."""
    firsts = [c for c in columns if any(f"{c}_first_call" in r for r in rows)]
    head = ["problem", "objective ms"]
    for c in columns:
        head += [f"{c} ms", f"{c}/obj"]
    head += [f"{c} first call ms" for c in firsts]
    print("| " + " | ".join(head) + " |")
    print("|" + "|".join("---" for _ in head) + "|")
    for r in rows:
        cells = [r["problem"], fmt_ms(r["objective"])]
        for c in columns:
            cells += [fmt_ms(r.get(c)), fmt_ratio(r.get(c), r["objective"])]
        cells += [fmt_ms(r.get(f"{c}_first_call")) for c in firsts]
        print("| " + " | ".join(cells) + " |")
    print_notes(rows, columns)
    write_json(kind, rows)


def print_notes(rows: list[dict], columns: list[str]) -> None:
    """The peers' notes of the rows (a problem a peer cannot run, or runs in another form)."""
    for r in rows:
        for c in columns:
            if f"{c}_note" in r:
                print(f"- {c}, {r['problem']}: {r[f'{c}_note']}")


def write_json(kind: str, rows: list[dict], **extra: Any) -> None:
    """Write the rows (and `extra` tables) with the machine's details to results/KIND.json."""
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{kind}.json"
    out.write_text(json.dumps({"meta": meta(), "rows": rows, **extra}, indent=2) + "\n")
    print(f"\nwrote {out.relative_to(Path.cwd()) if out.is_relative_to(Path.cwd()) else out}")


def meta() -> dict[str, Any]:
    """The machine, the versions (peers' when imported) and the date of a run."""
    out = {
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "machine": platform.machine(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "blas_threads": 1,
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "unit": "seconds per call (best of repeats)",
    }
    for name in ("jax", "autograd"):
        if name in sys.modules:
            out[name] = importlib.metadata.version(name)
    return out

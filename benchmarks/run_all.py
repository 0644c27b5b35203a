"""Run every benchmark script and write one markdown summary (issue 11, item 6).

    python benchmarks/run_all.py [--quick] [--only grad,stencil] [--summary-only]

Input: the ``bench_*.py`` scripts next to this file. Each runs in its own subprocess with the
interpreter running this one (run it from a venv with JAX and autograd for the peer columns),
BLAS pinned to one thread and the same ``MALLOC_*`` variables (see README.md, "Second order").
Output: each script's table on stdout and its JSON in benchmarks/results/; then
benchmarks/results/summary.md: the main table (ratios to the objective and to the hand-written
derivative, peers' ratios and first calls), every script's own results, and the machine, the
versions and the date. ``--summary-only`` rebuilds the summary from the JSON already there.
Prints, never asserts; a script that fails is reported in the summary, the others still run.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"

# script -> (arguments under --quick, JSON files it writes); the order they run in
SCRIPTS: dict[str, tuple[list[str], list[str]]] = {
    "bench_grad.py": ([], ["grad"]),
    "bench_jvp.py": ([], ["jvp"]),
    "bench_lstm.py": ([], ["arrays"]),
    "bench_stencil.py": ([], ["stencil"]),
    "bench_loops.py": (["--quick"], ["loops"]),
    "bench_hvp.py": ([], ["hvp"]),
    "bench_checkpoint.py": ([], ["checkpoint"]),
    "bench_overhead.py": ([], ["overhead"]),
    "bench_core.py": ([], ["core"]),
    "bench_disk_cache.py": ([], ["disk_cache"]),
    "bench_first_call.py": ([], ["first_call"]),
}

ENV = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "XLA_FLAGS": "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1",
    "MALLOC_MMAP_THRESHOLD_": "268435456",
    "MALLOC_TRIM_THRESHOLD_": "1073741824",
}

PEERS = ("jax", "autograd")


def run(script: str, quick: bool) -> dict[str, Any]:
    """Run one script; its exit status, seconds and the tail of its error output."""
    args = SCRIPTS[script][0] if quick else []
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / script), *args],
        cwd=HERE,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
    )
    sys.stdout.write(proc.stdout)
    return {
        "script": script,
        "rc": proc.returncode,
        "seconds": time.perf_counter() - t0,
        "stderr": proc.stderr[-2000:],
    }


def load(kind: str) -> Any:
    path = RESULTS / f"{kind}.json"
    return json.loads(path.read_text()) if path.exists() else None


def ms(t: Any) -> str:
    """Seconds shown in ms: 3 decimals, 4 significant digits below 1 ms."""
    if not isinstance(t, (int, float)):
        return ""
    return f"{t * 1e3:.3f}" if t >= 1e-3 else f"{t * 1e3:.4g}"


def ratio(a: Any, b: Any) -> str:
    ok = isinstance(a, (int, float)) and isinstance(b, (int, float)) and b > 0
    return f"{a / b:.2f}x" if ok else ""


def seconds(t: Any) -> str:
    return "" if not isinstance(t, (int, float)) else f"{t:.3g}"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return out + ["| " + " | ".join(r) + " |" for r in rows]


def _times(r: dict) -> dict:
    """A row's times under one naming: bench_loops writes ``objective_s``, the others
    ``objective``."""
    return {k.removesuffix("_s"): v for k, v in r.items()}


def _peer_cell(t: dict, p: str, o: Any, timed: set, notes: dict[str, str]) -> str:
    """A peer's ratio to the objective; ``n/a`` with a note's mark [k] when the peer cannot run
    the problem (or ran it in another form: the ratio and the mark); ``see grad`` when only
    bench_grad.py timed the peer on this problem; blank when the peer was not importable."""
    cell = ratio(t.get(p), o)
    note = t.get(f"{p}_note")
    if isinstance(note, str):
        key = f"{p}: {note}".replace("|", "\\|")
        mark = notes.setdefault(key, f"[{len(notes) + 1}]")
        return f"{cell or 'n/a'} {mark}"
    if not cell and (p, t.get("problem")) in timed:
        return "see grad"
    return cell


def main_table(data: dict[str, Any]) -> list[str]:
    """One line per problem and script: ratios to the objective and to the hand-written
    derivative, the peers' ratios and first calls; then the peers' notes."""
    head = ["problem", "script", "objective ms", "srcad/obj", "hand/obj", "srcad/hand"]
    for p in PEERS:
        head += [f"{p}/obj", f"{p} first call s"]
    head += ["srcad first call ms"]
    grad_rows = (data.get("grad") or {}).get("rows", [])
    timed = {(p, r["problem"]) for r in grad_rows for p in PEERS if p in r}
    rows, notes = [], {}
    for kind in ("grad", "arrays", "stencil", "loops", "jvp"):
        for r in (data.get(kind) or {}).get("rows", []):
            t = _times(r)
            o = t.get("objective")
            cells = [r["problem"], kind, ms(o), ratio(t.get("srcad"), o), ratio(t.get("hand"), o)]
            cells += [ratio(t.get("srcad"), t.get("hand"))]
            for p in PEERS:
                cells += [_peer_cell(t, p, o, timed if kind != "grad" else set(), notes)]
                cells += [seconds(t.get(f"{p}_first_call"))]
            cells += [ms(t.get("srcad_first_call"))]
            rows.append(cells)
    return table(head, rows) + ([""] if notes else []) + [f"{m} {k}" for k, m in notes.items()]


def _kind(key: str) -> str:
    """How a JSON field prints: a ratio, a plain number (MB, us), else seconds shown in ms."""
    if "ratio" in key or "growth" in key or key.endswith("_hand"):
        return "ratio"
    return "plain" if key.endswith(("_mb", "_us")) else "ms"


def _cell(key: str, v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, (bool, int)) or not isinstance(v, float):
        return str(v)
    kind = _kind(key)
    return f"{v:.2f}x" if kind == "ratio" else f"{v:.2f}" if kind == "plain" else ms(v)


def _flatten(prefix: str, obj: Any) -> list[tuple[str, Any]]:
    if isinstance(obj, dict):
        return [kv for k, v in obj.items() for kv in _flatten(f"{prefix}{k}.", v)]
    if isinstance(obj, list):
        return [kv for k, v in enumerate(obj) for kv in _flatten(f"{prefix}{k}.", v)]
    return [(prefix[:-1], obj)]


def generic(obj: Any) -> list[str]:
    """Any script's JSON as tables: a list of flat rows, or a dict of named rows (times in ms)."""
    if isinstance(obj, dict) and "rows" in obj:
        out = generic(obj["rows"])
        for k, v in obj.items():
            if k not in ("rows", "meta") and isinstance(v, list):
                out += ["", f"{k}:", ""] + generic(v)
        return out
    if isinstance(obj, dict) and all(isinstance(v, dict) for v in obj.values()):
        obj = [{"name": k, **{a: b for a, b in v.items() if not isinstance(b, dict)}}
               for k, v in obj.items()]  # fmt: skip
    if not (isinstance(obj, list) and obj and all(isinstance(r, dict) for r in obj)):
        flat = dict(_flatten("", obj))
        return table(
            ["field", "value (times in ms)"],
            [[k, _cell(k.split(".")[-1], v)] for k, v in flat.items()],
        )
    keys = [k for k in obj[0] if not isinstance(obj[0][k], (dict, list))]
    floats = {k for k in keys if isinstance(obj[0][k], float)}
    head = [f"{k} (ms)" if k in floats and _kind(k) == "ms" else k for k in keys]
    rows = [[_cell(k, r.get(k)) for k in keys] for r in obj]
    return table(head, rows)


def environment(data: dict[str, Any]) -> list[str]:
    metas = [d["meta"] for d in data.values() if isinstance(d, dict) and "meta" in d]
    meta = max(metas, key=lambda m: m.get("date", ""), default={})
    dates = sorted({m["date"] for m in metas if "date" in m})
    lines = [
        f"- written: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; scripts run "
        f"{dates[0] + ' to ' + dates[-1] if dates else 'at unrecorded dates'}",
        f"- machine: {meta.get('processor') or platform.processor() or platform.machine()}, "
        f"{meta.get('cpus', os.cpu_count())} CPUs (shared: several processes ran meanwhile)",
        f"- Python {meta.get('python', platform.python_version())}, NumPy {meta.get('numpy', '?')}",
    ]
    for p in PEERS:
        version = next((m[p] for m in metas if p in m), "not importable")
        if version == "?":  # results written before harness.meta read the package's metadata
            version = importlib.metadata.version(p)
        lines.append(f"- {p}: {version}")
    lines.append(
        "- BLAS, XLA: one thread; " + " ".join(f"{k}={v}" for k, v in ENV.items() if "MALLOC" in k)
    )
    return lines


def summary(runs: list[dict[str, Any]]) -> str:
    data = {kind: load(kind) for _, kinds in SCRIPTS.values() for kind in kinds}
    out = ["# Benchmark summary (benchmarks/run_all.py)", ""]
    out += environment(data)
    out += ["", "Times are the best of repeated rounds; read the ratios, not the milliseconds.", ""]
    out += ["## Derivatives against the objective, hand-written code and peers", ""]
    out += [
        "`x/obj`: seconds of one derivative call over one objective call; `srcad/hand`: srcad's "
        "derivative over the hand-written one; first calls include srcad's transform and JAX's "
        "trace and compile. JAX runs `jax.jit(jax.grad(f))` (`jit(jvp)` in the jvp rows) on "
        "the same NumPy code through `jax.numpy`, except the scalar loop (`lax.fori_loop`); "
        "a peer that cannot run a problem's code (JAX arrays are immutable, autograd has no "
        "`x[i] = v`) is `n/a` with a note [k] below the table, and in the stencil rows runs "
        "the step written without assignment (the note says so); `see grad`: bench_lstm.py "
        "times srcad and the hand-written gradient only, the peers are in the grad rows.",
        "",
    ]
    out += main_table(data)
    for kind, obj in data.items():
        if obj is None or kind in ("grad", "arrays", "jvp", "stencil", "loops"):
            continue
        out += ["", f"## {kind} ({kind}.json)", ""] + generic(obj)
    failed = [r for r in runs if r["rc"] != 0]
    if runs:
        out += ["", "## Runs", ""]
        out += table(
            ["script", "exit", "seconds"],
            [[r["script"], str(r["rc"]), f"{r['seconds']:.0f}"] for r in runs],
        )
    for r in failed:
        out += ["", f"{r['script']} failed:", "", "```", r["stderr"].strip(), "```"]
    return "\n".join(out) + "\n"


def main() -> None:
    quick = "--quick" in sys.argv
    only = None
    if "--only" in sys.argv:
        only = {f"bench_{s}.py" for s in sys.argv[sys.argv.index("--only") + 1].split(",")}
    runs = []
    if "--summary-only" not in sys.argv:
        for script in SCRIPTS:
            if only is None or script in only:
                print(f"\n## {script}\n", flush=True)
                runs.append(run(script, quick))
                if runs[-1]["rc"]:
                    print(runs[-1]["stderr"], file=sys.stderr)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / "summary.md"
    path.write_text(summary(runs))
    print(f"\nwrote {path}")


if __name__ == "__main__":
    main()

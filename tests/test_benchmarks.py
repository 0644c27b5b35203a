"""The benchmark scripts' own checks, small: the stencil's gradients (srcad, the hand-written
ones, the functional version the peers run) agree with central differences, and
benchmarks/run_all.py renders a summary from result JSON of every shape the scripts write."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import bench_stencil as st  # noqa: E402
import run_all  # noqa: E402


def _fd(f, u: np.ndarray, k: float, eps: float = 1e-6) -> tuple[np.ndarray, float]:
    bu = np.zeros_like(u)
    for idx in np.ndindex(u.shape):
        up, down = u.copy(), u.copy()
        up[idx] += eps
        down[idx] -= eps
        bu[idx] = (f(up, k) - f(down, k)) / (2 * eps)
    return bu, (f(u, k + eps) - f(u, k - eps)) / (2 * eps)


@pytest.mark.parametrize("name", ["loops", "slices"])
def test_stencil_gradients_agree(name: str) -> None:
    f = getattr(st, f"heat_{name}")
    hand = getattr(st, f"heat_{name}_grad")
    u = np.random.default_rng(3).standard_normal((6, 5))
    assert f(u, st.K) == pytest.approx(st.heat_functional(u, st.K), rel=1e-14)
    bu, bk = srcad.grad(f, wrt=(0, 1))(u, st.K)
    hu, hk = hand(u, st.K)
    np.testing.assert_allclose(bu, hu, rtol=1e-13, atol=1e-14)
    assert bk == pytest.approx(hk, rel=1e-13)
    fu, fk = _fd(f, u, st.K)
    np.testing.assert_allclose(bu, fu, rtol=1e-7, atol=1e-8)
    assert bk == pytest.approx(fk, rel=1e-7)
    # a corner is only copied, an interior cell sends k * out to each neighbour
    out = u.copy()
    out[1:-1, 1:-1] = u[1:-1, 1:-1] + st.K * (
        u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4.0 * u[1:-1, 1:-1]
    )
    assert bu[0, 0] == out[0, 0]
    assert bu[0, 1] == pytest.approx(out[0, 1] + st.K * out[1, 1], rel=1e-15)


def test_summary_renders_every_result_shape(tmp_path, monkeypatch) -> None:
    meta = {"python": "3.11", "numpy": "2.4", "processor": "cpu", "cpus": 2, "date": "D"}
    files = {
        "grad": {"meta": {**meta, "jax": "0.10"}, "rows": [
            {"problem": "MLP", "objective": 1e-3, "srcad": 2e-3, "hand": 1.6e-3, "jax": 5e-4,
             "jax_first_call": 0.75, "srcad_first_call": 0.02},
        ]},
        "loops": {"meta": meta, "rows": [
            {"problem": "fill", "objective_s": 1e-3, "srcad_s": 3e-3, "hand_s": 2e-3,
             "srcad_ratio": 3.0, "peak_mb": 0.5},
        ]},
        "overhead": {"grad(tiny)(x)": {"seconds": 3e-6, "overhead_us": 2.5, "ratio": 8.0}},
        "core": {"lines": 100, "seconds": {"grad": {"best": 0.2}}},
    }  # fmt: skip
    for kind, obj in files.items():
        (tmp_path / f"{kind}.json").write_text(json.dumps(obj))
    monkeypatch.setattr(run_all, "RESULTS", tmp_path)
    text = run_all.summary([{"script": "bench_grad.py", "rc": 1, "seconds": 3.0, "stderr": "E!"}])
    assert "| MLP | grad | 1.000 | 2.00x | 1.60x | 1.25x | 0.50x | 0.75 |" in text
    assert "| fill | loops | 1.000 | 3.00x | 2.00x | 1.50x |" in text
    assert "| grad(tiny)(x) | 0.003 | 2.50 | 8.00x |" in text
    assert "| seconds.grad.best | 200.000 |" in text
    assert "- jax: 0.10" in text and "- autograd: not importable" in text
    assert "bench_grad.py failed" in text and "E!" in text

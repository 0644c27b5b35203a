"""The benchmarks' peer plumbing (benchmarks/harness.py, run_all.py) without JAX or autograd:
a peer that cannot run a problem leaves a note, never a silent blank; a wrong peer derivative
fails; the summary's main table shows the notes and points the arrays rows to the grad rows.

Input: fake peers (plain callables). Output: assertions on the rows and the table's lines.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
_env = dict(os.environ)
import harness  # noqa: E402  (sets BLAS/XLA variables: restored below)
import run_all  # noqa: E402

os.environ.clear()
os.environ.update(_env)


def _cannot():
    raise TypeError("JAX arrays are immutable and do not support in-place item assignment.")


def test_add_peer_notes_a_peer_that_cannot_run_the_code():
    fns, row = {}, {}
    why = harness.add_peer(fns, row, "jax", _cannot, np.ones(3), "fake")
    assert why == "TypeError: JAX arrays are immutable and do not support in-place item assignment."
    assert row == {"jax_note": f"cannot run it: {why}"}
    assert fns == {}


def test_add_peer_times_a_checked_peer_and_refuses_a_wrong_one():
    fns, row = {}, {}
    assert harness.add_peer(fns, row, "autograd", lambda: (np.ones(3),), np.ones(3), "ok") is None
    assert set(fns) == {"autograd"} and row["autograd_first_call"] >= 0.0
    with pytest.raises(AssertionError):
        harness.add_peer({}, {}, "autograd", lambda: np.zeros(3), np.ones(3), "wrong")


def test_main_table_marks_notes_and_points_arrays_rows_to_grad():
    grad = {"problem": "LSTM", "objective": 1.0, "srcad": 3.0, "hand": 2.5, "jax": 10.0,
            "jax_first_call": 2.0, "autograd": 8.0, "autograd_first_call": 0.01}  # fmt: skip
    data = {
        "grad": {"rows": [grad]},
        "arrays": {"rows": [{"problem": "LSTM", "objective": 1.0, "srcad": 3.0, "hand": 2.5}]},
        "loops": {"rows": [{"problem": "fill", "objective_s": 1.0, "srcad_s": 2.0, "hand_s": 2.5,
                            "jax_note": "cannot run it: TypeError: immutable",
                            "autograd_note": "cannot run it: ValueError: sequence"}]},
    }  # fmt: skip
    lines = run_all.main_table(data)
    rows = {(r.split(" | ")[0][2:], r.split(" | ")[1]): r.split(" | ") for r in lines[2:5]}
    assert rows["LSTM", "grad"][6] == "10.00x"
    assert rows["LSTM", "arrays"][6] == "see grad" and rows["LSTM", "arrays"][8] == "see grad"
    assert rows["fill", "loops"][6] == "n/a [1]" and rows["fill", "loops"][8] == "n/a [2]"
    assert lines[-2:] == [
        "[1] jax: cannot run it: TypeError: immutable",
        "[2] autograd: cannot run it: ValueError: sequence",
    ]

"""SRCAD_SHOW_CODE=1 prints the generated code when a derivative raises (issue 12 item 8).

Input: a gradient that fails at run time, with and without the variable. Output checked: stderr
holds the generated code with line numbers and the failing line marked, once; nothing without it.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


def solve_loss(a, b):
    y = np.linalg.solve(a, b)
    return np.sum(y * y)


def test_show_code_prints_numbered_source_with_the_failing_line(monkeypatch, capsys):
    monkeypatch.setenv("SRCAD_SHOW_CODE", "1")
    with pytest.raises(np.linalg.LinAlgError, match="Singular matrix"):
        srcad.grad(solve_loss)(np.zeros((2, 2)), np.ones(2))
    err = capsys.readouterr().err
    assert "srcad: LinAlgError raised at line " in err and "<srcad grad solve_loss" in err
    marked = [line for line in err.splitlines() if line.startswith(">>")]
    assert len(marked) == 1 and "np.linalg.solve(a, b)" in marked[0]
    assert "def grad_solve_loss(a, b):" in err
    numbered = [line for line in err.splitlines() if " | " in line]
    assert [int(line[2:].split("|")[0]) for line in numbered] == list(range(1, len(numbered) + 1))


def test_show_code_off_by_default(monkeypatch, capsys):
    for value in (None, "0"):
        if value is None:
            monkeypatch.delenv("SRCAD_SHOW_CODE", raising=False)
        else:
            monkeypatch.setenv("SRCAD_SHOW_CODE", value)
        with pytest.raises(np.linalg.LinAlgError):
            srcad.grad(solve_loss)(np.zeros((2, 2)), np.ones(2))
        assert capsys.readouterr().err == ""


def test_show_code_in_forward_mode(monkeypatch, capsys):
    monkeypatch.setenv("SRCAD_SHOW_CODE", "1")
    with pytest.raises(np.linalg.LinAlgError):
        srcad.jvp(solve_loss, (np.zeros((2, 2)), np.ones(2)), (np.ones((2, 2)), np.ones(2)))
    err = capsys.readouterr().err
    assert "<srcad jvp solve_loss" in err and "def jvp_solve_loss(a, b, da, db):" in err

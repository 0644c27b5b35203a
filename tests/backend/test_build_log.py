"""The transform log (issue 11 item 4): every transform at DEBUG on ``logging.getLogger("srcad")``,
one slower than `driver.SLOW_SECONDS` (1 s) at INFO, with the function, mode, wrt and time.

Input: a fresh function per test (no cache hit) and the threshold moved instead of a slow
transform (no wall-clock assertion). Output: the records the logger received.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pytest

import srcad
from srcad.backend import driver


def _fresh():
    def loss(x):
        return np.sum(np.sin(x) * x)

    return loss


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "srcad" and "transform" in r.getMessage()]


def test_threshold_is_one_second() -> None:
    assert driver.SLOW_SECONDS == 1.0
    assert driver.LOG is logging.getLogger("srcad")


def test_slow_transform_is_logged_at_info(monkeypatch, caplog) -> None:
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    monkeypatch.setattr(driver, "SLOW_SECONDS", -1.0)  # every transform counts as slow
    with caplog.at_level(logging.INFO, logger="srcad"):
        srcad.grad(_fresh())(np.ones(3))
    (rec,) = _records(caplog)
    assert rec.levelno == logging.INFO
    assert re.fullmatch(r"transform .*loss \(grad, wrt=\(0,\)\): \d+\.\d ms", rec.getMessage())


def test_fast_transform_is_debug_only(monkeypatch, caplog) -> None:
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    monkeypatch.setattr(driver, "SLOW_SECONDS", 1e9)
    with caplog.at_level(logging.INFO, logger="srcad"):
        srcad.grad(_fresh())(np.ones(3))
    assert _records(caplog) == []
    with caplog.at_level(logging.DEBUG, logger="srcad"):
        srcad.jvp(_fresh(), (np.ones(3),), (np.ones(3),))
    (rec,) = _records(caplog)
    assert rec.levelno == logging.DEBUG and "(jvp, wrt=(0,))" in rec.getMessage()

"""Adversarial review (session 44, sound44) of session 43's lowering: wrong values found.

- Wrong value: ``with m():`` on a ``contextlib.contextmanager`` generator whose ``try`` around
  the ``yield`` catches the exception the body raises (``except ZeroDivisionError: pass``), or on
  a class whose ``__exit__`` is a lambda returning True: Python leaves the body at the raise and
  goes on after the block; the lowered body has no such exit, and the raising statement, its
  value dead, was dropped: the statements after it ran (70.0 where Python gives 1.4). Such
  managers are refused now (lower/withs.py), as ``with`` was before them.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest

import srcad


@contextmanager
def swallowing():
    try:
        yield
    except ZeroDivisionError:
        pass


@contextmanager
def cleaning(log):
    try:
        yield
    finally:
        log.append(1)


class LambdaExit:
    def __enter__(self):
        return self

    __exit__ = lambda self, *exc: True  # noqa: E731


def through_swallowing(x):
    y = x
    with swallowing():
        y = x * 2.0
        z = 1 / 0  # noqa: F841
        y = x * 100.0
    return y


def through_lambda_exit(x):
    y = x
    with LambdaExit():
        y = x * 2.0
        z = 1 / 0  # noqa: F841
        y = x * 100.0
    return y


@pytest.mark.parametrize("f", [through_lambda_exit])  # (through_swallowing: test_idiom48.py)
def test_swallowing_manager_refused(f):
    assert f(0.7) == pytest.approx(1.4)
    with pytest.raises(srcad.SrcadError, match="with"):
        srcad.grad(f)(0.7)


def through_finally(x):
    log = []
    with cleaning(log):
        y = x * x
    return y + len(log)


def test_finally_manager_still_lowered():
    assert srcad.grad(through_finally)(0.7) == pytest.approx(1.4)
    assert srcad.value_and_grad(through_finally)(0.7)[0] == pytest.approx(0.49 + 1)

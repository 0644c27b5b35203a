"""Helpers for the pass unit tests: a Python function -> its lowered IR (no pass run yet) -> text.

`lower(f)` lowers `f` exactly as srcad does before any optimization (`lower_function`); `text(fn)`
prints it with `srcad.ssa.printer` minus the ``# line N`` comments, so the expected IR written in a
test does not change when lines are added above it; `block(s)` dedents an expected text written
inline. `run(pass_, f)` lowers `f`, runs one pass alone and returns the text before, the text after
and the pass's "changed" flag, after checking the result with the IR verifier. `PassCase` and
`check_case` make a table of such cases; `assert_located` checks where a refusal points.
"""

from __future__ import annotations

import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from srcad.errors import SrcadError
from srcad.lower.lower import lower_function
from srcad.ssa.core import Function
from srcad.ssa.printer import format_function
from srcad.ssa.verify import verify

_LINE_COMMENT = re.compile(r"\s*# line \d+$", re.MULTILINE)


def lower(f: Callable[..., Any]) -> Function:
    """The IR of `f` as the lowering gives it: before the mutation check and any optimization."""
    return lower_function(f)


def text(fn: Function) -> str:
    """The printed IR of `fn` without line comments."""
    return _LINE_COMMENT.sub("", format_function(fn)).strip()


def block(s: str) -> str:
    """An expected IR text written as an indented triple-quoted string."""
    return textwrap.dedent(s).strip()


def run(pass_: Callable[[Function], bool], f: Callable[..., Any]) -> tuple[str, str, bool]:
    """(IR before, IR after, what the pass returned) for `pass_` run once on the lowered `f`."""
    fn = lower(f)
    before = text(fn)
    changed = pass_(fn)
    errors = verify(fn)
    assert not errors, "\n".join(str(e) for e in errors) + "\n" + text(fn)
    return before, text(fn), changed


@dataclass(frozen=True)
class PassCase:
    """One unit case of a pass: `fn` lowered, the pass run alone, the IR expected before and after
    (`after` None: the pass must leave the IR unchanged and report no change)."""

    fn: Callable[..., Any]
    before: str
    after: str | None = None

    @property
    def id(self) -> str:
        return self.fn.__name__


def check_case(pass_: Callable[[Function], bool], case: PassCase) -> None:
    """Run `pass_` on `case.fn` and compare the IR before and after with the pinned texts."""
    before, after, changed = run(pass_, case.fn)
    assert before == block(case.before), f"lowering changed:\n{before}"
    expected = block(case.after if case.after is not None else case.before)
    assert after == expected, f"after {pass_.__name__}:\n{after}"
    assert changed == (case.after is not None)


def assert_located(err: SrcadError, fn: Callable[..., Any], offset: int, needle: str) -> None:
    """`err` points at line `offset` of `fn` (0: the `def` line), at the column where `needle`
    starts, and quotes that line with a caret under the column."""
    lines, start = inspect.getsourcelines(fn)
    text = lines[offset].rstrip("\n")
    col = text.index(needle)
    assert (err.filename, err.line, err.col) == (inspect.getsourcefile(fn), start + offset, col), (
        str(err)
    )
    msg = str(err).splitlines()
    assert msg[1:3] == [
        "    " + text.strip(),
        "    " + " " * (col - (len(text) - len(text.lstrip()))) + "^",
    ], str(err)


def line_of(fn: Callable[..., Any], offset: int) -> int:
    """The file line number of line `offset` of `fn` (0: the `def` line)."""
    return inspect.getsourcelines(fn)[1] + offset

"""Command line: ``srcad dump FILE.py:FUNC [--stage STAGE] [--mode MODE] [--wrt x[,y]] [--args EXPRS]
[--standalone]``.

Input: a Python file and the name of a function in it. Output on stdout: the generated Python
source of one transform (``--stage py``, the default), the function's SSA IR (``--stage ir``), or
what any stage of the build driver produced (``--stage transform``: the IR of the generated
functions; the stages are `srcad.backend.driver.STAGE_NAMES`)::

    $ srcad dump examples/quickstart.py:loss --mode jvp
    def jvp_loss(w, dw):
        ...

Errors (a missing file or function, anything srcad refuses) are a message on stderr and exit code 2.
What the user's module prints while it is imported goes to stderr, so stdout holds only the dump.
``--standalone`` prints a module that runs when pasted alone (`srcad.backend.standalone`).
``--args "np.ones(3), 2.0"`` gives example arguments (Python expressions evaluated with the file's
globals, ``np`` and ``math``): the source is the one specialized for their types, as the calls
with such arguments run it (``srcad.source(f, args=...)``); without, the generic version.
``srcad --version`` prints the version. ``srcad cache info|clear`` shows or empties the disk
cache of generated code (`srcad.backend.disk`).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import inspect
import math
import os
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

from srcad import __version__
from srcad.api import ir, source
from srcad.backend import disk
from srcad.backend.driver import STAGE_NAMES, Mode
from srcad.errors import SrcadError

MODES = (*(m.value for m in Mode), "hessian", "hvp")  # the last two: forward over reverse
# shorthands: the primal IR (srcad.ir), the generated source (srcad.source)
ALIASES = {"ir": "the SSA IR of the function", "py": "the generated source (default)"}


class CliError(Exception):
    """A user error reported as one line on stderr."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="srcad", description="Source-transformation automatic differentiation for Python."
    )
    p.add_argument("--version", action="version", version=f"srcad {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("dump", help="print the IR or the generated source of a function")
    d.add_argument("target", metavar="FILE.py:FUNC", help="a Python file and a function in it")
    d.add_argument(
        "--stage",
        choices=(*ALIASES, *STAGE_NAMES),
        default="py",
        metavar="STAGE",
        help="what to print: "
        + "; ".join(f"{k}: {v}" for k, v in ALIASES.items())
        + "; or the output of a build stage, one of: "
        + ", ".join(STAGE_NAMES),
    )
    d.add_argument("--mode", choices=MODES, default="grad", help="the transform to build")
    d.add_argument("--wrt", default="0", help="parameters to differentiate: names or positions")
    d.add_argument(
        "--standalone",
        action="store_true",
        help="print a module that runs alone (imports, values and helpers it reads)",
    )
    d.add_argument(
        "--args",
        metavar="EXPRS",
        help='example arguments, e.g. "np.ones(3), 2.0" (with the file\'s globals, np and math):'
        " the code specialized for their types",
    )
    c = sub.add_parser("cache", help="the disk cache of generated code: info, clear")
    c.add_argument("action", choices=("info", "clear"))
    return p


def cache_command(action: str) -> str:
    """``srcad cache info``: where the disk cache is and what it holds; ``clear``: empty it."""
    if action == "clear":
        return f"removed {disk.clear()} entries"
    i = disk.info()
    state = "on" if i["enabled"] else "off (SRCAD_NO_DISK_CACHE)"
    lines = [f"directory: {i['directory']}", f"state: {state}", f"entries: {i['entries']}"]
    return "\n".join([*lines, f"bytes: {i['bytes']}"])


def load_function(target: str) -> Any:
    """``"path/to/file.py:name"`` -> the function object (attribute paths like ``Cls.meth`` work)."""
    path_text, sep, qualname = target.rpartition(":")
    if not sep or not path_text or not qualname:
        raise CliError(f"expected FILE.py:FUNC, got {target!r}")
    path = Path(path_text)
    if not path.is_file():
        raise CliError(f"no such file: {path_text}")
    path = path.resolve()
    name = re.sub(r"\W", "_", path.stem) or "_module"
    if name[0].isdigit():
        name = "_" + name
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CliError(f"cannot import {path_text}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:  # the module's top-level prints must not mix with the dump on stdout
        with contextlib.redirect_stdout(sys.stderr):
            spec.loader.exec_module(module)
    except SrcadError:
        raise
    except BaseException as e:  # the user's module failed at import time
        if isinstance(e, KeyboardInterrupt):
            raise
        raise CliError(f"importing {path_text} failed: {type(e).__name__}: {e}") from None
    obj: Any = module
    for part in qualname.split("."):
        if not hasattr(obj, part):
            raise CliError(f"{path_text} has no function `{qualname}`")
        obj = getattr(obj, part)
    if not callable(obj):
        raise CliError(f"`{qualname}` in {path_text} is not a function")
    return obj


def parse_wrt(text: str) -> int | str | tuple[int | str, ...]:
    """``"0"`` -> 0, ``"x"`` -> "x", ``"x,1"`` -> ("x", 1)."""
    items: list[int | str] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            raise CliError(f"bad --wrt value {text!r}")
        items.append(int(part) if re.fullmatch(r"-?\d+", part) else part)
    return items[0] if len(items) == 1 else tuple(items)


def example_args(text: str, fn: Any) -> tuple:
    """``"np.ones(3), 2.0"`` -> ``(array([1., 1., 1.]), 2.0)``: Python expressions evaluated with
    `fn`'s module globals, ``np`` and ``math``."""
    ns = {"np": np, "math": math, **getattr(fn, "__globals__", {})}
    try:
        with contextlib.redirect_stdout(sys.stderr):
            given = tuple(eval(f"({text},)", ns))  # noqa: S307 (the user's own command line)
    except Exception as e:
        raise CliError(f"bad --args {text!r}: {type(e).__name__}: {e}") from None
    try:
        inspect.signature(fn).bind(*given)
    except TypeError as e:
        raise CliError(f"--args {text!r} do not fit `{fn.__qualname__}`: {e}") from None
    except ValueError:  # no signature to check: the transform's binding reports
        pass
    return given


def dump(args: argparse.Namespace) -> str:
    alone = getattr(args, "standalone", False)
    if alone and args.stage != "py":
        raise CliError("--standalone prints the generated source: use it without --stage")
    example = getattr(args, "args", None)
    if example is not None and args.stage == "ir":
        raise CliError("--stage ir prints the function's generic IR: use --args without it")
    fn = load_function(args.target)
    if args.stage == "ir":
        return ir(fn)
    given = None if example is None else example_args(example, fn)
    stage = None if args.stage == "py" else args.stage
    if args.mode == "primal":
        return source(fn, mode="primal", args=given, stage=stage, standalone=alone)
    wrt = parse_wrt(args.wrt)
    return source(fn, mode=args.mode, wrt=wrt, args=given, stage=stage, standalone=alone)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``srcad`` console script and of ``python -m srcad``."""
    args = _parser().parse_args(argv)
    try:
        text = cache_command(args.action) if args.command == "cache" else dump(args)
    except SrcadError as e:
        print(str(e), file=sys.stderr)
        return 2
    except CliError as e:
        print(f"srcad: error: {e}", file=sys.stderr)
        return 2
    except (ImportError, NotImplementedError) as e:  # e.g. a transform that is not available
        print(f"srcad: error: {type(e).__name__}: {e}", file=sys.stderr)
        return 2
    try:
        print(text.rstrip("\n"))
        sys.stdout.flush()
    except BrokenPipeError:  # `srcad dump ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # as the Python docs advise
    return 0

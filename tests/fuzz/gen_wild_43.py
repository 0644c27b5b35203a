"""Random programs over session 42's features (``--grammar wild43``).

Input: a decision source (`choice.Rand`). Output: a `gen.Program`: a module with a drawn prelude
of classes, generators and helpers (tests/fuzz/gen_wild_43p.py) and a function ``f`` of a float
vector ``(n,)``, then a second vector, a Python float, an ``np.float64``, a 0-d array and, some
of the time, a dict ``params`` (keys ``scale``, ``shift``), whose body chains blocks
(tests/fuzz/gen_wild_43b.py, gen_wild_43c.py): lists, tuples and dicts of objects rebuilt in
loops, NamedTuple items with ``min``/``sorted`` keys, an accumulator ``+=`` returning self,
cached ``@property`` getters, ufuncs handed to methods, ``enumerate(zip(gen(..), gen(..)))`` and
``islice``, ``**opts``, ``for k in params: params[k] = ...``, ``isinstance`` of the arguments,
entries never read through gathers (NaN there), with for/while loops that break, branches on
data, early returns, and array/scalar arithmetic; it returns a scalar loss.

A candidate block is kept only when the body so far runs at the example point and at that point
moved by +-`gen_wild.STEP` along two random directions stays smooth (`gen_wild.smooth`), every
float local but the ``bad*`` ones (NaN entries on purpose) finite.
"""

from __future__ import annotations

import copy
import warnings
from typing import Any

import numpy as np

from .gen import Program
from .gen_wild import STEP, smooth
from .gen_wild_43b import Blocks43a
from .gen_wild_43c import Blocks43b
from .gen_wild_43p import HEADER, prelude
from .gen_wild_calls import Reject

BOUND = 1e3
SNAP = """

def _SNAP(loc):
    out = {}
    for k, v in loc.items():
        if k.startswith("bad"):
            continue
        if isinstance(v, (float, int, np.ndarray, np.floating)):
            out[k] = np.array(v, dtype=float) if not isinstance(v, np.ndarray) else v.copy()
    return out
"""


class Gen43(Blocks43a, Blocks43b):
    """One program per instance; `program()` builds it."""

    def __init__(self, r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> None:
        self.r, self.exclude, self.size = r, exclude, size
        self.features: set[str] = set()
        self.trial: set[str] = set()
        self.counter = 0
        self.lines: list[str] = []
        self.env: dict[str, Any] = {}
        self.n = r.pick([2, 3, 3, 4, 5])
        self.pre = prelude(r)
        self.done = False  # an early return taken: no block after it

    def use(self, f: str) -> None:
        self.trial.add("w43_" + f)

    def fresh(self, p: str = "v") -> str:
        self.counter += 1
        return f"{p}{self.counter}"

    # -- the variables at hand ------------------------------------------------------------------

    def vecs(self) -> list[str]:
        return [
            k
            for k, v in self.env.items()
            if np.shape(v) == (self.n,) and (k in self.types or k.startswith("a"))
        ]

    def scalars(self) -> list[str]:
        return [
            k
            for k, v in self.env.items()
            if np.ndim(v) == 0 and (k in self.types or k.startswith("s"))
        ]

    # -- arguments ------------------------------------------------------------------------------

    def make_args(self) -> None:
        r, n = self.r, self.n
        x0 = np.array([r.normal() for _ in range(n)])
        args: list[Any] = [x0, np.array([r.normal() for _ in range(n)])]
        params = ["x0", "x1"]
        kinds = ["vec", "vec"]
        for kd in r.pick([["float"], ["f64"], ["0d"], ["float", "f64"], ["float", "0d"], []]):
            v = round(r.normal(), 3) or 0.5
            args.append({"float": float(v), "f64": np.float64(v), "0d": np.array(v)}[kd])
            params.append(f"x{len(params)}")
            kinds.append(kd)
            self.features.add("w43_arg_" + kd)
        if r.chance(0.35):
            sc = float(r.normal()) if r.chance(0.5) else np.array([r.normal() for _ in range(n)])
            args.append({"scale": sc, "shift": float(r.normal())})
            params.append("params")
            kinds.append("dict")
            self.features.add("w43_arg_dict")
        self.args, self.params, self.kinds = tuple(args), params, kinds
        self.types = {p: k for p, k in zip(params, kinds)}
        self.wrt = tuple(range(len(args)))
        self.env = {p: copy.deepcopy(a) for p, a in zip(params, args) if not isinstance(a, dict)}

    # -- running candidates ---------------------------------------------------------------------

    def source(self, lines: list[str], ret: str, snap: bool = False) -> str:
        body = "\n".join(lines + [ret])
        return f"{HEADER}{self.pre}{SNAP if snap else ''}\n\ndef f({', '.join(self.params)}):\n{body}\n"

    def call(self, src: str, args: tuple) -> Any:
        ns: dict[str, Any] = {}
        a = copy.deepcopy(args)
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            exec(compile(src, "<wild43>", "exec"), ns)  # noqa: S102 - our own program
            out = ns["f"](*a)
        vals = out.values() if isinstance(out, dict) else [out]
        for leaf in vals:
            x = np.asarray(leaf, dtype=float)
            if x.size and not (np.all(np.isfinite(x)) and float(np.max(np.abs(x))) < BOUND):
                raise Reject("not finite or too large")
        return out

    def moved(self, t: float, v: list) -> tuple:
        out = []
        for a, d in zip(self.args, v):
            if isinstance(a, dict):
                out.append({k: (type(x)(x + t * d[k]) if isinstance(x, float) else x + t * d[k])
                            for k, x in a.items()})  # fmt: skip
            elif isinstance(a, float):
                out.append(type(a)(a + t * d))
            else:
                out.append(a + t * d)
        return tuple(out)

    def direction(self, rng: np.random.Generator) -> list:
        return [
            {k: rng.standard_normal(np.shape(x)) for k, x in a.items()}
            if isinstance(a, dict)
            else rng.standard_normal(np.shape(a))
            for a in self.args
        ]

    def accept(self, lines: list[str], ret: str, snap: bool = True) -> Any:
        """The body's result at the example point, or `Reject` (fails, or not smooth there)."""
        src = self.source(lines, ret, snap)
        try:
            base = self.call(src, self.args)
            rng = np.random.default_rng(len(lines))
            for _ in range(2):
                v = self.direction(rng)
                plus, minus = (self.call(src, self.moved(t, v)) for t in (STEP, -STEP))
                if not smooth(base, plus, minus):
                    raise Reject("not smooth")
        except Reject:
            raise
        except Exception as e:  # noqa: BLE001 - any failure rejects the candidate
            raise Reject(f"{type(e).__name__}: {e}") from None
        return base

    def try_block(self, tries: int = 8) -> None:
        for _ in range(tries):
            self.trial = set()
            counter, env = self.counter, dict(self.env)
            try:
                new = self.block()
                res = self.accept(self.lines + new, "    return _SNAP(locals())")
            except Reject:
                self.counter, self.env = counter, env
                continue
            self.lines += new
            self.features |= self.trial
            self.env = {k: (float(v) if np.ndim(v) == 0 else v) for k, v in res.items()}
            return

    # -- the program ----------------------------------------------------------------------------

    def program(self) -> Program:
        self.make_args()
        for _ in range(self.r.int(2, max(3, self.size // 2))):
            self.try_block()
        ret = self.output()
        if self.r.chance(0.25):
            self.early_return(ret)
        for _ in range(6):
            try:
                self.accept(self.lines, ret, snap=False)
                break
            except Reject:
                ret = self.output(simple=True)
        src = self.source(self.lines, ret)
        return Program(src, self.args, tuple(self.kinds), self.wrt, "f", self.features)

    def output(self, simple: bool = False) -> str:
        r = self.r
        local = [k for k in self.env if k not in self.params and k[0] in "as" and k[1:].isdigit()]
        live = local[-4:] if local else ["x0"]
        if simple:
            return f"    return float(np.sum({r.pick(live)}))"
        terms = [
            r.pick(["np.sum({0} ** 2)", "np.sum(np.sin({0}))", "np.sum({0})"]).format(k)
            for k in live
        ]
        return f"    return {' + '.join(terms)}"

    def early_return(self, ret: str) -> None:
        """``if <data> > t: return <other loss>`` before the last return (taken or not)."""
        r = self.r
        names = self.scalars() or ["x0[0]"]
        c = r.pick(names)
        try:
            val = float(np.asarray(eval(c, {"np": np}, dict(self.env))))  # noqa: S307
        except Exception:  # noqa: BLE001
            return
        t = round(val + r.pick([-0.5, 0.5]), 3)
        other = f"np.sum(np.tanh({r.pick(self.vecs() or ['x0'])})) * {c}"
        new = [f"    if {c} > {t}:", f"        return {other}"]
        try:
            self.accept(self.lines + new, ret, snap=False)
        except Reject:
            return
        self.lines += new
        self.features.add("w43_early_return" + ("_taken" if val > t else ""))


def generate43(r: Any, exclude: frozenset[str] = frozenset(), size: int = 8) -> Program:
    """One program of session 42's features combined (see the module docstring)."""
    p = Gen43(r, exclude, size).program()
    p.features |= {"wild43"}
    return p

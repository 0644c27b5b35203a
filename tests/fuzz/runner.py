"""Run many generated programs and summarise: the engine behind the campaign and the pytest run.

Input: a count, a first seed, the feature flags to leave out of generation (`KNOWN_OPEN`).
Output: a `Report`: per-program outcomes tallied by status, wrong results by property, crashes
and refusals by (normalised) reason, with the failing programs kept for printing. With
``order=2`` each program that passed its first-order check is also checked at second order
(`oracle2.check2`: Hessian-vector products), tallied in the report's `second` report.
"""

from __future__ import annotations

import collections
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

import srcad

from . import (
    gen_api,
    gen_arrays,
    gen_idioms,
    gen_users,
    gen_wild,
    gen_wild_38,
    gen_wild_43,
    gen_wild_44,
    gen_wild_45,
    gen_wild_46,
    gen_wild_47,
    gen_wild_48,
    gen_wild_49,
    gen_wild_50,
    gen_wild_50f,
    gen_wild_51f,
    gen_wild_52f,
)
from .choice import Rand
from .gen import Program, generate
from .oracle import Outcome, check
from .oracle2 import check2

# Feature flags that hit open srcad bugs (finding ids in tests/regressions/test_fuzz_found.py and
# /tmp/fuzz_findings.md). The in-suite run leaves them out of generation, and a program whose plain
# Python run shows one of the side effects below counts as `known`, not `wrong`. Remove a flag when
# its finding is fixed.
KNOWN_OPEN: dict[str, str] = {
    "w50_nan_open": "NaN gradient: nansum of a helper's product with NaN data; a loop skipping NaNs",
}

NEAR = 0.05  # a passed check whose error is above this fraction of its tolerance: a near miss

# The program generators, by name (`python -m tests.fuzz --grammar NAME`): gen.py's control-flow
# programs on two fixed shapes, gen_arrays.py's shape and NumPy-semantics programs, gen_users.py's
# users' idioms, gen_api.py's chains of NumPy calls with their argument variants, gen_idioms.py's
# control flow and NumPy idioms of users' code the others do not write; gen_wild.py's deep random
# expression trees and statements, written apart from srcad's features (``wild30``: the same drawing
# mostly gen_wild_30.py's forms; ``wild32``: mostly gen_wild_32.py's; ``wild33``: mostly
# gen_wild_33.py's; ``wild34``: mostly gen_wild_34.py's; ``wild35``: mostly gen_wild_35.py's,
# Python scalar code mixed with arrays; ``wild37``: mostly gen_wild_37.py's, features combined;
# ``wild38``: gen_wild_38.py's typed, shape-directed expression grammar over NumPy arrays;
# ``wild43``: gen_wild_43.py's blocks of session 42's features: objects rebuilt in loops,
# NamedTuple items, generators in comprehensions, **opts, dict arguments, isinstance, gathers;
# ``wild44``: gen_wild_44.py's blocks of session 43's features mixed with older ones: n-body
# lists shared and written in place, torch-style modules, compose/reduce, getattr, with, except-as,
# statistics, einsum subscripts handed to a helper, sorted(set(..)), dicts of arrays in loops);
# ``wild45``: gen_wild_45.py's blocks of session 44's features: argument items updated with op=,
# ``**`` of run-time dicts, getattr with run-time method names, itertools pair loops, with on
# swallowing managers, squares of magnitudes at 0; ``wild46``: gen_wild_46.py's blocks of session
# 45's features: copies of objects built here, dict comprehensions of objects, nested defs writing
# fields, next(g) then the rest, bound methods as values, super().prop, permutations without r,
# Counter, unused ops that may raise, factors' cotangents from products, even functions at 0;
# ``wild47``: gen_wild_47.py's blocks of session 46's features: scaled squares of magnitudes,
# roots of sums of squares, transposed products in loops, raising helpers in try, withs;
# ``wild48``: gen_wild_48.py's blocks of session 47's features: nested lru_cache functions,
# iterator classes, as_strided windows, lists rebound as slices, gathered rows updated in place,
# hoisted index ops, objects made here, next/max defaults, even functions of magnitudes;
# ``wild49``: gen_wild_49.py's blocks of session 48's features: A[i][j] loops, roots of variances,
# convergence loops, lfilter zi/filtfilt, cached functions, errstate loops, flag magnitudes;
# ``wild50f``: gen_wild_50f.py's blocks of session 49's lowering and alias code: nested lists
# written at depth, A[i][j][k], list lengths, partial/getters, star calls, next(g, d), errstate.
# ``wild50``: gen_wild_50.py's blocks of session 49's features: magnitudes at exact zeros, NaN data
# through NaN-skipping reductions, roots of variances of derived classes, loop matrix products.
# ``wild51f``: gen_wild_51f.py's blocks of session 50's first-order code: products with an inf
# or a huge entry no read reaches, helpers updating temporaries, item writes in try, del/pop,
# repeated lists, lfilter along axis 0 with zi.
# ``wild52f``: gen_wild_52f.py's blocks of session 51's first-order code: functions chosen at run
# time, helpers' results masked, infinities written in helpers, products with an inf operand,
# element writes, repeated lists of NumPy/bool counts, del then reads, next past the end.
GRAMMARS = {
    "control": generate,
    "arrays": gen_arrays.generate,
    "users": gen_users.generate,
    "api": gen_api.generate,
    "idioms": gen_idioms.generate,
    "wild": gen_wild.generate,
    "wild30": gen_wild.generate30,
    "wild32": gen_wild.generate32,
    "wild33": gen_wild.generate33,
    "wild34": gen_wild.generate34,
    "wild35": gen_wild.generate35,
    "wild37": gen_wild.generate37,
    "wild38": gen_wild_38.generate38,
    "wild43": gen_wild_43.generate43,
    "wild44": gen_wild_44.generate44,
    "wild45": gen_wild_45.generate45,
    "wild46": gen_wild_46.generate46,
    "wild47": gen_wild_47.generate47,
    "wild48": gen_wild_48.generate48,
    "wild49": gen_wild_49.generate49,
    "wild50f": gen_wild_50f.generate50f,
    "wild50": gen_wild_50.generate50,
    "wild51f": gen_wild_51f.generate51f,
    "wild52f": gen_wild_52f.generate52f,
}


@dataclass
class Failure:
    seed: int
    program: Program
    outcome: Outcome

    def describe(self) -> str:
        o = self.outcome
        args = "\n".join(f"    arg {k}: {a!r}" for k, a in enumerate(self.program.args))
        return (
            f"--- seed {self.seed}: {o.status} ({o.prop or o.reason})\n{o.detail or o.reason}\n"
            f"program (features {sorted(self.program.features)}):\n{self.program.source}\n"
            f"arguments:\n{args}\n"
        )


@dataclass
class Report:
    n: int = 0
    status: collections.Counter = field(default_factory=collections.Counter)
    wrong_by_prop: collections.Counter = field(default_factory=collections.Counter)
    crashes: collections.Counter = field(default_factory=collections.Counter)
    refusals: collections.Counter = field(default_factory=collections.Counter)
    invalid: collections.Counter = field(default_factory=collections.Counter)
    features: collections.Counter = field(default_factory=collections.Counter)
    fd_untrusted: int = 0
    example: dict[str, int] = field(default_factory=dict)  # a refusal reason's first seed
    near: list[tuple[float, int]] = field(default_factory=list)  # (error / tolerance, seed)
    worst: tuple[float, int] = (0.0, 0)  # the largest error / tolerance of a passed program
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    second: Report | None = None  # the second-order outcomes (`run(order=2)`)

    def add(self, seed: int, p: Program, o: Outcome, known: Iterable[str] = ()) -> None:
        self.n += 1
        status = o.status
        if status in ("wrong", "crash") and set(known) & (p.features | o.effects):
            status = "known"
        self.status[status] += 1
        self.features.update(p.features)
        self.fd_untrusted += not o.fd_trusted and status not in ("invalid", "skipped")
        if status == "wrong":
            self.wrong_by_prop[o.prop] += 1
        elif status == "crash":
            self.crashes[o.reason] += 1
        elif status == "refused":
            self.refusals[o.reason] += 1
            self.example.setdefault(o.reason, seed)
        elif status == "invalid":
            self.invalid[o.reason[:100]] += 1
        if status in ("wrong", "crash"):
            self.failures.append(Failure(seed, p, o))
        if status == "ok":
            self.worst = max(self.worst, (o.margin, seed))
            if o.margin > NEAR:
                self.near.append((o.margin, seed))

    def merge(self, other: Report) -> None:
        self.n += other.n
        for name in ("status", "wrong_by_prop", "crashes", "refusals", "invalid", "features"):
            getattr(self, name).update(getattr(other, name))
        self.fd_untrusted += other.fd_untrusted
        self.near += other.near
        self.worst = max(self.worst, other.worst)
        for r, s in other.example.items():
            self.example.setdefault(r, s)
        self.failures += other.failures
        self.seconds += other.seconds
        if other.second is not None:
            if self.second is None:
                self.second = Report()
            self.second.merge(other.second)

    def text(self, max_failures: int = 3) -> str:
        n = max(self.n, 1)
        pct = lambda k: f"{k:6d}  {100.0 * k / n:5.1f}%"  # noqa: E731
        lines = [
            f"programs run: {self.n} in {self.seconds:.1f} s ({1000 * self.seconds / n:.1f} ms each)"
        ]
        for s in ("ok", "refused", "wrong", "crash", "known", "invalid"):
            lines.append(f"  {s:8s}{pct(self.status[s])}")
        if self.status["skipped"]:
            lines.append(f"  {'skipped':8s}{pct(self.status['skipped'])}  (not a scalar output)")
        lines.append(
            f"  finite differences not trusted (kinks near the point): {self.fd_untrusted}"
        )
        worst = sorted(self.near, reverse=True)[:5]
        lines.append(
            f"  near misses (a passed check's error > {NEAR} of its tolerance): {len(self.near)}"
            + "".join(f"; {m:.2f} (seed {s})" for m, s in worst)
            + f"; the largest error / tolerance passed: {self.worst[0]:.2g} (seed {self.worst[1]})"
        )
        lines.append("wrong, by property:" + ("" if self.wrong_by_prop else " none"))
        lines += [f"  {pct(k)}  {p}" for p, k in self.wrong_by_prop.most_common()]
        lines.append("crashes:" + ("" if self.crashes else " none"))
        lines += [f"  {pct(k)}  {r}" for r, k in self.crashes.most_common()]
        lines.append("refusals, by reason:")
        lines += [
            f"  {pct(k)}  (seed {self.example.get(r)}) {r}" for r, k in self.refusals.most_common()
        ]
        if self.invalid:
            lines.append("invalid programs (generator problems), by reason:")
            lines += [f"  {pct(k)}  {r}" for r, k in self.invalid.most_common()]
        lines.append(
            "features generated: " + ", ".join(f"{f} {k}" for f, k in sorted(self.features.items()))
        )
        for fl in self.failures[:max_failures]:
            lines.append(fl.describe())
        if self.second is not None:
            lines.append("\nSECOND ORDER (hvp), programs that passed the first-order check:")
            lines.append(self.second.text(max_failures))
        return "\n".join(lines)


def run(
    n: int,
    seed: int = 0,
    exclude: Iterable[str] = KNOWN_OPEN,
    known: Iterable[str] = KNOWN_OPEN,
    size: int = 8,
    clear_every: int = 200,
    order: int = 1,
    grammar: str = "control",
) -> Report:
    """Generate and check `n` programs from seeds `seed`, `seed + 1`, ...; one `Report` (with
    `order=2`, its `second` report tallies the second-order checks; `grammar`: which generator)."""
    exclude, known = frozenset(exclude), frozenset(known)
    rep = Report()
    if order >= 2:
        rep.second = Report()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="srcad_fuzz_") as tmp:
        for k in range(n):
            s = seed + k
            p = GRAMMARS[grammar](Rand(s), exclude, size)
            p.seed = s
            o = check(p, tmp, s)
            rep.add(s, p, o, known)
            if rep.second is not None and o.status == "ok":
                t2 = time.perf_counter()
                rep.second.add(s, p, check2(p, tmp, s), known)
                rep.second.seconds += time.perf_counter() - t2
            if (k + 1) % clear_every == 0:
                clear_caches()
    clear_caches()
    rep.seconds = time.perf_counter() - t0
    return rep


def clear_caches() -> None:
    """Drop compiled transforms and lowered IR of programs already checked (memory)."""
    srcad.cache_clear()
    try:
        from srcad.ad import callees

        callees._lowered.clear()
    except (ImportError, AttributeError):
        pass

"""The build driver (srcad/backend/driver.py): stages, Request/Spec, verify mode, the one key of a
generated function and the merging of generated duplicates."""

from __future__ import annotations

import ast
import gc
import linecache
import math
import weakref
from pathlib import Path

import numpy as np
import pytest

import srcad
from srcad.backend import driver
from srcad.backend.driver import STAGE_NAMES, STAGES, Mode, Request, Spec, build, spec_of, text
from srcad.cli import main
from srcad.ssa.core import Op, Var
from srcad.ssa.verify import IRVerifyError, enabled, verify


def fd(f, x: float, eps: float = 1e-6) -> float:
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def rec(x, n):
    if n <= 0:
        return x
    return rec(x * 1.5, n - 1) + x


def rec_view(x, n):
    y = x * 1.0
    v = y[0]
    y[0] = 5.0
    s = np.sum(v * x[0])
    if n <= 0:
        return s
    return s + rec_view(np.outer(x, x), n - 1)


def loop_and_call(x, n):
    s = 0.0
    for i in range(n):
        s = s + rec(x, i) * np.sin(x)
    return s


def _make(k):
    def scaled(x):
        return x * k

    return scaled


scale2, scale3 = _make(2.0), _make(3.0)


def two_closures(x):
    return scale2(x) + scale3(x) * x


def test_the_stage_list() -> None:
    assert STAGE_NAMES == (
        "lower", "check", "optimise", "transform", "optimise-ad", "inplace", "emit", "compile",
    )  # fmt: skip
    assert all(callable(s.run) for s in STAGES)


def test_help_lists_the_driver_stages(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["dump", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert ", ".join(STAGE_NAMES) in out


@pytest.mark.parametrize("mode", list(Mode))
@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_every_stage_stops_and_prints(mode: Mode, stage: str) -> None:
    wrt = () if mode is Mode.PRIMAL else (0,)
    b = build(Request(loop_and_call, mode, wrt, spec_of([0.7, 3])), stop_after=stage)
    out = text(b)
    assert out.startswith("def ")
    if stage in ("emit", "compile"):
        compile(out, "<test>", "exec")  # Python source
        assert (b.compiled is not None) == (stage == "compile")
    else:
        assert all(verify(f) == [] for f in b.fns)
        assert "(" in out and "=" in out


def test_cli_stage(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "m.py"
    path.write_text("import numpy as np\n\ndef f(x):\n    return np.sin(x) * x\n")
    assert main(["dump", f"{path}:f", "--mode", "jvp", "--stage", "transform"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("def jvp_f(x, dx):") and "numpy.cos" in out
    assert main(["dump", f"{path}:f", "--stage", "lower"]) == 0
    assert capsys.readouterr().out.startswith("def f(x):")


def test_request_and_spec_are_hashable_values() -> None:
    s = spec_of([1.5, np.ones(3), [1.0, 2.0], 2], has_aux=True)
    assert s == Spec(
        scalars=(0, 3),
        ndims=((1, 1),),
        seqs=((0, "f"), (1, "f"), (2, ("s", "f")), (3, "i")),
        has_aux=True,
        numbers=(2,),  # the list holds only numbers (``p[0] += v`` rebinds an item)
        floats=(0,),  # 1.5 (2 is an int)
    )
    assert hash(Request(rec, Mode.GRAD, (0,), s)) == hash(Request(rec, Mode.GRAD, (0,), s))
    assert Spec().seq_map is None and s.ndim_map == {1: 1}


def test_recursive_jvp_is_generated_once() -> None:
    """`srcad dump FILE:rec --mode jvp` emitted jvp_rec and a duplicate jvp_rec_2."""
    src = srcad.source(rec, mode="jvp")
    assert src.count("def ") == 1
    assert "jvp_rec(_t1, n - 1, _t2)" in src
    assert srcad.source(rec, mode="vjp").count("def ") == 2  # vjp_rec_fwd, vjp_rec_bwd
    # rec(x, 2) = 4.75 x
    out, dout = srcad.jvp(rec, (1.5, 2), (1.0, None))
    assert out == pytest.approx(7.125) and dout == pytest.approx(4.75)
    assert dout == pytest.approx(fd(lambda x: rec(x, 2), 1.5))
    out, pull = srcad.vjp(rec, 1.5, 2, wrt=0)
    assert out == pytest.approx(7.125) and pull(1.0) == pytest.approx(4.75)
    g = srcad.grad(rec)(np.array(1.0), 3)
    assert g == pytest.approx(1 + 1.5 + 2.25 + 3.375)


def test_entry_specialized_for_1d_is_not_reused_for_2d() -> None:
    """The vjp entry point, checked for a 1-D `x` (where `y[0]` is a copy), was reused for the
    recursive call with a 2-D array (where it is a view): value 6.0 and pullback [14, 4], while
    Python gives 16.0 and finite differences [22, 5]. The helper version refuses, as grad does."""
    x = np.array([1.0, 2.0])
    assert rec_view(x.copy(), 1) == 16.0
    with pytest.raises(srcad.SrcadError, match="`v` is read after"):
        srcad.vjp(rec_view, x, 1, wrt=0)
    with pytest.raises(srcad.SrcadError, match="`v` is read after"):
        srcad.grad(rec_view)(x, 1)


def test_different_closures_are_not_merged() -> None:
    src = srcad.source(two_closures, mode="jvp")
    assert src.count("def ") == 3
    out, dout = srcad.jvp(two_closures, (0.5,), (1.0,))
    assert out == pytest.approx(1.0 + 0.75) and dout == pytest.approx(2.0 + 6 * 0.5)
    assert dout == pytest.approx(fd(two_closures, 0.5))


def test_verify_mode_is_on_and_names_the_stage(monkeypatch: pytest.MonkeyPatch) -> None:
    assert enabled()  # tests/conftest.py turns it on

    def broken(b: driver.Build) -> None:
        driver.transform(b)
        b.fns[0].body.ops.append(Op("neg", [Var("ghost")], results=[Var()]))

    stages = tuple(
        driver.Stage(s.name, broken, True) if s.name == "transform" else s for s in STAGES
    )
    monkeypatch.setattr(driver, "STAGES", stages)
    with pytest.raises(IRVerifyError, match=r"after stage `transform` in `jvp_rec`.*ghost"):
        build(Request(rec, Mode.JVP, (0,)))


def _lazy_f(x):
    return np.sum(np.sin(x) * x)


def test_source_does_not_compile_until_functions_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """`srcad.source` reads the text only: the generated code is compiled when a caller first
    needs the functions (the grad call hitting the same cache entry), once."""
    made: list[str] = []
    real = driver.compile_emitted

    def counting(em, g, label, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        made.append(label)
        return real(em, g, label, *a, **k)

    monkeypatch.setattr(driver, "compile_emitted", counting)
    f = _lazy_f
    x = np.array([0.3, 1.2])
    srcad.cache_clear()
    text_ = srcad.source(f, mode="grad", args=[x])
    assert "def " in text_ and made == []
    g = srcad.grad(f)(x)
    assert np.allclose(g, np.cos(x) * x + np.sin(x))
    assert made == ["grad _lazy_f"]
    srcad.grad(f)(x + 1.0)
    assert made == ["grad _lazy_f"] and srcad.cache_info().misses == 1


def _ir_freed_f(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(np.sin(x) * x) * i
    return s


def test_finished_build_frees_its_ir_by_reference_counting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A build kept its generated IR alive after the stages ended (`Build.reads`, the in-place
    pass's read counts, held each function): the collector, enabled again at the end of the
    build, then walked the whole IR (about 4% of a 100-line gradient transform's time, issue 11).
    Now it is freed before the build returns, with no collection needed."""
    kept: list[weakref.ref] = []
    real = driver.emit_functions

    def noting(fns, names=None):  # noqa: ANN001, ANN202
        kept.extend(weakref.ref(f) for f in fns)
        return real(fns, names)

    monkeypatch.setattr(driver, "emit_functions", noting)
    was = gc.isenabled()
    gc.disable()  # (freed by reference counting alone)
    try:
        b = build(Request(_ir_freed_f, Mode.GRAD, (0,), spec_of([np.ones(3)])))
        assert kept and all(r() is None for r in kept)
        assert b.fns == [] and b.reads == [] and "def grad__ir_freed_f" in text(b)
    finally:
        if was:
            gc.enable()


def _writes_after_division(x):
    r = 1.0 / x
    for i in range(2):
        r[i] = r[i] * x[i]
    return np.sum(r)


def test_transform_leaves_no_ir_in_reference_cycles() -> None:
    """A reference cycle holding IR (ad/writemasks' recursive closure held the primal's
    definitions map: 1,659 objects on bench_core's gradient) is freed only by the collector,
    which the build's pause turns into one large collection after it. No op of a transform's
    IR is left in cyclic garbage."""
    was = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        srcad.source(_writes_after_division, mode="grad")  # (reaches singular_writes' test)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        cyclic = [o for o in gc.garbage if isinstance(o, (Op, Var))]
        assert cyclic == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()


def _bench_core_simulate():
    """benchmarks/bench_core.py's 100-line `simulate`, read from its SOURCE without importing the
    module (which turns the disk cache off for the process)."""
    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_core.py"
    tree = ast.parse(path.read_text())
    (src,) = [
        ast.literal_eval(n.value)
        for n in tree.body
        if isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == ["SOURCE"]
    ]
    name = "<test-driver-bench-core>"
    linecache.cache[name] = (len(src), None, src.splitlines(True), name)
    ns = {"np": np, "math": math, "__name__": "bench_core_simulate"}
    exec(compile(src, name, "exec"), ns)
    return ns["simulate"]


def test_gradient_of_bench_core_leaves_no_ir_in_cycles() -> None:
    """ad/maskcarry.py's tapes held their family, a list holding the tape itself: a cycle that
    kept bench_core's whole IR (1,595 ops and values, 4,418 objects per gradient transform) for
    the collector, 2.7% of the transform's instructions."""
    warm, f = _bench_core_simulate(), _bench_core_simulate()
    srcad.source(warm, mode="grad")  # (imports, rule tables)
    was = gc.isenabled()
    gc.disable()
    gc.collect()
    try:
        srcad.source(f, mode="grad")
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        assert [o for o in gc.garbage if isinstance(o, (Op, Var))] == []
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        if was:
            gc.enable()

"""Golden files: the printed IR, the regenerated primal source and the JVP source of corpus functions.

One file per function and stage: tests/golden/ir/<case>.txt (`srcad.ir`), tests/golden/py/<case>.txt
(`srcad.source(mode="primal")`), tests/golden/jvp/<case>.txt (`srcad.source(mode="jvp")` with
respect to the case's float arguments), tests/golden/vjp/<case>.txt (the gradient,
`srcad.source(mode="grad")`) and tests/golden/hvp/<case>.txt (the forward-over-reverse function
`srcad.hvp` and `srcad.hessian` run, `srcad.source(mode="hvp")`, of scalar-valued cases; their
numbers are checked in test_second_order.py), each specialized for the case's example arguments.
A mismatch prints a unified diff and the full actual text; ``pytest --update-golden`` rewrites the files.
The text must be the same on Python 3.10-3.13 and must not contain file paths. Every function
here is a corpus case, so tests/corpus/test_corpus.py also runs it.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import srcad
from tests.corpus import ALL_CASES, Case

GOLDEN = Path(__file__).parent
ROOT = str(Path(__file__).resolve().parent.parent.parent)

# cases printed as IR and primal source
IR_CASES = [
    "arithmetic.tuple_unpack",
    "arithmetic.chained_assign",
    "arithmetic.augmented",
    "arithmetic.ternary_pos",
    "arithmetic.bool_ops",
    "arithmetic.floordiv_mod",
    "arithmetic.math_funcs",
    "arithmetic.numpy_alias",
    "control.piecewise_mid",
    "control.early_return_0",
    "control.returns_in_loop",
    "control.newton_sqrt",
    "control.loop_break",
    "control.loop_continue",
    "control.while_break_continue",
    "control.with_pass",
    "loops.range_negative_step",
    "loops.loop_enumerate",
    "loops.loop_zip",
    "loops.harmonic_oscillator",
    "loops.heat_equation",
    "indexing.index_none_ellipsis",
    "indexing.setitem_slice2d",
    "indexing.cumsum_loop",
    "indexing.attributes",
    "containers.dict_param",
    "containers.list_append",
    "containers.list_comprehension",
    "containers.generator_sum",
    "calls.keyword_args",
    "calls.nested_def",
    "calls.lambda_closure",
    "calls.recursive_power",
    "ml.mse_loss",
    "ml.softmax_xent",
    "ml.layer_norm",
]

# cases whose JVP source is also kept
JVP_CASES = [
    "arithmetic.tuple_unpack",
    "arithmetic.augmented",
    "arithmetic.math_funcs",
    "arithmetic.numpy_alias",
    "control.piecewise_mid",
    "control.returns_in_loop",
    "control.loop_break",
    "control.while_break_continue",
    "loops.range_negative_step",
    "loops.loop_zip",
    "loops.harmonic_oscillator",
    "loops.heat_equation",
    "indexing.setitem_slice2d",
    "indexing.cumsum_loop",
    "containers.dict_param",
    "containers.list_append",
    "containers.generator_sum",
    "calls.nested_def",
    "calls.recursive_power",
    "ml.mse_loss",
    "ml.layer_norm",
]

# cases whose reverse-mode (gradient) source is also kept: a loop, a branch, a while, a subscript
# assignment in a loop, user-function calls, early returns, containers
VJP_CASES = [
    "arithmetic.tuple_unpack",
    "arithmetic.math_funcs",
    "control.piecewise_mid",
    "control.returns_in_loop",
    "control.loop_break",
    "control.newton_sqrt",
    "control.while_break_continue",
    "loops.range_negative_step",
    "loops.harmonic_oscillator",
    "loops.heat_equation",
    "indexing.setitem_slice2d",
    "indexing.cumsum_loop",
    "containers.dict_param",
    "containers.list_append",
    "calls.calls_user_fn",
    "calls.recursive_power",
    "ml.mse_loss",
    "ml.softmax_xent",
    "ml.logsumexp",
    "ml.gmm_nll",
    "ml.mse_arrays",
    "ml.mse_rows",
    "arithmetic.numpy_alias",
]

# cases whose Hessian-vector product (forward over reverse) is also kept, with the positions it
# differentiates (None: the case's `diff`): a loop with a tape, a branch, early returns in a loop,
# a one-hidden-layer tanh MLP with squared error (a user-function call) and softmax cross-entropy
HVP_CASES: dict[str, tuple[int, ...] | None] = {
    "loops.harmonic_oscillator": None,
    "control.piecewise_mid": None,
    "control.returns_in_loop": None,
    "ml.mlp_loss": (0,),
    "ml.softmax_xent": (0,),
}

BY_NAME = {c.name: c for c in ALL_CASES}


def _hvp_wrt(case: Case) -> tuple[int, ...]:
    wrt = HVP_CASES[case.name]
    return case.diff if wrt is None else wrt


def _render(case: Case, stage: str) -> str:
    if stage == "ir":
        return srcad.ir(case.fn)
    if stage == "py":
        return srcad.source(case.fn, mode="primal", args=case.args)
    if stage == "vjp":
        return srcad.source(case.fn, mode="grad", wrt=case.diff, args=case.args)
    if stage == "hvp":
        return srcad.source(case.fn, mode="hvp", wrt=_hvp_wrt(case), args=case.args)
    return srcad.source(case.fn, mode="jvp", wrt=case.diff, args=case.args)


def check_golden(path: Path, actual: str, update: bool) -> None:
    if not actual.endswith("\n"):
        actual += "\n"
    assert ROOT not in actual, f"golden text contains a file path ({ROOT}):\n{actual}"
    if update:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual)
        return
    if not path.exists():
        pytest.fail(f"missing golden file {path}; run pytest --update-golden\n\n{actual}")
    expected = path.read_text()
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                actual.splitlines(keepends=True),
                fromfile=f"{path} (golden)",
                tofile="actual",
            )
        )
        pytest.fail(
            f"{path.relative_to(GOLDEN.parent)} differs (pytest --update-golden rewrites it)\n"
            f"{diff}\n--- full actual text ---\n{actual}",
            pytrace=False,
        )


def _params(names: list[str], stage: str) -> list:
    out = []
    for n in names:
        case = BY_NAME[n]
        marks = []
        if stage in case.xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=case.xfail[stage]))
        out.append(pytest.param(case, stage, id=f"{stage}-{n}", marks=marks))
    return out


@pytest.mark.parametrize(
    ("case", "stage"),
    _params(IR_CASES, "ir")
    + _params(IR_CASES, "py")
    + _params(JVP_CASES, "jvp")
    + _params(VJP_CASES, "vjp")
    + _params(list(HVP_CASES), "hvp"),
)
def test_golden(case: Case, stage: str, update_golden: bool) -> None:
    check_golden(GOLDEN / stage / f"{case.name}.txt", _render(case, stage), update_golden)


def test_golden_cases_are_corpus_cases_with_derivatives() -> None:
    for n in JVP_CASES:
        assert BY_NAME[n].diff, n
    for n in VJP_CASES:
        assert BY_NAME[n].diff, n
    for n in HVP_CASES:
        assert set(_hvp_wrt(BY_NAME[n])) <= set(BY_NAME[n].diff), n
    assert len(set(IR_CASES)) >= 20 and len(set(JVP_CASES)) >= 15 and len(set(VJP_CASES)) >= 15


def test_no_stale_golden_files() -> None:
    wanted = {("ir", n) for n in IR_CASES} | {("py", n) for n in IR_CASES}
    wanted |= {("jvp", n) for n in JVP_CASES} | {("vjp", n) for n in VJP_CASES}
    wanted |= {("hvp", n) for n in HVP_CASES}
    for stage in ("ir", "py", "jvp", "vjp", "hvp"):
        for p in sorted((GOLDEN / stage).glob("*.txt")):
            assert (stage, p.stem) in wanted, f"stale golden file {p} (no such case in the list)"

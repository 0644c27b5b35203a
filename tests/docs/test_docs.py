"""The documentation runs: every ```python block of docs/**/*.md (the blocks of one page in order,
in one namespace, as a reader would paste them), the doctest examples of every public name's
docstring, and the generators of docs/_gen/hooks.py (the generated pages' content).

Input: the docs/ tree and `srcad.__all__`. Output: pass, or the page and block that failed.
"""

from __future__ import annotations

import doctest
import importlib.util
import inspect
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import srcad

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_gen" not in p.parts)
# architecture.md is the design document: its ```python blocks are excerpts of srcad's own source
# and of rule templates (with `...`), not programs for a user to run
RUNNABLE = [p for p in PAGES if p.name != "architecture.md"]
BLOCK = re.compile(r"^```python[^\n]*\n(.*?)^```", re.M | re.S)


def python_blocks(text: str) -> list[str]:
    """The ```python blocks of a markdown text, in order."""
    return [m.group(1) for m in BLOCK.finditer(text)]


def test_block_extraction() -> None:
    md = "a\n```python\nx = 1\n```\n```text\nno\n```\n```python title='t'\ny = x + 1\n```\n"
    assert python_blocks(md) == ["x = 1\n", "y = x + 1\n"]


@pytest.mark.parametrize("page", RUNNABLE, ids=[str(p.relative_to(DOCS)) for p in RUNNABLE])
def test_page_blocks_run(page: Path, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    """Each block is written to a real file first, so srcad reads functions defined in it."""
    blocks = python_blocks(page.read_text())
    ns: dict = {"__name__": f"docs_{page.stem.replace('-', '_')}"}
    for k, block in enumerate(blocks):
        path = tmp_path / f"{page.stem}_block{k}.py"
        path.write_text(block)
        try:
            exec(compile(block, str(path), "exec"), ns)
        except Exception as e:
            raise AssertionError(f"{page.relative_to(ROOT)}, python block {k + 1}: {e!r}") from e
    capsys.readouterr()


def test_every_page_is_in_the_nav() -> None:
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in PAGES:
        assert str(page.relative_to(DOCS)) in nav, f"{page} is not in mkdocs.yml's nav"


# -- docstrings ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(srcad.__all__))
def test_public_docstring_has_a_running_example(name: str) -> None:
    obj = getattr(srcad, name)
    doc = inspect.getdoc(obj) or ""
    examples = doctest.DocTestParser().get_examples(doc)
    assert examples, f"srcad.{name}'s docstring has no >>> example"
    module = sys.modules.get(getattr(obj, "__module__", None) or "srcad", srcad)
    globs = dict(vars(module))  # as doctest.testmod runs it: the defining module's globals
    test = doctest.DocTest(examples, globs, f"srcad.{name}", None, 0, doc)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    runner.run(test, out=out.append)
    assert runner.failures == 0, "".join(out)


def test_every_public_name_is_in_the_api_page() -> None:
    api = (DOCS / "api.md").read_text()
    for name in srcad.__all__:
        assert f"::: srcad.{name}\n" in api, f"srcad.{name} is missing from docs/api.md"


# -- generated pages -------------------------------------------------------------------------


def _hooks():
    spec = importlib.util.spec_from_file_location("srcad_docs_hooks", DOCS / "_gen" / "hooks.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_rule_coverage_lists_the_registry() -> None:
    from srcad.rules import default_registry

    text = _hooks().rule_coverage()
    names = [rec.name for rec in default_registry()]
    assert f"{len(names)} primitives" in text
    for name in ("numpy.sin", "numpy.linalg.solve", "math.lgamma", "numpy.argmax"):
        assert f"`{name}`" in text
    assert re.search(r"\*\*zero\*\* \(\d+\): [^\n]*`numpy.argmax`", text)


def test_python_subset_follows_the_lowering() -> None:
    text = _hooks().python_subset()
    assert re.search(r"`ast.Try` \| lowered \| `try`/`except` around one call", text)
    assert "`ast.For` | lowered" in text and "`ast.While` | lowered" in text
    assert re.search(r"`ast.Set` \| lowered \| A set only tested", text)
    assert "`.sort()`" in text


def test_stages_page_shows_every_stage() -> None:
    from srcad.backend.driver import STAGE_NAMES

    text = _hooks().stages()
    for stage in STAGE_NAMES:
        assert f"--stage {stage}`" in text
    assert "# reverse sweep" in text


def test_benchmark_section_comes_from_the_benchmarks_readme() -> None:
    text = _hooks().benchmarks()
    assert "### One run" in text and "| problem |" in text


def test_render_refuses_unknown_markers() -> None:
    hooks = _hooks()
    assert hooks.render("plain") == "plain"
    with pytest.raises(KeyError):
        hooks.render("<!-- srcad:nonsense -->")


def test_numpy_prints_as_the_docs_expect() -> None:
    """The docstring examples print arrays with NumPy 2's repr (np.float64(...) for scalars)."""
    assert repr(np.float64(1.0)) == "np.float64(1.0)"


def test_stop_gradient_attribute_docstring_matches_its_doc() -> None:
    """mkdocstrings reads `stop_gradient`'s docstring from the source (the string after the
    assignment); Python's help() reads ``__doc__``: the two must say the same."""
    import ast

    import srcad.custom

    tree = ast.parse(Path(srcad.custom.__file__).read_text())
    body = tree.body
    for k, node in enumerate(body):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "stop_gradient" for t in node.targets
        ):
            doc = body[k + 1]
            assert isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
            assert doc.value.value == srcad.stop_gradient.__doc__
            return
    raise AssertionError("no `stop_gradient = ...` in srcad/custom.py")


def test_api_page_shows_the_examples_added_at_import() -> None:
    """srcad.api's examples live in srcad/api_examples.py and reach its docstrings at import;
    mkdocstrings reads source, so the API page shows them through a marker per function."""
    from srcad.api_examples import EXAMPLES

    api = (DOCS / "api.md").read_text()
    for name in EXAMPLES:
        assert f"<!-- srcad:api-example {name} -->" in api, name
        assert "\n    Example:\n" in getattr(srcad, name).__doc__
    text = _hooks().render("<!-- srcad:api-example grad -->")
    assert text.startswith('!!! example "Example"') and "    >>> srcad.grad(loss)" in text

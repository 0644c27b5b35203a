"""mkdocs hook: pages generated from srcad's own data, never from hand-maintained lists.

Input: a page's markdown with marker comments. Output: the markdown with each marker replaced:

- ``<!-- srcad:python-subset -->``: every statement and expression type of the running Python's
  `ast`, with what the lowering (`srcad.lower`) does with it: lowered, or refused with the
  refusal's message and hint (read from `srcad.lower.stmts._REFUSED` and from the lowering's
  ``stmt_*``/``expr_*`` methods);
- ``<!-- srcad:rule-coverage -->``: every primitive of the rule registry
  (`srcad.rules.load_all`: the scipy families too), by family, with whether it has derivative rules;
- ``<!-- srcad:stages -->``: the function in ``docs/_gen/stages_example.py`` through every build
  stage (what ``srcad dump --stage NAME`` prints);
- ``<!-- srcad:api-example NAME -->``: the example of `srcad.NAME` from `srcad.api_examples`
  (added to the docstring at import time, so mkdocstrings, which reads the source, does not see
  it);
- ``<!-- srcad:benchmarks -->``: the recorded runs of ``benchmarks/README.md`` (its "One run" and
  "Second order" sections), so the numbers on the site are the benchmark output, not a copy.

mkdocs calls `on_page_markdown`; the test suite calls the generators directly.
"""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
# marker -> generator; filled below
GENERATORS: dict[str, Any] = {}


def _refusal_of(method: Any) -> tuple[str, str | None] | None:
    """The message and hint of a lowering method whose body is only ``raise self.error(...)``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))
    body = [s for s in tree.body[0].body if not isinstance(s, ast.Expr)]  # skip a docstring
    if len(body) != 1 or not isinstance(body[0], ast.Raise):
        return None
    call = body[0].exc
    if not isinstance(call, ast.Call):
        return None
    texts = [a.value for a in call.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
    return (texts[0], texts[1] if len(texts) > 1 else None) if texts else None


def _node_types(base: type) -> list[str]:
    """Node type names of the running Python's `ast` that derive from `base` (stmt or expr)."""
    return sorted(
        n
        for n, t in vars(ast).items()
        if isinstance(t, type) and issubclass(t, base) and t is not base and not n.startswith("_")
        and n not in ("FormattedValue", "Interpolation")  # parts of f-strings / t-strings only
        and t.__doc__ is not None and "Deprecated" not in (t.__doc__ or "")
    )  # fmt: skip


def _status(lowerer: type, kind: str, name: str, refused: dict) -> tuple[str, str]:
    import gast

    node = getattr(gast, name, None)
    if node in refused:
        msg, hint = refused[node]
        return "refused", msg + (f" (hint: {hint})" if hint else "")
    method = getattr(lowerer, f"{kind}_{name}", None)
    if method is None:
        return (
            "refused",
            f"`{name}` {'statements' if kind == 'stmt' else 'expressions'} are not supported",
        )
    why = _refusal_of(method)
    if why is not None:
        return "refused", why[0] + (f" (hint: {why[1]})" if why[1] else "")
    doc = inspect.getdoc(method) or ""
    return "lowered", doc.split("\n\n")[0].replace("\n", " ")


def python_subset() -> str:
    """Markdown tables: each statement and expression type and what the lowering does with it."""
    from srcad.lower import exprstmt, stmts
    from srcad.lower.lower import Lowerer

    out = []
    for kind, base, title in (("stmt", ast.stmt, "Statements"), ("expr", ast.expr, "Expressions")):
        out += [f"### {title}", "", "| node | srcad | notes |", "|---|---|---|"]
        for name in _node_types(base):
            status, note = _status(Lowerer, kind, name, stmts._REFUSED)
            out.append(f"| `ast.{name}` | {status} | {note.replace('|', '&#124;')} |")
        out.append("")
    methods = ", ".join(f"`.{m}()`" for m in sorted(exprstmt._INPLACE_METHODS))
    out += [
        "### In-place methods",
        "",
        "Calls of these methods as statements are refused (they would change an object the",
        "functional IR cannot follow), except on a local known to be a list or dict, whose name is",
        "rebound to the new value (`append`, `extend`, `pop`, `insert`, `sort`, `reverse` on lists;",
        "`pop`, `update`, `setdefault` on dicts; `sort` on any local; `pop`, `insert`, `remove`,",
        "`reverse`, `clear` and `del` on an argument or a helper's result, checked to be a list or",
        f"dict when it runs): {methods}.",
        "",
    ]
    return "\n".join(out)


def _family(name: str) -> str:
    if name.startswith("scipy.stats."):
        return "scipy.stats"
    if name.startswith("scipy.special."):
        return "scipy.special"
    if "." not in name:
        return "Python operators, builtins and IR structure"
    head = name.rsplit(".", 1)[0]
    return {
        "method": "methods (`x.sum()`, `lst.index()`, ...)",
        "attr": "attributes (`x.T`, `x.shape`, ...)",
        "srcad.runtime": "srcad.runtime helpers (called by generated code)",
    }.get(head, head)


def _kind(rec: Any) -> str:
    rules = [r for r in (rec.jvp, rec.vjp) if r is not None]
    if rec.no_rules:
        return "no rules"
    if not rules:
        return "no rules"
    if all(r.zero for r in rules):
        return "zero"
    if rec.jvp is not None and rec.vjp is not None:
        return "derivative"
    return "forward only" if rec.jvp is not None else "reverse only"


def rule_coverage() -> str:
    """Markdown: counts per family, then each family's primitives grouped by derivative kind."""
    from srcad.rules import load_all

    fams: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rec in load_all():
        fams[_family(rec.name)][_kind(rec)].append(rec.name)
    kinds = ("derivative", "forward only", "reverse only", "zero", "no rules")
    total = {k: sum(len(f[k]) for f in fams.values()) for k in kinds}
    out = [
        f"{sum(total.values())} primitives: {total['derivative']} with forward and reverse rules, "
        f"{total['zero']} with a zero derivative (integer- or bool-valued), "
        f"{total['no rules']} without rules (differentiating through one is refused at "
        "transform time; called on constants they run).",
        "",
        "| family | derivative | zero | no rules |",
        "|---|---|---|---|",
    ]
    for fam in sorted(fams):
        f = fams[fam]
        extra = len(f["forward only"]) + len(f["reverse only"])
        d = f"{len(f['derivative'])}" + (f" (+{extra} one mode)" if extra else "")
        out.append(f"| {fam} | {d} | {len(f['zero'])} | {len(f['no rules'])} |")
    out.append("")
    for fam in sorted(fams):
        out += [f"### {fam}", ""]
        for k in kinds:
            names = sorted(fams[fam][k])
            if names:
                out.append(f"**{k}** ({len(names)}): " + ", ".join(f"`{n}`" for n in names))
                out.append("")
    return "\n".join(out)


def stages() -> str:
    """Markdown: the example function's source, then what each build stage prints for it."""
    import importlib.util

    from srcad.api import ir, source
    from srcad.backend.driver import STAGE_NAMES

    path = Path(__file__).with_name("stages_example.py")
    spec = importlib.util.spec_from_file_location("srcad_docs_stages_example", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    fn = mod.f
    out = ["```python", inspect.getsource(fn).rstrip(), "```", ""]
    for stage in STAGE_NAMES:
        text = source(fn, mode="grad", stage=stage)
        cmd = f"srcad dump docs/_gen/stages_example.py:f --stage {stage}"
        out += [f"### `{stage}`", "", f"`{cmd}`", "", "```text", text.rstrip(), "```", ""]
    out += ["### `srcad.ir(f)`", "", "```text", ir(fn).rstrip(), "```", ""]
    return "\n".join(out)


def benchmarks() -> str:
    """Markdown: the recorded runs in benchmarks/README.md, headings moved down one level."""
    text = (ROOT / "benchmarks" / "README.md").read_text()
    parts = re.split(r"^## ", text, flags=re.M)
    keep = [p for p in parts[1:] if p.startswith(("One run", "Second order"))]
    if not keep:
        raise RuntimeError("benchmarks/README.md has no 'One run' / 'Second order' section")
    return "\n".join("### " + p.replace("\n### ", "\n#### ") for p in keep)


def api_example(name: str) -> str:
    """Markdown: the Example section srcad.api_examples adds to `srcad.<name>`'s docstring."""
    from srcad.api_examples import EXAMPLES

    lines = textwrap.dedent(EXAMPLES[name]).rstrip()
    return f'!!! example "Example"\n\n    ```pycon\n{textwrap.indent(lines, "    ")}\n    ```\n'


GENERATORS.update(
    {
        "api-example": api_example,
        "python-subset": python_subset,
        "rule-coverage": rule_coverage,
        "stages": stages,
        "benchmarks": benchmarks,
    }
)
MARKER = re.compile(r"<!-- srcad:([a-z-]+)(?: ([\w.]+))? -->")


def render(markdown: str) -> str:
    """Replace every marker in `markdown` by its generator's output (an unknown marker raises)."""

    def sub(m: re.Match) -> str:
        if m.group(1) not in GENERATORS:
            raise KeyError(f"unknown docs marker {m.group(0)}")
        gen = GENERATORS[m.group(1)]
        return gen(m.group(2)) if m.group(2) else gen()

    return MARKER.sub(sub, markdown)


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """mkdocs hook."""
    return render(markdown)

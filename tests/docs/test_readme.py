"""README.md shows the generated code of the quickstart as `srcad dump` prints it today.

Input: README.md and examples/quickstart.py. Output: pass, or the block that is out of date.
"""

from __future__ import annotations

import re
from pathlib import Path

import srcad
from srcad.cli import load_function

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.M | re.S)


def test_readme_generated_code_is_current() -> None:
    """The README's gradient (``srcad dump examples/quickstart.py:loss``) and Hessian-vector
    product (``--mode hvp``) blocks are the generic source srcad emits now, verbatim."""
    blocks = [b.rstrip("\n") for b in BLOCK.findall((ROOT / "README.md").read_text())]
    loss = load_function(str(ROOT / "examples" / "quickstart.py") + ":loss")
    for mode in ("grad", "hvp"):
        text = srcad.source(loss, mode=mode).rstrip("\n")
        assert text in blocks, f"README.md: update the {mode} block of the quickstart to\n{text}"

"""Packaging and the command line as a user meets them: ``srcad --version``, a `srcad dump` whose
stdout holds only the dump (the user's module's top-level prints go to stderr), and the files a
wheel needs (LICENSE, py.typed, project metadata).

Input: the repository and `srcad.cli.main`. Output: pass/fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import srcad
from srcad.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_version_flag(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.strip() == f"srcad {srcad.__version__}"


def test_dump_keeps_the_modules_prints_off_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    mod = tmp_path / "noisy_module.py"
    mod.write_text(
        "import numpy as np\n"
        "print('hello from the module')\n"
        "def f(x):\n"
        "    return np.sum(np.sin(x))\n"
        "if __name__ == '__main__':\n"
        "    print('main block')\n"
    )
    assert main(["dump", f"{mod}:f"]) == 0
    out, err = capsys.readouterr()
    assert "hello from the module" not in out
    assert "hello from the module" in err
    assert out.startswith("def grad_f(x):")
    compile(out, "<dump>", "exec")  # stdout is exactly the generated source


def test_version_from_the_console_script_module() -> None:
    r = subprocess.run(
        [sys.executable, "-m", "srcad", "--version"], capture_output=True, text=True, cwd=ROOT
    )
    assert r.returncode == 0 and r.stdout.strip() == f"srcad {srcad.__version__}"


def test_package_files() -> None:
    assert (ROOT / "srcad" / "py.typed").is_file()
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License") and "srcad developers" in text


def test_project_metadata() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = meta["project"]
    assert project["license"] == "MIT" and "LICENSE" in project["license-files"]
    assert "version" in project["dynamic"]
    assert meta["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "srcad.__version__"}
    assert {"Homepage", "Documentation", "Repository", "Issues"} <= set(project["urls"])
    assert "Typing :: Typed" in project["classifiers"]
    assert "py.typed" in meta["tool"]["setuptools"]["package-data"]["srcad"]
    assert any(d.startswith("mkdocs-material") for d in project["optional-dependencies"]["docs"])

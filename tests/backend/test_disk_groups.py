"""The disk cache of a function that calls a function of another module (`backend/diskgroups.py`):
stored with both modules' texts, found again by the second process without a transform, and
transformed again when the other module's function changes or the module's attribute the call
reads (``dep.helper(x)``) is rebound."""

from __future__ import annotations

import linecache
import os
import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest

import srcad
from srcad.backend import cache as cache_module
from srcad.backend import disk

DEP = """
import numpy as np

SCALE = 0.5

def helper(x):
    return np.sin(x) * x * SCALE
"""

USER = """
import numpy as np
from {dep} import helper

def loss(x):
    return np.sum(helper(x) ** 2) + np.sum(x)
"""

# the call through the module's attribute: a read the lowering records, made again on load
USER_ATTR = """
import numpy as np
import {dep}

def loss(x):
    return np.sum({dep}.helper(x) ** 2) + np.sum(x)
"""

OTHER = """
def other(x):
    return np.cos(x) * x * SCALE
"""

X = np.array([0.3, -1.2, 2.0])


def expected(x, scale=0.5, f=np.sin, df=np.cos):
    h = f(x) * x * scale
    return 2 * h * (df(x) * x + f(x)) * scale + 1.0


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("SRCAD_CACHE_DIR", str(d))
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(disk.STATE, "custom_rules", False)
    srcad.cache_clear()
    yield d
    srcad.cache_clear()


def module(name: str, text: str) -> dict:
    """`text` as module `name` in sys.modules, its source in linecache (fresh objects per call)."""
    filename = f"<{name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    mod = types.ModuleType(name)
    mod.__file__ = filename
    sys.modules[name] = mod
    exec(compile(text, filename, "exec"), mod.__dict__)
    return mod.__dict__


def builds(monkeypatch) -> list:
    calls: list = []
    real = cache_module.build
    monkeypatch.setattr(
        cache_module,
        "build",
        lambda r, *a, **k: calls.append(r.pyfunc.__name__) or real(r, *a, **k),
    )
    return calls


def test_two_modules_stored_and_used(cache, monkeypatch):
    dep = module("srcad_groups_dep", DEP)
    ns = module("srcad_groups_user", USER.format(dep="srcad_groups_dep"))
    calls = builds(monkeypatch)
    g1 = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]
    assert len(list(cache.glob("*.srcad"))) == 1
    srcad.cache_clear()
    g2 = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]  # from disk: both modules' functions
    np.testing.assert_allclose(g1, expected(X), rtol=1e-12)
    np.testing.assert_array_equal(g1, g2)
    dep["SCALE"] = 2.0  # the other module's globals are read live by its generated function
    np.testing.assert_allclose(srcad.grad(ns["loss"])(X), expected(X, 2.0), rtol=1e-12)
    srcad.cache_clear()
    jv = srcad.jvp(ns["loss"], (X,), (np.ones(3),))[1]
    srcad.cache_clear()
    assert srcad.jvp(ns["loss"], (X,), (np.ones(3),))[1] == jv
    assert calls == ["loss", "loss"]  # the JVP transformed once


def test_changed_function_of_the_other_module(cache, monkeypatch):
    module("srcad_groups_dep2", DEP)
    ns = module("srcad_groups_user2", USER.format(dep="srcad_groups_dep2"))
    srcad.grad(ns["loss"])(X)
    module("srcad_groups_dep2", DEP.replace("np.sin(x)", "np.cos(x)"))
    ns = module("srcad_groups_user2", USER.format(dep="srcad_groups_dep2"))  # the new helper
    srcad.cache_clear()
    calls = builds(monkeypatch)
    g = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]  # another key: transformed again
    np.testing.assert_allclose(g, expected(X, f=np.cos, df=lambda x: -np.sin(x)), rtol=1e-12)


def test_module_attribute_call(cache, monkeypatch):
    dep = module("srcad_groups_dep3", DEP + OTHER)
    helper, other = dep["helper"], dep["other"]
    ns = module("srcad_groups_user3", USER_ATTR.format(dep="srcad_groups_dep3"))
    calls = builds(monkeypatch)
    srcad.grad(ns["loss"])(X)
    srcad.cache_clear()
    g = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]  # from disk
    np.testing.assert_allclose(g, expected(X), rtol=1e-12)
    dep["helper"] = other  # (``dep.helper = other``: the read is checked on every call)
    g = srcad.grad(ns["loss"])(X)
    assert calls == ["loss", "loss"]
    np.testing.assert_allclose(g, expected(X, f=np.cos, df=lambda x: -np.sin(x)), rtol=1e-12)
    srcad.cache_clear()  # the disk's entry (same key, the other function listed) or a build
    g = srcad.grad(ns["loss"])(X)
    np.testing.assert_allclose(g, expected(X, f=np.cos, df=lambda x: -np.sin(x)), rtol=1e-12)
    dep["helper"] = helper
    srcad.cache_clear()  # the entry lists `other`, the module's attribute is `helper`: not used
    g = srcad.grad(ns["loss"])(X)
    assert calls == ["loss", "loss", "loss"]
    np.testing.assert_allclose(g, expected(X), rtol=1e-12)


@pytest.mark.parametrize("user", [USER, USER_ATTR], ids=["from-import", "module-attribute"])
def test_second_process_does_not_transform(tmp_path, user):
    (tmp_path / "dep_mod.py").write_text(DEP)
    (tmp_path / "user_mod.py").write_text(user.format(dep="dep_mod"))
    script = textwrap.dedent(
        """
        import sys
        import numpy as np
        sys.path.insert(0, sys.argv[1])
        import srcad
        from srcad.backend import cache
        import user_mod
        built = []
        real = cache.build
        cache.build = lambda r, *a, **k: built.append(1) or real(r, *a, **k)
        g = srcad.grad(user_mod.loss)(np.array([0.3, -1.2, 2.0]))
        print(len(built), repr([float(v) for v in g]))
        """
    )
    env = {**os.environ, "SRCAD_CACHE_DIR": str(tmp_path / "c")}
    env.pop("SRCAD_NO_DISK_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)],
            env=env,
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    (n1, g1), (n2, g2) = (r.stdout.split(" ", 1) for r in runs)
    assert (n1, n2) == ("1", "0")
    assert g1 == g2
    np.testing.assert_allclose(eval(g1), expected(X), rtol=1e-12)

"""The disk cache's two keys (srcad/backend/disk.lookup): first by the stamps of the functions'
files (size, times, inode: no source read), then by the functions' text; the guard checks stored
with the entry (a disk hit compiles nothing), and the user lines read only when an error needs
them."""

from __future__ import annotations

import importlib.util
import linecache
import os
import sys

import numpy as np
import pytest

import srcad
from srcad.backend import disk, guardcode

SOURCE = """import numpy as np

# a comment


def helper(x):
    return np.sin(x) * x


def loss(x):
    return np.sum(helper(x) ** 2) + 0.5 * np.sum(x)  # the loss
"""

X = np.array([0.3, -1.2, 2.0])


def expected(x, k=0.5):
    h = np.sin(x) * x
    return 2 * h * (np.cos(x) * x + np.sin(x)) + k


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("SRCAD_CACHE_DIR", str(d))
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(disk.STATE, "custom_rules", False)
    srcad.cache_clear()
    yield d
    srcad.cache_clear()


def fresh(path, name="srcad_stamp_mod"):
    """The module at `path` imported again, as a new process would (new function objects, no
    lines of it in linecache)."""
    srcad.cache_clear()
    linecache.cache.pop(str(path), None)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def builds(monkeypatch) -> list:
    from srcad.backend import cache as c

    calls: list = []
    real = c.build
    monkeypatch.setattr(c, "build", lambda r, *a, **k: calls.append(1) or real(r, *a, **k))
    return calls


def write(path, text, ns):
    path.write_text(text)
    os.utime(path, ns=(ns, ns))  # a time of its own: same-size edits within a tick differ too


def test_a_hit_reads_no_source_and_an_edit_elsewhere_keeps_the_entry(cache, tmp_path, monkeypatch):
    path = tmp_path / "stamp_mod.py"
    write(path, SOURCE, 10**18)
    g1 = srcad.grad(fresh(path).loss)(X)
    np.testing.assert_allclose(g1, expected(X), rtol=1e-12)
    assert len(list(cache.glob("*.srcad"))) == 2  # by stamps and by text
    calls = builds(monkeypatch)
    mod = fresh(path)
    np.testing.assert_array_equal(srcad.grad(mod.loss)(X), g1)
    assert calls == [] and str(path) not in linecache.cache  # no line of it was read
    # an edit outside both functions: the stamps differ, the text key finds the entry, which is
    # stored under the new stamps (the next process reads no source again)
    write(path, SOURCE.replace("# a comment", "# another comment"), 2 * 10**18)
    np.testing.assert_array_equal(srcad.grad(fresh(path).loss)(X), g1)
    assert calls == [] and len(list(cache.glob("*.srcad"))) == 3
    np.testing.assert_array_equal(srcad.grad(fresh(path).loss)(X), g1)
    assert calls == [] and str(path) not in linecache.cache


def test_changed_source_with_the_same_code_misses(cache, tmp_path, monkeypatch):
    # a comment inside the function: the same code object, other text -> a miss by both keys
    path = tmp_path / "stamp_mod2.py"
    write(path, SOURCE, 10**18)
    srcad.grad(fresh(path, "srcad_stamp_mod2").loss)(X)
    calls = builds(monkeypatch)
    write(path, SOURCE.replace("# the loss", "# the LOSS"), 10**18 + 1)  # same size
    mod = fresh(path, "srcad_stamp_mod2")
    np.testing.assert_allclose(srcad.grad(mod.loss)(X), expected(X), rtol=1e-12)
    assert calls == [1]
    # the same code, other text, other behaviour of the file's callee: found by neither key
    write(path, SOURCE.replace("np.sin(x) * x", "np.sin(x) * x * 2.0"), 3 * 10**18)
    mod = fresh(path, "srcad_stamp_mod2")
    np.testing.assert_allclose(srcad.grad(mod.loss)(X), 4 * expected(X) - 1.5, rtol=1e-12)
    assert calls == [1, 1]


def test_a_file_edited_during_the_transform_is_not_stored_under_its_stamps(
    cache, tmp_path, monkeypatch
):
    """The stamps are taken before the transform, which reads the file's lines; an entry stored
    under stamps must have been built from the file they describe."""
    from srcad.backend import cache as c

    path = tmp_path / "stamp_mod3.py"
    write(path, SOURCE, 10**18)
    mod = fresh(path, "srcad_stamp_mod3")
    real = c.build

    def edited(request, *a, **k):
        b = real(request, *a, **k)
        write(path, SOURCE.replace("# a comment", "# a comment!"), 2 * 10**18)
        return b

    monkeypatch.setattr(c, "build", edited)
    np.testing.assert_allclose(srcad.grad(mod.loss)(X), expected(X), rtol=1e-12)
    keys = [disk._read(p)["key"] for p in cache.glob("*.srcad")]
    assert len(keys) == 1 and "'fast': False" in keys[0]  # by text only


def test_a_disk_hit_compiles_no_guard_check(cache, tmp_path, monkeypatch):
    path = tmp_path / "stamp_mod4.py"
    write(path, SOURCE, 10**18)
    g = srcad.grad(fresh(path, "srcad_stamp_mod4").loss)
    g(X)
    mod = fresh(path, "srcad_stamp_mod4")
    monkeypatch.setattr(guardcode, "_CODES", {})
    compiles: list = []
    monkeypatch.setattr(
        guardcode, "compile", lambda *a: compiles.append(a) or compile(*a), raising=False
    )
    calls = builds(monkeypatch)
    g = srcad.grad(mod.loss)
    np.testing.assert_allclose(g(X), expected(X), rtol=1e-12)
    np.testing.assert_allclose(g(2 * X), expected(2 * X), rtol=1e-12)  # the fast path's check
    assert calls == [] and compiles == []
    # jvp's fast path holds its function weakly: that check was stored too
    out, tangent = srcad.jvp(mod.loss, (X,), (np.ones(3),))
    srcad.jvp(mod.loss, (X,), (np.ones(3),))
    np.testing.assert_allclose(tangent, np.sum(expected(X)), rtol=1e-12)
    assert compiles == []

"""The disk cache (srcad/backend/disk.py): a second process does not transform again, and no
entry that does not match is ever executed (corrupt, truncated, foreign, changed source, changed
dependency, changed srcad version, rebindings)."""

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
from srcad.backend import disk
from srcad.backend.cache import _CACHE
from srcad.testing import check_grads

SOURCE = """
import numpy as np

def helper(x):
    return np.sin(x) * x

def loss(x):
    return np.sum(helper(x) ** 2) + 0.5 * np.sum(x)
"""


@pytest.fixture
def cache(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("SRCAD_CACHE_DIR", str(d))
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE", raising=False)
    monkeypatch.setattr(disk.STATE, "custom_rules", False)
    srcad.cache_clear()
    yield d
    srcad.cache_clear()


_COUNT = [0]


def module(text: str = SOURCE, name: str | None = None) -> dict:
    """`text` as a fresh module in sys.modules with a findable source (new function objects each
    call; the same `name` gives the same file name, so the same text gives the same key)."""
    if name is None:
        _COUNT[0] += 1
        name = f"srcad_disk_test_{_COUNT[0]}"
    filename = f"<{name}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    mod = types.ModuleType(name)
    mod.__file__ = filename
    sys.modules[name] = mod
    exec(compile(text, filename, "exec"), mod.__dict__)
    return mod.__dict__


def builds(monkeypatch) -> list:
    from srcad.backend import cache as c

    calls = []
    real = c.build

    def counting(request, *a, **k):
        calls.append(request.pyfunc.__name__)
        return real(request, *a, **k)

    monkeypatch.setattr(c, "build", counting)
    return calls


X = np.array([0.3, -1.2, 2.0])


def expected(x):
    h = np.sin(x) * x
    return 2 * h * (np.cos(x) * x + np.sin(x)) + 0.5


def test_entry_written_and_used(cache, monkeypatch):
    # the same source text in the same file: the second module's function is found on disk
    text = SOURCE
    ns = module(text)
    calls = builds(monkeypatch)
    g1 = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]
    assert len(list(cache.glob("*.srcad"))) == 1
    assert oct(os.stat(cache).st_mode & 0o777) == "0o700"
    srcad.cache_clear()
    g2 = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]  # not transformed again
    np.testing.assert_allclose(g1, expected(X), rtol=1e-12)
    np.testing.assert_array_equal(g1, g2)
    check_grads(ns["loss"], (X,))


def _entry(cache):
    (p,) = cache.glob("*.srcad")
    return p


@pytest.mark.parametrize("damage", ["corrupt", "truncate", "empty", "group-writable", "magic"])
def test_damaged_entry_is_rebuilt(cache, monkeypatch, damage):
    ns = module()
    srcad.grad(ns["loss"])(X)
    p = _entry(cache)
    data = p.read_bytes()
    if damage == "corrupt":  # valid-looking code, wrong digest: must not run
        p.write_bytes(data.replace(b"np.cos", b"np.sin"))
    elif damage == "truncate":
        p.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        p.write_bytes(b"")
    elif damage == "magic":  # another interpreter's marshal data, with a valid digest
        import hashlib

        payload = b"\x00\x00\r\n" + data.partition(b"\n")[2][len(disk._MAGIC) :]
        p.write_bytes(hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload)
    else:
        os.chmod(p, 0o664)
    srcad.cache_clear()
    calls = builds(monkeypatch)
    g = srcad.grad(ns["loss"])(X)
    assert calls == ["loss"]  # ignored and rebuilt
    np.testing.assert_allclose(g, expected(X), rtol=1e-12)
    assert disk._read(_entry(cache)) is not None  # rewritten, valid again


def test_changed_source_changed_dependency_changed_version(cache, monkeypatch):
    ns = module()
    srcad.grad(ns["loss"])(X)
    calls = builds(monkeypatch)
    # the function's own source changed
    ns2 = module(SOURCE.replace("0.5 * np.sum(x)", "1.5 * np.sum(x)"))
    srcad.cache_clear()
    g = srcad.grad(ns2["loss"])(X)
    np.testing.assert_allclose(g, expected(X) + 1.0, rtol=1e-12)
    assert calls == ["loss"]
    # a dependency's source changed (the function's own text did not)
    ns3 = module(SOURCE.replace("np.sin(x) * x", "np.sin(x) * x * 2.0"))
    srcad.cache_clear()
    g = srcad.grad(ns3["loss"])(X)
    np.testing.assert_allclose(g, 4 * expected(X) - 1.5, rtol=1e-12)
    assert calls == ["loss", "loss"]
    # srcad's version changed
    monkeypatch.setattr(disk.STATE, "fingerprint", "another srcad")
    srcad.cache_clear()
    srcad.grad(ns3["loss"])(X)
    assert calls == ["loss", "loss", "loss"]
    assert len(list(cache.glob("*.srcad"))) == 4


METHOD_MODULE = textwrap.dedent(
    """
    import numpy as np

    class Model:
        def helper(self, x):
            return np.sin(x) * x

    def loss(m, x):
        return np.sum(m.helper(x) ** 2) + 0.5 * np.sum(x)
    """
)


def test_changed_method_of_an_argument(cache, monkeypatch):
    # `m.helper` is no global of `loss`: the entry lists the callees the transform lowered with
    # their digests, and a changed callee makes the entry unusable (same key: `loss` unchanged)
    text = METHOD_MODULE
    ns = module(text, "srcad_disk_main")
    g = srcad.grad(ns["loss"], wrt=1)(ns["Model"](), X)
    np.testing.assert_allclose(g, expected(X), rtol=1e-12)
    payload = disk._read(_entry(cache))
    assert [d[:2] for d in payload["deps"]] == [["srcad_disk_main", "Model.helper"]]
    calls = builds(monkeypatch)
    # unchanged: a new process (new objects, same text) uses the entry
    ns = module(text, "srcad_disk_main")
    srcad.cache_clear()
    np.testing.assert_allclose(srcad.grad(ns["loss"], wrt=1)(ns["Model"](), X), g, rtol=0)
    assert calls == []
    # the method changed, the function did not: same key, the entry is not used
    ns = module(text.replace("* x\n", "* x * 2.0\n"), "srcad_disk_main")
    srcad.cache_clear()
    g2 = srcad.grad(ns["loss"], wrt=1)(ns["Model"](), X)
    assert calls == ["loss"]
    np.testing.assert_allclose(g2, 4 * expected(X) - 1.5, rtol=1e-12)


def test_method_replaced_after_a_disk_hit(cache, monkeypatch):
    # an entry read from disk records the methods it depends on again: replacing one later in that
    # process (`Model.helper = g`) makes the transform again (it reused the stale one before)
    text = METHOD_MODULE
    ns = module(text, "srcad_disk_main")
    g = srcad.grad(ns["loss"], wrt=1)(ns["Model"](), X)
    ns = module(text, "srcad_disk_main")  # a new process: same text, new objects
    srcad.cache_clear()
    calls = builds(monkeypatch)
    m = ns["Model"]()
    np.testing.assert_allclose(srcad.grad(ns["loss"], wrt=1)(m, X), g, rtol=0)
    assert calls == []  # from disk
    ns["Model"].helper = lambda self, x: 2.0 * x
    g2 = srcad.grad(ns["loss"], wrt=1)(m, X)
    assert calls == ["loss"]
    np.testing.assert_allclose(g2, 8.0 * X + 0.5, rtol=1e-12)  # d/dx sum((2x)^2) + x/2


def test_not_stored_when_code_binds_values(cache):
    text = textwrap.dedent(
        """
        import numpy as np
        def make(w):
            def f(x):
                return np.sum(w * x)
            return f
        """
    )
    ns = module(text)
    f = ns["make"](np.array([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(srcad.grad(f)(X), [1.0, 2.0, 3.0])
    assert list(cache.glob("*.srcad")) == []


def test_disabled_and_custom_rules(cache, monkeypatch):
    monkeypatch.setenv("SRCAD_NO_DISK_CACHE", "1")
    ns = module()
    srcad.grad(ns["loss"])(X)
    assert not cache.exists() or list(cache.glob("*.srcad")) == []
    monkeypatch.delenv("SRCAD_NO_DISK_CACHE")
    monkeypatch.setattr(disk.STATE, "custom_rules", True)
    srcad.cache_clear()
    srcad.grad(ns["loss"])(X)
    assert not cache.exists() or list(cache.glob("*.srcad")) == []


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to chown")
def test_foreign_owned_entry_is_ignored(cache, monkeypatch):
    ns = module()
    srcad.grad(ns["loss"])(X)
    p = _entry(cache)
    os.chown(p, 12345, 12345)
    assert disk._read(p) is None


def test_second_process_does_not_transform(tmp_path):
    mod = tmp_path / "user_mod.py"
    mod.write_text(SOURCE)
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
        print(len(built), repr(list(g)))
        """
    )
    env = {**os.environ, "SRCAD_CACHE_DIR": str(tmp_path / "c")}
    env.pop("SRCAD_NO_DISK_CACHE", None)
    runs = [
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path)], env=env, capture_output=True, text=True
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    (n1, g1), (n2, g2) = (r.stdout.split(" ", 1) for r in runs)
    assert (n1, n2) == ("1", "0")
    assert g1 == g2
    np.testing.assert_allclose(eval(g1.replace("np.float64", "")), expected(X), rtol=1e-12)


def test_cli_cache_info_clear(cache, tmp_path):
    ns = module()
    srcad.grad(ns["loss"])(X)
    env = {**os.environ, "SRCAD_CACHE_DIR": str(cache)}
    env.pop("SRCAD_NO_DISK_CACHE", None)
    run = lambda *a: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "srcad", "cache", *a], env=env, capture_output=True, text=True
    )
    r = run("info")
    assert r.returncode == 0 and "entries: 1" in r.stdout and str(cache) in r.stdout, r.stderr
    r = run("clear")
    assert r.returncode == 0 and "removed 1" in r.stdout
    assert list(cache.glob("*.srcad")) == []


def _compiles(monkeypatch) -> list:
    from srcad.backend import compile as comp

    calls = []

    def counting(text, filename, mode, *a, **k):
        calls.append(filename)
        return compile(text, filename, mode, *a, **k)

    monkeypatch.setattr(comp, "compile", counting, raising=False)
    return calls


def _rewrite(p, edit) -> None:
    """Rewrite entry `p`'s payload with `edit` (a valid digest: what the owner could write)."""
    import hashlib
    import marshal

    payload = disk._read(p)
    edit(payload)
    data = disk._MAGIC + marshal.dumps(payload)
    p.write_bytes(hashlib.sha256(data).hexdigest().encode() + b"\n" + data)


def test_entry_loads_its_compiled_factory(cache, monkeypatch):
    """A disk hit runs the stored bytecode (no compile(): issue 11, the 5 ms first call); an
    entry without it, or with a factory of other parameters, is compiled from its text."""
    ns = module()
    g1 = srcad.grad(ns["loss"])(X)
    np.testing.assert_allclose(g1, expected(X), rtol=1e-12)
    for edit in (None, lambda e: e.pop("code"), "other"):
        if edit == "other":

            def edit(e):
                code = compile("def _srcad_factory(a, b):\n    return {}\n", "<srcad x>", "exec")
                e["code"] = code.co_consts[0]

        if edit is not None:
            _rewrite(_entry(cache), edit)
        srcad.cache_clear()
        calls, compiles = builds(monkeypatch), _compiles(monkeypatch)
        g = srcad.grad(ns["loss"])(X)
        assert calls == []  # from disk
        assert len(compiles) == (0 if edit is None else 1)
        np.testing.assert_array_equal(g, g1)


def test_taken_label_renames_the_stored_code(cache, monkeypatch):
    """The stored factory was compiled under ``<srcad LABEL>``; when another text holds that
    name in this process (an earlier transform's), the hit registers ``#2`` and runs the stored
    code renamed, without compile() (it compiled again: the test above failed after tests that
    had left such a label), and errors still show the generated lines."""
    ns = module()
    g1 = srcad.grad(ns["loss"])(X)
    srcad.cache_clear()
    label = disk._read(_entry(cache))["label"]
    other = "def other():\n    pass\n"
    linecache.cache[f"<srcad {label}>"] = (len(other), None, other.splitlines(True), "x")
    try:
        calls, compiles = builds(monkeypatch), _compiles(monkeypatch)
        g = srcad.grad(ns["loss"])
        np.testing.assert_array_equal(g(X), g1)
        assert calls == [] and compiles == []
        (c,) = _CACHE.data.values()
        name = c.fn.__code__.co_filename  # ``#2``, or later when earlier tests took those
        assert name.startswith(f"<srcad {label}#")
        assert "".join(linecache.getlines(name)) == disk._read(_entry(cache))["text"]
    finally:
        del linecache.cache[f"<srcad {label}>"]


def test_fingerprint_follows_the_sources(tmp_path):
    """A source tree: an in-place edit of any file (same size, a new time) is another srcad; an
    installed wheel: its RECORD, which pip rewrites on every install."""
    from srcad.backend import diskkey

    pkg = tmp_path / "srcad"
    (pkg / "backend").mkdir(parents=True)
    (pkg / "__init__.py").write_text("x = 1\n")
    (pkg / "backend" / "diskkey.py").write_text("y = 1\n")
    before = diskkey._sources(str(pkg), "", [])
    os.utime(pkg / "backend" / "diskkey.py", ns=(1, 10**18))
    assert diskkey._sources(str(pkg), "", []) != before
    assert diskkey._installed(str(pkg), "0.1.0") is None
    info = tmp_path / "srcad-0.1.0.dist-info"
    info.mkdir()
    (info / "RECORD").write_text("srcad/__init__.py,sha256=a,6\n")
    assert diskkey._installed(str(pkg), "0.1.0") is None  # not this package's files
    (info / "RECORD").write_text("srcad/__init__.py,sha256=a,6\nsrcad/backend/diskkey.py,b,6\n")
    stamp = diskkey._installed(str(pkg), "0.1.0")
    assert stamp is not None
    (info / "RECORD").write_text("srcad/__init__.py,sha256=c,6\nsrcad/backend/diskkey.py,d,6\n")
    os.utime(info / "RECORD", ns=(1, 10**18))
    assert diskkey._installed(str(pkg), "0.1.0") not in (None, stamp)


def test_unlisted_sources_turn_the_cache_off(cache, monkeypatch):
    """srcad's files cannot be listed (a zip import, permissions): no fingerprint, so neither
    reads nor writes (the error was raised by the first transform, now at import: not at all)."""
    from srcad.backend import diskkey

    def unreadable(*a):
        raise PermissionError("no")

    monkeypatch.setattr(diskkey.STATE, "fingerprint", None)
    monkeypatch.setattr(diskkey, "_installed", lambda *a: None)
    monkeypatch.setattr(diskkey, "_sources", unreadable)
    ns = module()
    np.testing.assert_allclose(srcad.grad(ns["loss"])(X), expected(X), rtol=1e-12)
    assert not cache.exists() or list(cache.glob("*.srcad")) == []

"""Build one function from generated text, with the text registered in `linecache`.

Input: the text of one ``def``, the file name to give it, the globals it runs in, the name it
defines. Output: that function, its source readable (by tracebacks, `inspect`, srcad's frontend)
through the `linecache` entry, which is returned too and kept on the function
(``__srcad_text__``) so that the frontend puts it back after a `linecache.clearcache()` (IPython,
traceback printers). Serves the small trampolines and wrappers srcad writes as text
(`srcad.custom`, `srcad.starargs`, `srcad.libwrap`, `srcad.lower.api_calls`,
`srcad.backend.fnspec`); the file names are the callers' (tracebacks, the disk cache's text
digests and the goldens name them).
"""

from __future__ import annotations

import linecache
from typing import Any

Entry = tuple[int, None, list[str], str]


def define(text: str, filename: str, scope: dict[str, Any], name: str) -> tuple[Any, Entry]:
    """The function `name` that `text` defines, run in `scope` under `filename`, and the
    `linecache` entry now holding the text."""
    entry: Entry = (len(text), None, text.splitlines(True), filename)
    linecache.cache[filename] = entry
    exec(compile(text, filename, "exec"), scope)  # noqa: S102 (text srcad wrote, known names)
    fn = scope[name]
    fn.__srcad_text__ = entry  # `frontend/source.get_source` puts it back after a clearcache()
    return fn, entry

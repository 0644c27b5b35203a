"""Errors: every refusal is a `SrcadError` that points at the user's source.

Input: a message, an optional location (file, line, col, source line) and a hint.
Output: an exception whose text reads like a compiler diagnostic::

    loss.py:12:8: error: `try` is not supported by srcad
        try:
        ^
    hint: move the try/except outside the differentiated function
"""

from __future__ import annotations


class SrcadError(Exception):
    """Raised at transform time for anything srcad cannot lower or differentiate.

    Its message reads like a compiler diagnostic: file:line:col, the source line, a caret and a
    hint.

    Example:
        >>> import srcad
        >>> def f(x):
        ...     with open("log.txt") as log:
        ...         return x * x
        >>> try:
        ...     srcad.grad(f)(1.0)
        ... except srcad.SrcadError as e:
        ...     print(e.message)
        `with` statements are not supported
    """

    def __init__(
        self,
        message: str,
        *,
        filename: str | None = None,
        line: int | None = None,
        col: int | None = None,
        source_line: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.filename = filename
        self.line = line
        self.col = col
        self.source_line = source_line
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.filename is not None and self.line is not None:
            col = self.col if self.col is not None else 0
            parts.append(f"{self.filename}:{self.line}:{col + 1}: error: {self.message}")
            if self.source_line is not None:
                text = self.source_line.rstrip("\n")
                stripped = text.lstrip()
                indent = len(text) - len(stripped)
                parts.append("    " + stripped)
                parts.append("    " + " " * max(col - indent, 0) + "^")
        else:
            parts.append(f"error: {self.message}")
        if self.hint:
            parts.append(f"hint: {self.hint}")
        return "\n".join(parts)


class LoweringError(SrcadError):
    """A construct the frontend cannot lower to the IR."""


class DiffError(SrcadError):
    """A construct or primitive the JVP/VJP transforms cannot differentiate."""

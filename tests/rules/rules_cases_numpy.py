"""Rule cases of NumPy functions beyond the first release's (median, interp, kron, ...).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

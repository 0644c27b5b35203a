"""Rule cases of np.linalg decompositions (eigh, svd, qr, pinv, lstsq, ...).

Part of `tests/rules/rules_cases.py`, imported at its end.
Cases are added to `rules_cases.CASES` with `rules_cases.case`, the same as there."""

from __future__ import annotations

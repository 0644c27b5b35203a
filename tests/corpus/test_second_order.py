"""Second order on every corpus row marked ``extra="hvp"`` (all corpora, old and new): forward
over reverse against central differences of the gradient (`srcad.testing.check_grads`, order 2).

The hunts' test modules ran this for their own corpora only (the same test in four files); the
older corpora's rows (users_idioms3, users_classes2, ...) were run at second order by none.
"""

from __future__ import annotations

import copy

import pytest

from srcad.testing import check_grads
from tests.corpus import ALL_CASES, Case

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

HVP = [c for c in ALL_CASES if c.extra == "hvp"]


@pytest.mark.parametrize("case", HVP, ids=[c.name for c in HVP])
def test_second_order(case: Case) -> None:
    check_grads(case.fn, copy.deepcopy(case.args), modes=("fwd",), wrt=case.diff, order=2)

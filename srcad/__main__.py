"""``python -m srcad``: the same as the ``srcad`` console script."""

import sys

from srcad.cli import main

sys.exit(main())

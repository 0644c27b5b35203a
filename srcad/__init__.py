"""srcad: source-transformation automatic differentiation for Python and NumPy.

import srcad
g = srcad.grad(loss)(w)            # reverse mode
out, dout = srcad.jvp(f, (x,), (dx,))
print(srcad.source(loss))          # the generated derivative, plain Python
"""

__version__ = "0.1.0"  # first: the disk cache fingerprints srcad while it is imported

from srcad import api_examples
from srcad.api import (
    cache_clear,
    cache_info,
    defjvp,
    defvjp,
    grad,
    hessian,
    hvp,
    ir,
    jacfwd,
    jacobian,
    jacrev,
    jvp,
    primal,
    source,
    value_and_grad,
    vjp,
)
from srcad.checkpointing import checkpoint_loop
from srcad.custom import checkpoint, custom_jvp, custom_vjp, stop_gradient
from srcad.errors import SrcadError
from srcad.testing import check_grads

__all__ = [
    "SrcadError",
    "cache_clear",
    "cache_info",
    "check_grads",
    "checkpoint",
    "custom_jvp",
    "custom_vjp",
    "defjvp",
    "defvjp",
    "checkpoint_loop",
    "grad",
    "hessian",
    "hvp",
    "ir",
    "jacobian",
    "jacrev",
    "jacfwd",
    "jvp",
    "primal",
    "source",
    "stop_gradient",
    "value_and_grad",
    "vjp",
]

api_examples.attach()  # the docstrings' Example: sections (help(), the API reference)

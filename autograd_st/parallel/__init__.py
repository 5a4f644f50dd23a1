"""``mindspore.parallel``: the module paths training cells of MindSpore's model zoo import
(``from mindspore.parallel._utils import _get_device_num, _get_gradients_mean,
_get_parallel_mode``).

Takes: :mod:`autograd_st.parallel_context`.  Gives: the submodules ``_utils`` and
``_auto_parallel_context`` (``auto_parallel_context()``).
"""
from . import (
    _auto_parallel_context,  # noqa: F401  (mindspore.parallel._auto_parallel_context)
    _utils,  # noqa: F401  (mindspore.parallel._utils)
)

__all__: list = []

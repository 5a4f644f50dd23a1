"""``mindspore.common.dtype`` (``from mindspore.common import dtype as mstype``): the dtypes of
:mod:`autograd_st.dtype` under MindSpore's module path (``mstype.float32``, ``mstype.int32``).

Takes: :mod:`autograd_st.dtype`.  Gives: its names.
"""
from ..dtype import *  # noqa: F401,F403
from ..dtype import (  # noqa: F401
    ALIASES,
    byte,
    cdouble,
    cfloat,
    double,
    float_,
    half,
    intc,
    intp,
    long,
    short,
    single,
    ubyte,
    uintc,
    uintp,
    ushort,
)
from ..dtype import __all__ as _all

__all__ = list(_all) + list(ALIASES)

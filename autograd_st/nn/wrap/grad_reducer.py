"""``mindspore.nn.wrap.grad_reducer``: the module MindSpore 2.10 keeps
``DistributedGradReducer`` in (model-zoo training wrappers import it from here).

Takes: :mod:`autograd_st.nn.distributed`.  Gives: ``DistributedGradReducer`` (the same class
as ``nn.DistributedGradReducer``).
"""
from ..distributed import DistributedGradReducer

__all__ = ["DistributedGradReducer"]

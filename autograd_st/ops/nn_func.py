"""The functional forms the nn layers and losses are written with (``conv2d``, ``dense``,
``one_hot``, ``dropout``, ``assign``, ``depend`` ...).

Takes: the functions :mod:`autograd_st.op_table` derives from its ``NN_OPS`` rows (each over
one primitive of :mod:`autograd_st.rules_nn`, so it runs eagerly on Tensors and emits that
primitive when the compiler binds a ``construct`` that calls it).
Gives: them by name.  Those MindSpore also has as ``ops.<name>`` (:data:`PUBLIC`) are in
``autograd_st.ops`` too; ``nn_func.flatten`` (axes ``start_dim..end_dim``, the ``flatten``
primitive) is not ``ops.flatten``.
"""
from __future__ import annotations

from .. import table_nn, table_nn3d
from ..op_table import NN_FUNCTIONS

globals().update(NN_FUNCTIONS)

#: the names ``autograd_st.ops`` publishes as well.
PUBLIC = ("dense", "one_hot", "depend", "assign", "erf", "softplus", "dropout",
          "mixed_precision_cast") + table_nn.PUBLIC + table_nn3d.PUBLIC

__all__ = list(NN_FUNCTIONS)

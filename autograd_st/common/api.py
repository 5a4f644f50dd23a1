"""``mindspore.common.api`` (``from mindspore.common.api import jit``): ``jit`` under
MindSpore's module path, and ``Tensor``/``Parameter`` as that module re-exports them.

Takes: :mod:`autograd_st.context` (``jit``), :mod:`autograd_st.tensor`.
Gives: those names and ``_cell_graph_executor`` (what MindSpore's test utilities call to
compile a network without running it).  (MindSpore 2.10 has no ``ms_function`` here any
more: ``jit`` took its place.)
"""
from ..context import jit
from ..tensor import Parameter, Tensor

__all__ = ["jit", "Tensor", "Parameter"]


class _CellGraphExecutor:
    """MindSpore's ``_cell_graph_executor`` (``compile(obj, *args, phase='predict')``).
    MindSpore builds and type-checks the network's graph there without running it;
    autograd_st has no graph to build, so ``compile`` runs the network's forward once on the
    arguments (a shape or type error raises as MindSpore's compile raises it; unlike
    MindSpore, effects such as ``print`` run) and returns ``(phase string, True)`` as
    MindSpore does."""

    def compile(self, obj, *args, phase: str = "predict", **kwargs):
        obj(*args, **kwargs)
        return "%s.%d" % (phase, id(obj)), True


_cell_graph_executor = _CellGraphExecutor()

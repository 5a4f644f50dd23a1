"""``nn.GraphCell``: a loaded graph (``mindspore.load``) run as a Cell, for inference."""
from __future__ import annotations

from ..cell import Cell
from ..mindir import Graph

__all__ = ["GraphCell"]


class GraphCell(Cell):
    """MindSpore's ``nn.GraphCell(graph, params_init=None, obf_random_seed=None)``: calling it
    runs the loaded network in inference mode.  ``params_init`` (a dict of Parameter name to
    Tensor) sets Parameters' values first, as MindSpore's does."""

    def __init__(self, graph, params_init=None, obf_random_seed=None) -> None:
        super().__init__(auto_prefix=False)
        if not isinstance(graph, Graph):
            raise TypeError("For 'GraphCell', the argument 'graph' must be what mindspore.load "
                            "returns, but got %s." % type(graph).__name__)
        self.graph = graph
        self.network = graph.network
        if params_init:
            params = {p.name: p for p in self.network.get_parameters()}
            for name, value in params_init.items():
                if name not in params:
                    raise ValueError("For 'GraphCell', the parameter %r in 'params_init' is not "
                                     "in the graph." % name)
                params[name].set_data(value)

    def construct(self, *inputs):
        return self.network(*inputs)

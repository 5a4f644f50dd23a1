"""``mindspore.export`` and ``mindspore.load`` (the save-and-load tutorial's MINDIR step), in a
file format of autograd_st's own.

Takes: a Cell and example inputs.  Gives: a file that :func:`load` reads back into a
:class:`Graph`, which ``nn.GraphCell`` runs for inference.

MindSpore's MINDIR is a protobuf of its compiled graph, for MindSpore Lite and serving;
autograd_st has no graph of that kind.  The file written here holds the network itself
(pickled, with its Parameters' values) behind a header that says so; MindSpore cannot read
it, and :func:`load` refuses a MindSpore MINDIR file with a message saying so.  As with any
pickle, load only files you trust, in a program where the network's class can be imported
(the script that defined it).  ``file_format`` 'AIR' and 'ONNX' are refused.
"""
from __future__ import annotations

import os
import pickle

from .cell import Cell
from .tensor import Tensor

__all__ = ["export", "load", "Graph"]

_MAGIC = b"AUTOGRAD_ST GRAPH 1\n"


class Graph:
    """What :func:`load` gives: the exported network (in inference mode) and the shapes and
    dtypes of the inputs it was exported with."""

    def __init__(self, network: Cell, inputs: list) -> None:
        self.network = network
        self.inputs = inputs

    def __repr__(self) -> str:
        return "Graph(%s, inputs=%s)" % (type(self.network).__name__, self.inputs)


def _spec(value):
    if isinstance(value, Tensor):
        return (tuple(value.shape), str(value.dtype))
    if isinstance(value, (tuple, list)):
        return [_spec(v) for v in value]
    return type(value).__name__


def export(net, *inputs, file_name: str, file_format: str = "MINDIR", **kwargs) -> None:
    """``mindspore.export(net, *inputs, file_name, file_format, **kwargs)``: writes
    ``file_name`` + '.mindir' (the suffix added when missing), in autograd_st's own format
    (see the module docstring).  ``net`` must be a Cell."""
    if file_format not in ("AIR", "ONNX", "MINDIR"):
        raise ValueError("For 'export', 'file_format' must be one of ['AIR', 'ONNX', 'MINDIR'], "
                         "but got %s." % (file_format,))
    if file_format != "MINDIR":
        raise ValueError("For 'export', file_format=%r is not written by autograd_st (it has no "
                         "graph compiler for Ascend or ONNX); use file_format='MINDIR', which "
                         "ms.load and nn.GraphCell read back" % (file_format,))
    if not isinstance(net, Cell):
        raise TypeError("For 'export', the 'net' must be a Cell here, but got %s."
                        % type(net).__name__)
    path = file_name if file_name.endswith(".mindir") else file_name + ".mindir"
    payload = pickle.dumps({"network": net, "inputs": [_spec(x) for x in inputs]})
    with open(path, "wb") as fh:
        fh.write(_MAGIC + payload)
    os.chmod(path, 0o400)  # (MindSpore writes it read-only too)


def load(file_name: str, **kwargs) -> Graph:
    """``mindspore.load(file_name, **kwargs)``: the :class:`Graph` in a file :func:`export`
    wrote.  A missing file is MindSpore's ``ValueError``; a file of another kind (a MINDIR
    MindSpore wrote) is refused with a ``ValueError`` saying what can be read."""
    if not isinstance(file_name, str) or not os.path.exists(file_name):
        raise ValueError("For 'load', the argument 'file_name'(MindIR file) does not exist, "
                         "please check whether the 'file_name' is correct.")
    with open(file_name, "rb") as fh:
        data = fh.read()
    if not data.startswith(_MAGIC):
        raise ValueError("For 'load', %s is not a file autograd_st's export wrote: a MINDIR "
                         "that MindSpore compiled cannot be read here (it holds MindSpore's "
                         "graph, not the network). Export the network with autograd_st "
                         "(ms.export), or load its checkpoint (ms.load_checkpoint) into the "
                         "network's class" % file_name)
    content = pickle.loads(data[len(_MAGIC):])  # noqa: S301 (a file export wrote)
    network = content["network"]
    network.set_train(False)
    return Graph(network, content["inputs"])

"""Mixed precision, as MindSpore's ``amp`` applies it to a network (levels 'O2' and 'O3').

Takes: a network (a Cell), a level and its options.  Gives: the network cast with
:meth:`Cell.to_float` and wrapped as MindSpore 2.10 wraps it (its ``amp.py``, measured: the
same Cells at the same names, so Parameter names and checkpoints are unchanged):

- 'O3': the whole network in float16, its outputs cast back to float32 (``_OutputTo32``);
- 'O2': the same, but each BatchNorm and LayerNorm kept in float32 and wrapped so that its
  output is float16 again for the next layer (``_OutputTo16``);
- in a training network (``build_train_network``, ``Model``), the network's output and the
  labels cast to float32 before the loss (:class:`AmpWithLossCell`).

'O1' (float16 per white-listed operator, MindSpore's source rewriting) and 'auto' are not
applied: the network computes in float32, and :func:`check_level` warns so.
"""
from __future__ import annotations

import warnings

from .. import dtype as mstype
from ..cell import Cell
from ..ops import cast, mixed_precision_cast
from ..tensor import bump_structure_epoch
from .layers import BatchNorm1d, BatchNorm2d, LayerNorm, _CellSequence

__all__ = ["AMP_BLACK_LIST", "AmpWithLossCell", "OutputTo16", "OutputTo32",
           "auto_black_list", "check_level", "apply_level"]

#: the Cells level 'O2' keeps in float32 (MindSpore 2.10's ``AMP_BLACK_LIST``; BatchNorm3d
#: too where it exists)
AMP_BLACK_LIST = [BatchNorm1d, BatchNorm2d, LayerNorm]

LEVELS = ("O0", "O1", "O2", "O3", "auto")


def check_level(level: str, what: str) -> None:
    """MindSpore's level check, then the levels not applied here refused with a way out."""
    if not isinstance(level, str):
        raise TypeError("The argument `level` must be a string in ['O0', 'O1', 'O2', 'O3', "
                        "'auto'],but got type %s." % type(level))
    if level not in LEVELS:
        raise ValueError("For '%s', the argument 'level' must be one of 'O0', 'O1', 'O2', "
                         "'O3', 'auto', but got %r." % (what, level))
    if level in ("O1", "auto"):
        warnings.warn(
            "%s(level=%r): float16 per white-listed operator (MindSpore rewrites the network's "
            "code for it) is not applied by autograd_st: the network computes in float32. "
            "Use level='O2' (the network in float16, BatchNorm and LayerNorm in float32) or "
            "'O3' (all in float16) for float16" % (what, level), UserWarning, stacklevel=3)


class OutputTo16(Cell):
    """A Cell kept in float32 inside a float16 network ('O2'): its output cast to float16
    (MindSpore's ``_OutputTo16``; its Parameters keep their names)."""

    def __init__(self, backbone: Cell, dtype=mstype.float16) -> None:
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self.dtype = dtype
        _copy_level(self, backbone)

    def construct(self, *args):
        return cast(self._backbone(*args), self.dtype)


class OutputTo32(Cell):
    """A float16 network's float outputs cast back to float32 (MindSpore's
    ``_OutputTo32``; its Parameters keep their names)."""

    def __init__(self, backbone: Cell) -> None:
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        _copy_level(self, backbone)

    def construct(self, *args):
        return mixed_precision_cast(mstype.float32, self._backbone(*args))


class AmpWithLossCell(Cell):
    """The loss of a float16 network, computed in float32: its output and the labels cast
    to float32 first (the ``WithLossCell`` MindSpore's ``build_train_network`` makes at 'O2'
    and 'O3')."""

    def __init__(self, backbone: Cell, loss_fn: Cell) -> None:
        super().__init__(auto_prefix=False)
        self._backbone = backbone
        self._loss_fn = loss_fn
        _copy_level(self, backbone)

    def construct(self, data, label):
        out = self._backbone(data)
        label = mixed_precision_cast(mstype.float32, label)
        return self._loss_fn(mixed_precision_cast(mstype.float32, out), label)


def _copy_level(cell: Cell, backbone: Cell) -> None:
    level = backbone.__dict__.get("_amp_level")
    if level is not None:
        object.__setattr__(cell, "_amp_level", level)


def auto_black_list(network: Cell, dtype=mstype.float16) -> Cell:
    """The network in ``dtype`` with the Cells of :data:`AMP_BLACK_LIST` kept in float32 and
    wrapped by :class:`OutputTo16` (in place, at the same attribute names)."""
    network.to_float(dtype)
    _keep_float32(network, dtype)
    return network


def _keep_float32(network: Cell, dtype) -> None:
    for name, sub in list(network.name_cells().items()):
        if sub is network:
            continue
        if isinstance(sub, tuple(AMP_BLACK_LIST)):
            # put in its place as MindSpore does (network._cells[name] = ...), without the
            # renaming an assignment does: its Parameters keep their names
            wrapped = OutputTo16(sub.to_float(mstype.float32), dtype)
            network._cells[name] = wrapped
            if isinstance(network, _CellSequence):  # (SequentialCell, CellList)
                network.cell_list = tuple(c for c in network._cells.values() if c is not None)
            elif network.__dict__.get(name) is sub:
                object.__setattr__(network, name, wrapped)
            bump_structure_epoch()
        else:
            _keep_float32(sub, dtype)


def apply_level(network: Cell, level: str, cast_model_type=None,
                keep_batchnorm_fp32=None) -> Cell:
    """What ``build_train_network`` does to the network for ``level`` (MindSpore's
    ``_auto_mixed_precision_process`` without its source rewriting): float16 when the level
    or ``cast_model_type`` says so, BatchNorm and LayerNorm kept in float32 when
    ``keep_batchnorm_fp32`` (the default at 'O2')."""
    if level not in ("O2", "O3") and cast_model_type is None:
        return network
    fp16 = level in ("O2", "O3") if cast_model_type is None \
        else cast_model_type is mstype.float16
    keep = level == "O2" if keep_batchnorm_fp32 is None else keep_batchnorm_fp32
    if fp16:
        network.to_float(mstype.float16)
        if keep:
            _keep_float32(network, mstype.float16)
    return network

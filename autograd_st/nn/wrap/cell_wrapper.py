"""``mindspore.nn.wrap.cell_wrapper``: training wrappers: ``nn.WithLossCell`` (network +
loss in one Cell), ``nn.WithGradCell`` (the gradients by weights), ``nn.WithEvalCell`` and
``nn.TrainOneStepCell`` (loss, gradients and an optimizer step per call).

As in MindSpore, wrapping does not rename the wrapped network's parameters (MindSpore builds
these cells with ``auto_prefix=False``): ``fc1.weight`` stays ``fc1.weight``, which keeps the
optimizers' name-based weight-decay filter and checkpoints working.
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np

from ... import dtype as mstype
from ... import mpi_backend, parallel_context
from ...boundary.function import GradFunction
from ...cell import Cell
from ...ops import GradOperation, value_and_grad
from ...tensor import ParameterTuple, Tensor, unwrap
from ..distributed import DistributedGradReducer

__all__ = ["WithLossCell", "WithGradCell", "WithEvalCell", "TrainOneStepCell",
           "ForwardValueAndGrad"]


def _adopt(owner: Cell, name: str, child: Cell) -> None:
    """``setattr(owner, name, child)`` keeping the child's parameter names unprefixed."""
    names = [(p, p.name) for p in child.get_parameters()]
    setattr(owner, name, child)
    for p, old in names:
        p.name = old


class WithLossCell(Cell):
    """``loss_fn(backbone(data), label)``: the Cell to differentiate for training."""

    def __init__(self, backbone: Cell, loss_fn: Cell) -> None:
        super().__init__(auto_prefix=False)
        _adopt(self, "_backbone", backbone)
        _adopt(self, "_loss_fn", loss_fn)

    def construct(self, data, label):
        out = self._backbone(data)
        return self._loss_fn(out, label)

    @property
    def backbone_network(self) -> Cell:
        """The wrapped network (without the loss)."""
        return self._backbone


class WithGradCell(Cell):
    """MindSpore's ``nn.WithGradCell(network, loss_fn=None, sens=None)``: a call returns the
    gradients of ``loss_fn(network(data), label)`` (of ``network(*inputs)`` without
    ``loss_fn``) with respect to the network's trainable Parameters, a tuple in their
    order; ``sens`` is the output's gradient (default: ones)."""

    def __init__(self, network: Cell, loss_fn: Cell | None = None, sens=None) -> None:
        super().__init__(auto_prefix=False)
        _adopt(self, "network", network)
        self.loss_fn = loss_fn
        self.weights = ParameterTuple(network.trainable_params())
        self.grad = GradOperation(get_by_list=True, sens_param=sens is not None)
        self.sens = sens
        if loss_fn is None:
            self.network_with_loss = network
        else:
            _adopt(self, "network_with_loss", WithLossCell(network, loss_fn))
        self.network_with_loss.set_train()

    def construct(self, *inputs):
        if self.sens is None:
            return self.grad(self.network_with_loss, self.weights)(*inputs)
        return self.grad(self.network_with_loss, self.weights)(*inputs, self.sens)


class WithEvalCell(Cell):
    """MindSpore's ``nn.WithEvalCell(network, loss_fn, add_cast_fp32=False)``: one evaluation
    step, ``(loss_fn(network(data), label), network(data), label)`` (with ``add_cast_fp32``
    the outputs are cast to float32 first)."""

    def __init__(self, network: Cell, loss_fn: Cell, add_cast_fp32: bool = False) -> None:
        super().__init__(auto_prefix=False)
        _adopt(self, "_network", network)
        _adopt(self, "_loss_fn", loss_fn)
        self.add_cast_fp32 = bool(add_cast_fp32)

    def construct(self, data, label):
        outputs = self._network(data)
        if self.add_cast_fp32:
            outputs = outputs.astype(mstype.float32)
            label = label.astype(mstype.float32)
        loss = self._loss_fn(outputs, label)
        return loss, outputs, label


class ForwardValueAndGrad(Cell):
    """MindSpore's ``nn.ForwardValueAndGrad(network, weights=None, get_all=False,
    get_by_list=False, sens_param=False)``: called with the network's inputs (and the sens,
    last, with ``sens_param``), it returns ``(the network's output, the gradients)``, the
    gradients as ``GradOperation(get_all, get_by_list, sens_param)`` gives them."""

    def __init__(self, network, weights=None, get_all: bool = False, get_by_list: bool = False,
                 sens_param: bool = False) -> None:
        super().__init__(auto_prefix=False)
        if not (isinstance(network, Cell) or callable(network)) or isinstance(network, type):
            raise TypeError("For 'ForwardValueAndGrad', the argument 'network' must be cell, "
                            "function type or method type, but got '%s'" % type(network))
        for name, value in (("get_all", get_all), ("get_by_list", get_by_list)):
            if not isinstance(value, bool):
                raise TypeError("For 'ForwardValueAndGrad', the type of '%s' must be bool, but "
                                "got '%s'" % (name, type(value)))
        if get_by_list and not isinstance(weights, (ParameterTuple, tuple, list)):
            raise TypeError("For 'ForwardValueAndGrad', when 'get_by_list' is set to True, the "
                            "argument 'weights' must be Parameters array, but got '%s'"
                            % type(weights))
        self.network = network
        self.weights = weights
        self.get_all = get_all
        self.get_by_list = get_by_list
        self.sens_param = sens_param
        self.grad = GradOperation(get_all=get_all, get_by_list=get_by_list,
                                  sens_param=sens_param)

    def construct(self, *inputs):
        grad_inputs = inputs
        if self.sens_param:
            inputs = inputs[:-1]
        loss = self.network(*inputs)
        if self.get_by_list:
            grads = self.grad(self.network, self.weights)(*grad_inputs)
        else:
            grads = self.grad(self.network)(*grad_inputs)
        return loss, grads


class TrainOneStepCell(Cell):
    """One training step per call: ``loss, grads = value_and_grad(network)(*inputs)``, then
    ``optimizer(grads)``; returns the loss computed before the update.

    ``sens`` scales the gradients (the loss's initial gradient; default 1.0).  This Cell is
    not itself differentiated, so its ``construct`` is plain Python.

    Data parallel: under ``set_auto_parallel_context(parallel_mode=DATA_PARALLEL)`` (or
    ``HYBRID_PARALLEL``), as MindSpore's does, it builds ``self.grad_reducer =
    nn.DistributedGradReducer(self.weights, gradients_mean, group size)`` and all-reduces the
    gradients before the optimizer step, overlapped with the backward (the gradient is
    compiled with ready hooks: each bucket's all-reduce starts as soon as the backward has
    finished its gradients; see :mod:`autograd_st.nn.distributed`).  With
    ``parameter_broadcast=True`` in that context the weights are broadcast from rank 0 when
    the Cell is built.  Otherwise ``self.grad_reducer`` is an identity and nothing changes.

    As MindSpore's, it has ``self.grad`` (``GradOperation(get_by_list=True, sens_param=True)``),
    ``self.grad_no_sens``, ``self.weights``, ``self.sens``, ``self.reducer_flag`` and
    ``self.parallel_mode`` for a subclass's ``construct``.
    """

    def __init__(self, network: Cell, optimizer: Cell, sens: float | None = None,
                 return_grad: bool = False) -> None:
        super().__init__(auto_prefix=False)
        _adopt(self, "network", network)
        _adopt(self, "optimizer", optimizer)
        self.weights = optimizer.parameters
        self.sens = 1.0 if sens is None else float(sens)
        self.return_grad = bool(return_grad)
        object.__setattr__(self, "_grad_fn", None)
        # MindSpore's attributes, which subclasses' own ``construct`` use (model-zoo cells:
        # ``self.grad(self.network, self.weights)(*inputs, sens)``)
        self.grad = GradOperation(get_by_list=True, sens_param=True)
        self.grad_no_sens = GradOperation(get_by_list=True)
        self.parallel_mode = parallel_context.parallel_mode()
        self.reducer_flag = parallel_context.is_data_parallel()
        if self.reducer_flag:
            comm = mpi_backend.world()
            if parallel_context.get_auto_parallel_context("parameter_broadcast"):
                for p in self.weights:
                    unwrap(p)[...] = comm.broadcast(unwrap(p), 0)
            self.grad_reducer = DistributedGradReducer(
                self.weights, parallel_context.gradients_mean(), comm.size)
        else:
            self.grad_reducer = _identity

    def _value_and_grad(self):
        if self._grad_fn is None:
            fn = value_and_grad(self.network, None, self.weights)
            if self.reducer_flag:  # the backward reports each gradient as it completes
                fn = GradFunction(fn.fn, dataclasses.replace(fn.request, ready_hook=True))
            object.__setattr__(self, "_grad_fn", fn)
        return self._grad_fn

    def construct(self, *inputs) -> Any:
        if self.reducer_flag:
            reducer = self.grad_reducer
            reducer.begin()
            try:
                loss, grads = self._value_and_grad()(*inputs)
            except BaseException:
                reducer.abandon()
                raise
            grads = reducer.end(grads)
        else:
            loss, grads = self._value_and_grad()(*inputs)
        if self.sens != 1.0:
            grads = tuple(Tensor(np.asarray(unwrap(g)) * np.asarray(self.sens, unwrap(g).dtype))
                          for g in grads)
        self.optimizer(grads)
        if self.return_grad:
            return loss, grads
        return loss


def _identity(grads):
    """``grad_reducer`` outside data parallel (MindSpore's ``F.identity``)."""
    return grads

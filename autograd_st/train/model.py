"""``Model``: MindSpore 2.10's high-level training API (``mindspore.train.Model``, also
``mindspore.Model``) over autograd_st's networks, optimizers and gradients.

``Model(network, loss_fn=None, optimizer=None, metrics=None, eval_network=None,
eval_indexes=None, amp_level='O0', boost_level='O0', **kwargs)`` builds, as MindSpore does:

- the train network: ``TrainOneStepCell(WithLossCell(network, loss_fn), optimizer)`` (without
  ``loss_fn``, ``network`` itself computes the loss from all the dataset's columns); without
  an optimizer, ``WithLossCell(network, loss_fn)`` (train then only computes losses);
- the eval network: ``eval_network``, or (from ``loss_fn``) one returning
  ``(loss, outputs, label)`` for the metrics (``Loss`` gets the loss, the others
  ``(outputs, label)``).

Datasets.  ``train``/``eval`` take any object with ``create_tuple_iterator(num_epochs=...,
output_numpy=...)`` and ``get_dataset_size()`` (``autograd_st.dataset``'s datasets, or a
stand-in of your own).  Training iterates one ``create_tuple_iterator(num_epochs=epochs)``
of an ``autograd_st.dataset`` dataset through the epochs, as MindSpore does (a shuffled one
is reshuffled each epoch, in MindSpore's order); another dataset and evaluation iterate
``create_tuple_iterator(num_epochs=1, output_numpy=False)`` each epoch; each feeds each row (a tuple of Tensors or arrays) to the network, and
calls ``reset()`` afterwards when the dataset has one.  ``dataset_sink_mode=True`` runs as
``False``: MindSpore on CPU does the same (there is no device to sink data to).

Mixed precision.  ``amp_level='O2'`` and ``'O3'`` cast the network to float16 for training
as MindSpore's ``build_train_network`` does (``'O2'`` keeps BatchNorm and LayerNorm in
float32; the loss is computed in float32); ``'O1'`` and ``'auto'`` are accepted and not
applied (a warning says so).  ``'O2'`` brings a dynamic loss scale, which MindSpore refuses
on CPU; so does Model here (MindSpore's ``ValueError``): pass
``loss_scale_manager=None``.
``loss_scale_manager=FixedLossScaleManager(s, drop_overflow_update=False)`` scales the loss's
gradient by ``s``, undone by the optimizer's ``loss_scale``, as in MindSpore on CPU; the
managers that drop overflowing steps are refused, as there.

Progress.  ``Model.progress`` (class attribute, default ``'auto'``) shows a progress bar over
the steps of each epoch on stderr: with ``tqdm`` when it is installed, as a plain text line
otherwise; ``'auto'`` shows it only when stderr is a terminal, ``True`` always, ``False``
never.
"""
from __future__ import annotations

import sys

import numpy as np

from .. import mpi_backend
from ..cell import Cell
from ..dataset.core import Dataset
from ..nn import TrainOneStepCell, WithLossCell, mixed_precision
from ..nn.optim import Optimizer
from ..tensor import Tensor
from .callback import (
    INTERNAL_CALLBACKS,
    CallbackManager,
    InternalCallbackParam,
    LossMonitor,
    ModelCheckpoint,
    RunContext,
    TimeMonitor,
)
from .loss_scale_manager import DynamicLossScaleManager, LossScaleManager
from .metrics import Loss, get_metrics

# callbacks that print progress or write files: run on rank 0 only in a data-parallel job
_RANK0_ONLY = (LossMonitor, TimeMonitor, ModelCheckpoint)


def _tqdm_module():
    """tqdm when it is installed (optional: a nicer progress bar), else None; imported when a
    bar is first shown, not with the package (it costs about 0.1 s)."""
    try:
        import tqdm  # noqa: PLC0415 - an optional dependency, loaded on first use
    except ImportError:  # pragma: no cover - depends on the environment
        return None
    return tqdm

__all__ = ["Model"]

_AMP_LEVELS = ("O0", "O1", "O2", "O3", "auto")
_KWARGS = ("loss_scale_manager", "keep_batchnorm_fp32", "boost_config_dict", "acc_level")


class _EvalNet(Cell):
    """MindSpore's ``nn.WithEvalCell``: ``(loss_fn(network(data), label), outputs, label)``."""

    def __init__(self, network: Cell, loss_fn: Cell) -> None:
        super().__init__(auto_prefix=False)
        for name, child in (("_network", network), ("_loss_fn", loss_fn)):
            names = [(p, p.name) for p in child.get_parameters()]
            setattr(self, name, child)  # registered (set_train reaches it), names unprefixed
            for p, old in names:
                p.name = old

    def construct(self, data, label):
        outputs = self._network(data)
        return self._loss_fn(outputs, label), outputs, label


def _check_positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("For 'Model.train', the '%s' must be int and must > 0, but got '%s' "
                        "with type '%s'." % (name, value, type(value).__name__))
    if value <= 0:
        raise ValueError("For 'Model.train', the '%s' must be int and must > 0, but got '%s'."
                         % (name, value))
    return value


def _as_tensors(row) -> tuple:
    """A dataset row as a tuple of Tensors (arrays and numbers become Tensors)."""
    if isinstance(row, dict):
        row = tuple(row.values())
    elif not isinstance(row, (tuple, list)):
        row = (row,)
    return tuple(x if isinstance(x, Tensor) else Tensor(np.asarray(x)) for x in row)


def _rows(dataset):
    if not hasattr(dataset, "create_tuple_iterator"):
        raise TypeError("Model needs a dataset with create_tuple_iterator(num_epochs=..., "
                        "output_numpy=...) and get_dataset_size() (an autograd_st.dataset "
                        "dataset), but got %s" % type(dataset).__name__)
    return dataset.create_tuple_iterator(num_epochs=1, output_numpy=False)


def _size(dataset) -> int:
    if hasattr(dataset, "get_dataset_size"):
        return int(dataset.get_dataset_size())
    return sum(1 for _ in _rows(dataset))


class _Progress:
    """A progress bar over one epoch's steps: tqdm's when installed, a text line otherwise."""

    def __init__(self, enabled: bool, total: int, desc: str) -> None:
        self.enabled, self.total, self.desc, self.n = enabled, total, desc, 0
        self.bar = None
        tqdm = _tqdm_module() if enabled else None
        if tqdm is not None:
            self.bar = tqdm.tqdm(total=total, desc=desc, leave=False, file=sys.stderr)

    def update(self, loss) -> None:
        self.n += 1
        if not self.enabled:
            return
        if self.bar is not None:
            self.bar.update(1)
            if loss is not None:
                self.bar.set_postfix(loss="%.6g" % loss)
            return
        text = "\r%s: step %d/%d" % (self.desc, self.n, self.total)
        if loss is not None:
            text += ", loss %.6g" % loss
        sys.stderr.write(text)
        sys.stderr.flush()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        elif self.enabled and self.n:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _scalar_loss(outputs):
    out = outputs[0] if isinstance(outputs, (tuple, list)) and outputs else outputs
    if isinstance(out, Tensor):
        return float(np.mean(out.asnumpy()))
    return None


class Model:
    """MindSpore's ``Model``: ``train``, ``eval``, ``predict`` (see the module docstring)."""

    progress = "auto"

    def __init__(self, network, loss_fn=None, optimizer=None, metrics=None, eval_network=None,
                 eval_indexes=None, amp_level="O0", boost_level="O0", **kwargs) -> None:
        for arg in kwargs:
            if arg not in _KWARGS:
                raise ValueError("The argument in 'kwargs' should be 'loss_scale_manager' or "
                                 "'keep_batchnorm_fp32' or 'boost_config_dict' or 'acc_level', "
                                 "but got '%s'." % arg)
        if not isinstance(network, Cell):
            raise TypeError("For 'Model', the argument 'network' must be Cell, but got %s."
                            % type(network).__name__)
        if amp_level not in _AMP_LEVELS:
            raise ValueError("For 'Model', the argument 'amp_level' must be one of %s, but got "
                             "%r." % (list(_AMP_LEVELS), amp_level))
        if optimizer is None and amp_level != "O0":
            raise ValueError("Auto mixed precision will not work because 'optimizer' is None."
                             "Please set amp_level='O0' to disable auto mixed precision or set "
                             "'optimizer' not be None to use auto mixed precision.")
        if amp_level in ("O1", "auto"):
            mixed_precision.check_level(amp_level, "Model")  # (warns: not applied)
        if optimizer is not None and not isinstance(optimizer, Optimizer):
            raise TypeError("For 'Model', the argument 'optimizer' must be an nn optimizer, "
                            "but got %s." % type(optimizer).__name__)
        self._network = network
        self._loss_fn = loss_fn
        self._optimizer = optimizer
        self._amp_level = amp_level
        self._boost_level = boost_level
        self._keep_batchnorm_fp32 = kwargs.get("keep_batchnorm_fp32")
        self._loss_scale_manager = kwargs.get("loss_scale_manager")
        if self._loss_scale_manager is not None and optimizer is None:
            raise ValueError("The argument 'optimizer' can not be None when set "
                             "'loss_scale_manager'.")
        manager = self._loss_scale_manager
        if manager is None and amp_level == "O2" and "loss_scale_manager" not in kwargs:
            manager = DynamicLossScaleManager()  # what O2 brings in MindSpore
        if manager is not None:
            if not isinstance(manager, LossScaleManager):
                raise TypeError("For 'Model', the 'loss_scale_manager' must be a "
                                "LossScaleManager, but got %s." % type(manager).__name__)
            if manager.get_update_cell() is not None:
                raise ValueError("Only `loss_scale_manager=None` or "
                                 "`loss_scale_manager=FixedLossScaleManager(drop_overflow_update"
                                 "=False)`are supported on device `CPU`. ")
        self._metrics = metrics
        self._train_network = self._build_train_network()
        self._metric_fns = get_metrics(metrics)
        self._eval_network = eval_network
        self._eval_indexes = eval_indexes
        if self._metric_fns:
            self._build_eval_network(eval_network, eval_indexes)
        self._predict_network = network
        self._current_epoch_num = 0
        self._current_step_num = 0
        self.batch_num = -1

    # -- building ----------------------------------------------------------------------
    def _build_train_network(self) -> Cell:
        network = self._network
        if self._optimizer is not None:
            # amp_level 'O2' / 'O3': the network in float16 (as build_train_network casts it)
            network = mixed_precision.apply_level(network, self._amp_level,
                                                  keep_batchnorm_fp32=self._keep_batchnorm_fp32)
            if self._loss_fn is not None:
                fp16 = self._amp_level in ("O2", "O3")
                network = (mixed_precision.AmpWithLossCell if fp16 else WithLossCell)(
                    network, self._loss_fn)
            sens = None
            if self._loss_scale_manager is not None:
                sens = float(self._loss_scale_manager.get_loss_scale())
            return TrainOneStepCell(network, self._optimizer, sens=sens)
        if self._loss_fn is not None:
            return WithLossCell(network, self._loss_fn)
        return network

    def _build_eval_network(self, eval_network, eval_indexes) -> None:
        if eval_network is not None:
            if eval_indexes is not None and not (isinstance(eval_indexes, list)
                                                 and len(eval_indexes) == 3):
                raise ValueError("The argument 'eval_indexes' must be a list or None. If "
                                 "'eval_indexes' is a list, length of it must be three. But got "
                                 "'eval_indexes' %s" % (eval_indexes,))
            self._eval_network = eval_network
            self._eval_indexes = eval_indexes
            return
        if self._loss_fn is None:
            raise ValueError("If `metrics` is set, `eval_network` must not be None. Do not set "
                             "`metrics` if you don't want an evaluation. For one data, one label "
                             "and one logits, set `loss_fn` instead and Model builds the "
                             "evaluation network from `network` and `loss_fn`.")
        self._eval_network = _EvalNet(self._network, self._loss_fn)
        self._eval_indexes = [0, 1, 2]

    @property
    def train_network(self) -> Cell:
        """The network ``train`` runs for each step."""
        return self._train_network

    @property
    def predict_network(self) -> Cell:
        return self._predict_network

    @property
    def eval_network(self) -> Cell:
        return self._eval_network

    def _show_progress(self) -> bool:
        if mpi_backend.world().rank != 0:  # data parallel: rank 0 alone shows progress
            return False
        mode = self.progress
        if mode == "auto":
            return bool(getattr(sys.stderr, "isatty", lambda: False)())
        return bool(mode)

    # -- training ----------------------------------------------------------------------
    def train(self, epoch, train_dataset, callbacks=None, dataset_sink_mode=False, sink_size=-1,
              initial_epoch=0) -> None:
        """MindSpore's ``Model.train``: ``epoch`` epochs over ``train_dataset``, one optimizer
        step per row, calling the callbacks' ``on_train_*`` hooks with MindSpore's
        ``cb_params``.  ``initial_epoch`` resumes: epochs ``initial_epoch + 1 .. epoch`` run.
        A callback's ``run_context.request_stop()`` ends training after the current step."""
        self._train(epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch,
                    None)

    def _train(self, epoch, train_dataset, callbacks, dataset_sink_mode, sink_size,
               initial_epoch, valid_infos) -> None:

        if not isinstance(dataset_sink_mode, bool):
            raise TypeError("For 'Model.train', the 'dataset_sink_mode' must be bool, but got "
                            "%s." % type(dataset_sink_mode).__name__)
        if isinstance(sink_size, bool) or not isinstance(sink_size, int):
            raise TypeError("For 'Model.train', the 'sink_size' must be int, but got %s."
                            % type(sink_size).__name__)
        _check_positive_int(epoch, "epoch")
        if isinstance(initial_epoch, bool) or not isinstance(initial_epoch, int) \
                or initial_epoch < 0:
            raise ValueError("For 'Model.train', the 'initial_epoch' must be int and must >= 0, "
                             "but got %r." % (initial_epoch,))
        if initial_epoch >= epoch:
            raise ValueError("For 'Model.train', the parameter 'epoch' must bigger than parameter "
                             "'initial_epoch', but got the parameter 'epoch' is %d, "
                             "'initial_epoch' is %d." % (epoch, initial_epoch))
        dataset_size = _size(train_dataset)
        if dataset_size == 0:
            raise ValueError("There is no valid data in dataset, please check dataset file "
                             "firstly.")
        if sink_size < -1 or sink_size == 0:
            raise ValueError("For 'Model.train', The argument 'sink_size' must be -1 or "
                             "positive, but got %d." % sink_size)
        cb_params = InternalCallbackParam()
        cb_params.cur_step_num = 0
        cb_params.train_network = self._train_network
        cb_params.epoch_num = epoch - initial_epoch
        # MindSpore counts sink_size steps per "epoch" when asked to sink, even on CPU where
        # it then trains without sinking over the whole dataset (measured in its source)
        cb_params.batch_num = sink_size if dataset_sink_mode and sink_size > 0 else dataset_size
        self.batch_num = cb_params.batch_num
        cb_params.mode = "train"
        cb_params.loss_fn = self._loss_fn
        cb_params.optimizer = self._optimizer
        cb_params.parallel_mode = "stand_alone"
        cb_params.device_number = 1
        cb_params.train_dataset = train_dataset
        cb_params.list_callback = self._callback_list(callbacks)
        cb_params.train_dataset_element = None
        cb_params.network = self._network
        cb_params.last_save_ckpt_step = None
        cb_params.latest_ckpt_file = None
        cb_params.loss_scale_mananger = self._loss_scale_manager
        cb_params.initial_step = 0
        cb_params.dataset_sink_mode = False  # on CPU MindSpore trains without sinking, too
        with CallbackManager(cb_params.list_callback) as list_callback:
            self._train_process(epoch, train_dataset, list_callback, cb_params, initial_epoch,
                                valid_infos)

    @staticmethod
    def _callback_list(callbacks) -> list:
        if callbacks is None:
            return []
        out = list(callbacks) if isinstance(callbacks, (list, tuple)) else [callbacks]
        if mpi_backend.world().rank != 0:  # data parallel: rank 0 alone prints and saves
            out = [cb for cb in out if not isinstance(cb, _RANK0_ONLY)]
        return out

    def _train_process(self, epoch, dataset, list_callback, cb_params, initial_epoch,
                       valid_infos) -> None:
        run_context = RunContext(cb_params)
        list_callback.on_train_begin(run_context)
        show = self._show_progress()
        self._train_network.set_train(True)  # and it stays so, as in MindSpore
        # one iterator through the epochs, as MindSpore's (a shuffled dataset reshuffles in
        # each); a dataset of another kind is iterated anew each epoch
        epochs = dataset.create_tuple_iterator(num_epochs=max(epoch - initial_epoch, 1),
                                               output_numpy=False) \
            if isinstance(dataset, Dataset) else None
        for i in range(initial_epoch, epoch):
            cb_params.cur_epoch_num = i + 1
            self._current_epoch_num = i + 1
            self._current_step_num = 0
            list_callback.on_train_epoch_begin(run_context)
            bar = _Progress(show, cb_params.batch_num, "epoch %d/%d" % (i + 1, epoch))
            try:
                for row in (epochs if epochs is not None else _rows(dataset)):
                    row = _as_tensors(row)
                    if self._loss_fn is not None and len(row) != 2:
                        raise ValueError("When 'loss_fn' is not None, 'train_dataset' "
                                         "should return two elements, but got %d, please "
                                         "check the number of elements returned by "
                                         "'train_dataset'" % len(row))
                    cb_params.cur_step_num += 1
                    self._current_step_num = int((cb_params.cur_step_num - 1)
                                                 % cb_params.batch_num + 1)
                    cb_params.train_dataset_element = row
                    list_callback.on_train_step_begin(run_context)
                    outputs = self._train_network(*row)
                    cb_params.net_outputs = outputs
                    bar.update(_scalar_loss(outputs))
                    list_callback.on_train_step_end(run_context)
                    if run_context.get_stop_requested():
                        break
            finally:
                bar.close()
            self._eval_during_train(valid_infos, cb_params, list_callback)
            if hasattr(dataset, "reset"):
                dataset.reset()
            list_callback.on_train_epoch_end(run_context)
            cb_params.pop("metrics", None)
            cb_params.pop("eval_results", None)
            if run_context.get_stop_requested():
                break
        list_callback.on_train_end(run_context)

    def fit(self, epoch, train_dataset, valid_dataset=None, valid_frequency=1, callbacks=None,
            dataset_sink_mode=False, valid_dataset_sink_mode=False, sink_size=-1,
            initial_epoch=0) -> None:
        """MindSpore's ``Model.fit``: ``train``, evaluating ``valid_dataset`` after every
        ``valid_frequency``-th epoch (an int, or a list of epoch numbers); the results are in
        ``cb_params.metrics`` for that epoch's ``on_train_epoch_end`` (``LossMonitor`` prints
        them)."""
        if valid_dataset is None:
            self.train(epoch, train_dataset, callbacks, dataset_sink_mode, sink_size,
                       initial_epoch)
            return
        if not self._metric_fns:
            raise ValueError("For 'Model.fit', the model argument 'metrics' can not be None or "
                             "empty when 'valid_dataset' is given.")
        if isinstance(valid_frequency, bool) or not isinstance(valid_frequency, (int, list)):
            raise TypeError("For 'Model.fit', the 'valid_frequency' must be int or list, but got "
                            "%s." % type(valid_frequency).__name__)
        if isinstance(valid_frequency, int) and valid_frequency <= 0:
            raise ValueError("For 'Model.fit', the 'valid_frequency' must be > 0, but got %d."
                             % valid_frequency)
        self._train(epoch, train_dataset, callbacks, dataset_sink_mode, sink_size, initial_epoch,
                    (valid_dataset, valid_frequency))

    def _eval_during_train(self, valid_infos, cb_params, list_callback) -> None:
        """Model.fit's evaluation after a chosen epoch, in the training ``cb_params`` (mode
        'eval' meanwhile), with the user's callbacks (MindSpore leaves out its own but
        TimeMonitor); its results stay in ``cb_params.metrics`` and ``eval_results`` (with
        ``eval_loss``, which is the last batch's loss in MindSpore 2.10, measured) for this
        epoch's ``on_train_epoch_end``."""
        if not valid_infos:
            return
        dataset, frequency = valid_infos
        epoch = cb_params.cur_epoch_num
        if not (epoch % frequency == 0 if isinstance(frequency, int) else epoch in frequency):
            return
        saved = {k: cb_params[k] for k in ("cur_step_num", "batch_num", "dataset_sink_mode",
                                           "net_outputs") if k in cb_params}
        callbacks = [cb for cb in list_callback._callbacks  # MindSpore's test: by class name
                     if type(cb).__name__ not in INTERNAL_CALLBACKS or isinstance(cb, TimeMonitor)]
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = dataset
        cb_params.batch_num = _size(dataset)
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        for metric in self._metric_fns.values():
            metric.clear()
        with CallbackManager(callbacks) as eval_callbacks:
            self._eval_process(dataset, eval_callbacks, cb_params, add_eval_loss=True)
        cb_params.mode = "train"
        cb_params.update(saved)
        self._train_network.set_train(True)

    # -- evaluation --------------------------------------------------------------------
    def _update_metrics(self, outputs) -> None:
        if isinstance(outputs, Tensor):
            outputs = (outputs,)
        if not isinstance(outputs, tuple):
            raise ValueError("The argument 'outputs' should be tuple, but got %s."
                             % type(outputs))
        if self._eval_indexes is not None and len(outputs) < 3:
            raise ValueError("The length of 'outputs' must be >= 3, but got %d" % len(outputs))
        for metric in self._metric_fns.values():
            if self._eval_indexes is None:
                metric.update(*outputs)
            elif isinstance(metric, Loss):
                metric.update(outputs[self._eval_indexes[0]])
            else:
                metric.update(outputs[self._eval_indexes[1]], outputs[self._eval_indexes[2]])

    def eval(self, valid_dataset, callbacks=None, dataset_sink_mode=False) -> dict:
        """MindSpore's ``Model.eval``: runs the eval network over ``valid_dataset`` (in
        inference mode, ``set_train(False)``) and returns ``{metric name: value}``, e.g.
        ``{'accuracy': 0.75}``."""
        if not isinstance(dataset_sink_mode, bool):
            raise TypeError("For 'Model.eval', the 'dataset_sink_mode' must be bool, but got "
                            "%s." % type(dataset_sink_mode).__name__)
        if not self._metric_fns:
            raise ValueError("For Model.eval, the model argument 'metrics' can not be None or "
                             "empty, you should set the argument 'metrics' for model.")
        cb_params = InternalCallbackParam()
        cb_params.eval_network = self._eval_network
        cb_params.valid_dataset = valid_dataset
        cb_params.batch_num = _size(valid_dataset)
        cb_params.mode = "eval"
        cb_params.cur_step_num = 0
        cb_params.list_callback = self._callback_list(callbacks)
        cb_params.network = self._network
        cb_params.dataset_sink_mode = False
        for metric in self._metric_fns.values():
            metric.clear()
        with CallbackManager(cb_params.list_callback) as list_callback:
            return self._eval_process(valid_dataset, list_callback, cb_params)

    def _eval_process(self, dataset, list_callback, cb_params, add_eval_loss=False) -> dict:
        run_context = RunContext(cb_params)
        eval_loss = Loss()
        list_callback.on_eval_begin(run_context)
        list_callback.on_eval_epoch_begin(run_context)
        self._eval_network.set_train(False)  # and it stays so, as in MindSpore
        for row in _rows(dataset):
            cb_params.cur_step_num += 1
            row = _as_tensors(row)
            cb_params.eval_dataset_element = row
            list_callback.on_eval_step_begin(run_context)
            outputs = self._eval_network(*row)
            cb_params.net_outputs = outputs
            list_callback.on_eval_step_end(run_context)
            self._update_metrics(outputs)
            if add_eval_loss:  # MindSpore makes a new Loss at every step: eval_loss is
                eval_loss = Loss()  # the last batch's loss (measured), not the mean
                eval_loss.update(outputs[self._eval_indexes[0]] if self._eval_indexes
                                 else outputs[0] if isinstance(outputs, tuple) else outputs)
            if run_context.get_stop_requested():
                break
        list_callback.on_eval_epoch_end(run_context)
        if hasattr(dataset, "reset"):
            dataset.reset()
        metrics = {name: metric.eval() for name, metric in self._metric_fns.items()}
        cb_params.metrics = metrics
        if add_eval_loss:
            cb_params.eval_results = dict(metrics, eval_loss=eval_loss.eval())
        list_callback.on_eval_end(run_context)
        return metrics

    # -- prediction --------------------------------------------------------------------
    def build(self, train_dataset=None, valid_dataset=None, sink_size=-1, epoch=1):
        """MindSpore's ``Model.build``: the graph pre-compilation of dataset sink mode, which
        MindSpore 2.10 runs on Ascend only; on CPU it raises this RuntimeError (measured), and
        so does this one (there is no graph to build here)."""
        raise RuntimeError("Pre-init process only supports Ascend target currently.")

    def predict(self, *predict_data, backend=None, config=None):
        """MindSpore's ``Model.predict(*predict_data)``: the network's output in inference
        mode (``set_train(False)``, which stays set, as in MindSpore).  ``backend``/``config``
        (MindSpore Lite) are accepted and unused."""
        self._predict_network.set_train(False)
        return self._predict_network(*predict_data)

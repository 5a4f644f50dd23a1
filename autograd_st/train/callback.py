"""Training callbacks with MindSpore 2.10's protocol (``mindspore.train.callback``):
``Callback`` (``begin`` / ``epoch_begin`` / ``step_begin`` / ``step_end`` / ``epoch_end`` /
``end`` and the ``on_train_*`` / ``on_eval_*`` forms, which call the short ones by default),
``RunContext`` (``original_args()`` gives the ``cb_params``; ``request_stop()``),
``LossMonitor``, ``TimeMonitor``, ``CheckpointConfig`` and ``ModelCheckpoint``.

``cb_params`` is a dict whose keys read as attributes, with the fields ``Model.train`` and
``Model.eval`` fill in MindSpore: ``train_network``, ``network``, ``optimizer``, ``loss_fn``,
``epoch_num``, ``batch_num``, ``cur_epoch_num``, ``cur_step_num``, ``net_outputs``, ``mode``
(``'train'`` / ``'eval'``), ``dataset_sink_mode``, ``train_dataset``,
``train_dataset_element``, ``list_callback``, ``last_save_ckpt_step``, ``latest_ckpt_file``,
``eval_network``, ``valid_dataset``, ``eval_dataset_element``, ``metrics``.
"""
from __future__ import annotations

import math
import os
import time
import warnings
from contextlib import ExitStack

import numpy as np

from ..cell import Cell
from ..mpi_backend import job_rank
from ..serialization import save_checkpoint
from ..tensor import Tensor

__all__ = ["Callback", "RunContext", "LossMonitor", "TimeMonitor", "CheckpointConfig",
           "ModelCheckpoint", "LambdaCallback", "History", "EarlyStopping",
           "LearningRateScheduler", "ReduceLROnPlateau"]


def _say(*args, **kwargs) -> None:
    """``print`` on rank 0 of a job only: under ``mpiexec`` the other ranks' callbacks stay
    silent (MindSpore's print on every rank)."""
    if job_rank() == 0:
        print(*args, **kwargs)


INTERNAL_CALLBACKS = frozenset(__all__)
"""The callbacks of the package: ``Model.fit`` leaves them out of its evaluation (but
TimeMonitor), as MindSpore does with its own."""


class Callback:
    """Base class of callbacks.  Override the hooks you need; each ``on_train_*`` and
    ``on_eval_*`` hook calls its short form (``on_train_step_end`` -> ``step_end``) unless
    overridden, as in MindSpore.  A callback is also a context manager (``__enter__`` returns
    it), which ``Model`` enters for the length of a ``train`` or ``eval``."""

    def __enter__(self):
        return self

    def __exit__(self, *err):
        pass

    def begin(self, run_context):
        """Called once before the network runs."""

    def epoch_begin(self, run_context):
        """Called before each epoch."""

    def epoch_end(self, run_context):
        """Called after each epoch."""

    def step_begin(self, run_context):
        """Called before each step."""

    def step_end(self, run_context):
        """Called after each step."""

    def end(self, run_context):
        """Called once after the network ran."""

    def on_train_begin(self, run_context):
        self.begin(run_context)

    def on_train_epoch_begin(self, run_context):
        self.epoch_begin(run_context)

    def on_train_epoch_end(self, run_context):
        self.epoch_end(run_context)

    def on_train_step_begin(self, run_context):
        self.step_begin(run_context)

    def on_train_step_end(self, run_context):
        self.step_end(run_context)

    def on_train_end(self, run_context):
        self.end(run_context)

    def on_eval_begin(self, run_context):
        self.begin(run_context)

    def on_eval_epoch_begin(self, run_context):
        self.epoch_begin(run_context)

    def on_eval_epoch_end(self, run_context):
        self.epoch_end(run_context)

    def on_eval_step_begin(self, run_context):
        self.step_begin(run_context)

    def on_eval_step_end(self, run_context):
        self.step_end(run_context)

    def on_eval_end(self, run_context):
        self.end(run_context)


_HOOKS = ("begin", "epoch_begin", "epoch_end", "step_begin", "step_end", "end",
          "on_train_begin", "on_train_epoch_begin", "on_train_epoch_end", "on_train_step_begin",
          "on_train_step_end", "on_train_end", "on_eval_begin", "on_eval_epoch_begin",
          "on_eval_epoch_end", "on_eval_step_begin", "on_eval_step_end", "on_eval_end")


class CallbackManager(Callback):
    """Several callbacks as one: each hook calls every callback's, in order."""

    def __init__(self, callbacks) -> None:
        self._callbacks, self._stack = [], None
        if isinstance(callbacks, Callback):
            self._callbacks.append(callbacks)
        elif isinstance(callbacks, list):
            for cb in callbacks:
                if not isinstance(cb, Callback):
                    raise TypeError("When the 'callbacks' is a list, the elements in "
                                    "'callbacks' must be Callback functions.")
                self._callbacks.append(cb)
        elif callbacks is not None:
            raise TypeError("The 'callbacks' is not a Callback or a list of Callback.")

    def __enter__(self):
        if self._stack is None:
            self._stack = ExitStack().__enter__()
            entered = []
            for cb in self._callbacks:
                target = self._stack.enter_context(cb)
                entered.append(target if isinstance(target, Callback) else cb)
            self._callbacks = entered
        return self

    def __exit__(self, *err):
        stack, self._stack = self._stack, None
        return stack.__exit__(*err) if stack is not None else None


def _fan_out(name):
    def hook(self, run_context):
        for cb in self._callbacks:
            getattr(cb, name)(run_context)
    hook.__name__ = name
    hook.__doc__ = "Call ``%s`` of every callback." % name
    return hook


for _name in _HOOKS:
    setattr(CallbackManager, _name, _fan_out(_name))


class InternalCallbackParam(dict):
    """``cb_params``: a dict whose keys are also attributes."""

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None

    def __setattr__(self, key, value):
        self[key] = value


class RunContext:
    """MindSpore's ``RunContext(original_args)``: what a callback is given.
    ``original_args()`` returns the ``cb_params`` dict; ``request_stop()`` ends training after
    the current step."""

    def __init__(self, original_args) -> None:
        if not isinstance(original_args, dict):
            raise TypeError("The argument 'original_args' of RunContext should be dict type, "
                            "but got %s." % type(original_args))
        self._original_args = original_args
        self._stop_requested = False

    def original_args(self):
        return self._original_args

    def request_stop(self) -> None:
        self._stop_requested = True

    def get_stop_requested(self) -> bool:
        return self._stop_requested


def _check_non_negative_int(value, name: str, cls: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("For '%s', the '%s' must be int and must >= 0, but got '%s' with type "
                        "'%s'." % (cls, name, value, type(value).__name__))
    if value < 0:
        raise ValueError("For '%s', the '%s' must be int and must >= 0, but got '%s' with type "
                         "'int'." % (cls, name, value))
    return value


def loss_value(loss):
    """The loss a monitor prints: a Tensor's mean as a float, a tuple's first Tensor."""
    if isinstance(loss, (tuple, list)):
        if loss and isinstance(loss[0], Tensor):
            loss = loss[0]
        return loss
    if isinstance(loss, Tensor):
        return float(np.mean(loss.asnumpy()))
    return loss


class LossMonitor(Callback):
    """MindSpore's ``LossMonitor(per_print_times=1)``: prints
    ``epoch: E step: S, loss is L`` every ``per_print_times`` steps (0: never) and raises
    ``ValueError`` when the loss is NaN or infinite; after an epoch with evaluation results
    prints them."""

    def __init__(self, per_print_times: int = 1) -> None:
        super().__init__()
        _check_non_negative_int(per_print_times, "per_print_times", "LossMonitor")
        self._per_print_times = per_print_times
        self._last_print_time = 0

    def step_end(self, run_context):
        cb_params = run_context.original_args()
        epoch = cb_params.get("cur_epoch_num", 1)
        loss = loss_value(cb_params.net_outputs)
        step_in_epoch = (cb_params.cur_step_num - 1) % cb_params.batch_num + 1
        if isinstance(loss, float) and (np.isnan(loss) or np.isinf(loss)):
            raise ValueError("In epoch: %s step: %s, loss is NAN or INF, training process "
                             "cannot continue, terminating training." % (epoch, step_in_epoch))
        every = self._per_print_times
        if every != 0 and cb_params.cur_step_num <= self._last_print_time:
            while cb_params.cur_step_num <= self._last_print_time:
                self._last_print_time -= max(every, 1)
        if every != 0 and cb_params.cur_step_num - self._last_print_time >= every:
            self._last_print_time = cb_params.cur_step_num
            _say("epoch: %s step: %s, loss is %s" % (epoch, step_in_epoch, loss), flush=True)

    def on_train_epoch_end(self, run_context):
        cb_params = run_context.original_args()
        metrics = cb_params.get("metrics")
        if metrics:
            _say("Eval result: epoch %d, metrics: %s" % (cb_params.cur_epoch_num, metrics))


class TimeMonitor(Callback):
    """MindSpore's ``TimeMonitor(data_size=None, data_time=False)``: prints
    ``Train epoch time: T ms, per step time: S ms`` after each epoch (``data_time``: the time
    spent waiting for data too)."""

    def __init__(self, data_size=None, data_time: bool = False) -> None:
        super().__init__()
        if not isinstance(data_time, bool):
            raise TypeError("For 'TimeMonitor', the type of 'data_time' should be 'bool', but "
                            "got type '%s'." % type(data_time).__name__)
        self.data_size = data_size
        self.data_time = data_time
        self.epoch_time = time.time()
        self.data_time_sum = 0.0
        self.data_time_start = 0.0

    def on_train_step_begin(self, run_context):
        if self.data_time:
            self.data_time_sum += time.time() - self.data_time_start

    def on_train_step_end(self, run_context):
        if self.data_time:
            self.data_time_start = time.time()

    def epoch_begin(self, run_context):
        self.epoch_time = time.time()
        if self.data_time:
            self.data_time_sum = 0.0
            self.data_time_start = time.time()

    def epoch_end(self, run_context):
        epoch_ms = (time.time() - self.epoch_time) * 1000
        cb_params = run_context.original_args()
        steps = self.data_size
        batch_num = cb_params.get("batch_num")
        if isinstance(batch_num, int) and batch_num > 0:
            steps = batch_num
        if isinstance(steps, bool) or not isinstance(steps, int) or steps <= 0:
            raise ValueError("For 'TimeMonitor', the step count must be a positive int, but got "
                             "%r" % (steps,))
        log = "%s epoch time: %5.3f ms, per step time: %5.3f ms" % (
            str(cb_params.get("mode", "")).title(), epoch_ms, epoch_ms / steps)
        if self.data_time:
            log += " (data time: %5.3f ms)" % (self.data_time_sum * 1000 / steps)
        _say(log, flush=True)


class CheckpointConfig:
    """MindSpore's ``CheckpointConfig``: when ``ModelCheckpoint`` saves (every
    ``save_checkpoint_steps`` steps, or every ``save_checkpoint_seconds`` seconds) and how many
    files it keeps.  The signature and checks are MindSpore's; the arguments about encryption,
    parallel and asynchronous saving are recorded only."""

    def __init__(self, save_checkpoint_steps=1, save_checkpoint_seconds=0, keep_checkpoint_max=5,
                 keep_checkpoint_per_n_minutes=0, integrated_save=True, async_save=False,
                 saved_network=None, append_info=None, enc_key=None, enc_mode="AES-GCM",
                 exception_save=False, crc_check=False, remove_redundancy=False, format="ckpt",
                 **kwargs) -> None:
        cls = "CheckpointConfig"
        for name, value in (("save_checkpoint_steps", save_checkpoint_steps),
                            ("save_checkpoint_seconds", save_checkpoint_seconds),
                            ("keep_checkpoint_max", keep_checkpoint_max),
                            ("keep_checkpoint_per_n_minutes", keep_checkpoint_per_n_minutes)):
            if value is not None:
                _check_non_negative_int(value, name, cls)
        if saved_network is not None and not isinstance(saved_network, Cell):
            raise TypeError("For 'CheckpointConfig', the type of 'saved_network' must be None or "
                            "Cell, but got %s." % type(saved_network))
        if not (save_checkpoint_steps or save_checkpoint_seconds or keep_checkpoint_max
                or keep_checkpoint_per_n_minutes):
            raise ValueError("For 'CheckpointConfig', the input arguments "
                             "'save_checkpoint_steps', 'save_checkpoint_seconds', "
                             "'keep_checkpoint_max' and 'keep_checkpoint_per_n_minutes' can't be "
                             "all None or 0.")
        if format not in ("ckpt", "safetensors"):
            raise ValueError("For 'CheckpointConfig', the 'format' must be 'ckpt' or "
                             "'safetensors', but got %r." % (format,))
        self.save_checkpoint_steps = save_checkpoint_steps
        self.save_checkpoint_seconds = (None if save_checkpoint_steps else
                                        save_checkpoint_seconds)
        self.keep_checkpoint_max = keep_checkpoint_max
        self.keep_checkpoint_per_n_minutes = (None if keep_checkpoint_max else
                                              keep_checkpoint_per_n_minutes)
        self.integrated_save = integrated_save
        self.async_save = async_save
        self.saved_network = saved_network
        self.append_info = append_info
        self.append_dict = _handle_append_info(append_info)
        self.enc_key, self.enc_mode = enc_key, enc_mode
        self.exception_save = exception_save
        self.crc_check = crc_check
        self.remove_redundancy = remove_redundancy
        self.format = format
        self.kwargs = kwargs


_INFO_LIST = ["epoch_num", "step_num"]


def _handle_append_info(append_info):
    """MindSpore's ``CheckpointConfig.append_dict``: ``'epoch_num'`` / ``'step_num'`` (0 until
    a save fills them) and the entries of at most one dict, in MindSpore's order."""
    if append_info is None or append_info == []:
        return None
    if not isinstance(append_info, list):
        raise TypeError("For 'CheckpointConfig', the type of 'append_info' must be list,but got "
                        "%s." % type(append_info))
    out = {}
    for name in _INFO_LIST:
        if name in append_info:
            out[name] = 0
    dicts = 0
    for element in append_info:
        if not isinstance(element, (str, dict)):
            raise TypeError("For 'CheckpointConfig', the type of 'append_info' element must be "
                            "str or dict,but got %s." % type(element))
        if isinstance(element, str) and element not in _INFO_LIST:
            raise ValueError("For 'CheckpointConfig', the value of element in the argument "
                             "'append_info' must be in %s, but got %s." % (_INFO_LIST, element))
        if isinstance(element, dict):
            dicts += 1
            if dicts > 1:
                raise TypeError("For 'CheckpointConfig', the element of 'append_info' must has "
                                "only one dict, but got %d" % dicts)
            for key, value in element.items():
                if not isinstance(key, str) or not isinstance(value, (int, float, bool, str,
                                                                      Tensor)):
                    raise TypeError("For 'CheckpointConfig', the key type of the dict "
                                    "'append_info' must be string, the value type must be int "
                                    "or float or bool, but got key type %s, value type %s"
                                    % (type(key), type(value)))
                out[key] = value
    return out


class ModelCheckpoint(Callback):
    """MindSpore's ``ModelCheckpoint(prefix='CKP', directory=None, config=None)``.

    It decides, as MindSpore does, when a checkpoint is due (every ``save_checkpoint_steps``
    steps and at the end of training) and its file name
    (``{directory}/{prefix}-{epoch}_{step_in_epoch}.ckpt``), recorded in ``cb_params``
    (``latest_ckpt_file``, ``last_save_ckpt_step``) and in :attr:`checkpoint_files`.

    Each checkpoint is written with :func:`autograd_st.save_checkpoint` (MindSpore's
    ``.ckpt`` format) from the training network (its Parameters, the optimizer's state
    included), or the config's ``saved_network``, with the config's ``append_info``
    (``epoch_num`` / ``step_num`` filled at each save, as MindSpore); past
    ``keep_checkpoint_max`` the oldest file is deleted.
    """

    def __init__(self, prefix="CKP", directory=None, config=None) -> None:
        super().__init__()
        if not (callable(prefix) or (isinstance(prefix, str) and "/" not in prefix)):
            raise ValueError("For 'ModelCheckpoint', the argument 'prefix' for checkpoint file "
                             "name is invalid, it must be string or callable object that does "
                             "not contain '/', but got %r." % (prefix,))
        if directory is not None and not (isinstance(directory, str) or callable(directory)):
            raise ValueError("For 'ModelCheckpoint', the argument 'directory' must be str, a "
                             "callable or None, but got %r." % (directory,))
        if config is None:
            config = CheckpointConfig()
        elif not isinstance(config, CheckpointConfig):
            raise TypeError("For 'ModelCheckpoint', the type of argument 'config' should be "
                            "'CheckpointConfig', but got %s." % type(config))
        self._prefix = prefix
        self._directory = directory if directory is not None else os.getcwd()
        self._config = config
        self._last_triggered_step = 0
        self._last_time = time.time()
        self.checkpoint_files: list = []
        self._append_dict = dict(config.append_dict or {})
        self._append_epoch_num = self._append_dict.get("epoch_num", 0)
        self._append_step_num = self._append_dict.get("step_num", 0)

    @property
    def latest_ckpt_file_name(self):
        """The file name of the latest checkpoint due (None before the first)."""
        return self.checkpoint_files[-1] if self.checkpoint_files else None

    def step_end(self, run_context):
        self._save_ckpt(run_context.original_args())

    def end(self, run_context):
        self._save_ckpt(run_context.original_args(), force=True)

    def _due(self, cb_params, force: bool) -> bool:
        steps = self._config.save_checkpoint_steps
        if steps and steps > 0:
            return cb_params.cur_step_num >= self._last_triggered_step + steps or force
        seconds = self._config.save_checkpoint_seconds
        if seconds and seconds > 0:
            now = time.time()
            if now - self._last_time > seconds or force:
                self._last_time = now
                return True
        return False

    def _save_ckpt(self, cb_params, force: bool = False) -> None:
        if job_rank() != 0:
            return  # rank 0 alone writes checkpoints (the ranks' parameters are the same)
        if cb_params.cur_step_num == self._last_triggered_step or not self._due(cb_params, force):
            return
        prefix = self._prefix(cb_params) if callable(self._prefix) else self._prefix
        directory = self._directory(cb_params) if callable(self._directory) else self._directory
        step_in_epoch = int((cb_params.cur_step_num - 1) % cb_params.batch_num + 1)
        if callable(self._prefix):
            name = "%s.%s" % (prefix, self._config.format)
        else:
            name = "%s-%s_%s.%s" % (prefix, cb_params.cur_epoch_num, step_in_epoch,
                                    self._config.format)
        path = os.path.join(directory, name)
        os.makedirs(directory, exist_ok=True)
        network = self._config.saved_network
        if network is None:
            network = getattr(cb_params, "train_network", None) or cb_params.network
        if "epoch_num" in self._append_dict:
            self._append_dict["epoch_num"] = self._append_epoch_num + cb_params.cur_epoch_num
        if "step_num" in self._append_dict:
            self._append_dict["step_num"] = self._append_step_num + cb_params.cur_step_num
        if os.path.exists(path):  # (MindSpore writes its files read-only)
            os.chmod(path, 0o600)
            os.remove(path)
        save_checkpoint(network, path, append_dict=self._append_dict or None)
        self._last_triggered_step = cb_params.cur_step_num
        self.checkpoint_files.append(path)
        keep = self._config.keep_checkpoint_max
        if keep and len(self.checkpoint_files) > keep:
            old = self.checkpoint_files.pop(0)
            if os.path.exists(old) and old not in self.checkpoint_files:
                os.chmod(old, 0o600)
                os.remove(old)
        cb_params.latest_ckpt_file = path
        cb_params.last_save_ckpt_step = cb_params.cur_step_num


class LambdaCallback(Callback):
    """MindSpore's ``LambdaCallback``: a callback made of functions, one per ``on_train_*`` /
    ``on_eval_*`` hook (each taking ``run_context``); the hooks not given do nothing."""

    def __init__(self, on_train_epoch_begin=None, on_train_epoch_end=None,
                 on_train_step_begin=None, on_train_step_end=None, on_train_begin=None,
                 on_train_end=None, on_eval_epoch_begin=None, on_eval_epoch_end=None,
                 on_eval_step_begin=None, on_eval_step_end=None, on_eval_begin=None,
                 on_eval_end=None) -> None:
        super().__init__()
        given = dict(locals())
        for name in _HOOKS:
            if name.startswith("on_"):
                fn = given[name]
                setattr(self, name, fn if fn else _nothing)


def _nothing(run_context):
    """A hook that does nothing."""


class History(Callback):
    """MindSpore's ``History()``: after each epoch, appends the epoch's last network output
    (its mean, under ``'net_output'``) and the evaluation metrics of ``Model.fit`` to
    ``history`` (a dict of lists); ``epoch`` holds the epoch numbers."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict = {}
        self.epoch = None

    def begin(self, run_context):
        self.epoch = {"epoch": []}

    def epoch_end(self, run_context):
        cb_params = run_context.original_args()
        self.epoch.get("epoch").append(cb_params.get("cur_epoch_num", 1))
        output = cb_params.net_outputs
        if isinstance(output, (tuple, list)) and output and isinstance(output[0], Tensor):
            output = output[0]
        if isinstance(output, Tensor):
            output = np.mean(output.asnumpy())
        current = {"net_output": output}
        if cb_params.get("metrics"):
            current.update(cb_params.get("metrics"))
        for key, value in current.items():
            self.history.setdefault(key, []).append(value)


_SMALLER_IS_BETTER = ("hausdorff_distance", "mae", "mse", "loss", "perplexity",
                      "mean_surface_distance", "root_mean_square_distance", "eval_loss")


class EarlyStopping(Callback):
    """MindSpore's ``EarlyStopping(monitor='eval_loss', min_delta=0, patience=0,
    verbose=False, mode='auto', baseline=None, restore_best_weights=False)``: stops training
    when ``monitor`` (``'loss'``: the training loss; otherwise a result of ``Model.fit``'s
    evaluation, ``eval_loss`` or a metric name) has not improved by more than ``min_delta``
    for ``patience`` epochs; ``restore_best_weights`` puts back the Parameters of the best
    epoch.  ``mode`` 'auto' minimizes losses and errors and maximizes anything else."""

    def __init__(self, monitor="eval_loss", min_delta=0, patience=0, verbose=False, mode="auto",
                 baseline=None, restore_best_weights=False) -> None:
        super().__init__()
        if not isinstance(monitor, str):
            raise TypeError("For 'EarlyStopping', the 'monitor' must be str, but got %s."
                            % type(monitor).__name__)
        if isinstance(min_delta, bool) or not isinstance(min_delta, (int, float)):
            raise TypeError("For 'EarlyStopping', the 'min_delta' must be float or int, but got "
                            "%s." % type(min_delta).__name__)
        _check_non_negative_int(patience, "patience", "EarlyStopping")
        for name, value in (("verbose", verbose), ("restore_best_weights",
                                                   restore_best_weights)):
            if not isinstance(value, bool):
                raise TypeError("For 'EarlyStopping', the '%s' must be bool, but got %s."
                                % (name, type(value).__name__))
        if mode not in ("auto", "min", "max"):
            raise ValueError("mode should be 'auto', 'min' or 'max', but got %s." % (mode,))
        self.monitor, self.min_delta, self.patience = monitor, abs(min_delta), patience
        self.verbose, self.mode, self.restore_best_weights = verbose, mode, restore_best_weights
        # MindSpore keeps min_delta where the baseline should be (its check reads min_delta)
        self.baseline = min_delta if baseline else None
        self._minimize = mode == "min" or (mode == "auto" and monitor in _SMALLER_IS_BETTER)
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self._minimize else -np.inf
        self.best_weights = None

    def _improves(self, a, b) -> bool:
        if self._minimize:
            return bool(np.less(a, b - self.min_delta))
        return bool(np.greater(a, b + self.min_delta))

    def on_train_begin(self, run_context):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = np.inf if self._minimize else -np.inf
        self.best_weights = None

    def _value(self, cb_params):
        if self.monitor == "loss":
            value = loss_value(cb_params.get("net_outputs"))
        else:
            value = cb_params.get("eval_results", {}).get(self.monitor)
        if value is None:
            warnings.warn("%s is conditioned on %s, which is not available"
                          % (type(self).__name__, self.monitor), RuntimeWarning, stacklevel=3)
            return None
        if isinstance(value, np.ndarray) and value.shape != ():
            raise ValueError("EarlyStopping only supports scalar monitor now.")
        return np.array(value) if value else None

    def _snapshot(self, cb_params) -> dict:
        return {p.name: p.asnumpy().copy()
                for p in cb_params.train_network.get_parameters()}

    def on_train_epoch_end(self, run_context):
        cb_params = run_context.original_args()
        current = self._value(cb_params)
        if current is None:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self._snapshot(cb_params)
        self.wait += 1
        if self._improves(current, self.best):
            self.best = current
            if self.restore_best_weights:
                self.best_weights = self._snapshot(cb_params)
            if self.baseline is None or self._improves(current, self.baseline):
                self.wait = 0
        if self.wait >= self.patience:
            self.stopped_epoch = cb_params.get("cur_epoch_num")
            run_context.request_stop()
            if self.restore_best_weights and self.best_weights is not None:
                if self.verbose:
                    _say("Restoring model weights from the end of the best epoch.")
                for p in cb_params.train_network.get_parameters():
                    if p.name in self.best_weights:
                        np.copyto(p.asnumpy(), self.best_weights[p.name])

    def on_train_end(self, run_context):
        if self.stopped_epoch > 0 and self.verbose:
            _say("Epoch %05d: early stopping" % self.stopped_epoch)


class LearningRateScheduler(Callback):
    """MindSpore's ``LearningRateScheduler(learning_rate_function)``: after each step,
    ``learning_rate_function(lr, cur_step_num)`` gives the next learning rate, written into the
    optimizer's ``learning_rate`` Parameter (a constant learning rate; the optimizer reads it
    from the next step).  ``lr`` is the current one as MindSpore prints it
    (``np.array2string``)."""

    def __init__(self, learning_rate_function) -> None:
        super().__init__()
        self.learning_rate_function = learning_rate_function

    def step_end(self, run_context):
        cb_params = run_context.original_args()
        target = cb_params.optimizer.learning_rate
        lr = float(np.array2string(target.asnumpy()))
        new_lr = self.learning_rate_function(lr, cb_params.cur_step_num)
        if not math.isclose(lr, new_lr, rel_tol=1e-10):
            np.copyto(target.asnumpy(), np.float32(new_lr))


class ReduceLROnPlateau(Callback):
    """MindSpore's ``ReduceLROnPlateau(monitor='eval_loss', factor=0.1, patience=10,
    verbose=False, mode='auto', min_delta=1e-4, cooldown=0, min_lr=0)``: after ``patience``
    epochs without an improvement of ``monitor`` (as :class:`EarlyStopping` reads it), the
    optimizer's constant learning rate is multiplied by ``factor`` (not below ``min_lr``),
    then ``cooldown`` epochs pass before counting again.  A per-step or scheduled learning
    rate, or group learning rates, raise ``ValueError``, as in MindSpore."""

    def __init__(self, monitor="eval_loss", factor=0.1, patience=10, verbose=False,
                 mode="auto", min_delta=1e-4, cooldown=0, min_lr=0) -> None:
        super().__init__()
        if not isinstance(monitor, str):
            raise TypeError("For 'ReduceLROnPlateau', the 'monitor' must be str, but got %s."
                            % type(monitor).__name__)
        if isinstance(factor, bool) or not isinstance(factor, (int, float)) \
                or not 0.0 < factor < 1.0:
            raise ValueError("For 'ReduceLROnPlateau', the 'factor' must be in range of (0.0, "
                             "1.0), but got %r." % (factor,))
        _check_non_negative_int(patience, "patience", "ReduceLROnPlateau")
        _check_non_negative_int(cooldown, "cooldown", "ReduceLROnPlateau")
        if not isinstance(verbose, bool):
            raise TypeError("For 'ReduceLROnPlateau', the 'verbose' must be bool.")
        if mode not in ("auto", "min", "max"):
            raise ValueError("mode should be 'auto', 'min' or 'max', but got %s." % (mode,))
        for name, value in (("min_delta", min_delta), ("min_lr", min_lr)):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError("For 'ReduceLROnPlateau', the '%s' must be float or int, but "
                                "got %s." % (name, type(value).__name__))
        self.monitor, self.factor, self.patience = monitor, factor, patience
        self.verbose, self.mode, self.min_delta = verbose, mode, abs(min_delta)
        self.cooldown, self.min_lr = cooldown, min_lr
        self._minimize = mode == "min" or (mode == "auto" and monitor in _SMALLER_IS_BETTER)
        self.cooldown_counter = 0
        self.wait = 0
        self.best = np.inf if self._minimize else -np.inf

    _improves = EarlyStopping._improves
    _value = EarlyStopping._value

    def on_train_begin(self, run_context):
        self.cooldown_counter = 0
        self.wait = 0
        self.best = np.inf if self._minimize else -np.inf

    def on_train_epoch_end(self, run_context):
        cb_params = run_context.original_args()
        optimizer = cb_params.optimizer
        lrs = getattr(optimizer, "_lrs", ())
        if getattr(optimizer, "is_group_lr", False) or any(lr.value is None for lr in lrs):
            raise ValueError("ReduceLROnPlateau does not support dynamic learning rate and "
                             "group learning rate now.")
        current = self._value(cb_params)
        if current is None:
            return
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.wait = 0
        if self._improves(current, self.best):
            self.best = current
            self.wait = 0
        elif self.cooldown_counter <= 0:
            self.wait += 1
            if self.wait >= self.patience:
                lr = optimizer.learning_rate.asnumpy()
                if lr > np.float32(self.min_lr):
                    new_lr = max(lr * np.float32(self.factor), self.min_lr)
                    np.copyto(lr, np.float32(new_lr))
                    if self.verbose:
                        _say("Epoch %05d: ReduceLROnPlateau reducing learning rate to %s."
                              % (cb_params.cur_epoch_num, new_lr))
                self.cooldown_counter = self.cooldown
                self.wait = 0

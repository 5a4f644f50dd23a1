"""The data-parallel context: ``set_auto_parallel_context`` / ``get_auto_parallel_context`` /
``reset_auto_parallel_context`` and ``ParallelMode``, as MindSpore 2.10 spells them.

Takes: nothing from the package (the run context of floor 0).  Gives: the three functions,
``ParallelMode`` (also ``context.ParallelMode``) and the readers ``parallel_mode()``,
``gradients_mean()``, ``device_num()`` and ``is_data_parallel()`` that ``nn.TrainOneStepCell``,
``nn.DistributedGradReducer`` and ``train.Model`` ask.

Keys and defaults are MindSpore's (measured with ``get_auto_parallel_context`` on MindSpore
2.10 CPU: ``parallel_mode='stand_alone'``, ``gradients_mean=False``, ``device_num=1``, ...).
Here only ``DATA_PARALLEL`` (and ``HYBRID_PARALLEL``, which MindSpore's TrainOneStepCell
treats as data parallel) changes what runs: the training wrappers all-reduce the gradients
over the processes of the job.  ``semi_auto_parallel`` / ``auto_parallel`` (operator
sharding) are accepted and recorded but run as data parallel would not: nothing is sharded
(say so in what you build on them).  The other keys are recorded and returned only.
"""
from __future__ import annotations

import copy
from typing import Any

__all__ = ["ParallelMode", "set_auto_parallel_context", "get_auto_parallel_context",
           "reset_auto_parallel_context", "parallel_mode", "gradients_mean", "device_num", "is_set",
           "is_data_parallel"]


class ParallelMode:
    """MindSpore's ``ParallelMode``: the names of the parallel modes (strings)."""

    STAND_ALONE = "stand_alone"
    DATA_PARALLEL = "data_parallel"
    HYBRID_PARALLEL = "hybrid_parallel"
    SEMI_AUTO_PARALLEL = "semi_auto_parallel"
    AUTO_PARALLEL = "auto_parallel"
    MODE_LIST = [STAND_ALONE, DATA_PARALLEL, HYBRID_PARALLEL, SEMI_AUTO_PARALLEL, AUTO_PARALLEL]


# MindSpore 2.10's get_auto_parallel_context on CPU, per key (measured)
_DEFAULTS = {
    "parallel_mode": ParallelMode.STAND_ALONE, "gradients_mean": False, "device_num": 1,
    "global_rank": 0, "gradient_fp32_sync": True, "loss_repeated_mean": True,
    "parameter_broadcast": False, "full_batch": False, "search_mode": "recursive_programming",
    "auto_parallel_search_mode": "recursive_programming",
    "comm_fusion": {"openstate": True, "allreduce": {"mode": "auto", "config": None},
                    "allgather": {"mode": "auto", "config": None},
                    "reducescatter": {"mode": "auto", "config": None}},
    "strategy_ckpt_config": {"load_file": "", "save_file": "", "only_trainable_params": True},
    "dataset_strategy": "data_parallel", "enable_parallel_optimizer": False,
    "all_reduce_fusion_config": [], "pipeline_stages": 1, "grad_accumulation_step": 1,
    "strategy_ckpt_load_file": "", "strategy_ckpt_save_file": "",
    "parallel_optimizer_config": {}, "enable_alltoall": False, "auto_pipeline": False,
    "group_ckpt_save_file": "", "pipeline_config": {}, "dump_local_norm": False,
}
_CONTEXT: dict = copy.deepcopy(_DEFAULTS)
_SET: set = set()  # the keys set since the last reset (MindSpore's get_device_num_is_set)


def _positive_int(key: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("The context configuration parameter '%s' must be a positive integer, "
                         "but got the value of %s : %r." % (key, key, value))
    return value


def set_auto_parallel_context(**kwargs) -> None:
    """MindSpore's ``mindspore.set_auto_parallel_context(**kwargs)`` (also
    ``context.set_auto_parallel_context``).

    ``parallel_mode``: one of ``ParallelMode.MODE_LIST`` (``ValueError`` otherwise, with
    MindSpore's message); ``gradients_mean``: a bool (``TypeError`` otherwise): divide the
    all-reduced gradients by the group size; ``device_num`` / ``global_rank``: positive /
    non-negative ints, recorded (the group size used is the job's, from MPI).  An unknown key
    raises ``ValueError`` ("Set context keyword ... is not recognized!") before anything is set.
    """
    for key in kwargs:
        if key not in _DEFAULTS:
            raise ValueError("Set context keyword %s is not recognized!" % key)
    values = dict(kwargs)
    if "parallel_mode" in values:
        mode = values["parallel_mode"]
        if mode not in ParallelMode.MODE_LIST:
            raise ValueError("The context configuration parameter 'parallel_mode' only support "
                             "'stand_alone', 'data_parallel', 'hybrid_parallel', "
                             "'semi_auto_parallel' and 'auto_parallel', but got the value : %s."
                             % (mode,))
    for key in ("gradients_mean", "gradient_fp32_sync", "loss_repeated_mean",
                "parameter_broadcast", "full_batch", "enable_parallel_optimizer"):
        if key in values and not isinstance(values[key], bool):
            raise TypeError("The parameter '%s' must be <class 'bool'>, but got %s"
                            % (key, type(values[key])))
    if "device_num" in values:
        _positive_int("device_num", values["device_num"])
    if "global_rank" in values:
        rank = values["global_rank"]
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 0:
            raise ValueError("The context configuration parameter 'global_rank' must be a "
                             "non-negative integer, but got the value of global_rank : %r."
                             % (rank,))
    _CONTEXT.update(values)
    _SET.update(values)


def get_auto_parallel_context(attr_key: str) -> Any:
    """MindSpore's ``mindspore.get_auto_parallel_context(attr_key)``: the value set, or the
    default (``ValueError`` "Get context keyword ... is not recognized!" for another key)."""
    if attr_key not in _CONTEXT:
        raise ValueError("Get context keyword %s is not recognized!" % (attr_key,))
    return _CONTEXT[attr_key]


def reset_auto_parallel_context() -> None:
    """MindSpore's ``mindspore.reset_auto_parallel_context()``: every key back to its
    default (``stand_alone``, ``gradients_mean=False``, ``device_num=1``, ...)."""
    _CONTEXT.clear()
    _CONTEXT.update(copy.deepcopy(_DEFAULTS))
    _SET.clear()


def is_set(attr_key: str) -> bool:
    """Whether ``attr_key`` was set since the last reset (``device_num_is_set``)."""
    return attr_key in _SET


def parallel_mode() -> str:
    """The ``parallel_mode`` set."""
    return _CONTEXT["parallel_mode"]


def is_data_parallel() -> bool:
    """Whether the training wrappers all-reduce gradients: ``DATA_PARALLEL`` or
    ``HYBRID_PARALLEL`` (MindSpore's TrainOneStepCell's ``reducer_flag``)."""
    return _CONTEXT["parallel_mode"] in (ParallelMode.DATA_PARALLEL,
                                         ParallelMode.HYBRID_PARALLEL)


def gradients_mean() -> bool:
    """The ``gradients_mean`` set."""
    return bool(_CONTEXT["gradients_mean"])


def device_num() -> int:
    """The ``device_num`` set (1 by default)."""
    return int(_CONTEXT["device_num"])

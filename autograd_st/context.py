"""Run context and seeds: ``set_context`` / ``get_context``, ``PYNATIVE_MODE`` / ``GRAPH_MODE``,
``set_seed`` / ``get_seed`` and the ``jit`` decorator, as MindSpore 2.10 spells them.

Modes.  MindSpore runs a Cell op by op (``PYNATIVE_MODE``, 1, its default) or compiles
``construct`` into a graph first (``GRAPH_MODE``, 0).  Here both modes run the same code: a
Cell's ``construct`` runs eagerly on Tensors, and ``ops.grad`` & co. compile it into Python
source for the gradient whichever mode is set.  ``set_context(mode=...)`` is accepted and
recorded (``get_context('mode')`` returns it) so that MindSpore scripts run unchanged; it
changes no result.  Likewise ``jit`` returns the function it decorates, unchanged.

Keys.  ``set_context`` takes the keys MindSpore 2.10 takes (their defaults as MindSpore's
``get_context`` returned them on CPU, measured) and raises ``ValueError`` for any other, with
MindSpore's message; ``mode`` must be an int, 0 or 1; ``device_target`` one of 'CPU', 'GPU',
'Ascend', 'Davinci', and only 'CPU' is available (``RuntimeError`` otherwise, as MindSpore's
CPU build says).  The other keys are stored and returned, not acted on.

Seeds.  The random numbers this package draws come from two generators kept here:
:data:`INIT_RNG` (random Parameter initializers, ``nn.Dense`` weights ...) draws as
MindSpore's initializers draw (:mod:`autograd_st.ms_random`: a seed from ``numpy.random``
per initializer, then MindSpore's Philox generator), so ``set_seed(n)``, which seeds
``numpy.random`` as MindSpore's does, gives MindSpore's initial weights; as in MindSpore an
unseeded program starts from numpy's unseeded state.  An ``nn.Dropout`` made under a
seed draws MindSpore's own masks (``ms_random.DropoutStream``); :data:`DROPOUT_RNG` (the
other dropout masks) starts from seed 0 and ``set_seed`` reseeds it: reproducible, not
MindSpore's masks.
"""
from __future__ import annotations

import types
import warnings
import weakref
from typing import Any, Callable, Optional

import numpy as np

from .dataset import config as dataset_config
from .ms_random import InitRandom, reset_op_seeds
from .parallel_context import (  # noqa: F401  (mindspore.context has them too)
    ParallelMode,
    get_auto_parallel_context,
    reset_auto_parallel_context,
    set_auto_parallel_context,
)

__all__ = ["PYNATIVE_MODE", "GRAPH_MODE", "STRICT", "COMPATIBLE", "LAX", "set_context", "get_context", "set_device",
           "set_deterministic", "set_seed", "get_seed",
           "jit", "is_jit", "INIT_RNG", "DROPOUT_RNG", "reseed", "ParallelMode",
           "set_auto_parallel_context", "get_auto_parallel_context",
           "reset_auto_parallel_context"]

GRAPH_MODE = 0
PYNATIVE_MODE = 1
# jit_syntax_level (MindSpore's mindspore.STRICT / COMPATIBLE / LAX): recorded, as the mode
STRICT, COMPATIBLE, LAX = 0, 1, 2

INIT_RNG: list = [InitRandom()]
"""The generator random initializers draw from: MindSpore's own (:mod:`autograd_st.ms_random`:
each draw takes its seed from ``numpy.random``, which ``set_seed`` seeds).  A one-item list,
so a replacement is seen by every module holding it."""

DROPOUT_RNG = [np.random.default_rng(0)]
"""The generator dropout masks draw from."""

_GLOBAL_SEED: list = [None]

# MindSpore 2.10's context keys and what its get_context returned for each on CPU (measured).
_DEFAULTS = {
    'aoe_config': {}, 'aoe_job_type': '2', 'aoe_tune_mode': '', 'ascend_config': {},
    'atomic_clean_policy': '', 'bias_add_comm_swap': False, 'check_bprop': False,
    'compile_cache_path': '', 'compute_communicate_fusion_level': 0, 'conv_allow_hf32': '',
    'conv_allow_tf32': True, 'conv_dgrad_algo': 'normal', 'conv_fprop_algo': 'normal',
    'conv_wgrad_algo': 'normal', 'cur_step_num': 0, 'dataset_broadcast_opt_level': 0,
    'debug_level': 0, 'deterministic': 'OFF', 'device_id': 0, 'device_target': 'CPU',
    'disable_format_transform': False, 'enable_allreduce_slice_to_reducescatter': False,
    'enable_begin_end_inline_opt': False, 'enable_compile_cache': None,
    'enable_concat_eliminate_opt': False, 'enable_flash_attention_load_balance': False,
    'enable_fused_cast_add_opt': False, 'enable_grad_comm_opt': False,
    'enable_graph_kernel': False, 'enable_interleave_parallel_branch': False,
    'enable_interleave_split_concat_branch': False, 'enable_offloading_packed_experts': True,
    'enable_opt_shard_comm_opt': False, 'enable_parallel_split': False,
    'enable_profiling': False, 'enable_reduce_precision': True, 'enable_task_opt': False,
    'env_config_path': '', 'exec_order': 'bfs', 'ge_options': '', 'gpu_config': {},
    'graph_kernel_flags': '', 'hccl_watchdog': True, 'host_scheduling_max_threshold': '',
    'infer_boost': 'off', 'inter_op_parallel_num': 0, 'interleaved_layernorm_comm': False,
    'interleaved_matmul_comm': False, 'jit_compile': '', 'jit_config': {}, 'jit_level': '',
    'jit_syntax_level': 2, 'last_triggered_step': 0, 'matmul_allow_hf32': '',
    'matmul_allow_tf32': False, 'matmul_grad_comm_overlap': '', 'max_call_depth': 1000,
    'max_device_memory': 1024.0, 'memory_optimize_level': 0, 'mempool_block_size': 1.0,
    'mode': PYNATIVE_MODE, 'need_ckpt': False, 'op_debug_option': '', 'op_precision_mode': '',
    'op_timeout': 900, 'pp_1f1b_overlap': '', 'precision_mode': '', 'print_file_path': '',
    'profiling_options': 'training_trace', 'pynative_synchronize': False,
    'recompute_allgather_overlap_fagrad': False, 'recompute_comm_overlap': '',
    'runtime_num_threads': 2, 'save_checkpoint_steps': 0, 'save_graphs': 0,
    'save_graphs_path': '.', 'topo_order': '', 'variable_memory_max_size': '0',
}
# set through ascend_config in MindSpore: set_context(key=...) raises ValueError
_ASCEND_ONLY = ('precision_mode', 'jit_compile', 'atomic_clean_policy', 'matmul_allow_hf32',
                'conv_allow_hf32', 'op_precision_mode', 'host_scheduling_max_threshold',
                'ge_options', 'op_debug_option')
_DEVICES = ['CPU', 'GPU', 'Ascend', 'Davinci']
_CONTEXT: dict = dict(_DEFAULTS)


def set_context(**kwargs) -> None:
    """MindSpore's ``mindspore.set_context(**kwargs)`` (also ``context.set_context``).

    ``mode``: ``GRAPH_MODE`` (0) or ``PYNATIVE_MODE`` (1); both run the same generated code
    here (see the module docstring).  ``device_target``: 'CPU' (the only one here).  Every
    other MindSpore key is recorded and otherwise ignored; an unknown key raises
    ``ValueError`` before anything is set.
    """
    for key in kwargs:
        if key in _ASCEND_ONLY:
            raise ValueError("Please set '%s' through parameter ascend_config" % key)
        if key not in _DEFAULTS:
            raise ValueError(
                "For 'context.set_context', the keyword argument %s is not recognized! For "
                "detailed usage of 'set_context', please refer to the Mindspore official "
                "website." % key)
    if "device_target" in kwargs:
        target = kwargs["device_target"]
        if target not in _DEVICES:
            raise ValueError("For 'context.set_context', the argument 'device_target' must be "
                             "one of %s, but got %s." % (_DEVICES, target))
        if target != "CPU":
            raise RuntimeError("Unsupported device target %s. This process only supports one "
                               "of the ['CPU'] (autograd_st computes with numpy on the CPU)."
                               % target)
    if "mode" in kwargs:
        mode = kwargs["mode"]
        if not isinstance(mode, int) or isinstance(mode, bool):
            raise TypeError("The parameter 'mode' must be <class 'int'>, but got %s"
                            % type(mode))
        if mode not in (GRAPH_MODE, PYNATIVE_MODE):
            raise ValueError("For 'context.set_context', the argument 'mode' should be "
                             "context.GRAPH_MODE (0) or context.PYNATIVE_MODE (1), but got %s."
                             % mode)
    values = dict(kwargs)
    if "save_graphs" in values:
        value = values["save_graphs"]
        value = 2 if value is True else 0 if value is False else value
        if value > 3:
            raise ValueError("value for save_graphs should be 0-3 but got '%s'" % value)
        values["save_graphs"] = value
    _CONTEXT.update(values)


def _require_type(name: str, value, kind: type) -> None:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise TypeError("The parameter '%s' must be %s, but got %s" % (name, kind, type(value)))


def set_device(device_target: str, device_id: Optional[int] = None) -> None:
    """MindSpore's ``mindspore.set_device(device_target, device_id=None)`` (2.5+): the device
    to run on.  As in MindSpore: ``device_target`` one of 'CPU', 'GPU', 'Ascend' (spelled so;
    ``ValueError`` otherwise), ``device_id`` an int ``>= 0``.  Only 'CPU' runs here (numpy), so
    'GPU' and 'Ascend' raise the ``RuntimeError`` MindSpore's CPU build raises.
    ``get_context('device_target')`` / ``('device_id')`` return what was set."""
    if device_target not in ("CPU", "GPU", "Ascend"):
        raise ValueError("The argument 'device_target' must be one of ['CPU', 'GPU', 'Ascend'], "
                         "but got %s." % (device_target,))
    if device_target != "CPU":
        raise RuntimeError("Unsupported device target %s. This process only supports one of "
                           "the ['CPU'] (autograd_st computes with numpy on the CPU)."
                           % device_target)
    if device_id is not None:
        _require_type("device_id", device_id, int)
        if device_id < 0:
            raise ValueError("The device id must bigger than or equal to 0.")
        _CONTEXT["device_id"] = device_id
    _CONTEXT["device_target"] = device_target


def set_deterministic(deterministic: bool) -> None:
    """MindSpore's ``mindspore.set_deterministic(deterministic)``: a bool (``TypeError``
    otherwise), recorded as ``get_context('deterministic')`` 'ON' / 'OFF'.  numpy's kernels here
    are deterministic either way."""
    _require_type("deterministic", deterministic, bool)
    _CONTEXT["deterministic"] = "ON" if deterministic else "OFF"


def get_context(attr_key: str) -> Any:
    """MindSpore's ``mindspore.get_context(attr_key)``: the value set, or MindSpore's default
    (``get_context('mode')`` is ``PYNATIVE_MODE`` until ``set_context`` changes it)."""
    if attr_key not in _CONTEXT:
        raise ValueError("For 'context.get_context', the argument %s is not recognized! For "
                         "detailed usage of 'get_context', please refer to the Mindspore "
                         "official website." % (attr_key,))
    return _CONTEXT[attr_key]


def reseed(seed: int) -> None:
    """Reseed the initializers' stream (``numpy.random``, as MindSpore's) and the dropout
    generator (no checks, no global seed recorded)."""
    np.random.seed(seed)
    DROPOUT_RNG[0] = np.random.default_rng(seed)


def set_seed(seed: int) -> None:
    """MindSpore's ``mindspore.set_seed(seed)``: the global seed.

    Reseeds the generators of random initializers and dropout masks and ``numpy.random``
    (MindSpore seeds numpy too), so what follows is reproducible.  ``seed`` must be a Python
    int (``TypeError`` otherwise, bool included), ``>= 0`` and below ``2**32``
    (``ValueError``), as in MindSpore.
    """
    if isinstance(seed, bool):
        raise TypeError("For 'global_seed', the 'seed' must be int and must >= 0, but got "
                        "'%s' with type 'bool'." % seed)
    if not isinstance(seed, int):
        raise TypeError("The argument 'seed' must be type of int, but got %s." % type(seed))
    if seed < 0:
        raise ValueError("For 'global_seed', the 'seed' must be int and must >= 0, but got "
                         "'%d' with type 'int'." % seed)
    if seed >= 2 ** 32:
        raise ValueError("Seed must be between 0 and 2**32 - 1")
    np.random.seed(seed)
    reseed(seed)
    dataset_config.set_seed(seed)  # (MindSpore's set_seed seeds the data pipelines too)
    reset_op_seeds()  # (the ops made after it get MindSpore's op seeds from the first again)
    _GLOBAL_SEED[0] = seed


def get_seed() -> Optional[int]:
    """MindSpore's ``mindspore.get_seed()``: the seed given to :func:`set_seed`, or None."""
    return _GLOBAL_SEED[0]


_DEPRECATED_JIT_OPTIONS = {'mode': 'capture_mode', 'input_signature': 'dynamic',
                           'hash_args: ': '', 'jit_config': 'jit_level, fullgraph or options',
                           'compile_once': ''}


def jit(function: Optional[Callable] = None, *, capture_mode: str = "ast",
        jit_level: str = "O0", dynamic: int = 0, fullgraph: bool = False, backend: str = "",
        **options) -> Callable:
    """MindSpore's ``mindspore.jit``: usable bare (``@jit``), with arguments
    (``@jit(capture_mode='ast')``) and called (``jit(fn)``), on functions and on ``construct``.

    Here the decorated function runs as it did when called (eagerly, on Tensors), and its
    gradients take the fused path: ``ops.grad(jit(f))``, ``jit(ops.grad(f))``, a Cell whose
    ``construct`` is decorated, and a derivative of any of these compile the generated
    forward and adjoint code with numba (docs/jit.md), when numba is installed
    (``pip install autograd_st[jit]``); without it they run the numpy code, as any gradient
    does.  A function comes back as a marked copy (the original stays unmarked), a bound
    method as a method of one, a gradient function as a jitted one, a Cell as itself,
    remembered (:func:`is_jit`).  The arguments are checked as MindSpore
    checks them: ``capture_mode`` in 'ast', 'bytecode', 'trace'; ``jit_level`` 'O0' or 'O1';
    ``dynamic`` 0 or 1; ``fullgraph`` a bool; options MindSpore deprecated warn.
    """
    if capture_mode not in ("ast", "bytecode", "trace"):
        raise ValueError("For 'jit', the 'capture_mode' must be str and must be in "
                         "'['ast', 'bytecode', 'trace']', but got '%s'." % (capture_mode,))
    if jit_level not in ("O0", "O1"):
        raise ValueError("For 'jit', the 'jit_level' must be str and must be in '['O0', 'O1']',"
                         " but got '%s'." % (jit_level,))
    if isinstance(dynamic, bool) or not isinstance(dynamic, int) or dynamic not in (0, 1):
        raise ValueError("For 'jit', the 'dynamic' must be int and must be in [0, 1], but got "
                         "%r." % (dynamic,))
    if not isinstance(fullgraph, bool):
        raise TypeError("For 'jit', the 'fullgraph' must be bool, but got %s."
                        % type(fullgraph).__name__)
    if not isinstance(backend, str):
        raise TypeError("For 'jit', the 'backend' must be str, but got %s."
                        % type(backend).__name__)
    for key, instead in _DEPRECATED_JIT_OPTIONS.items():
        if key in options:
            warnings.warn("For 'jit', the parameter '%s' has been deprecated.%s"
                          % (key, " Please use the parameter '%s' instead." % instead
                             if instead else ""), DeprecationWarning, stacklevel=2)

    def wrap(fn: Callable) -> Callable:
        if not callable(fn):
            raise TypeError("For 'jit', the decorated object must be a function, a method or "
                            "a Cell, but got %s." % type(fn).__name__)
        return _marked(fn)

    if function is not None:
        return wrap(function)
    return wrap


_JIT_OBJECTS: "weakref.WeakSet" = weakref.WeakSet()  # Cells and callables given to jit
_MARK = "__autograd_st_jit__"


def _marked(fn: Callable) -> Callable:
    """``fn`` marked for the fused path (see :func:`jit`)."""
    if getattr(fn, "_autograd_st_grad_function", False):  # ops.grad(f) & co.: a GradFunction
        return fn.with_jit()  # type: ignore[attr-defined]
    if isinstance(fn, types.FunctionType):
        new = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__,
                                 fn.__closure__)
        new.__dict__.update(fn.__dict__)
        new.__kwdefaults__ = fn.__kwdefaults__
        new.__qualname__ = fn.__qualname__
        new.__module__ = fn.__module__
        new.__doc__ = fn.__doc__
        new.__annotations__ = dict(getattr(fn, "__annotations__", {}))
        setattr(new, _MARK, True)
        return new
    if isinstance(fn, types.MethodType):
        return types.MethodType(_marked(fn.__func__), fn.__self__)
    try:
        _JIT_OBJECTS.add(fn)
    except TypeError:  # (an object that cannot be referenced weakly stays unmarked)
        pass
    return fn


def is_jit(obj: Any) -> bool:
    """Whether ``obj`` (a function, method, Cell or gradient function) was given to
    :func:`jit`: its gradients take the fused path."""
    if getattr(obj, "_autograd_st_grad_function", False):
        return bool(getattr(obj, "jit", False))
    if isinstance(obj, types.MethodType):
        obj = obj.__func__
    if isinstance(obj, types.FunctionType):
        return bool(getattr(obj, _MARK, False))
    if getattr(getattr(type(obj), "construct", None), _MARK, False):
        return True
    try:
        return obj in _JIT_OBJECTS
    except TypeError:
        return False

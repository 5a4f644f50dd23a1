"""autograd_st: MindSpore-style automatic differentiation by source transformation, over numpy.

``ops.grad`` / ``ops.value_and_grad`` / ``ops.GradOperation`` compile the function (or a Cell's
``construct``) into Python source for its gradient, which ``autograd_st.dump`` shows.

``import autograd_st`` loads the data model (Tensor, Parameter, dtypes, the run context) and
the primitives with their Tensor methods; ``nn``, ``ops``, ``train``, ``dataset`` and the
other submodules load on first use (PEP 562), and the compiler (with gast and astor) on the
first compile.  ``from autograd_st import nn, ops`` works as always.
"""
import importlib as _importlib
from typing import TYPE_CHECKING

from . import (
    _aliases,  # noqa: F401  (mindspore.nn.loss.loss and its kind: module paths)
    context,
    dtype,
)
from . import op_table as _op_table  # noqa: F401  (the primitives and the Tensor methods)
from .cell import recompute
from .context import (  # noqa: F401
    COMPATIBLE,
    GRAPH_MODE,
    LAX,
    PYNATIVE_MODE,
    STRICT,
    ParallelMode,
    get_auto_parallel_context,
    get_context,
    get_seed,
    jit,
    reset_auto_parallel_context,
    set_auto_parallel_context,
    set_context,
    set_deterministic,
    set_device,
    set_seed,
)
from .dtype import (  # noqa: F401
    bool_,
    byte,
    cdouble,
    cfloat,
    complex64,
    complex128,
    double,
    dtype_to_nptype,
    dtype_to_pytype,
    float16,
    float32,
    float64,
    float_,
    half,
    int8,
    int16,
    int32,
    int64,
    intc,
    intp,
    long,
    pytype_to_dtype,
    short,
    single,
    ubyte,
    uint8,
    uint16,
    uint32,
    uint64,
    uintc,
    uintp,
    ushort,
)
from .generator import (  # noqa: F401
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    seed,
    set_rng_state,
)
from .graph import jit_class, lazy_inline, mutable, no_inline  # noqa: F401
from .mindir import export, load  # noqa: F401
from .sparse import COOTensor, CSRTensor  # noqa: F401
from .tensor import Parameter, ParameterTuple, Tensor

__version__ = "0.1.0"

# name -> the module that defines it, loaded on first use (a submodule: its own name)
_LAZY = {
    "common": ".common", "communication": ".communication", "dataset": ".dataset", "nn": ".nn",
    "numpy": ".numpy", "ops": ".ops",
    "log": ".log", "mindrecord": ".mindrecord", "parallel": ".parallel",  # (MindSpore's modules)
    "train": ".train", "mint": ".mint",
    "exec_source": ".compiler.parse",
    "register_vjp": ".rules",
    "save_checkpoint": ".serialization", "load_checkpoint": ".serialization",
    "load_param_into_net": ".serialization",
}
for _n in ("GradOperation", "dump", "get_grad", "grad", "jacfwd", "jacrev", "jvp", "value_and_grad", "vjp",
           "linearize", "vmap"):
    _LAZY[_n] = ".ops"
for _n in ("GradientCheckError", "check_grads", "check_jvp", "check_vjp", "numerical_grad",
           "numerical_jacobian", "numerical_jvp"):
    _LAZY[_n] = ".check"
for _n in ("F1", "MAE", "MSE", "Accuracy", "Fbeta", "Loss", "Metric", "Precision", "Recall",
           "Top1CategoricalAccuracy", "Top5CategoricalAccuracy", "TopKCategoricalAccuracy",
           "get_metric_fn", "names", "rearrange_inputs"):
    _LAZY[_n] = ".nn.metrics"
_LAZY["amp"] = ".amp"  # mindspore.amp
for _n in ("ConfusionMatrix", "CosineSimilarity", "Dice", "Perplexity", "ROC", "auc"):
    _LAZY[_n] = ".nn.metrics_more"
for _n in ("DynamicLossScaleManager", "FixedLossScaleManager", "LossScaleManager", "Model"):
    _LAZY[_n] = ".train"
for _n in ("Callback", "CheckpointConfig", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "LossMonitor", "ModelCheckpoint", "ReduceLROnPlateau",
           "RunContext", "TimeMonitor"):  # MindSpore publishes them at the top too
    _LAZY[_n] = ".train.callback"

if TYPE_CHECKING:  # what the lazy names are, for readers, type checkers and the layer checker
    from . import (  # noqa: F401
        amp,
        common,
        communication,
        dataset,
        log,
        mindrecord,
        mint,
        nn,
        numpy,
        ops,
        parallel,
        train,
    )
    from .check import (  # noqa: F401
        GradientCheckError,
        check_grads,
        check_jvp,
        check_vjp,
        numerical_grad,
        numerical_jacobian,
        numerical_jvp,
    )
    from .compiler.parse import exec_source  # noqa: F401
    from .nn.metrics import (  # noqa: F401
        F1,
        MAE,
        MSE,
        Accuracy,
        Fbeta,
        Loss,
        Metric,
        Precision,
        Recall,
        Top1CategoricalAccuracy,
        Top5CategoricalAccuracy,
        TopKCategoricalAccuracy,
        get_metric_fn,
        names,
        rearrange_inputs,
    )
    from .nn.metrics_more import (  # noqa: F401
        ROC,
        ConfusionMatrix,
        CosineSimilarity,
        Dice,
        Perplexity,
        auc,
    )
    from .ops import (  # noqa: F401
        GradOperation,
        dump,
        grad,
        jacfwd,
        jacrev,
        jvp,
        value_and_grad,
        vjp,
    )
    from .rules import register_vjp  # noqa: F401
    from .serialization import load_checkpoint, load_param_into_net, save_checkpoint  # noqa
    from .train import (  # noqa: F401
        DynamicLossScaleManager,
        FixedLossScaleManager,
        LossScaleManager,
        Model,
    )
    from .train.callback import (  # noqa: F401
        Callback,
        CheckpointConfig,
        EarlyStopping,
        History,
        LambdaCallback,
        LearningRateScheduler,
        LossMonitor,
        ModelCheckpoint,
        ReduceLROnPlateau,
        RunContext,
        TimeMonitor,
    )

__all__ = ["Tensor", "Parameter", "ParameterTuple", "dtype", "nn", "ops", "mint", "dataset", "amp", "common", "communication", "grad",
           "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "vmap", "register_vjp", "GradOperation", "dump", "get_grad", "float16", "float32", "float64", "int8",
           "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "complex64", "complex128", "bool_",
           "check_grads", "check_jvp", "check_vjp", "numerical_jvp", "numerical_grad",
           "numerical_jacobian", "GradientCheckError", "exec_source",
           "save_checkpoint", "load_checkpoint", "load_param_into_net", "context", "set_context",
           "get_context", "ParallelMode", "set_auto_parallel_context",
           "get_auto_parallel_context", "reset_auto_parallel_context", "set_seed", "get_seed", "jit", "PYNATIVE_MODE", "GRAPH_MODE", "STRICT", "COMPATIBLE", "LAX", "train",
           "Model", "LossScaleManager", "FixedLossScaleManager", "DynamicLossScaleManager",
           "Callback", "CheckpointConfig", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "LossMonitor", "ModelCheckpoint", "ReduceLROnPlateau",
           "RunContext", "TimeMonitor", "F1", "MAE", "MSE", "Accuracy", "Fbeta", "Loss",
           "Metric", "Precision", "Recall", "Top1CategoricalAccuracy", "Top5CategoricalAccuracy",
           "TopKCategoricalAccuracy", "get_metric_fn", "names", "rearrange_inputs", "ConfusionMatrix",
           "CosineSimilarity", "Dice", "Perplexity", "ROC", "auc", "from_numpy",
           "is_tensor", "double", "float_", "half", "single", "long", "short", "byte", "ubyte",
           "ushort", "intc", "intp", "uintc", "uintp", "cfloat", "cdouble", "numpy", "recompute",
           "dtype_to_nptype", "dtype_to_pytype", "pytype_to_dtype", "set_device",
           "set_deterministic", "Generator", "default_generator", "get_rng_state",
           "initial_seed", "manual_seed", "seed", "set_rng_state", "jit_class", "lazy_inline",
           "mutable", "no_inline", "COOTensor", "CSRTensor", "export", "load"]


def __getattr__(name: str):
    """Load the module behind a lazy name on first use (and keep the name here)."""
    try:
        where = _LAZY[name]
    except KeyError:
        raise AttributeError("module 'autograd_st' has no attribute %r" % name) from None
    module = _importlib.import_module(where, __name__)
    value = module if where == "." + name else getattr(module, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))



def from_numpy(array) -> Tensor:
    """MindSpore's ``ms.from_numpy(array)``: a Tensor sharing the numpy array's memory."""
    return Tensor(array)


def is_tensor(obj) -> bool:
    """MindSpore's ``ms.is_tensor(obj)``: whether ``obj`` is a Tensor (a Parameter is one)."""
    return isinstance(obj, Tensor)

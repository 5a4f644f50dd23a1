"""autograd_st: MindSpore-style automatic differentiation by source transformation, over numpy.

``ops.grad`` / ``ops.value_and_grad`` / ``ops.GradOperation`` compile the function (or a Cell's
``construct``) into Python source for its gradient, which ``autograd_st.dump`` shows.
"""
import importlib.util as _ilu

from . import context, dtype
from . import rules as _rules  # noqa: F401  (registers the primitives)
from .cell import recompute
from .context import (  # noqa: F401
    GRAPH_MODE,
    PYNATIVE_MODE,
    get_context,
    get_seed,
    jit,
    set_context,
    set_seed,
)
from .dtype import bool_, float16, float32, float64, int8, int16, int32, int64, uint8  # noqa: F401
from .tensor import Parameter, ParameterTuple, Tensor

if _ilu.find_spec(__name__ + ".rules_nn") is not None:
    from . import rules_nn as _rules_nn  # noqa: F401
from . import (  # noqa: E402
    common,
    dataset,
    nn,
    numpy,  # noqa: E402  (mindspore.numpy)
    ops,
    train,
)
from .check import (  # noqa: E402
    GradientCheckError,
    check_grads,
    check_jvp,
    check_vjp,
    numerical_grad,
    numerical_jacobian,
    numerical_jvp,
)
from .compiler.parse import exec_source  # noqa: E402
from .dtype import double, float_, half, single  # noqa: E402
from .nn.metrics import (  # noqa: E402
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
from .ops import GradOperation, dump, grad, jacfwd, jacrev, jvp, value_and_grad, vjp  # noqa
from .rules import register_vjp  # noqa: E402
from .serialization import load_checkpoint, load_param_into_net, save_checkpoint  # noqa: E402
from .train import DynamicLossScaleManager, FixedLossScaleManager, LossScaleManager, Model  # noqa: E402,E501
from .train.callback import (  # noqa: E402  (MindSpore publishes them at the top too)
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

__version__ = "0.1.0"

__all__ = ["Tensor", "Parameter", "ParameterTuple", "dtype", "nn", "ops", "dataset", "common", "grad",
           "value_and_grad", "jvp", "vjp", "jacfwd", "jacrev", "register_vjp", "GradOperation", "dump", "float16", "float32", "float64", "int8",
           "int16", "int32", "int64", "uint8", "bool_",
           "check_grads", "check_jvp", "check_vjp", "numerical_jvp", "numerical_grad",
           "numerical_jacobian", "GradientCheckError", "exec_source",
           "save_checkpoint", "load_checkpoint", "load_param_into_net", "context", "set_context",
           "get_context", "set_seed", "get_seed", "jit", "PYNATIVE_MODE", "GRAPH_MODE", "train",
           "Model", "LossScaleManager", "FixedLossScaleManager", "DynamicLossScaleManager",
           "Callback", "CheckpointConfig", "EarlyStopping", "History", "LambdaCallback",
           "LearningRateScheduler", "LossMonitor", "ModelCheckpoint", "ReduceLROnPlateau",
           "RunContext", "TimeMonitor", "F1", "MAE", "MSE", "Accuracy", "Fbeta", "Loss",
           "Metric", "Precision", "Recall", "Top1CategoricalAccuracy", "Top5CategoricalAccuracy",
           "TopKCategoricalAccuracy", "get_metric_fn", "names", "rearrange_inputs", "from_numpy",
           "is_tensor", "double", "float_", "half", "single", "numpy", "recompute"]


def from_numpy(array) -> Tensor:
    """MindSpore's ``ms.from_numpy(array)``: a Tensor sharing the numpy array's memory."""
    return Tensor(array)


def is_tensor(obj) -> bool:
    """MindSpore's ``ms.is_tensor(obj)``: whether ``obj`` is a Tensor (a Parameter is one)."""
    return isinstance(obj, Tensor)

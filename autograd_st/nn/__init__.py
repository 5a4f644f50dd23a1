"""``autograd_st.nn``: Cell and the layers, losses, optimizers and wrappers built on it."""
import importlib.util as _ilu

from ..cell import Cell

__all__ = ["Cell"]

for _mod in ("layers", "conv", "pooling", "activation", "loss", "losses2", "optim", "optim_more",
             "learning_rate_schedule", "dynamic_lr", "wrap", "rnn", "transformer"):
    if _ilu.find_spec(__name__ + "." + _mod) is not None:
        _m = __import__(__name__ + "." + _mod, fromlist=["__all__"])
        for _name in getattr(_m, "__all__", ()):
            globals()[_name] = getattr(_m, _name)
            __all__.append(_name)

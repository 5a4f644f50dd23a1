"""What the examples share: the data (scikit-learn's 8x8 digits when it is installed), a
callback that records the loss of every step, and the loss-curve plot (matplotlib when it
is installed; plain text otherwise).  The optional packages: ``pip install
"autograd_st[examples]"``."""
from __future__ import annotations

import numpy as np

from autograd_st.train import Callback

try:
    from sklearn.datasets import load_digits as _load_digits
except ImportError:  # the examples still run, on a synthetic stand-in
    _load_digits = None


def digits(seed: int = 0, test_fraction: float = 0.25):
    """``(x_train, y_train, x_test, y_test)``: the 1797 8x8 digit images scaled to [0, 1]
    (float32, flat rows of 64) and their int32 labels, split at random with ``seed``.
    Without scikit-learn: 10 classes of noisy synthetic 8x8 patterns, and a note saying so."""
    rng = np.random.default_rng(seed)
    if _load_digits is not None:
        data = _load_digits()
        x, y = data.data.astype(np.float32) / 16.0, data.target.astype(np.int32)
    else:
        print("scikit-learn is not installed: synthetic 8x8 patterns stand in for the digits")
        prototypes = rng.uniform(0.0, 1.0, (10, 64))
        y = rng.integers(0, 10, 1800).astype(np.int32)
        x = np.clip(prototypes[y] + 0.25 * rng.standard_normal((1800, 64)), 0, 1)
        x = x.astype(np.float32)
    order = rng.permutation(len(y))
    n_test = int(len(y) * test_fraction)
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


class LossCurve(Callback):
    """Records the loss of every training step (``losses``)."""

    def __init__(self) -> None:
        super().__init__()
        self.losses: list = []

    def on_train_step_end(self, run_context):
        outputs = run_context.original_args().net_outputs
        loss = outputs[0] if isinstance(outputs, (tuple, list)) else outputs
        self.losses.append(float(np.asarray(loss.asnumpy() if hasattr(loss, "asnumpy")
                                            else loss)))


def save_curve(losses, path: str, title: str) -> None:
    """The loss per step as a PNG at ``path`` (matplotlib), or a line saying why not."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot (loss %.4f -> %.4f over %d steps)"
              % (losses[0], losses[-1], len(losses)))
        return
    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.plot(np.arange(1, len(losses) + 1), losses, lw=1)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print("loss curve saved to", path)

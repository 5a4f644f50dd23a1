"""The examples (examples/*.py) run, shortened: a few epochs on a slice of the data, and the
training loss falls (the full runs and their accuracies are in the README)."""
import os
import sys

import numpy as np
import pytest

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "examples")
sys.path.insert(0, EXAMPLES)

import gru_digits  # noqa: E402
import lenet_digits  # noqa: E402
import quickstart_digits  # noqa: E402


@pytest.mark.parametrize("example, epochs", [(quickstart_digits, 4), (lenet_digits, 6),
                                             (gru_digits, 5)],
                         ids=["quickstart", "lenet", "gru"])
def test_a_short_run_trains(example, epochs, tmp_path, capsys):
    plot = str(tmp_path / "loss.png")
    accuracy, losses = example.main(epochs=epochs, plot=plot, limit=256)
    steps = len(losses) // epochs
    assert len(losses) == steps * epochs and steps == 8  # 256 rows in batches of 32
    assert np.all(np.isfinite(losses))
    assert np.mean(losses[-steps:]) < 0.85 * np.mean(losses[:steps])  # the loss falls
    assert 0.1 < accuracy <= 1.0  # better than chance on the held-out rows
    out = capsys.readouterr().out
    assert "held-out accuracy" in out
    assert os.path.exists(plot) or "matplotlib is not installed" in out

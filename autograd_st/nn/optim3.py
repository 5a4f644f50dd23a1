"""More optimizers with MindSpore 2.10's update formulas and state layout (filled below)."""
from __future__ import annotations

__all__: list = []

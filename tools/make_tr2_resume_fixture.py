"""Write tests/fixtures/checkpoints/tr2_resume_{momentum,adam}.ckpt with real MindSpore 2.10
(run in the side venv: ``../ms-venv/bin/python tools/make_tr2_resume_fixture.py``): the
train networks of the case ``tests/ms_cases/cases/tr2_resume_from_ms_ckpt.py`` after three
steps, saved by ``mindspore.save_checkpoint`` (its ``save_fixtures``)."""
from __future__ import annotations

import importlib.util
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    path = os.path.join(ROOT, "tests", "ms_cases", "cases", "tr2_resume_from_ms_ckpt.py")
    spec = importlib.util.spec_from_file_location("tr2_resume_case", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.save_fixtures(os.path.join(ROOT, "tests", "fixtures", "checkpoints"))


if __name__ == "__main__":
    main()

"""The two MindSpore tutorials run from examples/ and print exactly what the tutorials show
(compared token by token: one of the tutorial texts has its whitespace collapsed)."""
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# the tutorials' printed outputs, also kept here so the test runs without shared/
EXPECTED = {
    "autograd_tutorial.py": "(16, 1) 2 2\n"
                            "(Tensor(shape=[1], dtype=Float32, value= [ 5.00000000e+00]),)\n"
                            "wgrad: [0.]\nbgrad: [0.]\n",
    "gradoperation_tutorial.py": "[[4.5099998 2.7 3.6000001] [4.5099998 2.7 3.6000001]]\n"
                                 "(Tensor(shape=[1], dtype=Float32, value= [ 2.15359993e+01]),)\n"
                                 "[[2.211 0.51 1.49 ] [5.588 2.68 4.07 ]]\n",
}
SEED_OF = {"autograd_tutorial.py": "000_", "gradoperation_tutorial.py": "003_"}


def tokens(text: str) -> list:
    return text.split()


def seed_outputs(prefix: str) -> str:
    (path,) = [p for p in SEEDS.iterdir() if p.name.startswith(prefix)]
    return "\n".join(re.findall(r"```text(.*?)```", path.read_text(), re.S))


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_tutorial_prints_what_mindspore_prints(script):
    out = subprocess.run([sys.executable, str(ROOT / "examples" / script)], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert tokens(out.stdout) == tokens(EXPECTED[script])


@pytest.mark.skipif(not SEEDS.is_dir(), reason="shared/seeds is not beside the checkout")
@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_expected_text_is_the_tutorials_text(script):
    assert tokens(seed_outputs(SEED_OF[script])) == tokens(EXPECTED[script])

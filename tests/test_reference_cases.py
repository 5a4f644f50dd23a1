"""Every MindSpore reference case in ../shared/reference_cases gives MindSpore's numbers."""
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
RUNNER = ROOT.parent / "shared" / "reference_cases" / "run_cases.py"


def test_all_reference_cases_pass():
    assert RUNNER.exists(), "the reference cases must be beside the checkout: %s" % RUNNER
    out = subprocess.run([sys.executable, str(RUNNER), "-j", "2"], cwd=ROOT,
                         capture_output=True, text=True, timeout=900)
    failed = [line for line in out.stdout.splitlines() if line.startswith(("FAIL", "ERROR"))]
    assert out.returncode == 0 and not failed, "\n".join(failed) or out.stdout[-2000:]

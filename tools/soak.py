"""Soak the compiler with random programs for a given number of minutes.

    python tools/soak.py --minutes 30 --out soak_failures/
    python tools/soak.py --minutes 5 --features all        # the patterns waiting too
    python tools/soak.py --minutes 5 --features default,+struct_args,-mutation

Runs the generator of ``tests/program_gen.py`` (the one the default test run uses, there
with a fixed seed) in batches, each with a fresh random seed, with the features of
``program_gen.FEATURES`` that ``--features`` names (by default those on by default: a
feature waiting for compiler support is off unless named).  A failing program is shrunk by
hypothesis (for at most ``--shrink-seconds``) and saved in ``--out`` as a standalone
reproduction script (``python soak_failures/failure_001.py``); failures are grouped by a
signature (the error's type and first line, with numbers and generated names blanked) and
only the smallest program of each group is kept.  ``--out/summary.txt`` lists the groups;
the exit status is 1 when anything failed.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.join(ROOT, "tests"))

import program_gen as pg  # noqa: E402
from hypothesis import HealthCheck, Phase, given, reject, seed, settings  # noqa: E402


def signature(error: str) -> str:
    """What identifies a failure: its error line, with the details that vary blanked."""
    lines = [ln for ln in error.splitlines() if ln.strip()]
    head = lines[0] if lines else "?"
    # the check that failed (the assert_allclose err_msg line names it)
    what = next((ln.strip() for ln in lines if " vs " in ln or "gradient" in ln.lower()), "")
    sig = head + " | " + what
    sig = re.sub(r"<autograd_st[^>]*>", "<generated>", sig)
    sig = re.sub(r"(/[^\s:/]+)*/(rp|probe)_[0-9a-f]+_\d+\.py", "<module>", sig)
    sig = re.sub(r"\b(rp|probe)_[0-9a-f]+_\d+", "<module>", sig)
    sig = re.sub(r"[-+]?\d+(\.\d+)?(e[-+]?\d+)?", "N", sig)
    sig = re.sub(r"'[A-Za-z_]\w*'", "'NAME'", sig)
    return sig[:300]


class Soak:
    def __init__(self, out, minutes, batch, kinds, verbose, shrink_seconds=120.0,
                 features=pg.DEFAULT_FEATURES):
        self.shrink_seconds = shrink_seconds
        self.features = features
        self.out = out
        self.deadline = time.time() + 60.0 * minutes
        self.batch = batch
        self.kinds = kinds
        self.verbose = verbose
        self.checked = 0
        self.rejected = 0
        self.rejected_by_differences = 0    # of which: differences at two steps disagreed
        self.checks = {}        # check name -> programs it ran on
        self.uses = {}          # feature -> checked programs using it
        self.failing_runs = 0
        self.groups = {}        # signature -> dict(path, size, count, error)
        self.workdir = tempfile.mkdtemp(prefix="soak_programs_")

    def run_batch(self, batch_seed):
        last = {}

        @seed(batch_seed)
        @settings(max_examples=self.batch, deadline=None, database=None, derandomize=False,
                  report_multiple_bugs=False, print_blob=False,
                  # no explain phase: its tracer makes every shrinking step many times slower
                  phases=(Phase.explicit, Phase.generate, Phase.shrink),
                  suppress_health_check=list(HealthCheck))
        @given(program=pg.programs(kinds=self.kinds, features=self.features))
        def soak(program):
            if "at" in last and time.time() - last["at"] > self.shrink_seconds:
                return  # shrinking has had its time: stop it (the smallest failure is kept)
            try:
                done = pg.check_program(program, self.workdir)
            except pg.ProgramRejected as exc:
                self.rejected += 1
                self.rejected_by_differences += "differences" in str(exc)
                reject()
            except Exception as exc:  # noqa: BLE001 - a ProgramFailure, or a generator bug
                self.checked += 1
                last.setdefault("at", time.time())
                if "program" not in last or \
                        len(program.source) <= len(last["program"].source):
                    last["program"], last["error"] = program, (
                        str(exc) if isinstance(exc, pg.ProgramFailure) else
                        "%s: %s\n%s" % (type(exc).__name__, exc, pg.describe(exc)))
                raise
            self.checked += 1
            for name in set(done):
                self.checks[name] = self.checks.get(name, 0) + 1
            for name in program.uses():
                self.uses[name] = self.uses.get(name, 0) + 1

        try:
            soak()
        except Exception as exc:  # noqa: BLE001 - hypothesis re-raises the minimal failure
            if "program" not in last:
                raise
            self.failing_runs += 1
            self.save(last["program"], last["error"] or repr(exc))

    def save(self, program, error):
        sig = signature(error)
        size = len(program.source)
        group = self.groups.get(sig)
        if group is not None:
            group["count"] += 1
            if size >= group["size"]:
                return
            path = group["path"]
        else:
            path = os.path.join(self.out, "failure_%03d.py" % (len(self.groups) + 1))
            group = self.groups[sig] = {"count": 1}
        with open(path, "w") as fh:
            fh.write(pg.repro_script(program, error))
        group.update(path=path, size=size, error=error)
        print("FAILURE %s\n  %s\n  saved %s" % (sig, error.splitlines()[0] if error else "",
                                               path), flush=True)

    def write_summary(self, elapsed):
        lines = ["soak: %.1f minutes, %d programs checked, %d rejected (%d near a branch "
                 "threshold, %d where differences at two steps disagreed), %d failing runs, "
                 "%d distinct failures"
                 % (elapsed / 60.0, self.checked, self.rejected,
                    self.rejected - self.rejected_by_differences, self.rejected_by_differences,
                    self.failing_runs, len(self.groups)),
                 "features: %s" % ", ".join(sorted(self.features)),
                 "checks run (programs): %s" % ", ".join(
                     "%s %d" % kv for kv in sorted(self.checks.items())),
                 "features used (programs checked): %s" % ", ".join(
                     "%s %d" % kv for kv in sorted(self.uses.items()))]
        for sig, g in sorted(self.groups.items(), key=lambda kv: kv[1]["path"]):
            lines.append("%s  (x%d)  %s" % (os.path.basename(g["path"]), g["count"], sig))
        text = "\n".join(lines) + "\n"
        with open(os.path.join(self.out, "summary.txt"), "w") as fh:
            fh.write(text)
        return text


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--minutes", type=float, default=30.0, help="how long to run")
    ap.add_argument("--out", default="soak_failures", help="where to save reproductions")
    ap.add_argument("--batch", type=int, default=100,
                    help="programs per hypothesis run (each run has its own seed)")
    ap.add_argument("--kinds", default="function,cell", help="function, cell or both")
    ap.add_argument("--seed", type=int, default=None, help="seed of the batch seeds")
    ap.add_argument("--shrink-seconds", type=float, default=120.0,
                    help="how long hypothesis may shrink one failure")
    ap.add_argument("--features", default="default",
                    help="program_gen features: default, all, none, or a comma list of names "
                         "(+name adds to, -name takes from the default set); known: %s"
                         % ", ".join(pg.FEATURES))
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    soak = Soak(args.out, args.minutes, args.batch, kinds, args.verbose, args.shrink_seconds,
                pg.parse_features(args.features))
    master = random.Random(args.seed)
    start = time.time()
    batches = 0
    try:
        while time.time() < soak.deadline:
            soak.run_batch(master.getrandbits(64))
            batches += 1
            if args.verbose or batches % 10 == 0:
                print("%.1f min: %d programs checked, %d distinct failures"
                      % ((time.time() - start) / 60.0, soak.checked, len(soak.groups)),
                      flush=True)
    except KeyboardInterrupt:
        print("interrupted")
    finally:
        shutil.rmtree(soak.workdir, ignore_errors=True)
    print(soak.write_summary(time.time() - start), end="")
    return 1 if soak.groups else 0


if __name__ == "__main__":
    sys.exit(main())

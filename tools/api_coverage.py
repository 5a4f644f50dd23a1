"""How much of MindSpore's public API autograd_st has, namespace by namespace.

MindSpore's public names are saved in ``tools/api_coverage/<namespace>.txt`` (one name a
line), dumped once from real MindSpore 2.10 in the side venv::

    ../ms-venv/bin/python tools/api_coverage.py --dump

so the rest of the tool runs without MindSpore.  For each saved name it says what autograd_st
has:

- ``gradient``: the name exists and what it computes reaches a primitive with a reverse rule
  (its op-table row's primitive, or a ``P.<primitive>`` call read from its source, following
  the package's own functions it calls), so it differentiates;
- ``forward``: the name exists, but reaches no differentiable primitive (constructors,
  comparisons, shapes, utilities);
- ``missing``: autograd_st has no such name.

For the top-level ``mindspore`` namespace the split does not apply: a name is ``present`` or
``missing``.

Missing names are ranked by how often public MindSpore code calls them:
``tools/api_coverage/usage.txt`` holds the counts, made by::

    python tools/api_coverage.py --count-usage REPO_GIT_DIR [REPO_GIT_DIR ...]

over mirrors of public model-zoo repositories (``git grep`` of their ``*.py`` at HEAD; the
repositories and commits are written in the file's header).  ``ops.split(`` and ``F.split(``
count for the function ``split``; ``ops.Split(`` and ``P.Split(`` for the class; ``nn.Dense(``
for the nn class; ``.sum(`` anywhere for the Tensor method (an over-count: any object's
``sum`` method counts); ``ms.float32`` / ``mindspore.float32`` for top-level names.

``python tools/api_coverage.py`` prints the summary; ``--write`` writes
``docs/api_coverage.md`` (``tests/test_api_coverage.py`` fails when that file is not what
``--write`` would write now: rerun ``--write`` after adding ops).
"""
from __future__ import annotations

import argparse
import ast
import inspect
import os
import re
import subprocess
import sys
import textwrap
import types

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tools", "api_coverage")
DOC = os.path.join(ROOT, "docs", "api_coverage.md")
USAGE = os.path.join(DATA, "usage.txt")

#: (namespace, title, how MindSpore's names were listed)
NAMESPACES = (
    ("ops_functions", "`mindspore.ops` functions",
     "callables in `mindspore.ops.__all__` that are neither classes nor modules"),
    ("ops_classes", "`mindspore.ops` primitive classes",
     "classes in `mindspore.ops.__all__` that subclass `Primitive` or come from "
     "`mindspore.ops.composite` (`GradOperation`, `HyperMap` ...)"),
    ("nn_classes", "`mindspore.nn` classes", "classes in `mindspore.nn.__all__`"),
    ("tensor_methods", "`Tensor` methods and properties",
     "public attributes of `mindspore.Tensor`"),
    ("mindspore", "top-level `mindspore` names",
     "`mindspore.__all__` and the submodules tutorials import"),
    ("mint_functions", "`mindspore.mint` functions",
     "public callables in `dir(mindspore.mint)` that are neither classes nor modules, and "
     "those of `mint.linalg` and `mint.special` (named `linalg.<name>`, `special.<name>`)"),
    ("mint_nn", "`mindspore.mint.nn` classes and `mint.nn.functional` functions",
     "public classes in `dir(mindspore.mint.nn)` and callables in "
     "`dir(mindspore.mint.nn.functional)` (named `functional.<name>`)"),
    ("mint_optim", "`mindspore.mint.optim` classes",
     "public classes in `dir(mindspore.mint.optim)`"),
    ("experimental_optim", "`mindspore.experimental.optim` classes",
     "public classes in `dir(mindspore.experimental.optim)` and those of its `lr_scheduler` "
     "(named `lr_scheduler.<name>`)"),
)
TOP_MODULES = ("amp", "common", "communication", "context", "dataset", "mint", "nn", "numpy",
               "ops", "train")
GRADIENT, FORWARD, PRESENT, MISSING = "gradient", "forward", "present", "missing"


# ---------------------------------------------------------------------------------------
# MindSpore's names (side venv only)
# ---------------------------------------------------------------------------------------

def mindspore_names() -> dict:
    """Every namespace's public names, read from the installed MindSpore."""
    import mindspore as ms  # noqa: PLC0415  (the side venv only)
    from mindspore import nn, ops  # noqa: PLC0415
    from mindspore.ops import Primitive  # noqa: PLC0415

    def public(names):
        return sorted({n for n in names if n.isidentifier() and not n.startswith("_")})

    functions, classes = [], []
    for name in ops.__all__:
        obj = getattr(ops, name, None)
        if inspect.isclass(obj):
            if issubclass(obj, Primitive) or obj.__module__.startswith("mindspore.ops.composite"):
                classes.append(name)
        elif callable(obj) and not isinstance(obj, types.ModuleType):
            functions.append(name)
    return {
        "ops_functions": public(functions),
        "ops_classes": public(classes),
        "nn_classes": public(n for n in nn.__all__ if inspect.isclass(getattr(nn, n, None))),
        "tensor_methods": public(dir(ms.Tensor)),
        "mindspore": public(list(ms.__all__) + [m for m in TOP_MODULES if hasattr(ms, m)]),
        **_mint_names(public),
        "_version": ms.__version__,
    }


def _mint_names(public) -> dict:
    """The names of ``mindspore.mint`` and its submodules (side venv only)."""
    from mindspore import mint  # noqa: PLC0415  (the side venv only)
    from mindspore.experimental import optim  # noqa: PLC0415
    from mindspore.mint.nn import functional  # noqa: PLC0415

    def callables(module, prefix="", classes=False):
        out = []
        for name in public(dir(module)):
            obj = getattr(module, name)
            if isinstance(obj, types.ModuleType) or not callable(obj):
                continue
            if inspect.isclass(obj) == classes:
                out.append(prefix + name)
        return out

    return {
        "mint_functions": sorted(callables(mint) + callables(mint.linalg, "linalg.")
                                 + callables(mint.special, "special.")),
        "mint_nn": sorted(callables(mint.nn, classes=True)
                          + callables(functional, "functional.")),
        "mint_optim": sorted(callables(mint.optim, classes=True)),
        "experimental_optim": sorted(callables(optim, classes=True) + [
            n for n in callables(optim.lr_scheduler, "lr_scheduler.", True)  # its own only
            if getattr(optim.lr_scheduler, n[13:]).__module__ == optim.lr_scheduler.__name__]),
    }


def dump() -> None:
    names = mindspore_names()
    os.makedirs(DATA, exist_ok=True)
    for ns, _title, how in NAMESPACES:
        with open(os.path.join(DATA, ns + ".txt"), "w", encoding="utf-8") as fh:
            fh.write("# MindSpore %s: %s\n" % (names["_version"], how))
            fh.write("\n".join(names[ns]) + "\n")
        print("%s: %d names" % (ns, len(names[ns])))


def saved_names(ns: str) -> list:
    """The names saved for namespace ``ns`` (sorted, comments dropped)."""
    with open(os.path.join(DATA, ns + ".txt"), encoding="utf-8") as fh:
        return [ln.strip() for ln in fh if ln.strip() and not ln.startswith("#")]


# ---------------------------------------------------------------------------------------
# usage counts
# ---------------------------------------------------------------------------------------

_PATTERNS = {
    "ops_functions": r"\b(?:ops|F|functional|ops\.function)\.([a-z_][A-Za-z0-9_]*)\(",
    "ops_classes": r"\b(?:ops|P|operations|ops\.operations)\.([A-Z][A-Za-z0-9_]*)\(",
    "nn_classes": r"\bnn\.([A-Z][A-Za-z0-9_]*)\(",
    "tensor_methods": r"\.([a-z_][A-Za-z0-9_]*)\b",
    "mindspore": r"\b(?:ms|mindspore)\.([A-Za-z_][A-Za-z0-9_]*)\b",
}


def count_usage(git_dirs: list) -> None:
    """Write :data:`USAGE`: per namespace and name, the calls in the repos' ``*.py``."""
    counts: dict = {}
    header = []
    for git_dir in git_dirs:
        head = subprocess.run(["git", "--git-dir", git_dir, "rev-parse", "HEAD"],
                              capture_output=True, text=True, check=True).stdout.strip()
        header.append("# %s at %s" % (git_dir.rstrip("/").split("/")[-2], head))
        for ns, pattern in _PATTERNS.items():
            grep = pattern if ns != "tensor_methods" else r"\.[a-z_][A-Za-z0-9_]*\("
            out = subprocess.run(["git", "--git-dir", git_dir, "grep", "-ohP", grep, "HEAD",
                                  "--", "*.py"], capture_output=True, text=True).stdout
            for hit in re.findall(pattern, out):
                counts[(ns, hit)] = counts.get((ns, hit), 0) + 1
    lines = ["# calls of MindSpore names in public code (tools/api_coverage.py --count-usage)"]
    lines += header
    for ns, _title, _how in NAMESPACES:
        for name in saved_names(ns):
            if counts.get((ns, name)):
                lines.append("%s %s %d" % (ns, name, counts[(ns, name)]))
    with open(USAGE, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def usage() -> dict:
    """``{(namespace, name): count}`` from :data:`USAGE`."""
    out = {}
    if os.path.exists(USAGE):
        with open(USAGE, encoding="utf-8") as fh:
            for ln in fh:
                if ln.strip() and not ln.startswith("#"):
                    ns, name, n = ln.split()
                    out[(ns, name)] = int(n)
    return out


# ---------------------------------------------------------------------------------------
# what autograd_st has
# ---------------------------------------------------------------------------------------

def _source_tree(obj):
    try:
        return ast.parse(textwrap.dedent(inspect.getsource(obj)))
    except (OSError, TypeError, SyntaxError, IndentationError):
        return None


def _reached(obj, seen: set, depth: int = 0) -> set:
    """The primitives ``obj`` (a function, method or class of the package) reaches."""

    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if isinstance(obj, property):
        obj = obj.fget
    key = id(obj)
    if key in _MEMO:
        return _MEMO[key][1]
    if key in seen or depth > 5 or obj is None:
        return set()
    seen.add(key)
    prims = _reached_uncached(obj, seen, depth)
    _MEMO[key] = (obj, prims)
    return prims


_MEMO: dict = {}  # id(obj) -> (obj, the primitives it reaches)


def _reached_uncached(obj, seen: set, depth: int) -> set:
    from autograd_st.op_table import row_of  # noqa: PLC0415

    prims = set()
    row = row_of(obj)
    if row is not None:
        prims.add(row.prim)
        obj = row.fn
        if obj is None:
            return prims
    module = getattr(obj, "__module__", "") or ""
    if not module.startswith("autograd_st"):
        return prims
    if inspect.isclass(obj):
        for base in obj.__mro__:
            if base.__module__.startswith("autograd_st"):
                for member in vars(base).values():
                    if inspect.isfunction(member) or isinstance(member, (staticmethod,
                                                                         property)):
                        prims |= _reached(member, seen, depth + 1)
        return prims
    tree = _source_tree(obj)
    if tree is None:
        return prims
    env = dict(vars(sys.modules[module])) if module in sys.modules else {}
    if inspect.isfunction(obj) and obj.__closure__:
        env.update(inspect.getclosurevars(obj).nonlocals)
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            base = env.get(node.value.id)
            if node.value.id == "P":
                prims.add(node.attr)
            elif isinstance(base, types.ModuleType) or inspect.isclass(base):
                target = getattr(base, node.attr, None)
        elif isinstance(node, ast.Name):
            target = env.get(node.id)
        elif isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) \
                and isinstance(env.get(node.value.id), dict):
            key = node.slice.value if isinstance(node.slice, ast.Constant) else \
                env.get(node.slice.id) if isinstance(node.slice, ast.Name) else None
            if isinstance(key, str):
                target = env[node.value.id].get(key)
        if target is not None and (inspect.isfunction(target) or row_of(target) is not None):
            # classes named in a body are not followed: building a Tensor is not its methods
            if getattr(target, "__module__", "").startswith("autograd_st") \
                    or row_of(target) is not None:
                prims |= _reached(target, seen, depth + 1)
    return prims


def _differentiable(prims: set) -> bool:
    from autograd_st import rules  # noqa: PLC0415

    for name in prims:
        prim = rules.REGISTRY.get(name)
        if prim is not None and prim.diff and prim.vjp is not None:
            return True
    return False


def _lookup(ns: str, name: str):
    """autograd_st's object for MindSpore's ``name`` in ``ns`` (None: missing)."""
    import autograd_st  # noqa: PLC0415

    missing = object()
    if ns in ("ops_functions", "ops_classes"):
        obj = getattr(autograd_st.ops, name, missing)
        if obj is missing or inspect.isclass(obj) != (ns == "ops_classes"):
            return missing
        return obj
    if ns == "nn_classes":
        obj = getattr(autograd_st.nn, name, missing)
        return obj if obj is missing or inspect.isclass(obj) else missing
    if ns == "tensor_methods":
        return inspect.getattr_static(autograd_st.Tensor, name, missing)
    if ns.startswith("mint") or ns == "experimental_optim":
        import autograd_st.experimental  # noqa: PLC0415  (not loaded by autograd_st)
        obj = {"mint_functions": autograd_st.mint, "mint_nn": autograd_st.mint.nn,
               "mint_optim": autograd_st.mint.optim,
               "experimental_optim": autograd_st.experimental.optim}[ns]
        for part in name.split("."):
            obj = getattr(obj, part, missing)
        return obj
    return getattr(autograd_st, name, missing)


def classify(ns: str, name: str) -> str:
    """``gradient``, ``forward``, ``present`` (top-level names) or ``missing``."""
    obj = _lookup(ns, name)
    if obj is not None and type(obj) is object:  # the ``missing`` sentinel
        return MISSING
    if ns in ("mindspore", "mint_optim", "experimental_optim"):
        return PRESENT
    return GRADIENT if _differentiable(_reached(obj, set())) else FORWARD


def report() -> dict:
    """``{namespace: {name: status}}`` over the saved names."""
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    return {ns: {name: classify(ns, name) for name in saved_names(ns)}
            for ns, _title, _how in NAMESPACES}


def render() -> str:
    """The text of ``docs/api_coverage.md`` (deterministic: sorted, no dates)."""
    rep, used = report(), usage()
    out = ["# MindSpore API coverage", "",
           "Generated by `python tools/api_coverage.py --write` (do not edit by hand; "
           "`tests/test_api_coverage.py` fails when this page is out of date).", "",
           "MindSpore's names come from `tools/api_coverage/*.txt` (dumped from MindSpore "
           "2.10 with `--dump`). **gradient**: autograd_st has the name and it reaches a "
           "primitive with a reverse rule; **forward**: it has the name, without a gradient; "
           "**missing**: it has no such name (the differentiation API, `grad`, `GradOperation` "
           "..., counts as forward: it makes gradients, it has none of its own). Missing names are listed most-used first "
           "(calls counted in public MindSpore code, `tools/api_coverage/usage.txt`; the "
           "count is in parentheses).", "",
           "| namespace | MindSpore names | gradient | forward | present | missing |",
           "|---|---:|---:|---:|---:|---:|"]
    for ns, title, _how in NAMESPACES:
        st = list(rep[ns].values())
        out.append("| %s | %d | %d | %d | %d | %d |" % (
            title, len(st), st.count(GRADIENT), st.count(FORWARD), st.count(PRESENT),
            st.count(MISSING)))
    for ns, title, how in NAMESPACES:
        out += ["", "## " + title, "", "MindSpore's list: %s." % how, ""]
        for status in (GRADIENT, FORWARD, PRESENT):
            names = sorted(n for n, s in rep[ns].items() if s == status)
            if names:
                out += ["**%s** (%d): %s" % (status, len(names),
                                             ", ".join("`%s`" % n for n in names)), ""]
        missing = sorted((n for n, s in rep[ns].items() if s == MISSING),
                         key=lambda n: (-used.get((ns, n), 0), n))
        out.append("**missing** (%d), most-used first: %s" % (len(missing), ", ".join(
            "`%s` (%d)" % (n, used[(ns, n)]) if used.get((ns, n)) else "`%s`" % n
            for n in missing)))
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", action="store_true",
                        help="save MindSpore's names (run in the side venv)")
    parser.add_argument("--write", action="store_true", help="write docs/api_coverage.md")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when docs/api_coverage.md is out of date")
    parser.add_argument("--count-usage", nargs="+", metavar="GIT_DIR",
                        help="count calls in these git mirrors into usage.txt")
    args = parser.parse_args(argv)
    if args.dump:
        dump()
        return 0
    if args.count_usage:
        count_usage(args.count_usage)
        return 0
    if args.write or args.check:
        text = render()
        current = open(DOC, encoding="utf-8").read() if os.path.exists(DOC) else ""
        if args.check:
            if current != text:
                print("docs/api_coverage.md is out of date: run python tools/api_coverage.py "
                      "--write")
                return 1
            return 0
        with open(DOC, "w", encoding="utf-8") as fh:
            fh.write(text)
        print("wrote", os.path.relpath(DOC, ROOT))
        return 0
    rep, used = report(), usage()
    for ns, title, _how in NAMESPACES:
        st = rep[ns]
        counts = {k: list(st.values()).count(k) for k in (GRADIENT, FORWARD, PRESENT, MISSING)}
        print("%-36s %4d names: %s" % (title, len(st), ", ".join(
            "%s %d" % (k, v) for k, v in counts.items() if v)))
        top = sorted((n for n, s in st.items() if s == MISSING),
                     key=lambda n: (-used.get((ns, n), 0), n))[:15]
        print("    most-used missing: " + ", ".join(top))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Command line: ``python -m autograd_st demo`` and ``python -m autograd_st dump MODULE:NAME``.

``demo`` differentiates the MindSpore tutorial's MatMul network and prints the gradients
and the generated adjoint source they came from.  ``dump`` prints the generated gradient
source of a Cell class (instantiated with no arguments) or a function in a module.
"""
from __future__ import annotations

import argparse
import importlib
import sys

import numpy as np

from . import Parameter, ParameterTuple, Tensor, dump, nn, ops
from . import dtype as mstype


def _demo() -> int:

    class Net(nn.Cell):
        def __init__(self):
            super().__init__()
            self.matmul = ops.MatMul()
            self.z = Parameter(Tensor(np.array([1.0], np.float32)), name="z")

        def construct(self, x, y):
            x = x * self.z
            out = self.matmul(x, y)
            return out

    x = Tensor([[0.8, 0.6, 0.2], [1.8, 1.3, 1.1]], dtype=mstype.float32)
    y = Tensor([[0.11, 3.3, 1.1], [1.1, 0.2, 1.4], [1.1, 2.2, 0.3]], dtype=mstype.float32)
    net = Net()
    grad_fn = ops.GradOperation(get_all=True, get_by_list=True)
    (dx, dy), (dz,) = grad_fn(net, ParameterTuple(net.trainable_params()))(x, y)
    print("f(x, y) = matmul(x * z, y);  GradOperation(get_all=True, get_by_list=True)\n")
    print("dx =\n%s\n\ndy =\n%s\n\ndz = %r\n" % (dx, dy, dz))
    print("The generated gradient code (autograd_st.dump(net, get_all=True, "
          "get_by_list=True)):\n")
    print(dump(net, get_all=True, get_by_list=True))
    return 0


def _dump(target: str, args) -> int:
    module_name, _, attr = target.partition(":")
    if not attr:
        print("dump: name the object as MODULE:NAME (e.g. mymodel:Net)", file=sys.stderr)
        return 2
    sys.path.insert(0, ".")
    obj = getattr(importlib.import_module(module_name), attr)
    if isinstance(obj, type) and issubclass(obj, nn.Cell):
        obj = obj()
    print(dump(obj, get_all=args.all, get_by_list=args.weights))
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m autograd_st", description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    sub.add_parser("demo", help="differentiate the tutorial's MatMul net and show the code")
    d = sub.add_parser("dump", help="print the generated gradient code of MODULE:NAME")
    d.add_argument("target")
    d.add_argument("--all", action="store_true", help="gradients of all inputs")
    d.add_argument("--weights", action="store_true", help="gradients of trainable parameters")
    args = ap.parse_args(argv)
    if args.cmd == "dump":
        return _dump(args.target, args)
    return _demo()


if __name__ == "__main__":
    sys.exit(main())

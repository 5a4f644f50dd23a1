"""Every error autograd_st raises.  Each message says what went wrong, where (file:line) and
what to do instead.

Errors found while reading user source subclass :class:`SyntaxError`, so Python prints them
with the user's file, line and a caret under the offending code.
"""
from __future__ import annotations

import linecache
from typing import Any

__all__ = ["AutogradError", "CompileError", "UnsupportedSyntaxError", "NoDerivativeError",
           "MissingBpropError",
           "RecursionNotSupportedError", "CallArgumentError", "SourceNotFoundError",
           "SourceChangedError", "ConstructNotDefinedError", "GradientAPIError", "GradientNotFoundError", "InputValueError", "GradientCheckError",
           "CheckpointError", "CheckpointMismatchError", "LearningRateRangeError", "CollectiveTimeoutError",
           "CommunicationError", "BpropTypeError", "BpropShapeError",
           "VmapError", "CustomOutputError", "MindRecordError",
           "ParamValueError", "ParamTypeError", "MRMInvalidSchemaError", "MRMDefineIndexError"]


class AutogradError(Exception):
    """Base class of autograd_st's own errors: ``except AutogradError`` catches every
    error below (each is also the built-in exception it resembles: a ``SyntaxError``, a
    ``ValueError`` ...).

    Example (raises AutogradError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            with open(__file__) as fh:  # not differentiable code
                pass
            return ops.sum(x * x)

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (catch it, then do what the message says)::

        import numpy as np
        from autograd_st import Tensor, ops
        from autograd_st.errors import AutogradError

        def f(x):
            with open(__file__) as fh:
                pass
            return ops.sum(x * x)

        try:
            ops.grad(f)(Tensor(np.array([1.0, 2.0])))
        except AutogradError as err:
            print("cannot differentiate f:", err)
    """


class CompileError(SyntaxError, AutogradError):
    """The compiler cannot differentiate some code; raised at the user's file:line.

    Python shows it like a SyntaxError: the file, the line, a caret under the construct, and
    the message, which ends with what to write instead (``err.hint``).

    Example (raises CompileError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            if (x, x):  # a tuple of runtime values as a condition
                return ops.sum(x)
            return ops.sum(x * x)

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (one truth value, as the hint says)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            if (x > 0).all():
                return ops.sum(x)
            return ops.sum(x * x)

        print(ops.grad(f)(Tensor(np.array([1.0, 2.0]))))
    """

    def __init__(self, message: str, filename: str | None = None, lineno: int | None = None,
                 col: int | None = None, hint: str | None = None) -> None:
        self.hint = hint
        full = message if not hint else "%s\n  hint: %s" % (message, hint)
        text = linecache.getline(filename, lineno) if filename and lineno else None
        if text == "":
            text = None
        offset = (col or 0) + 1 if text is not None else None
        end_offset = offset if text is not None else None
        super().__init__(full, (filename, lineno, offset, text, lineno, end_offset))

    def __str__(self) -> str:
        where = ""
        if self.filename and self.lineno:
            where = "%s:%s: " % (self.filename, self.lineno)
        out = where + self.msg
        if self.text:
            line = self.text.rstrip("\n")
            stripped = line.lstrip()
            caret_col = max(0, (self.offset or 1) - 1 - (len(line) - len(stripped)))
            out += "\n    %s\n    %s^" % (stripped, " " * caret_col)
        return out


class UnsupportedSyntaxError(CompileError):
    """A Python construct the compiler does not handle inside differentiated code
    (``try``, ``with``, ``global``, ``yield`` ...).

    Example (raises UnsupportedSyntaxError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            try:
                y = ops.log(x)
            except FloatingPointError:
                y = x
            return ops.sum(y)

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (compute without exceptions, e.g. choose with ``ops.where``)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            y = ops.where(x > 0, ops.log(ops.abs(x) + 1e-12), x)
            return ops.sum(y)

        print(ops.grad(f)(Tensor(np.array([1.0, 2.0]))))
    """


class NoDerivativeError(CompileError):
    """A differentiated value flows through a function that has no derivative rule.

    Example (raises NoDerivativeError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x):
            return ops.sum(np.copysign(x, -1.0))  # a numpy ufunc with no rule

        ops.grad(f)(Tensor(np.array([0.5, 2.0])))

    Fix (give it a rule: a ufunc's inputs are ``x``, or ``x1, x2``; or use a function that
    has one, or cut the flow with ``ops.stop_gradient``)::

        import numpy as np
        import autograd_st
        from autograd_st import Tensor, ops

        @autograd_st.register_vjp(np.copysign)
        def _(dout, out, x1, x2):
            return (dout * np.sign(x1) * np.sign(out), dout * 0.0)

        def f(x):
            return ops.sum(np.copysign(x, -1.0))

        x = Tensor(np.array([0.5, 2.0]))
        print(ops.grad(f)(x))
        autograd_st.check_grads(f, (x,), modes=("rev",))
    """


class MissingBpropError(CompileError, RuntimeError):
    """A primitive class of your own (a ``PrimitiveWithInfer`` / ``Primitive`` subclass) has
    no bprop, and a value being differentiated flows through one of its outputs.  It is a
    RuntimeError, as MindSpore's; outputs cut with ``ops.stop_gradient`` need no bprop.

    Example (raises MissingBpropError)::

        import numpy as np
        from autograd_st import Tensor, ops
        from autograd_st.ops.primitive import PrimitiveWithInfer, prim_attr_register

        class Twice(PrimitiveWithInfer):
            @prim_attr_register
            def __init__(self):
                pass

            def __call__(self, x):
                return x * 2

        twice = Twice()

        def f(x):
            return ops.sum(twice(x))

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (give the class a bprop taking ``(*inputs, out, dout)``)::

        import numpy as np
        from autograd_st import Tensor, ops
        from autograd_st.ops.primitive import PrimitiveWithInfer, prim_attr_register

        class Twice(PrimitiveWithInfer):
            @prim_attr_register
            def __init__(self):
                pass

            def __call__(self, x):
                return x * 2

            def get_bprop(self):
                def bprop(x, out, dout):
                    return (dout * 2,)
                return bprop

        twice = Twice()

        def f(x):
            return ops.sum(twice(x))

        print(ops.grad(f)(Tensor(np.array([1.0, 2.0]))))
    """


class RecursionNotSupportedError(CompileError):
    """A differentiated function calls itself (directly or through other functions) with
    the same compile-time arguments: a recursion whose depth is known only at run time.  (A
    depth given as a Python int is compiled per depth, and that recursion ends when the code
    is compiled: ``power(x, 3)`` below is differentiated.)

    Example (raises RecursionNotSupportedError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def power(x, n):
            if n == 0:
                return ops.ones_like(x)
            return power(x, n - 1) * x

        def f(x):
            return ops.sum(power(x, x.shape[0]))  # a depth known only at run time

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (a loop)::

        import numpy as np
        from autograd_st import Tensor, ops

        def power(x, n):
            out = ops.ones_like(x)
            for _ in range(n):
                out = out * x
            return out

        def f(x):
            return ops.sum(power(x, x.shape[0]))

        print(ops.grad(f)(Tensor(np.array([1.0, 2.0]))))
    """


class CallArgumentError(CompileError, TypeError):
    """Differentiated code calls a helper function, a sub-Cell or a local function with
    arguments that do not bind to its parameters: Python's ``TypeError`` (its message),
    raised at the calling line.

    Example (raises CallArgumentError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def h(a, b):
            return a * b

        def f(x):
            return ops.sum(h(x, a=2.0))  # 'a' twice: "got multiple values for argument 'a'"

        ops.grad(f)(Tensor(np.array([1.0, 2.0])))

    Fix (bind each parameter once, as Python requires)::

        import numpy as np
        from autograd_st import Tensor, ops

        def h(a, b):
            return a * b

        def f(x):
            return ops.sum(h(x, b=2.0))

        print(ops.grad(f)(Tensor(np.array([1.0, 2.0]))))
    """


class SourceNotFoundError(AutogradError):
    r"""The source of a function to differentiate cannot be read (made by ``exec`` of a
    string, or ``python -c``).

    Example (raises SourceNotFoundError)::

        import numpy as np
        from autograd_st import Tensor, ops

        namespace = {"ops": ops}
        exec("def f(x):\n    return ops.sum(x * x)\n", namespace)
        ops.grad(namespace["f"])(Tensor(np.array([1.0, 2.0])))

    Fix (define it in a ``.py`` file, or run the text with ``autograd_st.exec_source``)::

        import numpy as np
        import autograd_st
        from autograd_st import Tensor, ops

        namespace = {"ops": ops}
        autograd_st.exec_source("def f(x):\n    return ops.sum(x * x)\n", namespace)
        print(ops.grad(namespace["f"])(Tensor(np.array([1.0, 2.0]))))
    """


class SourceChangedError(SourceNotFoundError):
    r"""The source text of a function is not the code that runs: its file was edited after
    it was imported (the text at the function's line is another function now, or compiles to
    other code).

    Example (raises SourceChangedError)::

        import pathlib, sys, tempfile
        import numpy as np
        from autograd_st import Tensor, ops

        folder = pathlib.Path(tempfile.mkdtemp())
        sys.path.insert(0, str(folder))
        module = folder / "edited_example.py"
        module.write_text("from autograd_st import ops\ndef f(x):\n    return ops.sum(x * x)\n")
        import edited_example
        module.write_text("from autograd_st import ops\ndef f(x):\n    return ops.sum(x ** 3)\n")
        ops.grad(edited_example.f)(Tensor(np.array([1.0, 2.0])))

    Fix (reload the module, or restart Python)::

        import importlib, pathlib, sys, tempfile
        import numpy as np
        from autograd_st import Tensor, ops

        folder = pathlib.Path(tempfile.mkdtemp())
        sys.path.insert(0, str(folder))
        module = folder / "edited_fix.py"
        module.write_text("from autograd_st import ops\ndef f(x):\n    return ops.sum(x * x)\n")
        import edited_fix
        module.write_text("from autograd_st import ops\ndef f(x):\n    return ops.sum(x ** 3)\n")
        importlib.reload(edited_fix)
        print(ops.grad(edited_fix.f)(Tensor(np.array([1.0, 2.0]))))  # 3 x**2
    """


class ConstructNotDefinedError(AttributeError, NotImplementedError, AutogradError):
    """A Cell without a ``construct`` method was called.  MindSpore raises
    ``AttributeError`` here; this class is also a ``NotImplementedError`` (what the base
    Cell raised before), so either ``except`` catches it.

    Example (raises ConstructNotDefinedError)::

        from autograd_st import nn

        nn.Cell()()

    Fix (define ``construct`` in the subclass)::

        import numpy as np
        from autograd_st import Tensor, nn

        class Double(nn.Cell):
            def construct(self, x):
                return 2 * x

        print(Double()(Tensor(np.ones(2))))
    """


class GradientAPIError(ValueError, AutogradError):
    """A gradient API was called with arguments that do not fit; the message names the
    argument and the accepted values.

    Example (raises GradientAPIError)::

        import numpy as np
        from autograd_st import Tensor, nn, ops

        net = nn.Dense(3, 2)
        ops.grad(net, grad_position=None)(Tensor(np.ones((1, 3), np.float32)))

    Fix (say what to differentiate: positions, weights, or both)::

        import numpy as np
        from autograd_st import Tensor, nn, ops

        net = nn.Dense(3, 2)
        grads = ops.grad(net, grad_position=None, weights=net.trainable_params())(
            Tensor(np.ones((1, 3), np.float32)))
        print([g.shape for g in grads])
    """


class GradientNotFoundError(RuntimeError, AutogradError):
    """``get_grad`` was asked for a gradient that is not there: a position or Parameter
    that was not differentiated, or gradients made without ``return_ids=True``.

    Example (raises GradientNotFoundError)::

        import numpy as np
        import autograd_st as ms

        def f(x, y):
            return (x * y).sum()

        x = ms.Tensor(np.ones(2, np.float32))
        grads = ms.grad(f, grad_position=0, return_ids=True)(x, x)
        ms.get_grad(grads, 1)

    Fix (differentiate the input you ask for)::

        import numpy as np
        import autograd_st as ms

        def f(x, y):
            return (x * y).sum()

        x = ms.Tensor(np.ones(2, np.float32))
        grads = ms.grad(f, grad_position=(0, 1), return_ids=True)(x, x)
        print(ms.get_grad(grads, 1))
    """


class InputValueError(ValueError, AutogradError):
    """A value passed at run time is outside what an operation accepts (a class label
    outside ``[0, classes)`` for a sparse cross-entropy).  The message names the operation,
    the offending value and its position, and what the operation accepts.

    Example (raises InputValueError)::

        import numpy as np
        from autograd_st import Tensor, nn

        loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True)
        loss(Tensor(np.zeros((2, 3))), Tensor(np.array([0, 3], np.int32)))  # 3 classes

    Fix (labels in ``[0, classes)``)::

        import numpy as np
        from autograd_st import Tensor, nn

        loss = nn.SoftmaxCrossEntropyWithLogits(sparse=True)
        print(loss(Tensor(np.zeros((2, 3))), Tensor(np.array([0, 2], np.int32))))
    """


class CheckpointError(ValueError, AutogradError):
    """A file given to ``load_checkpoint`` is not a whole MindSpore checkpoint: missing,
    empty, truncated, damaged (CRC), or not a checkpoint at all.  It is a ValueError, as
    MindSpore's.  The message names the file and what is wrong; nothing is loaded.

    Example (raises CheckpointError)::

        import autograd_st

        autograd_st.load_checkpoint("no_such_model.ckpt")

    Fix (point at the right file, or save it first with ``save_checkpoint``)::

        import os, tempfile
        import autograd_st
        from autograd_st import nn

        path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
        autograd_st.save_checkpoint(nn.Dense(3, 2), path)
        print(sorted(autograd_st.load_checkpoint(path)))
    """


class CheckpointMismatchError(RuntimeError, AutogradError):
    """``load_param_into_net`` found a value whose shape or dtype does not fit the
    network's Parameter of that name.  It is a RuntimeError, as MindSpore's.  The message
    names the Parameter and both shapes (or dtypes); no Parameter was changed.

    Example (raises CheckpointMismatchError)::

        import os, tempfile
        import autograd_st
        from autograd_st import nn

        path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
        autograd_st.save_checkpoint(nn.Dense(3, 2), path)
        autograd_st.load_param_into_net(nn.Dense(4, 2), autograd_st.load_checkpoint(path))

    Fix (load it into the network it was saved from)::

        import os, tempfile
        import autograd_st
        from autograd_st import nn

        path = os.path.join(tempfile.mkdtemp(), "model.ckpt")
        autograd_st.save_checkpoint(nn.Dense(3, 2), path)
        print(autograd_st.load_param_into_net(nn.Dense(3, 2), autograd_st.load_checkpoint(path)))
    """


class LearningRateRangeError(RuntimeError, AutogradError):
    """An optimizer with a per-step learning-rate list (``learning_rate=[...]``, or a
    group's ``'lr'``) ran a step, or ``get_lr()`` was read, at a global step past the end of
    the list.  MindSpore 2.10 raises a RuntimeError there (its ``Gather`` index check), so
    this is one too; the message names the optimizer, the step and the list's length; no
    Parameter was changed.

    Example (raises LearningRateRangeError)::

        import numpy as np
        from autograd_st import Parameter, Tensor, nn

        w = Parameter(Tensor(np.zeros(2, np.float32)), name="w")
        opt = nn.SGD([w], learning_rate=[0.1, 0.05])
        for _ in range(3):
            opt((Tensor(np.ones(2, np.float32)),))

    Fix (a list with one learning rate per step that will run)::

        import numpy as np
        from autograd_st import Parameter, Tensor, nn

        w = Parameter(Tensor(np.zeros(2, np.float32)), name="w")
        opt = nn.SGD([w], learning_rate=nn.piecewise_constant_lr([1, 3], [0.1, 0.05]))
        for _ in range(3):
            opt((Tensor(np.ones(2, np.float32)),))
        print(w)
    """


class CollectiveTimeoutError(RuntimeError, AutogradError):
    """A collective (all-reduce, all-gather, broadcast, barrier) waited longer than
    ``AUTOGRAD_ST_COLLECTIVE_TIMEOUT`` seconds (default 300) for the other ranks: one of
    them has most likely failed or is running a different program.  Raised instead of
    hanging; the job is then ended on every rank.

    Example (raises CollectiveTimeoutError)::

        from autograd_st.mpi_backend import Request
        from autograd_st.errors import CollectiveTimeoutError

        class Never:
            def Test(self):
                return False

        import numpy as np
        Request(Never(), np.zeros(1), "all_reduce").wait(timeout=0.01)

    Fix (every rank must run the same collectives in the same order; find the failed rank's
    message above this one, or raise the timeout for very slow steps)::

        import os
        os.environ["AUTOGRAD_ST_COLLECTIVE_TIMEOUT"] = "600"
    """

    def __init__(self, what: str, seconds: float) -> None:
        super().__init__(
            "%s waited %.4g s for the other ranks (AUTOGRAD_ST_COLLECTIVE_TIMEOUT): a rank "
            "has most likely failed or runs different collectives; look for its error "
            "above, make every rank call the same collectives in the same order, or raise "
            "the timeout" % (what, seconds))


class CommunicationError(RuntimeError, AutogradError):
    """A call of the distributed API that cannot work as written: a group API called before
    ``communication.init()`` (MindSpore's RuntimeError, same message), a group name that was
    never created on this rank, a reduce op the collective does not take, or the gradient of
    a reduce-scatter other than a sum (MindSpore's bprop refuses it too).

    Example (raises CommunicationError)::

        from autograd_st.communication import create_group

        create_group("pair", [0, 1])  # before init()

    Fix (``init()`` first; a group is made by each of its ranks)::

        from autograd_st.communication import create_group, get_rank, init

        init()
        if get_rank() in (0,):
            create_group("solo", [0])
    """


class GradientCheckError(AssertionError, AutogradError):
    """A derivative disagrees with finite differences (or has the wrong structure):
    raised by ``check_grads``, ``check_jvp`` and ``check_vjp``.

    Attributes: ``check`` (which check: order, mode and the function it called),
    ``argument`` (the index of the argument whose direction disagreed, or None),
    ``output`` (the index of the output, or None), ``got`` and ``expected`` (the values
    compared), ``atol`` and ``rtol``.

    Example (raises GradientCheckError)::

        import numpy as np
        import autograd_st
        from autograd_st import Tensor, ops

        def softsign(x):
            return x / (1 + np.abs(x))

        @autograd_st.register_vjp(softsign)
        def _(dout, out, x):
            return (dout / (1 + np.abs(x)),)  # wrong: the square is missing

        def f(x):
            return ops.sum(softsign(x))

        autograd_st.check_grads(f, (Tensor(np.array([0.5, -2.0])),), modes=("rev",))

    Fix (the right rule)::

        import numpy as np
        import autograd_st
        from autograd_st import Tensor, ops

        def softsign_fixed(x):
            return x / (1 + np.abs(x))

        @autograd_st.register_vjp(softsign_fixed)
        def _(dout, out, x):
            return (dout / (1 + np.abs(x)) ** 2,)

        def f(x):
            return ops.sum(softsign_fixed(x))

        autograd_st.check_grads(f, (Tensor(np.array([0.5, -2.0])),), modes=("rev",))
        print("gradient checked")
    """

    def __init__(self, message: str, check: str = "", argument: int | None = None,
                 output: int | None = None, got: Any = None, expected: Any = None,
                 atol: float | None = None, rtol: float | None = None) -> None:
        super().__init__(message)
        self.check, self.argument, self.output = check, argument, output
        self.got, self.expected, self.atol, self.rtol = got, expected, atol, rtol


class BpropTypeError(TypeError, RuntimeError, AutogradError):
    """A user's backward (a Cell's ``bprop``, a ``register_vjp`` rule) returned the wrong
    number of gradients, or (with ``context.set_context(check_bprop=True)``) a gradient that
    is not a Tensor or not of its input's dtype.  The message names the Cell or rule and its
    file:line, the input, and what was expected and got.  MindSpore 2.10 raises TypeError
    with ``check_bprop=True`` and RuntimeError without; this is both.

    Example (raises BpropTypeError)::

        import numpy as np
        from autograd_st import GradOperation, Tensor, nn

        class MulAdd(nn.Cell):
            def construct(self, x, y):
                return 2 * x + y

            def bprop(self, x, y, out, dout):
                return (2 * dout,)  # one gradient for two inputs

        t = Tensor(np.ones((2, 2), np.float32))
        GradOperation(get_all=True)(MulAdd())(t, t)

    Fix (one gradient per input of construct)::

        import numpy as np
        from autograd_st import GradOperation, Tensor, nn

        class MulAdd(nn.Cell):
            def construct(self, x, y):
                return 2 * x + y

            def bprop(self, x, y, out, dout):
                return 2 * dout, dout

        t = Tensor(np.ones((2, 2), np.float32))
        print(GradOperation(get_all=True)(MulAdd())(t, t))
    """


class BpropShapeError(ValueError, RuntimeError, AutogradError):
    """A user's backward (a Cell's ``bprop``, a ``register_vjp`` rule) returned a gradient
    whose shape is not its input's: by default (``check_bprop=False``) a gradient of a shape
    the input broadcasts to is summed down to the input's shape and any other shape raises;
    with ``context.set_context(check_bprop=True)`` the shape must be equal.  MindSpore 2.10
    raises RuntimeError in the first mode and ValueError in the second; this is both.

    Example (raises BpropShapeError)::

        import numpy as np
        from autograd_st import GradOperation, Tensor, nn

        class Twice(nn.Cell):
            def construct(self, x):
                return 2 * x

            def bprop(self, x, out, dout):
                return (Tensor(np.ones(3, np.float32)),)  # x has shape (2, 2)

        GradOperation(get_all=True)(Twice())(Tensor(np.ones((2, 2), np.float32)))

    Fix (a gradient of the input's shape)::

        import numpy as np
        from autograd_st import GradOperation, Tensor, nn

        class Twice(nn.Cell):
            def construct(self, x):
                return 2 * x

            def bprop(self, x, out, dout):
                return (2 * dout,)

        print(GradOperation(get_all=True)(Twice())(Tensor(np.ones((2, 2), np.float32))))
    """


class VmapError(RuntimeError, AutogradError):
    """``ops.vmap`` was given ``in_axes`` / ``out_axes`` that do not fit the arguments or
    the outputs of ``fn``, arguments whose batch axes differ in size, an output it cannot
    stack, or a keyword argument.  The message is MindSpore 2.10's (a RuntimeError there
    too); the hint says what to change.

    Example (raises VmapError)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x, y):
            return x * y

        ops.vmap(f, in_axes=0)(Tensor(np.ones((3, 2))), Tensor(np.ones((4, 2))))

    Fix (the same batch size, or in_axes None for an argument that is not batched)::

        import numpy as np
        from autograd_st import Tensor, ops

        def f(x, y):
            return x * y

        print(ops.vmap(f, in_axes=(0, None))(Tensor(np.ones((3, 2))), Tensor(np.ones(2))))
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message + ("\n  hint: " + hint if hint else ""))
        self.hint = hint


class CustomOutputError(ValueError, AutogradError):
    """The Python function of an ``ops.Custom(..., func_type="pyfunc")`` returned an output
    whose count, shape or dtype is not what ``out_shape`` / ``out_dtype`` declare (MindSpore's
    CPU kernel copies the declared bytes: "memcpy failed" or values that are not the
    function's).  The message names the function, the output and both forms.

    Example (raises CustomOutputError)::

        import numpy as np
        from autograd_st import Tensor, ops, float32

        double = ops.Custom(lambda a: (a * 2).astype(np.float64), lambda s: s,
                            lambda t: t, func_type="pyfunc")
        double(Tensor(np.ones(3, np.float32)))

    Fix (return the declared dtype, or declare what is returned)::

        import numpy as np
        from autograd_st import Tensor, ops, float32

        double = ops.Custom(lambda a: (a * 2).astype(np.float32), lambda s: s,
                            lambda t: t, func_type="pyfunc")
        print(double(Tensor(np.ones(3, np.float32))))
    """


class MindRecordError(AutogradError):
    """A MindRecord file set (``mindrecord.FileWriter``, ``FileReader``,
    ``dataset.MindDataset``) was given a schema, an index field, a parameter or a call order
    that MindSpore's ``mindrecord`` refuses.  Its subclasses carry MindSpore's names
    (``mindrecord.MRMInvalidSchemaError``, ``MRMDefineIndexError``, ``ParamValueError``,
    ``ParamTypeError``: all ``MindRecordException`` there, which is this class), so a
    script's ``except`` clauses work unchanged.  Errors MindSpore raises as ``RuntimeError``
    (existing files without ``overwrite=True``, no valid row) are ``RuntimeError`` here too.

    Example (raises MindRecordError)::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"label": {"type": "int8"}}, "labels")

    Fix (use one of MindRecord's types: int32, int64, float32, float64, string, bytes)::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        print(writer.add_schema({"label": {"type": "int32"}}, "labels"))
    """


class ParamValueError(MindRecordError):
    """MindSpore's ``mindrecord.ParamValueError``: a parameter's value is out of range.

    Example (raises ParamValueError)::

        from autograd_st.mindrecord import FileWriter

        FileWriter("/tmp/never_written.mindrecord", shard_num=0)

    Fix::

        from autograd_st.mindrecord import FileWriter

        print(FileWriter("/tmp/never_written.mindrecord", shard_num=1))
    """


class ParamTypeError(MindRecordError):
    """MindSpore's ``mindrecord.ParamTypeError``: a parameter has the wrong type.

    Example (raises ParamTypeError)::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"label": {"type": "int32"}}, "labels")
        writer.write_raw_data({"label": 1})

    Fix::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"label": {"type": "int32"}}, "labels")
        print(writer.write_raw_data([{"label": 1}]))
    """


class MRMInvalidSchemaError(MindRecordError):
    """MindSpore's ``mindrecord.MRMInvalidSchemaError``: a schema MindRecord cannot store.

    Example (raises MRMInvalidSchemaError)::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"name": {"type": "string", "shape": [2]}}, "names")

    Fix::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        print(writer.add_schema({"name": {"type": "string"}}, "names"))
    """

    def __init__(self, detail: str) -> None:
        super().__init__("[MRMInvalidSchemaError]: Schema format is error. Detail: %s" % detail)


class MRMDefineIndexError(MindRecordError):
    """MindSpore's ``mindrecord.MRMDefineIndexError``: an index field that is not a scalar
    raw field of the schema.

    Example (raises MRMDefineIndexError)::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"img": {"type": "bytes"}, "label": {"type": "int32"}}, "d")
        writer.add_index(["img"])

    Fix::

        from autograd_st.mindrecord import FileWriter

        writer = FileWriter("/tmp/never_written.mindrecord", overwrite=True)
        writer.add_schema({"img": {"type": "bytes"}, "label": {"type": "int32"}}, "d")
        print(writer.add_index(["label"]))
    """

    def __init__(self, detail: str) -> None:
        super().__init__("[MRMDefineIndexError]: Failed to define index field. Detail: %s"
                         % detail)

"""``mindspore._c_expression``: the name of MindSpore's C++ extension module, kept so that
``import mindspore._c_expression`` (MindSpore's test utilities do it) imports.

autograd_st has no C++ extension and nothing is defined here: MindSpore 2.10's module has no
``Tensor`` either (code reading ``_c_expression.Tensor`` fails on both, with
``AttributeError``).

Takes: nothing.  Gives: nothing.
"""
__all__: list = []

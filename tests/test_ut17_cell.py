"""The Cell and container behaviours MindSpore's own PyNative unit tests check
(tests/ut/python/pynative_mode/nn/test_cell.py, test_container.py, test_dense.py), written here:
each test names the MindSpore test it follows; the expected names, orders and error classes
were measured on MindSpore 2.10 CPU."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Parameter, Tensor, nn
from autograd_st.common.initializer import One, initializer
from autograd_st.errors import ConstructNotDefinedError


class _Holder(nn.Cell):
    def __init__(self, tensor):
        super().__init__()
        self.weight = Parameter(tensor, name="weight")

    def construct(self, x):
        return x * self.weight


class _Pair(nn.Cell):
    def __init__(self, ta, tb):
        super().__init__()
        self.mod1 = _Holder(ta)
        self.mod2 = _Holder(tb)

    def construct(self, x):
        return x


class _Net(nn.Cell):
    def __init__(self, ta, tb):
        super().__init__()
        self.mod1 = _Holder(ta)
        self.mod2 = _Holder(tb)
        self.mod3 = _Pair(ta, tb)

    def construct(self, x):
        return x


def _net():
    return _Net(Tensor(np.ones([2, 3])), Tensor(np.ones([1, 4])))


def test_cell_names_skip_an_empty_child_slot():
    # follows nn/test_cell.py::test_cell_name (insert_child_to_cell(name, None))
    n = _net()
    n.insert_child_to_cell("modNone", None)
    assert [name for name, _ in n.cells_and_names() if name] == [
        "mod1", "mod2", "mod3", "mod3.mod1", "mod3.mod2"]
    assert len(n.cells()) == 3 and list(n.name_cells()) == ["mod1", "mod2", "mod3"]
    assert list(n.parameters_dict()) == ["mod1.weight", "mod2.weight", "mod3.mod1.weight",
                                         "mod3.mod2.weight"]


def test_a_cell_slot_takes_only_cells_or_none():
    # follows nn/test_cell.py::test_exceptions (ModError2): MindSpore 2.10 raises TypeError
    class ModError2(nn.Cell):
        def __init__(self, tensor):
            super().__init__()
            self.mod = _Holder(tensor)
            self.mod = None
            self.mod = tensor

        def construct(self, x):
            return x

    with pytest.raises(TypeError, match="Sub cell 'mod' already exists"):
        ModError2(Tensor(np.ones([2, 3])))


def test_calling_a_cell_without_construct_raises_attribute_error():
    # follows nn/test_cell.py::test_exceptions (nn.Cell()() raises AttributeError)
    with pytest.raises(AttributeError, match="construct"):
        nn.Cell()()
    with pytest.raises(ConstructNotDefinedError):
        nn.Cell()()


def test_assigning_before_init_raises_attribute_error():
    # follows nn/test_cell.py::test_exceptions (ModError) and test_add_attr (ModAddCellError)
    class Early(nn.Cell):
        def __init__(self, tensor):
            self.weight = Parameter(tensor, name="weight")
            super().__init__()

    with pytest.raises(AttributeError):
        Early(Tensor(np.ones(2)))


def test_insert_param_and_child_check_names_and_types():
    # follows nn/test_cell.py::test_add_attr (each error class as MindSpore 2.10 raises it)
    ta, tb = Tensor(np.ones([2, 3])), Tensor(np.ones([1, 4]))
    p = Parameter(ta, name="weight")
    m = nn.Cell()
    m.insert_param_to_cell("weight", p)
    assert m.weight is p and list(m.parameters_dict()) == ["weight"]
    cases = [(lambda: m.insert_child_to_cell("network", p), TypeError),
             (lambda: m.insert_param_to_cell("", p), KeyError),
             (lambda: m.insert_param_to_cell("a.b", p), KeyError),
             (lambda: m.insert_child_to_cell("", _Holder(ta)), KeyError),
             (lambda: m.insert_child_to_cell("a.b", _Holder(tb)), KeyError),
             (lambda: m.insert_child_to_cell("buffer", tb), TypeError),
             (lambda: m.insert_param_to_cell("w", ta), TypeError),
             (lambda: m.insert_child_to_cell("m", p), TypeError)]
    for call, error in cases:
        with pytest.raises(error):
            call()
    m.insert_child_to_cell("child", _Holder(tb))
    assert list(m.parameters_dict()) == ["weight", "child.weight"]


def test_apply_visits_every_cell():
    # follows nn/test_cell.py::test_apply
    net = nn.SequentialCell(nn.Dense(2, 2), nn.Dense(2, 2))
    seen = []

    def func(cell):
        seen.append(type(cell).__name__)
        if isinstance(cell, nn.Dense):
            cell.weight.set_data(initializer(One(), cell.weight.shape, cell.weight.dtype))

    assert net.apply(func) is net
    assert seen == ["Dense", "Dense", "SequentialCell"]
    target = np.ones((2, 2), ms.dtype_to_nptype(net[0].weight.dtype))
    np.testing.assert_array_equal(net[0].weight.asnumpy(), target)
    np.testing.assert_array_equal(net[1].weight.asnumpy(), target)
    x = Tensor(np.array([[1.0, 2.0]], np.float32))
    hidden = 3.0 + net[0].bias.asnumpy()  # (1 + 2) per unit, then the bias
    np.testing.assert_allclose(net(x).asnumpy()[0], hidden.sum() + net[1].bias.asnumpy(),
                               rtol=1e-6)


def test_dtype_conversions():
    # mindspore.dtype_to_nptype / dtype_to_pytype / pytype_to_dtype (values from 2.10)
    assert ms.dtype_to_nptype(ms.float16) is np.float16
    assert ms.dtype_to_pytype(ms.int32) is int and ms.dtype_to_pytype(ms.bool_) is bool
    assert ms.dtype_to_pytype(ms.float64) is float
    assert ms.pytype_to_dtype(float) == ms.float64 and ms.pytype_to_dtype(int) == ms.int64
    assert ms.pytype_to_dtype(np.dtype("int32")) == ms.int32


def _convpool():
    return (nn.Conv2d(3, 4, (3, 3), stride=2, padding=0), nn.AvgPool2d(3, 2))


def test_sequential_cell_items():
    # follows nn/test_container.py::TestSequentialCell (getitem, setitem, delitem)
    conv, pool = _convpool()
    m = nn.SequentialCell(OrderedDict([("cov2d", conv), ("avg_pool", pool)]))
    assert m[0] is conv and m[-1] is pool and len(m[0:2]) == 2 and m[:2][1] is pool
    m[1] = conv
    assert m[1] is m[0] and list(m.name_cells()) == ["cov2d", "avg_pool"]
    with pytest.raises(TypeError):
        m[1.0] = conv
    with pytest.raises(IndexError, match=r"range \[-2, 2\)"):
        m[5]
    m = nn.SequentialCell(OrderedDict([("x", nn.Dense(2, 2)), ("y", nn.Dense(2, 3))]))
    del m[0]
    assert len(m) == 1 and list(m.parameters_dict()) == ["y.weight", "y.bias"]
    m = nn.SequentialCell([nn.Dense(2, 2), nn.Dense(2, 3), nn.Dense(3, 3)])
    del m[0]  # positional names are given again (MindSpore 2.10: '0', '1')
    assert list(m.parameters_dict()) == ["0.weight", "0.bias", "1.weight", "1.bias"]
    x = Tensor(np.ones((1, 2), np.float32))
    expect = (x.asnumpy() @ m[0].weight.asnumpy().T + m[0].bias.asnumpy()) \
        @ m[1].weight.asnumpy().T + m[1].bias.asnumpy()
    np.testing.assert_allclose(m(x).asnumpy(), expect, rtol=1e-6)
    del m[:]
    assert not m and len(m) == 0


def test_cell_list_editing():
    # follows nn/test_container.py::TestCellList
    conv, pool = _convpool()
    with pytest.raises(TypeError):
        nn.CellList(["test"])
    cells = nn.CellList([conv, pool])
    cells[0] = pool
    assert cells[0] is cells[1]
    cells = nn.CellList([conv, pool])
    del cells[0]
    assert len(cells) == 1 and cells[0] is pool
    del cells[:]
    assert not cells
    cells = nn.CellList([conv, pool])
    cells += [conv]
    assert len(cells) == 3 and cells[0] is cells[2]
    cells = nn.CellList([conv, pool])
    cells.insert(0, pool)
    assert [type(c).__name__ for c in cells] == ["AvgPool2d", "Conv2d", "AvgPool2d"]
    assert list(cells.name_cells()) == ["0", "1", "2"]


def test_cell_list_edit_is_seen_by_a_compiled_gradient():
    # an edited CellList changes what construct does: the gradient must follow
    class Stack(nn.Cell):
        def __init__(self):
            super().__init__()
            self.layers = nn.CellList([_Holder(Tensor(np.array([2.0]))),
                                       _Holder(Tensor(np.array([3.0])))])

        def construct(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    net = Stack()
    x = Tensor(np.array([1.5]))
    assert ms.ops.grad(net)(x).asnumpy().tolist() == [6.0]
    net.layers.append(_Holder(Tensor(np.array([5.0]))))
    assert ms.ops.grad(net)(x).asnumpy().tolist() == [30.0]
    del net.layers[0]
    assert ms.ops.grad(net)(x).asnumpy().tolist() == [15.0]
    net.layers[1] = _Holder(Tensor(np.array([7.0])))
    assert ms.ops.grad(net)(x).asnumpy().tolist() == [21.0]


def test_dense_checks_its_arguments():
    # follows nn/test_dense.py (error classes as MindSpore 2.10 raises them)
    with pytest.raises(ValueError, match="weight init shape"):
        nn.Dense(3, 2, Tensor(np.ones((2, 3, 1))))
    for n_in, n_out in ((2, 2), (3, 3)):
        with pytest.raises(ValueError, match="weight init shape"):
            nn.Dense(n_in, n_out, Tensor(np.ones((2, 3))))
    for bad in (np.ones((1, 2)), np.ones(3)):
        with pytest.raises(ValueError, match="bias init shape"):
            nn.Dense(3, 2, bias_init=Tensor(bad))
    with pytest.raises(TypeError):
        nn.Dense(3, 2, dtype=3)
    with pytest.raises(ValueError, match="'out_channels' must be int and must > 0"):
        nn.Dense(3, 0)
    with pytest.raises(ValueError, match="'in_channels' must be int and must > 0"):
        nn.Dense(-1, 2)
    weight = np.array([[0.1, 0.3, 0.6], [0.4, 0.5, 0.2]], np.float32)
    dense = nn.Dense(3, 2, Tensor(weight), Tensor(np.array([0.5, 0.3], np.float32)))
    assert dense.activation is None
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    out = dense(Tensor(x)).asnumpy()
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, x @ weight.T + [0.5, 0.3], rtol=1e-6)
    assert isinstance(nn.Dense(1, 1, activation="relu").activation, nn.ReLU)


def test_a_tensor_assigned_over_a_parameter_sets_its_data():
    # MindSpore 2.10 (measured): the Parameter stays (same object, trainable, its dtype) and
    # takes the Tensor's values; an int or a numpy array there raises TypeError
    class M(nn.Cell):
        def __init__(self):
            super().__init__()
            self.w = Parameter(Tensor(np.ones(2, np.float32)), name="w")

        def construct(self, x):
            return ms.ops.sum(x * self.w)

    m = M()
    p = m.w
    x = Tensor(np.array([1.0, 2.0], np.float32))
    assert ms.ops.grad(m, None, m.trainable_params())(x)[0].asnumpy().tolist() == [1.0, 2.0]
    m.w = Tensor(np.array([3.0, 4.0], np.float64))
    assert m.w is p and m.w.dtype == ms.float32 and m.w.asnumpy().tolist() == [3.0, 4.0]
    assert list(m.parameters_dict()) == ["w"]
    assert m(x).asnumpy() == 11.0
    grads = ms.ops.grad(m, None, m.trainable_params())(x)  # still a weight
    assert grads[0].asnumpy().tolist() == [1.0, 2.0]
    for bad in (5, np.ones(2)):
        with pytest.raises(TypeError, match="Parameter 'w' already exists"):
            m.w = bad
    m.w = None
    assert list(m.parameters_dict()) == []


def test_to_float_validates_and_computes_in_float16():
    # MindSpore 2.10: to_float takes float32/float16 (and bfloat16) and returns the Cell;
    # anything else is a ValueError naming dst_type.  After to_float(float16) the Cell
    # computes in float16 (tests/test_mixed_precision.py has the rest)
    import autograd_st as ms_
    from autograd_st import nn as nn_

    class _Half(nn_.Cell):
        def construct(self, x):
            return x * 2.0

    net = _Half()
    assert net.to_float(ms_.float32) is net
    assert net.to_float(ms_.float16) is net
    out = net(ms_.Tensor(np.ones(2, np.float32)))
    assert out.dtype == ms_.float16
    np.testing.assert_array_equal(out.asnumpy(), [2.0, 2.0])
    for bad in (ms_.int32, "float16"):
        with pytest.raises(ValueError, match="dst_type"):
            net.to_float(bad)

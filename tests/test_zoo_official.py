"""Patterns MindSpore's official model zoo (``models/official``) relies on, each written here
from scratch in a small Cell: the facts come from running the zoo's networks on MindSpore 2.10
and on autograd_st (docs/model_zoo_official.md), the code does not."""
import math

import numpy as np
import pytest

import autograd_st as ms
from autograd_st import log as logger
from autograd_st import nn, ops
from autograd_st.common import initializer as init
from autograd_st.mindrecord import FileReader, FileWriter
from autograd_st.nn.wrap.grad_reducer import DistributedGradReducer
from autograd_st.parallel._auto_parallel_context import auto_parallel_context
from autograd_st.parallel._utils import (
    _get_device_num,
    _get_enable_parallel_optimizer,
    _get_gradients_mean,
    _get_parallel_mode,
)


class _FanOutNormal(init.Initializer):
    """A user initializer written the MindSpore way: ``_initialize(arr)`` fills ``arr``."""

    def __init__(self, value):
        super().__init__()
        self.value = value

    def _initialize(self, arr):
        fan_out = arr.shape[0] * int(np.prod(arr.shape[2:]))
        arr[...] = self.value / math.sqrt(fan_out)


def test_initializer_subclass_with_initialize_fills_tensor_and_array():
    t = init.initializer(_FanOutNormal(6.0), (4, 3, 3, 3), ms.float32)
    np.testing.assert_allclose(t.asnumpy(), np.full((4, 3, 3, 3), 1.0, np.float32))
    arr = np.zeros((9, 2), np.float32)
    assert _FanOutNormal(3.0)(arr) is arr
    np.testing.assert_allclose(arr, np.ones((9, 2)))
    conv = nn.Conv2d(3, 4, 3)
    conv.weight.set_data(init.initializer(_FanOutNormal(12.0), conv.weight.shape,
                                          conv.weight.dtype))
    np.testing.assert_allclose(conv.weight.asnumpy(), 2.0)


def test_initializer_subclass_without_values_says_what_to_define():
    class Empty(init.Initializer):
        pass

    with pytest.raises(NotImplementedError, match="_initialize"):
        init.initializer(Empty(), (2, 2), ms.float32)


def test_init_parameters_data_maps_each_parameter_to_itself():
    net = nn.SequentialCell([nn.Dense(3, 2), nn.ReLU(), nn.Dense(2, 1)])
    before = [p.asnumpy().copy() for p in net.trainable_params()]
    mapping = net.init_parameters_data()
    assert list(mapping) == list(net.get_parameters())
    assert all(k is v for k, v in mapping.items())
    for p, b in zip(net.trainable_params(), before):
        np.testing.assert_array_equal(p.asnumpy(), b)


def test_grad_reducer_module_holds_distributed_grad_reducer():
    assert DistributedGradReducer is nn.DistributedGradReducer


@pytest.mark.parametrize("values, flag", [([1.0, 2.0], 0.0), ([1.0, np.inf], 1.0),
                                          ([-np.inf, 0.0], 1.0), ([np.nan], 1.0)])
def test_float_status_flags_nan_and_inf(values, flag):
    out = ops.FloatStatus()(ms.Tensor(np.array(values, np.float32)))
    assert out.shape == (1,) and out.dtype == ms.float32
    np.testing.assert_array_equal(out.asnumpy(), [flag])
    half = ops.operations.FloatStatus()(ms.Tensor(np.array([[values]], np.float16)))
    np.testing.assert_array_equal(half.asnumpy(), [flag])


def test_depth_to_space_is_dcr_as_measured_on_mindspore():
    x = np.arange(2 * 8 * 2 * 3, dtype=np.float32).reshape(2, 8, 2, 3)
    y = ops.DepthToSpace(2)(ms.Tensor(x)).asnumpy()
    assert y.shape == (2, 2, 4, 6)
    # MindSpore 2.10 CPU, ops.DepthToSpace(2) on this x: y[0, 0] and y[0, 1]
    np.testing.assert_array_equal(y[0, 0], [[0, 12, 1, 13, 2, 14], [24, 36, 25, 37, 26, 38],
                                            [3, 15, 4, 16, 5, 17], [27, 39, 28, 40, 29, 41]])
    np.testing.assert_array_equal(y[0, 1], [[6, 18, 7, 19, 8, 20], [30, 42, 31, 43, 32, 44],
                                            [9, 21, 10, 22, 11, 23], [33, 45, 34, 46, 35, 47]])
    np.testing.assert_array_equal(ops.SpaceToDepth(2)(ms.Tensor(y)).asnumpy(), x)
    with pytest.raises(ValueError, match="block_size"):
        ops.DepthToSpace(1)


class _Upsample(nn.Cell):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 8, 3, pad_mode="same", has_bias=True)
        self.d2s = ops.DepthToSpace(2)

    def construct(self, x):
        return self.d2s(self.conv(x))


def test_depth_to_space_in_a_cell_gradient_matches_finite_differences():
    net = _Upsample()
    x = ms.Tensor(np.random.RandomState(0).randn(2, 2, 3, 3))
    w = ms.Tensor(np.random.RandomState(1).randn(2, 2, 6, 6))

    def f(x):
        return (net(x) * w).sum()

    got = ops.grad(f)(x).asnumpy()
    want = ms.numerical_grad(f, (x,))
    np.testing.assert_allclose(got, np.asarray(want), rtol=1e-5, atol=1e-6)


def test_dtype_class_and_add_flags():
    assert ops.DType()(ms.Tensor(np.ones(2, np.float32))) == ms.float32
    assert ops.DType()(ms.Tensor(np.ones(2, np.int32))) == ms.int32

    class Step(nn.Cell):
        @ops.composite.add_flags(has_effect=True)
        def construct(self, x):
            return x * 2

    assert Step.construct._func_graph_flags == {"has_effect": True}
    np.testing.assert_array_equal(Step()(ms.Tensor(np.array([1.0, 3.0]))).asnumpy(), [2, 6])
    marked = ops.composite.add_flags(Step(), predict=True)
    assert marked._func_graph_flags == {"predict": True}


class _Loss(nn.Cell):
    def __init__(self):
        super().__init__()
        self.dense = nn.Dense(3, 1)

    def construct(self, x):
        return (self.dense(x) ** 2).mean()


class _ScaledGrads(nn.Cell):
    """The zoo's training-cell pattern: sens = Fill(DType(loss), Shape(loss), scale)."""

    def __init__(self, net):
        super().__init__()
        self.net = net
        self.weights = ms.ParameterTuple(net.trainable_params())
        self.grad = ops.GradOperation(get_by_list=True, sens_param=True)

    def construct(self, x):
        loss = self.net(x)
        sens = ops.Fill()(ops.DType()(loss), ops.Shape()(loss), 3.0)
        return self.grad(self.net, self.weights)(x, sens)


def test_dtype_in_a_training_cell_scales_gradients():
    net = _Loss()
    x = ms.Tensor(np.random.RandomState(0).randn(4, 3).astype(np.float32))
    grads = _ScaledGrads(net)(x)
    w, b = net.dense.weight.asnumpy().astype(np.float64), net.dense.bias.asnumpy()
    r = x.asnumpy().astype(np.float64) @ w.T + b          # 3 d mean(r^2)
    np.testing.assert_allclose(grads[0].asnumpy(), 6 * (r * x.asnumpy()).mean(0, keepdims=True),
                               rtol=1e-5)
    np.testing.assert_allclose(grads[1].asnumpy(), 6 * r.mean(0), rtol=1e-5)


def test_parallel_utils_read_the_auto_parallel_context():
    assert (_get_device_num(), _get_gradients_mean(), _get_parallel_mode(),
            _get_enable_parallel_optimizer()) == (1, False, "stand_alone", False)
    try:
        ms.set_auto_parallel_context(parallel_mode="data_parallel", gradients_mean=True,
                                     device_num=4)
        assert (_get_device_num(), _get_gradients_mean(), _get_parallel_mode()) == (
            4, True, "data_parallel")
    finally:
        ms.reset_auto_parallel_context()
    assert _get_parallel_mode() == "stand_alone"


class _ClippedStep(nn.TrainOneStepCell):
    """A subclass with its own construct, as zoo training cells write it."""

    def construct(self, x, y):
        loss = self.network(x, y)
        sens = ops.Fill()(ops.DType()(loss), ops.Shape()(loss), self.sens)
        grads = self.grad(self.network, self.weights)(x, y, sens)
        grads = self.grad_reducer(grads)
        grads = tuple(ops.clip_by_value(g, -0.5, 0.5) for g in grads)
        self.optimizer(grads)
        return loss


def test_train_one_step_subclass_uses_grad_and_sens_attributes():
    dense = nn.Dense(2, 1)
    dense.weight.set_data(ms.Tensor(np.array([[1.0, -2.0]], np.float32)))
    dense.bias.set_data(ms.Tensor(np.array([0.5], np.float32)))
    step = _ClippedStep(nn.WithLossCell(dense, nn.MSELoss()),
                        nn.SGD(dense.trainable_params(), learning_rate=0.1), sens=2.0)
    x = np.array([[1.0, 1.0], [0.5, -1.0]], np.float32)
    y = np.array([[0.0], [1.0]], np.float32)
    loss = step(ms.Tensor(x), ms.Tensor(y))
    r = x @ np.array([1.0, -2.0]) + 0.5 - y[:, 0]            # residuals -0.5, 2.0
    np.testing.assert_allclose(loss.asnumpy(), (r ** 2).mean(), rtol=1e-6)
    gw = np.clip(2.0 * (2 * r[:, None] * x).mean(0), -0.5, 0.5)  # sens 2 then clipped
    gb = np.clip(2.0 * (2 * r).mean(), -0.5, 0.5)
    np.testing.assert_allclose(dense.weight.asnumpy()[0], [1.0, -2.0] - 0.1 * gw, rtol=1e-6)
    np.testing.assert_allclose(dense.bias.asnumpy(), [0.5 - 0.1 * gb], rtol=1e-6)
    assert step.parallel_mode == "stand_alone" and step.grad_no_sens.sens_param is False


def test_make_range_as_measured():
    from_f = ops.functional.make_range
    assert (from_f(5), from_f(1, 5), from_f(1, 9, 3), from_f(5, 1)) == (
        (0, 1, 2, 3, 4), (1, 2, 3, 4), (1, 4, 7), ())
    with pytest.raises(TypeError):
        from_f(1.5)
    with pytest.raises(RuntimeError):
        from_f()
    with pytest.raises(RuntimeError):
        from_f(1, 2, 0)


class _RelativePositions(nn.Cell):
    """A relative-position table built in construct from F.make_range (a static length)."""

    def __init__(self, length):
        super().__init__()
        self.length = length
        self.table = ms.Parameter(ms.Tensor(np.random.RandomState(0).randn(7, 3)), name="table")

    def construct(self, x):
        pos = ops.tuple_to_array(ops.functional.make_range(self.length))
        rel = ops.clip_by_value(pos.expand_dims(0) - pos.expand_dims(1), -3, 3) + 3
        emb = ops.gather(self.table, rel.astype(ms.int32), 0)       # (L, L, 3)
        return (emb * x.expand_dims(1)).sum()


def test_make_range_in_a_differentiated_cell():
    net = _RelativePositions(4)
    x = ms.Tensor(np.random.RandomState(1).randn(4, 3))
    got = ops.grad(net, 0)(x).asnumpy()
    want = np.asarray(ms.numerical_grad(net, (x,)))
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-8)


def test_functional_assign_with_depend_writes_in_place():
    p = ms.Parameter(ms.Tensor(np.array([0.5, -2.0, 3.0], np.float32)), name="p")
    clipped = ops.clip_by_value(p, -1.0, 1.0)
    out = ops.functional.depend(clipped, ops.functional.assign(p, clipped))
    np.testing.assert_array_equal(out.asnumpy(), [0.5, -1.0, 1.0])
    np.testing.assert_array_equal(p.asnumpy(), [0.5, -1.0, 1.0])


class _Residual(nn.Cell):
    """x + cell(x, **kwargs): a construct taking **kwargs and passing them on."""

    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def construct(self, x, **kwargs):
        return self.cell(x, **kwargs) + x


class _Scale(nn.Cell):
    def __init__(self, w):
        super().__init__()
        self.w = ms.Parameter(ms.Tensor(np.array(w)), name="w")

    def construct(self, x, power=1):
        return self.w * x ** power


class _TwoResiduals(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = _Residual(_Scale([2.0, 3.0]))
        self.b = _Residual(_Scale([-1.0, 0.5]))

    def construct(self, x):
        opts = {"power": 3}
        return (self.a(x) * self.b(x, **opts)).sum()


def test_kwargs_passed_on_with_double_star_gradient():
    net = _TwoResiduals()
    x = ms.Tensor(np.array([0.5, -1.5]))
    xv, w1, w2 = np.array([0.5, -1.5]), np.array([2.0, 3.0]), np.array([-1.0, 0.5])
    a, b = w1 * xv + xv, w2 * xv ** 3 + xv
    np.testing.assert_allclose(net(x).asnumpy(), (a * b).sum())
    np.testing.assert_allclose(ops.grad(net, 0)(x).asnumpy(),
                               (w1 + 1) * b + a * (3 * w2 * xv ** 2 + 1), rtol=1e-12)
    np.testing.assert_allclose(ops.grad(net, 0)(x).asnumpy(),
                               np.asarray(ms.numerical_grad(net, (x,))), rtol=1e-7)


def test_mindrecord_writes_and_reads_back(tmp_path):
    w = FileWriter(str(tmp_path / "data.mindrecord"), shard_num=1)
    w.add_schema({"label": {"type": "int32"}}, "zoo")
    w.write_raw_data([{"label": 3}, {"label": -4}])
    w.commit()
    assert [r["label"] for r in FileReader(str(tmp_path / "data.mindrecord")).get_next()] == [3, -4]


def test_tuple_to_array_class_as_measured():
    ints = ops.TupleToArray()((2, 3))
    assert ints.dtype == ms.int32
    np.testing.assert_array_equal(ints.asnumpy(), [2, 3])
    floats = ops.TupleToArray()((2.5, 3.0))
    assert floats.dtype == ms.float32
    np.testing.assert_array_equal(floats.asnumpy(), [2.5, 3.0])


class _ScaleByInputSize(nn.Cell):
    """A detection head's pattern: the input's spatial size as a float Tensor in construct."""

    def __init__(self):
        super().__init__()
        self.to_array = ops.TupleToArray()

    def construct(self, x, boxes):
        size = ops.cast(self.to_array(ops.shape(x)[2:4]), ms.float32)   # (H, W)
        return ((boxes / size) ** 2).sum() + (x * x).mean()


def test_tuple_to_array_of_a_runtime_shape_in_a_differentiated_cell():
    net = _ScaleByInputSize()
    x = ms.Tensor(np.random.RandomState(0).randn(2, 1, 4, 8).astype(np.float32))
    boxes = ms.Tensor(np.array([[2.0, 4.0], [1.0, 6.0]], np.float32))
    gx, gb = ops.grad(net, (0, 1))(x, boxes)
    size = np.array([4.0, 8.0])
    np.testing.assert_allclose(gb.asnumpy(), 2 * boxes.asnumpy() / size ** 2, rtol=1e-6)
    np.testing.assert_allclose(gx.asnumpy(), 2 * x.asnumpy() / x.size, rtol=1e-6)
    np.testing.assert_allclose(net(x, boxes).asnumpy(),
                               ((boxes.asnumpy() / size) ** 2).sum() + (x.asnumpy() ** 2).mean(),
                               rtol=1e-6)


class _GridOffsets(nn.Cell):
    """YOLO-style grid: tuple_to_array(range(grid size)) with the size read from the input."""

    def construct(self, x):
        h, w = ops.shape(x)[2], ops.shape(x)[3]
        gx = ops.cast(ops.tuple_to_array(range(w)), ms.float32)
        gy = ops.cast(ops.tuple_to_array(range(h)), ms.float32)
        grid = gy.reshape((-1, 1)) * 10.0 + gx.reshape((1, -1))
        size = ops.cast(ops.tuple_to_array((w, h)), ms.float32)
        return (ops.sigmoid(x) + grid).sum() / size[0] * size[1]


def test_tuple_to_array_of_a_runtime_range_in_a_differentiated_cell():
    net = _GridOffsets()
    x = ms.Tensor(np.random.RandomState(0).randn(2, 1, 3, 4).astype(np.float32))
    grid = np.arange(3)[:, None] * 10.0 + np.arange(4)[None, :]
    s = 1 / (1 + np.exp(-x.asnumpy().astype(np.float64)))
    np.testing.assert_allclose(net(x).asnumpy(), (s + grid).sum() / 4 * 3, rtol=1e-6)
    np.testing.assert_allclose(ops.grad(net)(x).asnumpy(), s * (1 - s) * 0.75, rtol=1e-5)
    const = ops.tuple_to_array(range(3))
    assert const.dtype == ms.int32
    np.testing.assert_array_equal(const.asnumpy(), [0, 1, 2])


def test_auto_parallel_context_object_as_measured():
    ctx = auto_parallel_context()
    assert ctx is auto_parallel_context()
    assert (ctx.get_device_num(), ctx.get_device_num_is_set(), ctx.get_parallel_mode(),
            ctx.get_pipeline_stages(), ctx.get_all_reduce_fusion_split_indices()) == (
        1, False, "stand_alone", 1, [])
    try:
        ms.set_auto_parallel_context(device_num=2)
        assert (ctx.get_device_num(), ctx.get_device_num_is_set()) == (2, True)
        ctx.set_all_reduce_fusion_split_indices([10, 20])
        assert ctx.get_all_reduce_fusion_split_indices() == [10, 20]
    finally:
        ms.reset_auto_parallel_context()
        ctx.set_all_reduce_fusion_split_indices([])
    assert ctx.get_device_num_is_set() is False


class _SafeLog(nn.Cell):
    """log(x) where x != 0 else 0: Select(Equal(x, 0), Fill(DType(x), Shape(x), 1), x)."""

    def construct(self, x):
        safe = ops.Select()(ops.Equal()(x, 0.0), ops.Fill()(ops.DType()(x), ops.Shape()(x), 1.0), x)
        return (ops.Log()(safe) * x).sum()


def test_fill_with_runtime_dtype_and_shape_in_a_differentiated_cell():
    x = np.array([[0.5, 0.0], [2.0, 0.0]], np.float32)
    net = _SafeLog()
    got = ops.grad(net)(ms.Tensor(x)).asnumpy()
    safe = np.where(x == 0, 1.0, x)
    # d/dx [log(safe) x] = log(safe) + x / safe on nonzero entries; log(1) + 0 = 0 on zeros
    np.testing.assert_allclose(got, np.log(safe) + np.where(x == 0, 0.0, 1.0), rtol=1e-6)
    assert got.dtype == np.float32


def test_nn_layer_attribute_is_mindspores_subpackage_path():
    assert nn.layer.CellList is nn.CellList
    assert nn.layer.Dense is nn.Dense
    with pytest.raises(AttributeError):
        nn.no_such_layer_module


def test_log_module_follows_glog_v(monkeypatch, capsys):
    monkeypatch.delenv("GLOG_v", raising=False)
    assert logger.get_level() == "2"
    logger.info("hidden %d", 1)
    logger.warning("shown %d", 2)
    err = capsys.readouterr().err
    assert "shown 2" in err and "hidden" not in err and "[WARNING]" in err
    monkeypatch.setenv("GLOG_v", "3")
    assert logger.get_level() == "3"
    logger.warning("now hidden")
    logger.error("an error %s", "here")
    err = capsys.readouterr().err
    assert "now hidden" not in err and "an error here" in err


def test_assign_and_scalar_to_tensor_classes_as_measured():
    p = ms.Parameter(ms.Tensor(np.zeros(2, np.float32)), name="p")
    out = ops.Assign()(p, ms.Tensor(np.ones(2, np.float32)))
    np.testing.assert_array_equal(p.asnumpy(), [1, 1])
    np.testing.assert_array_equal(out.asnumpy(), [1, 1])
    a, b = ops.ScalarToTensor()(3, ms.int32), ops.ScalarToTensor()(2.5)
    assert (a.dtype, a.shape, b.dtype, b.shape) == (ms.int32, (), ms.float32, ())
    assert float(a.asnumpy()) == 3 and float(b.asnumpy()) == 2.5
    assert ops.add_flags is ops.composite.add_flags


def test_log_parallel_mindrecord_are_attributes_of_the_package():
    assert ms.log is logger
    assert ms.mindrecord.FileWriter is FileWriter
    assert ms.parallel._utils._get_device_num is _get_device_num

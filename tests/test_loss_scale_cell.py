"""nn.TrainOneStepWithLossScaleCell and the loss-scale update Cells, checked against
hand-derived numbers (MindSpore 2.10 cannot run this Cell on CPU: its overflow check calls
NPUGetFloatStatusV2, which has no CPU kernel -- measured -- so there is no recorded case)."""
import numpy as np
import pytest

from autograd_st import Parameter, Tensor, nn

W0 = np.array([[0.5, -0.3, 0.2], [0.8, -0.6, 0.1]], np.float32)
X = np.array([[1.0, 2.0, -1.0], [0.5, -1.5, 2.0]], np.float32)
Y = np.array([0, 1], np.int32)


def _parts(momentum=0.0):
    net = nn.Dense(3, 2, weight_init=Tensor(W0.copy()), bias_init="zeros")
    loss_net = nn.WithLossCell(net, nn.SoftmaxCrossEntropyWithLogits(sparse=True,
                                                                     reduction="mean"))
    return net, loss_net, nn.SGD(net.trainable_params(), learning_rate=0.1, momentum=momentum)


def test_fixed_scale_steps_as_the_unscaled_cell():
    net, loss_net, opt = _parts(0.9)
    ref_net, ref_loss_net, ref_opt = _parts(0.9)
    scaled = nn.TrainOneStepWithLossScaleCell(loss_net, opt,
                                              scale_sense=Tensor(np.float32(1024.0)))
    plain = nn.TrainOneStepCell(ref_loss_net, ref_opt)
    for _ in range(3):
        loss, overflow, scale = scaled(Tensor(X), Tensor(Y))
        ref = plain(Tensor(X), Tensor(Y))
        assert float(loss.asnumpy()) == pytest.approx(float(ref.asnumpy()), rel=1e-6)
        assert not bool(overflow.asnumpy())
        assert float(scale.asnumpy()) == 1024.0
    # scaling by a power of two and back is exact in float32
    np.testing.assert_allclose(net.weight.asnumpy(), ref_net.weight.asnumpy(), rtol=1e-6)
    scaled.set_sense_scale(Tensor(np.float32(64.0)))
    assert float(scaled.scale_sense.asnumpy()) == 64.0
    with pytest.raises(TypeError):
        scaled.set_sense_scale(64.0)


def test_dynamic_scale_grows_every_window_and_halves_on_overflow():
    net, loss_net, opt = _parts()
    update = nn.DynamicLossScaleUpdateCell(loss_scale_value=1024.0, scale_factor=2,
                                           scale_window=2)
    assert update.get_loss_scale() == 1024.0
    train = nn.TrainOneStepWithLossScaleCell(loss_net, opt, scale_sense=update)
    scales = []
    for _ in range(4):  # cur_iter - last_overflow_iter: 1, 2 (grow), 1, 2 (grow)
        _, overflow, scale = train(Tensor(X), Tensor(Y))
        assert not bool(overflow.asnumpy())
        scales.append(float(scale.asnumpy()))
    assert scales == [1024.0, 2048.0, 2048.0, 4096.0]
    assert int(opt.global_step.asnumpy()[0]) == 4
    before = net.weight.asnumpy().copy()
    bad = X.copy()
    bad[0, 0] = np.inf  # the gradient of the weight gets an inf/NaN: the step is skipped
    _, overflow, scale = train(Tensor(bad), Tensor(Y))
    assert bool(overflow.asnumpy())
    assert float(scale.asnumpy()) == 2048.0
    np.testing.assert_array_equal(net.weight.asnumpy(), before)
    assert int(opt.global_step.asnumpy()[0]) == 4
    assert int(update.cur_iter.asnumpy()) == 6
    assert int(update.last_overflow_iter.asnumpy()) == 5
    _, overflow, scale = train(Tensor(X), Tensor(Y))  # 6 - 5 = 1 < 2: no growth yet
    assert not bool(overflow.asnumpy()) and float(scale.asnumpy()) == 2048.0


def test_update_cells_by_hand():
    scale = Parameter(Tensor(np.float32(1.0)), name="s")
    cell = nn.DynamicLossScaleUpdateCell(1.0, 4, 100)
    cell(scale, Tensor(np.array(True)))
    assert float(scale.asnumpy()) == 1.0  # not below 1
    scale.set_data(Tensor(np.float32(64.0)))
    cell(scale, Tensor(np.array(True)))
    assert float(scale.asnumpy()) == 16.0
    fixed = nn.FixedLossScaleUpdateCell(8.0)
    assert fixed.get_loss_scale() == 8.0
    assert bool(fixed(scale, Tensor(np.array(True))).asnumpy())
    assert float(scale.asnumpy()) == 16.0


def test_scale_sense_is_checked():
    _, loss_net, opt = _parts()
    with pytest.raises(ValueError, match=r"\(1,\) or \(\)"):
        nn.TrainOneStepWithLossScaleCell(loss_net, opt, scale_sense=Tensor(np.ones(2)))
    with pytest.raises(TypeError, match="Cell or Tensor"):
        nn.TrainOneStepWithLossScaleCell(loss_net, opt, scale_sense=2.0)

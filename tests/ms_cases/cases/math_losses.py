"""MindSpore 2.10's functional losses: cross_entropy (class indices with weight, ignore_index,
label_smoothing and each reduction; class probabilities), nll_loss, binary_cross_entropy(_with
_logits), mse/l1/smooth_l1/huber losses and kl_div; values and gradients in the inputs."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


# inputs at module level: the lambdas of run() read them as globals (the compiler does
# not yet resolve a callee's closure over a Tensor when the callee is reached through a
# default argument)
rng = np.random.default_rng(7)
logits = Tensor(rng.standard_normal((4, 5)).astype(np.float32))
target = Tensor(np.array([1, 0, 4, 2], np.int32))
ignored = Tensor(np.array([1, -100, 4, 2], np.int32))
weight = Tensor(np.array([0.5, 1.0, 2.0, 1.5, 0.7], np.float32))
probs = Tensor(ops.softmax(Tensor(rng.standard_normal((4, 5)).astype(np.float32)), 1))
spatial = Tensor(rng.standard_normal((2, 3, 2, 2)).astype(np.float32))
spatial_t = Tensor(np.array([[[0, 2], [1, 1]], [[2, 0], [0, 1]]], np.int32))
p = Tensor(np.array([0.1, 0.6, 0.9, 0.3], np.float32))
y = Tensor(np.array([0.0, 1.0, 1.0, 0.2], np.float32))
a = Tensor(np.array([[0.3, -1.5, 2.0], [0.0, 0.8, -0.2]], np.float32))
b = Tensor(np.array([[0.1, 0.5, -1.0], [0.4, 0.8, 0.7]], np.float32))


def run():
    cases = {
        "ce": lambda x: ops.cross_entropy(x, target),
        "ce_sum": lambda x: ops.cross_entropy(x, target, reduction="sum"),
        "ce_none": lambda x: ops.cross_entropy(x, target, reduction="none"),
        "ce_weight": lambda x: ops.cross_entropy(x, target, weight),
        "ce_weight_none": lambda x: ops.cross_entropy(x, target, weight, reduction="none"),
        "ce_ignore": lambda x: ops.cross_entropy(x, ignored),
        "ce_ignore_weight": lambda x: ops.cross_entropy(x, ignored, weight),
        "ce_smooth": lambda x: ops.cross_entropy(x, target, label_smoothing=0.2),
        "ce_smooth_weight_ignore": lambda x: ops.cross_entropy(x, ignored, weight,
                                                               label_smoothing=0.1),
        "ce_smooth_sum": lambda x: ops.cross_entropy(x, target, reduction="sum",
                                                     label_smoothing=0.3),
        "ce_probs": lambda x: ops.cross_entropy(x, probs),
        "ce_probs_sum": lambda x: ops.cross_entropy(x, probs, reduction="sum"),
        "ce_probs_none": lambda x: ops.cross_entropy(x, probs, reduction="none"),
        "ce_probs_weight": lambda x: ops.cross_entropy(x, probs, weight),
        "ce_probs_smooth": lambda x: ops.cross_entropy(x, probs, label_smoothing=0.2),
        "nll": lambda x: ops.nll_loss(ops.log_softmax(x, 1), target),
        "nll_weight_ignore": lambda x: ops.nll_loss(ops.log_softmax(x, 1), ignored, weight),
        "nll_none": lambda x: ops.nll_loss(ops.log_softmax(x, 1), target, reduction="none"),
        "nll_smooth": lambda x: ops.nll_loss(ops.log_softmax(x, 1), target,
                                             label_smoothing=0.1),
    }
    out = {}
    for name, f in cases.items():
        out[name] = f(logits)
        out[name + "_grad"] = ops.grad(lambda x, f=f: ops.sum(f(x)))(logits)
    out["ce_spatial"] = ops.cross_entropy(spatial, spatial_t)
    out["ce_spatial_grad"] = ops.grad(lambda x: ops.cross_entropy(x, spatial_t, weight[:3]))(
        spatial)
    pair = {
        "bce": lambda u, v: ops.binary_cross_entropy(u, v),
        "bce_weight_none": lambda u, v: ops.binary_cross_entropy(
            u, v, Tensor(np.array([1.0, 2.0, 0.5, 1.0], np.float32)), reduction="none"),
        "bce_sum": lambda u, v: ops.binary_cross_entropy(u, v, reduction="sum"),
        "bcel": lambda u, v: ops.binary_cross_entropy_with_logits(u, v),
        "bcel_pos": lambda u, v: ops.binary_cross_entropy_with_logits(
            u, v, Tensor(np.array([1.0, 2.0, 0.5, 1.0], np.float32)),
            Tensor(np.array([2.0, 1.0, 3.0, 0.5], np.float32)), reduction="none"),
        "bcel_sum": lambda u, v: ops.binary_cross_entropy_with_logits(
            u, v, reduction="sum"),
    }
    for name, f in pair.items():
        out[name] = f(p, y)
        gu, gv = ops.grad(lambda u, v, f=f: ops.sum(f(u, v)), (0, 1))(p, y)
        out[name + "_grad_input"] = gu
        out[name + "_grad_target"] = gv
    regs = {
        "mse": lambda u, v: ops.mse_loss(u, v),
        "mse_none": lambda u, v: ops.mse_loss(u, v, reduction="none"),
        "l1": lambda u, v: ops.l1_loss(u, v),
        "l1_sum": lambda u, v: ops.l1_loss(u, v, reduction="sum"),
        "smooth_l1": lambda u, v: ops.smooth_l1_loss(u, v),
        "smooth_l1_beta_mean": lambda u, v: ops.smooth_l1_loss(u, v, beta=0.5,
                                                               reduction="mean"),
        "huber": lambda u, v: ops.huber_loss(u, v),
        "huber_delta_none": lambda u, v: ops.huber_loss(u, v, reduction="none", delta=0.5),
        "kl_div": lambda u, v: ops.kl_div(u, ops.abs(v)),
        "kl_div_sum": lambda u, v: ops.kl_div(u, ops.abs(v), reduction="sum"),
        "kl_div_none": lambda u, v: ops.kl_div(u, ops.abs(v), reduction="none"),
        "kl_div_batchmean": lambda u, v: ops.kl_div(u, ops.abs(v), reduction="batchmean"),
    }
    for name, f in regs.items():
        out[name] = f(a, b)
        gu, gv = ops.grad(lambda u, v, f=f: ops.sum(f(u, v)), (0, 1))(a, b)
        out[name + "_grad_input"] = gu
        out[name + "_grad_target"] = gv
    loss, backprop = ops.SoftmaxCrossEntropyWithLogits()(logits, probs)
    out["SoftmaxCrossEntropyWithLogits_loss"], out["SoftmaxCrossEntropyWithLogits_bp"] = (
        loss, backprop)
    out["SoftmaxCrossEntropyWithLogits_grad"] = ops.grad(
        lambda x: ops.sum(ops.SoftmaxCrossEntropyWithLogits()(x, probs)[0]))(logits)
    out["SparseSoftmaxCrossEntropyWithLogits"] = ops.SparseSoftmaxCrossEntropyWithLogits()(
        logits, target)
    out["SparseSoftmaxCrossEntropyWithLogits_is_grad"] = ops.SparseSoftmaxCrossEntropyWithLogits(
        is_grad=True)(logits, target)
    out["SparseSoftmaxCrossEntropyWithLogits_grad"] = ops.grad(
        lambda x: ops.SparseSoftmaxCrossEntropyWithLogits()(x, target))(logits)
    return out

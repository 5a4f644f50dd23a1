"""MindSpore 2.10's smaller math ops: xlogy, lerp, hypot, logit, deg2rad, rad2deg,
logsigmoid, softmin, celu, hardshrink, softshrink, tanhshrink, threshold, std_mean, var_mean,
clip_by_norm, trace: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import ops, Tensor


def run():
    x = Tensor(np.array([[-1.7, -0.45, 0.2], [0.55, 1.3, 2.4]], np.float32))
    p = Tensor(np.array([[0.1, 0.35, 0.5], [0.62, 0.8, 0.97]], np.float32))
    one = {
        "logsigmoid": ops.logsigmoid, "softmin": lambda t: ops.softmin(t, 0),
        "celu": lambda t: ops.celu(t, 0.7), "hardshrink": ops.hardshrink,
        "softshrink": lambda t: ops.softshrink(t, 0.3), "tanhshrink": ops.tanhshrink,
        "threshold": lambda t: ops.threshold(t, 0.1, -2.0), "deg2rad": ops.deg2rad,
        "rad2deg": ops.rad2deg, "hypot": lambda t: ops.hypot(t, 2.0 * t + 1.0),
        "lerp": lambda t: ops.lerp(t, t * t, 0.25), "trace": lambda t: ops.trace(t[:, :2]),
        "clip_by_norm": lambda t: ops.clip_by_norm(t, 1.0),
        "clip_by_norm_big": lambda t: ops.clip_by_norm(t, 100.0),
        "std_mean_std": lambda t: ops.std_mean(t, 1, 1, True)[0],
        "std_mean_mean": lambda t: ops.std_mean(t, 1, 1, True)[1],
        "var_mean_var": lambda t: ops.var_mean(t)[0],
    }
    out = {}
    for name, f in one.items():
        out[name] = f(x)
        out[name + "_grad"] = ops.grad(lambda t, f=f: ops.sum(f(t) * ops.cos(t[0, 0] + 0.3)))(x)
    out["logit"], out["logit_eps"] = ops.logit(p), ops.logit(p, 0.2)
    out["logit_grad"] = ops.grad(lambda t: ops.sum(ops.logit(t)))(p)
    out["xlogy"] = ops.xlogy(p, p + 1.0)
    out["xlogy_zero"] = ops.xlogy(Tensor(np.array([0.0, 1.0], np.float32)),
                                  Tensor(np.array([0.0, 2.0], np.float32)))
    gx, gy = ops.grad(lambda a, b: ops.sum(ops.xlogy(a, b)), (0, 1))(p, p + 1.0)
    out["xlogy_grad_x"], out["xlogy_grad_y"] = gx, gy
    out.update(classes())
    return out


def classes():
    """MindSpore's primitive classes of these ops and of the losses."""
    x = Tensor(np.array([[-1.7, -0.45, 0.2], [0.55, 1.3, 2.4]], np.float32))
    p = Tensor(np.array([[0.1, 0.35, 0.5], [0.62, 0.8, 0.97]], np.float32))
    y = Tensor(np.array([[0.0, 1.0, 0.3], [1.0, 0.0, 0.9]], np.float32))
    w = Tensor(np.array([1.0, 2.0, 0.5], np.float32))
    out = {
        "SigmoidCrossEntropyWithLogits": ops.SigmoidCrossEntropyWithLogits()(x, y),
        "Softplus": ops.Softplus()(x), "Xlogy": ops.Xlogy()(p, p + 1.0),
        "Lerp": ops.Lerp()(x, p, Tensor(0.3, ms.float32)), "Hypot": ops.Hypot()(x, p),
        "Trace": ops.Trace()(x[:, :2]), "CeLU": ops.CeLU(0.5)(x),
        "SoftShrink": ops.SoftShrink(0.3)(x), "HShrink": ops.HShrink(0.5)(x),
        "Cdist": ops.Cdist()(x, p), "IsClose": ops.IsClose(atol=0.5)(x, p),
        "BinaryCrossEntropy": ops.BinaryCrossEntropy()(p, y),
        # (a weight shaped like the logits: MindSpore 2.10's kernel reads a broadcast (3,)
        # weight out of bounds)
        "BinaryCrossEntropy_none_w": ops.BinaryCrossEntropy("none")(p, y, p * 2.0),
        "BCEWithLogitsLoss": ops.BCEWithLogitsLoss()(x, y, w, w),
        "BCEWithLogitsLoss_sum": ops.BCEWithLogitsLoss("sum")(x, y, w, w),
        "KLDivLoss_sum": ops.KLDivLoss("sum")(x, p),
        "SmoothL1Loss": ops.SmoothL1Loss(0.5)(x, y),
        "SmoothL1Loss_mean": ops.SmoothL1Loss(1.0, "mean")(x, y),
    }
    logits = ops.log_softmax(x, 1)
    labels = Tensor(np.array([2, 0], np.int32))
    out["NLLLoss_loss"], out["NLLLoss_total"] = ops.NLLLoss()(logits, labels, w)
    out["NLLLoss_sum_loss"], out["NLLLoss_sum_total"] = ops.NLLLoss("sum")(logits, labels, w)
    out["NLLLoss_none_loss"], out["NLLLoss_none_total"] = ops.NLLLoss("none")(logits, labels, w)
    out["BCEWithLogitsLoss_grad"] = ops.grad(
        lambda t: ops.BCEWithLogitsLoss()(t, y, w, w))(x)
    return out

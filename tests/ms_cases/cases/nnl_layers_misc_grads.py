"""The other new layers and functionals: Conv3dTranspose and ops.conv3d (input and weight
gradients), BiDense, TimeDistributed(Dense), Moments, ReduceLogSumExp, Norm, CentralCrop,
ImageGradients, Unflatten, OneHot, Range, MultiFieldEmbeddingLookup, AdaptiveMaxPool1d,
LPPool1d, avg_pool3d, Dropout2d in inference: values and gradients."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor


def run():
    rs = np.random.RandomState(5)

    def t(*shape):
        return Tensor(rs.randn(*shape).astype(np.float32))
    out = {}
    ct = nn.Conv3dTranspose(2, 3, (2, 3, 2), stride=(2, 1, 2), pad_mode="pad", padding=1,
                            output_padding=(1, 0, 1), has_bias=True, weight_init=t(2, 3, 2, 3, 2),
                            bias_init=t(3))
    x = t(1, 2, 3, 3, 3)
    y = ct(x)
    r = t(*y.shape)
    out["convt"] = y
    g = ops.grad(lambda v: (ct(v) * r).sum(), 0, ct.trainable_params())(x)
    out["convt_dx"], out["convt_dw"], out["convt_db"] = g[0], g[1][0], g[1][1]
    for mode in ("valid", "same"):
        ct2 = nn.Conv3dTranspose(2, 2, 3, stride=2, pad_mode=mode, weight_init=t(2, 2, 3, 3, 3))
        out["convt_" + mode] = ct2(x)

    w = t(4, 1, 2, 2, 3)
    xc = t(2, 2, 4, 4, 5)
    f = lambda v, k: ops.conv3d(v, k, stride=(1, 2, 1), pad_mode="pad", padding=(1, 0, 1),
                                dilation=(1, 1, 2), groups=2)
    out["conv3d"] = f(xc, w)
    rc = t(*out["conv3d"].shape)
    gx, gw = ops.grad(lambda v, k: (f(v, k) * rc).sum(), (0, 1))(xc, w)
    out["conv3d_dx"], out["conv3d_dw"] = gx, gw

    bd = nn.BiDense(3, 4, 2, weight_init=t(2, 3, 4), bias_init=t(2))
    x1, x2 = t(5, 3), t(5, 4)
    out["bidense"] = bd(x1, x2)
    g = ops.grad(lambda a, b: (bd(a, b) ** 2).sum(), (0, 1), bd.trainable_params())(x1, x2)
    out["bidense_dx1"], out["bidense_dx2"] = g[0]
    out["bidense_dw"], out["bidense_db"] = g[1]

    td = nn.TimeDistributed(nn.Dense(4, 3, weight_init=t(3, 4), bias_init=t(3)), time_axis=1)
    xt = t(2, 5, 4)
    out["timedistributed"] = td(xt)
    g = ops.grad(lambda v: (td(v) ** 2).sum(), 0, td.trainable_params())(xt)
    out["td_dx"], out["td_dw"], out["td_db"] = g[0], g[1][0], g[1][1]

    xm = t(2, 3, 4)
    mom = nn.Moments(axis=(0, 2), keep_dims=True)
    out["moments_mean"], out["moments_var"] = mom(xm)
    out["moments_grad"] = ops.grad(lambda v: (mom(v)[0] * mom(v)[1]).sum())(xm)
    rl = nn.ReduceLogSumExp(1)
    out["rlse"] = rl(xm)
    out["rlse_grad"] = ops.grad(lambda v: (rl(v) ** 2).sum())(xm)
    nm = nn.Norm(axis=2)
    out["norm"] = nm(xm)
    out["norm_grad"] = ops.grad(lambda v: nm(v).sum())(xm)
    out["unflatten"] = nn.Unflatten(2, (2, 2))(xm)

    img = t(2, 3, 7, 7)
    crop = nn.CentralCrop(0.6)
    out["crop"] = crop(img)
    out["crop_grad"] = ops.grad(lambda v: (crop(v) ** 2).sum())(img)
    ig = nn.ImageGradients()
    dy, dx = ig(img)
    out["imgrad_dy"], out["imgrad_dx"] = dy, dx
    out["imgrad_grad"] = ops.grad(lambda v: (ig(v)[0] ** 2).sum() + (ig(v)[1] ** 2).sum())(img)

    out["onehot"] = nn.OneHot(axis=1, depth=3, on_value=5.0, off_value=-1.0)(
        Tensor(np.array([[0, 2], [1, 1]], np.int32)))
    out["range"] = nn.Range(2, 11, 3)()
    mf = nn.MultiFieldEmbeddingLookup(6, 2, 3, param_init=t(6, 2), operator="MEAN")
    out["multifield_mean"] = mf(Tensor(np.array([[1, 4, 2, 0]], np.int32)),
                                Tensor(np.array([[0.5, 2.0, 1.0, 3.0]], np.float32)),
                                Tensor(np.array([[0, 2, 2, 0]], np.int32)))

    xa = t(2, 3, 8)
    amp = nn.AdaptiveMaxPool1d(4)
    out["amp1d"] = amp(xa)
    out["amp1d_grad"] = ops.grad(lambda v: (amp(v) ** 2).sum())(xa)
    xl = Tensor(rs.rand(1, 2, 7).astype(np.float32) + 0.2)
    lp = nn.LPPool1d(3, 3, 2)
    out["lppool1d"] = lp(xl)
    out["lppool1d_grad"] = ops.grad(lambda v: lp(v).sum())(xl)
    xv = t(1, 2, 5, 5, 4)
    ap = lambda v: ops.avg_pool3d(v, (2, 3, 2), (2, 2, 1), 1, True, False)
    out["avgpool3d"] = ap(xv)
    out["avgpool3d_grad"] = ops.grad(lambda v: (ap(v) ** 2).sum())(xv)
    d2 = nn.Dropout2d(0.5)
    d2.set_train(False)
    out["dropout2d_eval"] = d2(xv[0])
    return out

"""A tiny Vision Transformer as MindSpore users write it: patch embedding by a strided Conv2d,
flatten + transpose, a learnable cls token (Parameter, ops.broadcast_to / ops.tile) and position
embedding (Parameter) added, nn.TransformerEncoderLayer(norm_first=True, activation='gelu',
batch_first=True) applied twice (the same layer object: shared weights), nn.LayerNorm on the
cls token and a Dense head; loss, gradients w.r.t. the image and every weight, one AdamWeightDecay
step with a group of no-decay parameters."""
import numpy as np
import mindspore as ms
from mindspore import nn, ops, Tensor, Parameter
from mindspore.common.initializer import initializer, TruncatedNormal


class ViT(nn.Cell):
    def __init__(self, dim=8, patch=2, img=4, classes=3):
        super().__init__()
        n = (img // patch) ** 2
        self.patch = nn.Conv2d(3, dim, patch, stride=patch, has_bias=True)
        self.cls_token = Parameter(initializer(TruncatedNormal(0.02), (1, 1, dim)),
                                   name="cls_token")
        self.pos_embed = Parameter(initializer(TruncatedNormal(0.02), (1, n + 1, dim)),
                                   name="pos_embed")
        self.layer = nn.TransformerEncoderLayer(dim, 2, dim_feedforward=16, dropout=0.0,
                                                activation='gelu', norm_first=True,
                                                batch_first=True)
        self.norm = nn.LayerNorm((dim,))
        self.head = nn.Dense(dim, classes)

    def construct(self, x):
        b = x.shape[0]
        x = self.patch(x)
        x = x.reshape((b, x.shape[1], -1)).transpose(0, 2, 1)
        cls = ops.broadcast_to(self.cls_token, (b, -1, -1))
        x = ops.concat((cls, x), axis=1) + self.pos_embed
        x = self.layer(x)
        x = self.layer(x)
        return self.head(self.norm(x[:, 0]))


def run():
    net = ViT()
    rng = np.random.RandomState(71)
    for name, p in net.parameters_and_names():
        p.set_data(Tensor(rng.uniform(-0.4, 0.4, p.shape).astype(np.float32)))
    x = Tensor(rng.standard_normal((2, 3, 4, 4)).astype(np.float32))
    y = Tensor(np.array([2, 0], np.int32))
    decay = [p for p in net.trainable_params() if p.name.endswith("weight")]
    no_decay = [p for p in net.trainable_params() if not p.name.endswith("weight")]
    opt = nn.AdamWeightDecay([{"params": decay, "weight_decay": 0.05},
                              {"params": no_decay, "weight_decay": 0.0}],
                             learning_rate=1e-2)
    ce = nn.CrossEntropyLoss()

    def forward(x, y):
        return ce(net(x), y)

    grad_fn = ms.value_and_grad(forward, 0, opt.parameters)
    loss, (gx, grads) = grad_fn(x, y)
    out = {"loss": loss, "gx": gx, "logits": net(x)}
    for p, g in zip(opt.parameters, grads):
        out["grad_" + p.name] = g
    opt(grads)
    for p in opt.parameters:
        out["after_" + p.name] = p.asnumpy().copy()
    return out

"""Which Tensors share memory in MindSpore 2.10 (CPU, PyNative), measured: ``Tensor(array)``
and ``mindspore.tensor(array)`` copy the array; ``Tensor.from_numpy`` and ``Tensor(tensor)``
share; ``Parameter(...)`` copies; ``asnumpy()`` shares; ``Parameter.set_data(tensor)`` makes
the Parameter hold that Tensor's memory (an array taken with ``asnumpy()`` before keeps the old
values; a target network whose Parameters were ``set_data`` from another's follows its
updates; ``load_param_into_net`` likewise holds the dict's Tensors)."""
import os
import tempfile

import numpy as np
import mindspore as ms
from mindspore import Parameter, Tensor, nn, ops


def run():
    out = {}
    arr = np.ones(3, np.float32)
    t = Tensor(arr)
    arr[0] = 5
    out["tensor_of_array"] = t.asnumpy().copy()
    arr = np.ones(3, np.float32)
    t = ms.tensor(arr)
    arr[0] = 5
    out["ms_tensor_of_array"] = t.asnumpy().copy()
    arr = np.ones(3, np.float64)
    t = Tensor(arr, ms.float32)
    arr[0] = 5
    out["tensor_of_array_cast"] = t.asnumpy().copy()
    arr = np.ones(3, np.float32)
    t = Tensor.from_numpy(arr)
    arr[0] = 5
    out["from_numpy"] = t.asnumpy().copy()
    t = Tensor(np.ones(3, np.float32))
    u = Tensor(t)
    t.asnumpy()[0] = 5
    out["tensor_of_tensor"] = u.asnumpy().copy()
    arr = np.ones(3, np.float32)
    p = Parameter(arr, name="a")
    arr[0] = 5
    out["parameter_of_array"] = p.asnumpy().copy()
    t = Tensor(np.ones(3, np.float32))
    p = Parameter(t, name="b")
    t.asnumpy()[0] = 5
    out["parameter_of_tensor"] = p.asnumpy().copy()

    p = Parameter(Tensor(np.ones(3, np.float32)), name="c")
    before = p.asnumpy()
    p.set_data(Tensor(np.full(3, 2.0, np.float32)))
    out["asnumpy_before_set_data"] = before.copy()
    src = Tensor(np.full(3, 3.0, np.float32))
    p.set_data(src)
    src.asnumpy()[1] = 7
    out["set_data_shares"] = p.asnumpy().copy()
    ops.assign(p, Tensor(np.full(3, 4.0, np.float32)))
    out["source_after_assign"] = src.asnumpy().copy()
    q = Parameter(Tensor(np.ones(3, np.float32)), name="q")
    q.set_data(Tensor(np.array([1, 2, 3], np.int32)))
    out["set_data_cast_is_float32"] = float(q.dtype == ms.float32)
    out["set_data_cast"] = q.asnumpy().copy()

    ms.set_seed(0)
    net, target = nn.Dense(2, 2), nn.Dense(2, 2)
    for a, b in zip(target.trainable_params(), net.trainable_params()):
        a.set_data(b)
    opt = nn.SGD(net.trainable_params(), 0.5)
    x = Tensor(np.array([[1.0, -2.0]], np.float32))
    grads = ms.value_and_grad(lambda x: net(x).sum(), None, net.trainable_params())(x)[1]
    opt(grads)
    out["target_follows"] = float(np.abs(target.weight.asnumpy() - net.weight.asnumpy()).max())

    # load_param_into_net holds the dict's Tensors: two networks loaded from one dict share
    path = os.path.join(tempfile.mkdtemp(), "net.ckpt")
    ms.save_checkpoint(net, path)
    params = ms.load_checkpoint(path)
    one, two = nn.Dense(2, 2), nn.Dense(2, 2)
    ms.load_param_into_net(one, params)
    ms.load_param_into_net(two, params)
    opt = nn.SGD(one.trainable_params(), 0.5)
    grads = ms.value_and_grad(lambda x: one(x).sum(), None, one.trainable_params())(x)[1]
    opt(grads)
    out["loaded_twice_share"] = float(np.abs(two.weight.asnumpy() - one.weight.asnumpy()).max())
    out["loaded_dict_follows"] = float(np.abs(params["weight"].asnumpy()
                                              - one.weight.asnumpy()).max())
    out["loaded_moved"] = float(np.abs(one.weight.asnumpy() - net.weight.asnumpy()).max())
    return out

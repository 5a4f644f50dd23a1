"""MindSpore 2.x's beginner tutorial on Tensors (creation, attributes, indexing, operators,
concatenation, numpy conversion, CSRTensor and COOTensor)."""
import numpy as np
import mindspore as mindspore  # (the tutorial's `import mindspore`, renamable)
from mindspore import ops
from mindspore import Tensor, CSRTensor, COOTensor
from mindspore.common.initializer import One, Normal

def run():
    out = {}
    data = [1, 0, 1, 0]
    x_data = Tensor(data)
    out["x_data"] = x_data
    out["x_data_dtype_int64"] = float(x_data.dtype == mindspore.int64)
    x_np = Tensor(np.array(data))
    out["x_np"] = x_np
    tensor1 = mindspore.Tensor(shape=(2, 2), dtype=mindspore.float32, init=One())
    out["tensor1"] = tensor1
    tensor2 = mindspore.Tensor(shape=(2, 2), dtype=mindspore.float32, init=Normal())
    out["tensor2_shape"] = np.array(tensor2.shape)
    out["ones_like"] = ops.ones_like(x_data)
    out["zeros_like"] = ops.zeros_like(x_data)
    x = Tensor(np.array([[1, 2], [3, 4]]), mindspore.int32)
    out["itemsize"] = float(x.itemsize); out["nbytes"] = float(x.nbytes); out["ndim"] = float(x.ndim)
    out["size"] = float(x.size); out["strides"] = np.array(x.strides)
    tensor = Tensor(np.array([[0, 1], [2, 3]]).astype(np.float32))
    out["first_row"] = tensor[0]; out["last_col"] = tensor[:, -1]; out["first_col"] = tensor[..., 0]
    x = Tensor(np.array([1, 2, 3]), mindspore.float32)
    y = Tensor(np.array([4, 5, 6]), mindspore.float32)
    out["add"] = x + y; out["sub"] = x - y; out["mul"] = x * y; out["div"] = y / x
    out["mod"] = y % x; out["floordiv"] = y // x
    data1 = Tensor(np.array([[0, 1], [2, 3]]).astype(np.float32))
    data2 = Tensor(np.array([[4, 5], [6, 7]]).astype(np.float32))
    out["cat"] = ops.cat((data1, data2), axis=0)
    out["stack"] = ops.stack([data1, data2])
    out["matmul"] = data1 @ data2
    t = Tensor([1., 1., 1., 1., 1.])
    n = t.asnumpy()
    out["n"] = n
    n = np.ones(5)
    t = Tensor.from_numpy(n)
    np.add(n, 1, out=n)
    out["from_numpy_shared"] = t
    indptr = Tensor([0, 1, 2])
    indices = Tensor([0, 1])
    values = Tensor([1, 2], dtype=mindspore.float32)
    shape = (2, 4)
    csr_tensor = CSRTensor(indptr, indices, values, shape)
    out["csr_f64"] = float(csr_tensor.astype(mindspore.float64).dtype == mindspore.float64)
    out["csr_dense"] = csr_tensor.to_dense()
    out["csr_values"] = csr_tensor.values
    out["csr_indptr"] = csr_tensor.indptr
    out["csr_shape"] = np.array(csr_tensor.shape)
    indices = Tensor([[0, 1], [1, 2]], dtype=mindspore.int32)
    values = Tensor([1, 2], dtype=mindspore.float32)
    shape = (3, 4)
    coo_tensor = COOTensor(indices, values, shape)
    out["coo_values"] = coo_tensor.values
    out["coo_indices"] = coo_tensor.indices
    out["coo_shape"] = np.array(coo_tensor.shape)
    out["coo_f64"] = float(coo_tensor.astype(mindspore.float64).dtype == mindspore.float64)
    out["coo_dense"] = coo_tensor.to_dense()
    return out

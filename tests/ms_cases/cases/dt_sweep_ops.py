"""A sweep of the common eager ops over integer, bool and low-precision Tensors, measured in
MindSpore 2.10: each op's value and result dtype (``NAME_dt``, a number: ``DT``) for inputs of
int8, int16, int32, int64, uint8, bool, float16, float32 and float64.  An op MindSpore refuses
for a dtype is recorded as ``NAME_err`` = 1 (its value and dtype absent).  ``SKIP`` lists the
(op, dtype) pairs where autograd_st still differs, each with its reason (docs/dtypes.md)."""
import numpy as np
import mindspore as ms
from mindspore import Tensor, ops

DT = {"Float16": 16.0, "Float32": 32.0, "Float64": 64.0, "Int8": -8.0, "Int16": -16.0,
      "Int32": -32.0, "Int64": -64.0, "UInt8": 8.0, "UInt16": 9.0, "UInt32": 10.0,
      "UInt64": 11.0, "Bool": 1.0}
DTYPES = ("int8", "int16", "int32", "int64", "uint8", "bool", "float16", "float32", "float64")
TOLERANCE = (2e-3, 1e-3)  # (float16 results)

# (op, dtypes) left out.  MindSpore 2.10's CPU kernels refuse these (TypeError, or no kernel
# for the dtype); autograd_st computes numpy's result (recorded once: docs/dtypes.md)
_I = ("int8", "int16", "int32", "int64", "uint8")
REFUSED = {
    "exp": _I + ("bool",), "log": _I + ("bool",), "sin": _I + ("bool",),
    "tanh": _I + ("bool",), "sigmoid": _I + ("bool",), "rsqrt": _I + ("bool",),
    "floor": _I + ("bool",), "ceil": _I + ("bool",), "round": ("int8", "int16", "uint8", "bool"),
    "sign": ("int8", "int16", "int64", "uint8", "bool"), "sqrt": ("int32", "int64"),
    "square": ("int64", "bool"), "reciprocal": ("int8", "int16", "int64"), "relu": ("int8",),
    "abs": ("float16",), "clamp": ("int8", "int64", "bool"), "clip_f": ("int64", "bool"),
    "concat_f32": _I + ("bool", "float16", "float64"),
    "stack_i32": ("int8", "int16", "int64", "uint8", "bool", "float16", "float32", "float64"),
    "expand_dims": ("bool", "float16", "float64"), "tile": ("bool", "float16", "float64"),
    "masked_fill": ("int8", "uint8", "bool", "float16", "float32", "float64"),
    "cumsum": ("bool",), "matmul": ("bool",),
}
for _op in ("ReduceMax", "ReduceMean", "amax", "amin", "argmax", "argmin", "add", "floor_mod",
            "mean", "minimum", "neg", "pow", "t_clip", "t_max_ax", "t_max", "t_mean_ax",
            "t_mean", "t_min", "t_mod", "t_neg", "t_pow"):
    REFUSED[_op] = ("bool",)
# where autograd_st still differs (docs/dtypes.md says why)
DIFFERS = {
    "any": ("uint8", "float64"), "t_any": ("uint8", "float16", "float32", "float64"),
    "mean": ("uint8",), "t_mean": ("uint8",),  # (MindSpore sums in uint8: 261 wraps to 5)
    "sqrt": ("int8", "uint8", "bool"),  # (float32 there; numpy's float16 here)
    "relu": ("bool",), "floor_div": ("bool",), "floor_divide": ("bool",),
    "t_floordiv": ("bool",), "remainder": ("bool",),
    "t_sub": ("bool",), "sub_bool": ("bool",),  # (bool - bool: MindSpore's xor; numpy raises)
    "floordiv_negint": ("uint8",), "mod_negint": ("uint8",),  # (-2 wraps to 254 there)
}
SKIP = {(op, dt) for table in (REFUSED, DIFFERS) for op, dts in table.items() for dt in dts}


def data(dt):
    if dt == "bool":
        return (np.array([[True, False, True], [False, False, True]]),
                np.array([[True, True, False], [False, True, True]]))
    if dt == "uint8":
        return (np.array([[0, 1, 2], [3, 5, 250]], dt), np.array([[2, 3, 1], [4, 1, 3]], dt))
    if dt.startswith("float"):
        return (np.array([[-2.5, -1.0, 0.0], [0.5, 2.0, 3.25]], dt),
                np.array([[2.0, -3.0, 1.5], [4.0, -1.0, 3.0]], dt))
    return (np.array([[-3, -1, 0], [1, 2, 5]], dt), np.array([[2, -3, 1], [4, -1, 3]], dt))


def unary():
    return [
        ("abs", ops.abs), ("neg", ops.neg), ("t_neg", lambda x: -x), ("exp", ops.exp),
        ("log", ops.log), ("sqrt", ops.sqrt), ("sin", ops.sin), ("square", ops.square),
        ("sign", ops.sign), ("floor", ops.floor), ("ceil", ops.ceil), ("round", ops.round),
        ("relu", ops.relu), ("sigmoid", ops.sigmoid), ("tanh", ops.tanh),
        ("reciprocal", ops.reciprocal), ("rsqrt", ops.rsqrt),
        ("clamp", lambda x: ops.clamp(x, 0, 2)), ("clip_f", lambda x: ops.clip(x, -1.5, 2.5)),
        ("t_clip", lambda x: x.clip(0, 2)), ("isnan", ops.isnan), ("isfinite", ops.isfinite),
        ("logical_not", ops.logical_not), ("zeros_like", ops.zeros_like),
        ("ones_like", ops.ones_like),
        ("sum", ops.sum), ("t_sum", lambda x: x.sum()), ("t_sum_ax", lambda x: x.sum(1)),
        ("reduce_sum", ops.reduce_sum), ("ReduceSum", lambda x: ops.ReduceSum()(x, 1)),
        ("ReduceSum_kd", lambda x: ops.ReduceSum(keep_dims=True)(x)),
        ("mean", ops.mean), ("t_mean", lambda x: x.mean()), ("t_mean_ax", lambda x: x.mean(0)),
        ("prod", ops.prod), ("t_prod", lambda x: x.prod()),
        ("t_max", lambda x: x.max()), ("t_min", lambda x: x.min()),
        ("t_max_ax", lambda x: x.max(axis=1)), ("amax", lambda x: ops.amax(x, 1)),
        ("amin", lambda x: ops.amin(x)), ("argmax", lambda x: ops.argmax(x, 1)),
        ("argmin", lambda x: ops.argmin(x)), ("t_argmax", lambda x: x.argmax()),
        ("all", ops.all), ("any", lambda x: ops.any(x, 1)), ("t_all", lambda x: x.all()),
        ("t_any", lambda x: x.any(0)),
        ("cumsum", lambda x: ops.cumsum(x, 1)), ("t_cumsum", lambda x: x.cumsum(1)),
        ("cumprod", lambda x: ops.cumprod(x, 1)),
        ("ReduceMax", lambda x: ops.ReduceMax()(x, 0)),
        ("ReduceMean", lambda x: ops.ReduceMean()(x, 0)),
        ("add_int", lambda x: x + 2), ("radd_int", lambda x: 2 + x),
        ("sub_int", lambda x: x - 1), ("rsub_int", lambda x: 1 - x),
        ("mul_int", lambda x: x * 3), ("div_int", lambda x: x / 2), ("rdiv_int", lambda x: 6 / (x + 4)),
        ("floordiv_int", lambda x: x // 2), ("floordiv_negint", lambda x: x // -2),
        ("mod_int", lambda x: x % 3), ("mod_negint", lambda x: x % -3),
        ("pow_int", lambda x: x ** 2), ("rpow_int", lambda x: 2 ** x),
        ("add_float", lambda x: x + 1.5), ("mul_float", lambda x: x * 0.5),
        ("div_float", lambda x: x / 0.5), ("floordiv_float", lambda x: x // 1.5),
        ("mod_float", lambda x: x % 1.5), ("pow_float", lambda x: x ** 0.5),
        ("rpow_float", lambda x: 2.0 ** x), ("add_bool", lambda x: x + True),
        ("mul_npf64", lambda x: x * np.float64(2.0)),
        ("lt_int", lambda x: x < 1), ("ge_float", lambda x: x >= 0.5),
        ("eq_int", lambda x: x == 1), ("ne_int", lambda x: x != 1),
        ("maximum_int", lambda x: ops.maximum(x, 1)), ("minimum_f", lambda x: ops.minimum(x, 0.5)),
        ("where", lambda x: ops.where(x > 0, x, 0)),
        ("where_f", lambda x: ops.where(x > 0, x, 0.5)),
        ("masked_fill", lambda x: ops.masked_fill(x, x > 1, 1)),
        ("expand_dims", lambda x: ops.expand_dims(x, 0)), ("tile", lambda x: ops.tile(x, (1, 2))),
        ("flip", lambda x: ops.flip(x, (1,))), ("t_T", lambda x: x.T),
        ("gather", lambda x: ops.gather(x, Tensor(np.array([2, 0], np.int32)), 1)),
        ("getitem", lambda x: x[1, ::-1]),
        ("to_f16", lambda x: x.astype(ms.float16)), ("to_f32", lambda x: x.astype(ms.float32)),
        ("to_i32", lambda x: x.astype(ms.int32)), ("to_u8", lambda x: x.astype(ms.uint8)),
        ("to_i8", lambda x: x.astype(ms.int8)), ("to_bool", lambda x: x.astype(ms.bool_)),
        ("cast_i64", lambda x: ops.cast(x, ms.int64)),
        ("round_trip_f16", lambda x: x.astype(ms.float16).astype(x.dtype)),
        ("round_trip_i32", lambda x: x.astype(ms.int32).astype(x.dtype)),
    ]


def binary():
    i32 = Tensor(np.array([[1, 2, -1], [3, -2, 1]], np.int32))
    f32 = Tensor(np.array([[0.5, 2.0, -1.5], [1.0, 3.0, 0.25]], np.float32))
    b = Tensor(np.array([[True, False, True], [True, True, False]]))
    return [
        ("add", ops.add), ("t_add", lambda x, y: x + y), ("t_sub", lambda x, y: x - y),
        ("t_mul", lambda x, y: x * y), ("t_div", lambda x, y: x / y), ("div", ops.div),
        ("t_floordiv", lambda x, y: x // y), ("floor_divide", ops.floor_divide),
        ("floor_div", ops.floor_div), ("t_mod", lambda x, y: x % y),
        ("floor_mod", ops.floor_mod), ("remainder", ops.remainder),
        ("t_pow", lambda x, y: x ** y), ("pow", ops.pow), ("maximum", ops.maximum),
        ("minimum", ops.minimum), ("t_lt", lambda x, y: x < y), ("t_eq", lambda x, y: x == y),
        ("equal", ops.equal), ("greater", ops.greater), ("logical_and", ops.logical_and),
        ("concat", lambda x, y: ops.concat((x, y), 1)), ("stack", lambda x, y: ops.stack((x, y))),
        ("add_i32", lambda x, y: x + i32), ("mul_f32", lambda x, y: x * f32),
        ("sub_bool", lambda x, y: x - b if x.dtype != ms.bool_ else x ^ b),
        ("div_i32", lambda x, y: x / i32), ("floordiv_i32", lambda x, y: x // i32),
        ("mod_i32", lambda x, y: x % i32), ("maximum_f32", lambda x, y: ops.maximum(x, f32)),
        ("where_i32", lambda x, y: ops.where(b, x, i32)),
        ("concat_f32", lambda x, y: ops.concat((x, f32))),
        ("stack_i32", lambda x, y: ops.stack((x, i32), 1)),
        ("matmul", lambda x, y: ops.matmul(x, y.T)),
    ]


def put(out, key, value):
    if isinstance(value, (tuple, list)):
        for j, v in enumerate(value):
            put(out, "%s_%d" % (key, j), v)
        return
    if isinstance(value, bool):
        value = Tensor(value)
    out[key] = value.asnumpy()  # (MindSpore raises a kernel's refusal here)
    out[key + "_dt"] = DT.get(str(value.dtype), -1.0)


def run():
    out = {}
    for dt in DTYPES:
        a, c = data(dt)
        x, y = Tensor(a), Tensor(c)
        cases = [(n, (lambda f: lambda: f(x))(f)) for n, f in unary()]
        cases += [(n, (lambda f: lambda: f(x, y))(f)) for n, f in binary()]
        for name, f in cases:
            if (name, dt) in SKIP:
                continue
            key = "%s_%s" % (name, dt)
            got = {}
            try:
                put(got, key, f())
            except Exception:  # noqa: BLE001 - recorded
                got = {key + "_err": 1.0}
            out.update(got)
    return out

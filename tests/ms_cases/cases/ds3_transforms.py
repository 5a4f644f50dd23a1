"""ds.transforms' generic transforms (MindSpore 2.10 numbers): Duplicate (alone and in map
with two output columns), Fill (casts to the input's dtype), Mask, PadEnd, Slice,
Concatenate, Unique, TypeCast, OneHot, Compose and the deterministic limits of
RandomApply / RandomChoice / RandomOrder."""
import numpy as np
import mindspore as ms
import mindspore.dataset as ds
import mindspore.dataset.transforms as T
from mindspore.dataset.transforms import Relational


def run():
    x = np.array([1, 2, 3, 4, 5], np.int32)
    out = {}
    a, b = T.Duplicate()(x)
    out["dup_a"], out["dup_b"] = a, b
    out["fill"] = T.Fill(7)(x)
    out["fill_cast"] = T.Fill(2.7)(x)
    out["fill_f32"] = T.Fill(3)(x.astype(np.float32))
    out["fill_wrap"] = T.Fill(300)(np.array([1], np.uint8))
    out["mask_gt"] = T.Mask(Relational.GT, 2)(x)
    out["mask_eq_i32"] = T.Mask(Relational.EQ, 3, ms.int32)(x)
    out["mask_le"] = T.Mask(Relational.LE, 2.5)(x.astype(np.float32))
    out["mask_ge_cast"] = T.Mask(Relational.GE, 2.5)(np.array([1, 2, 3]))
    out["mask_ne_2d"] = T.Mask(Relational.NE, 2)(np.array([[1, 2], [2, 3]]))
    out["padend"] = T.PadEnd([7])(x)
    out["padend_cut"] = T.PadEnd([3], -1)(x)
    out["padend_2d"] = T.PadEnd([2, 4], 9)(np.array([[1, 2], [3, 4]]))
    out["padend_cast"] = T.PadEnd([3], 1.5)(np.array([1, 2]))
    out["slice"] = T.Slice(slice(1, 4))(x)
    out["slice_list"] = T.Slice([0, 2])(x)
    out["slice_int"] = T.Slice(1)(x)
    out["slice_none"] = T.Slice(None)(x)
    out["slice_ell"] = T.Slice(Ellipsis)(x)
    out["concat"] = T.Concatenate(0, np.array([8, 9], np.int32), np.array([0], np.int32))(x)
    out["concat_none"] = T.Concatenate()(x)
    u, idx, cnt = T.Unique()(np.array([[5, 1], [1, 3]]))
    out["unique"], out["unique_idx"], out["unique_cnt"] = u, idx, cnt
    out["typecast"] = T.TypeCast(ms.float32)(x)
    out["typecast_np"] = T.TypeCast(np.int8)(x)
    out["onehot"] = T.OneHot(3)(np.array(1, np.int32))
    out["rapply1"] = T.RandomApply([T.Fill(0)], prob=1.0)(x)
    out["rapply0"] = T.RandomApply([T.Fill(0)], prob=0.0)(x)
    out["rchoice1"] = T.RandomChoice([T.Fill(0)])(x)
    out["rorder1"] = T.RandomOrder([T.Fill(0)])(x)
    c1, c2 = T.Compose([T.Fill(1), T.Duplicate()])(x)
    out["compose_a"], out["compose_b"] = c1, c2
    data = ds.NumpySlicesDataset({"a": [[1, 2], [3, 4]]}, shuffle=False)
    data = data.map(T.Duplicate(), input_columns=["a"], output_columns=["a", "b"])
    out["map_cols"] = float(len(data.get_col_names()))
    for i, (p, q) in enumerate(data.create_tuple_iterator(output_numpy=True)):
        out["map/%d/a" % i], out["map/%d/b" % i] = p, q
    return out

"""Cell.state_dict / load_state_dict errors (MindSpore 2.10 raises RuntimeError, measured)."""
import numpy as np
import pytest

import autograd_st as ms
from autograd_st import Tensor, nn


class Two(nn.Cell):
    def __init__(self):
        super().__init__()
        self.a = nn.Dense(3, 2)
        self.b = nn.Dense(2, 1)

    def construct(self, x):
        return self.b(self.a(x))


def test_round_trip_through_checkpoint(tmp_path):
    src, dst = Two(), Two()
    path = str(tmp_path / "two.ckpt")
    ms.save_checkpoint(src, path)
    r = dst.load_state_dict(ms.load_checkpoint(path))
    assert str(r) == "<All keys matched successfully>"
    x = Tensor(np.arange(6, dtype=np.float32).reshape(2, 3))
    np.testing.assert_array_equal(src(x).asnumpy(), dst(x).asnumpy())
    assert list(dst.state_dict()) == ["a.weight", "a.bias", "b.weight", "b.bias"]
    assert dst.state_dict(prefix="m.")["m.b.bias"] is dst.b.bias


def test_strict_missing_and_unexpected_raise():
    net = Two()
    sd = dict(net.state_dict())
    del sd["b.bias"]
    sd["c.weight"] = Tensor(np.ones(2, np.float32))
    with pytest.raises(RuntimeError, match='Missing key.*"b.bias".*\n.*Unexpected key.*"c.weight"'):
        Two().load_state_dict(sd)
    r = Two().load_state_dict(sd, strict=False)
    assert r.missing_keys == ["b.bias"] and r.unexpected_keys == ["c.weight"]


def test_shape_mismatch_raises_and_names_the_key():
    net = Two()
    before = net.b.bias.asnumpy().copy()
    sd = {"a.weight": Tensor(np.ones((2, 4), np.float32)), "b.bias": Tensor(np.full(1, 7.0))}
    with pytest.raises(RuntimeError, match="size mismatch for a.weight"):
        net.load_state_dict(sd, strict=False)
    assert net.b.bias.asnumpy()[0] == 7.0 and before[0] != 7.0  # the fitting one was copied
    assert net.b.bias.dtype == ms.float32


def test_parameter_tuple_members_are_keyed_by_their_own_names():
    # measured on MindSpore 2.10: ['a', 'b', 'fc.weight', 'fc.bias', 'lst.0.weight', 'lst.0.bias']
    class C(nn.Cell):
        def __init__(self):
            super().__init__()
            self.ws = ms.ParameterTuple([ms.Parameter(Tensor(np.ones(2, np.float32)), name="a"),
                                         ms.Parameter(Tensor(np.zeros(3, np.float32)), name="b")])
            self.fc = nn.Dense(2, 2)
            self.lst = nn.CellList([nn.Dense(1, 1)])

    c = C()
    assert list(c.state_dict()) == ["a", "b", "fc.weight", "fc.bias", "lst.0.weight",
                                    "lst.0.bias"]
    r = c.load_state_dict({"a": Tensor(np.full(2, 4.0)), "fc.bias": Tensor(np.ones(2))},
                          strict=False)
    assert c.ws[0].asnumpy().tolist() == [4.0, 4.0] and c.fc.bias.asnumpy().tolist() == [1, 1]
    assert r.missing_keys == ["b", "fc.weight", "lst.0.weight", "lst.0.bias"]

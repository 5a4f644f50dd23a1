"""mindspore.communication.create_group before init() raises (RuntimeError: "Distributed
Communication has not been inited ...")."""
import mindspore as ms  # noqa: F401
from mindspore.communication import create_group


def run():
    create_group("pair", [0, 1])
    return {"created": 1.0}

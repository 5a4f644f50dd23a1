"""mindspore.communication before init(): rank, sizes and local ranks come from the environment
(RANK_ID, RANK_SIZE, LOCAL_RANK, LOCAL_RANK_SIZE), else 0, 1, 0, 1; INITED is False."""
import os

import mindspore as ms  # noqa: F401
from mindspore.communication import (GlobalComm, get_group_size, get_local_rank,
                                     get_local_rank_size, get_rank)

NAMES = ("RANK_ID", "RANK_SIZE", "LOCAL_RANK", "LOCAL_RANK_SIZE")


def _read():
    return [get_rank(), get_group_size(), get_local_rank(), get_local_rank_size()]


def run():
    saved = {n: os.environ.pop(n, None) for n in NAMES}
    try:
        plain = _read()
        os.environ.update(RANK_ID="3", RANK_SIZE="8", LOCAL_RANK="1", LOCAL_RANK_SIZE="4")
        from_env = _read()
    finally:
        for n, v in saved.items():
            os.environ.pop(n, None)
            if v is not None:
                os.environ[n] = v
    return {"plain": plain, "from_env": from_env, "inited": float(GlobalComm.INITED)}

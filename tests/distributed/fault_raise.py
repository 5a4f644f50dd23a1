"""Run under ``mpiexec -n 2``: rank 1 raises while rank 0 waits in an all-reduce; the fault
handler that ``init()`` installs prints rank 1's traceback and ends both ranks."""
import numpy as np

from autograd_st import Tensor, ops
from autograd_st.communication import get_rank, init

init()
if get_rank() == 1:
    raise ValueError("rank one failed on purpose")
print("[rank 0] waiting in all-reduce", flush=True)
ops.AllReduce()(Tensor(np.ones(3)))
print("[rank 0] all-reduce returned (must not happen)", flush=True)

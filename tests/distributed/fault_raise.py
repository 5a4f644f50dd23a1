"""Run under ``mpiexec -n 2``: rank 1 raises while rank 0 waits in an all-reduce; the fault
handler (installed by ``init()``, or with ``--no-init`` by the first use of the world of a
job of several processes) prints rank 1's traceback and ends both ranks."""
import sys

import numpy as np

from autograd_st import Tensor, ops
from autograd_st.communication import init
from autograd_st.mpi_backend import world

if "--no-init" not in sys.argv:
    init()
if world().rank == 1:
    raise ValueError("rank one failed on purpose")
print("[rank 0] waiting in all-reduce", flush=True)
ops.AllReduce()(Tensor(np.ones(3)))
print("[rank 0] all-reduce returned (must not happen)", flush=True)

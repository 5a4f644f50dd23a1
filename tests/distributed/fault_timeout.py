"""Run under ``mpiexec -n 2`` with a short ``AUTOGRAD_ST_COLLECTIVE_TIMEOUT``: rank 1 sleeps
instead of joining rank 0's all-reduce; rank 0's collective times out
(CollectiveTimeoutError) and the fault handler ends the job."""
import time

import numpy as np

from autograd_st import Tensor, ops
from autograd_st.communication import get_rank, init

init()
if get_rank() == 1:
    time.sleep(120)  # never joins; ended by rank 0's MPI_Abort
else:
    ops.AllReduce()(Tensor(np.ones(3)))

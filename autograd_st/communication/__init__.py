"""``autograd_st.communication``: MindSpore's ``mindspore.communication`` over MPI.

Takes: :mod:`autograd_st.mpi_backend` (the one module that touches MPI) and the collective
adapters of :mod:`autograd_st.table_comm`.  Gives: the management API (``init``,
``get_rank``, ``get_group_size``, ``get_local_rank``, ``get_local_rank_size``,
``GlobalComm``, ``create_group``, ``destroy_group``, ``get_group_rank_from_world_rank``,
``get_world_rank_from_group_rank``, ``get_process_group_ranks``, ``release``), the
rank-0 helper :func:`is_main`, and :mod:`.comm_func` (``all_reduce``,
``all_gather_into_tensor``, ``reduce_scatter_tensor``, ``broadcast``, ``reduce``,
``barrier``).

Start a job with ``python -m autograd_st.launch -n 4 train.py`` or ``mpiexec -n 4 python
train.py``; without a launcher (or without the ``distributed`` extra) ``init()`` makes a
group of one, where MindSpore raises: the same script runs on one process.
"""
from __future__ import annotations

from . import comm_func
from .management import *  # noqa: F401,F403
from .management import __all__ as _management_all

__all__ = list(_management_all) + ["comm_func"]

"""Run under ``mpiexec -n 2`` (or alone): the management API's values before and after
``init()``, written by each rank to ``<out>/rank<r>.json`` (the ranks' stdout may
interleave)."""
import json
import sys

from autograd_st import communication as comm
from autograd_st.errors import CommunicationError

out = {"before": [comm.get_rank(), comm.get_group_size(), comm.get_local_rank(),
                  comm.get_local_rank_size(), comm.GlobalComm.INITED,
                  comm.GlobalComm.WORLD_COMM_GROUP, comm.is_main()]}
try:
    comm.create_group("early", [0])
except CommunicationError as exc:
    out["create_before_init"] = [isinstance(exc, RuntimeError), str(exc)]
comm.init()
comm.init()  # a second init does nothing
rank, size = comm.get_rank(), comm.get_group_size()
out["after"] = [rank, size, comm.get_local_rank(), comm.get_local_rank_size(),
                comm.GlobalComm.INITED, comm.GlobalComm.BACKEND,
                comm.GlobalComm.WORLD_COMM_GROUP, comm.is_main()]
out["names"] = [comm.get_rank(g) for g in (comm.HCCL_WORLD_COMM_GROUP,
                                            comm.NCCL_WORLD_COMM_GROUP,
                                            comm.MCCL_WORLD_COMM_GROUP)]
# a group of the world's ranks in reverse order, and one of the last rank alone
comm.create_group("rev", list(range(size))[::-1])
out["rev"] = [comm.get_rank("rev"), comm.get_group_size("rev"),
              comm.get_process_group_ranks("rev"),
              comm.get_group_rank_from_world_rank(0, "rev"),
              comm.get_world_rank_from_group_rank("rev", 0)]
if rank == size - 1:
    comm.create_group("last", [size - 1])
    out["last"] = [comm.get_rank("last"), comm.get_group_size("last")]
    comm.destroy_group("last")
errors = []
for call in (lambda: comm.get_rank("nope"), lambda: comm.create_group("rev", [0]),
             lambda: comm.destroy_group(comm.GlobalComm.WORLD_COMM_GROUP),
             lambda: comm.get_world_rank_from_group_rank("rev", size)):
    try:
        call()
        errors.append(None)
    except CommunicationError as exc:
        errors.append(str(exc))
try:
    comm.get_rank(0)
except TypeError as exc:
    errors.append("TypeError: " + str(exc))
out["errors"] = errors
comm.release()
out["released"] = [comm.GlobalComm.INITED, comm.get_rank()]
with open("%s/rank%d.json" % (sys.argv[1], rank), "w") as fh:
    json.dump(out, fh)

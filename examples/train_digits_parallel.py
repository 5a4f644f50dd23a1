"""The quickstart's digits model (``quickstart_digits.py``) trained data-parallel: each
process reads its shard of the rows (``num_shards`` / ``shard_id``) in batches of
``32 / N``, ``Model.train`` all-reduces the gradients (``DATA_PARALLEL``,
``gradients_mean=True``), rank 0 alone prints.  The global batch is the single-process run's,
so it reaches the same held-out accuracy (>= 97%).

    mpiexec -n 2 python examples/train_digits_parallel.py [EPOCHS]
    python -m autograd_st.launch -n 2 examples/train_digits_parallel.py   # the same
    python examples/train_digits_parallel.py                              # one process
"""
import sys

from _common import digits
from quickstart_digits import Network

import autograd_st as ms
import autograd_st.dataset as ds
from autograd_st import nn
from autograd_st.communication import get_group_size, get_rank, init
from autograd_st.train import LossMonitor, Model


def main(epochs=40, batch_size=32, seed=3, limit=None):
    """Train on this process's shard; returns the held-out accuracy (the same on every rank)."""
    init()  # MPI's world under mpiexec; a group of one without a launcher
    rank, size = get_rank(), get_group_size()
    ms.set_seed(seed)  # the same initial weights on every rank
    ms.set_auto_parallel_context(parallel_mode=ms.ParallelMode.DATA_PARALLEL,
                                 gradients_mean=True, device_num=size)
    x_train, y_train, x_test, y_test = digits(seed=seed)
    x_train, y_train = x_train[:limit], y_train[:limit]
    if batch_size % size:
        raise SystemExit("the global batch (%d) must divide among %d processes"
                         % (batch_size, size))
    train = ds.NumpySlicesDataset((x_train, y_train), column_names=["image", "label"],
                                  shuffle=True, num_shards=size,
                                  shard_id=rank).batch(batch_size // size)
    test = ds.NumpySlicesDataset((x_test, y_test), column_names=["image", "label"],
                                 shuffle=False).batch(batch_size)
    net = Network()
    model = Model(net, nn.CrossEntropyLoss(), nn.Adam(net.trainable_params(), 1e-3),
                  metrics={"accuracy"})
    model.train(epochs, train, callbacks=[LossMonitor(per_print_times=train.get_dataset_size())])
    accuracy = model.eval(test)["accuracy"]
    if rank == 0:
        print("held-out accuracy with %d process(es): %.4f" % (size, accuracy))
    return accuracy


if __name__ == "__main__":
    main(epochs=int(sys.argv[1]) if len(sys.argv) > 1 else 40)

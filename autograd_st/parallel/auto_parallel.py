"""``mindspore.parallel.auto_parallel.AutoParallel``: the wrapper MindSpore 2.10 puts around a
network (or a gradient Cell) to run it with semi-automatic / sharding-propagation
parallelism.

Takes: a Cell, the communication group (``get_rank`` / ``get_group_size``).
Gives: ``AutoParallel``, a Cell whose ``construct`` calls the network.  autograd_st runs
every process with the whole network (data parallelism, see docs/distributed.md): the
sharding settings (strategies, pipeline stages, optimizer sharding, communication fusion)
are recorded on the wrapper and change nothing in the numbers, as in a one-device MindSpore
run where every strategy is the identity.
"""
from __future__ import annotations

from ..cell import Cell
from ..communication import get_group_size, get_rank

__all__ = ["AutoParallel"]

_MODES = ["semi_auto", "sharding_propagation", "recursive_programming"]


class AutoParallel(Cell):
    """MindSpore's ``AutoParallel(network, parallel_mode="semi_auto")``: calls ``network``
    with its arguments.  Differs: the configuration methods record their settings only (no
    operator is sharded; each process holds the whole network)."""

    def __init__(self, network, parallel_mode="semi_auto") -> None:
        super().__init__(auto_prefix=False)
        self.network = network
        if parallel_mode not in _MODES:
            raise ValueError("the argument 'parallel_mode' must be one of %s, but got the "
                             "value : %s ." % (_MODES, parallel_mode))
        self._parallel_mode = parallel_mode
        self._global_rank = get_rank()
        self._device_num = get_group_size()
        self._settings = {"init_param_in_compile": True, "pipeline_stages": 1,
                          "gradients_mean": False}

    def construct(self, *args, **kwargs):
        return self.network(*args, **kwargs)

    def _set(self, **settings):
        self._settings.update(settings)

    def no_init_parameters_in_compile(self):
        self._set(init_param_in_compile=False)

    def load_param_strategy_file(self, file_path):
        self._set(load_strategy_file=file_path)

    def save_param_strategy_file(self, file_path):
        self._set(save_strategy_file=file_path)

    def disable_strategy_file_only_for_trainable_params(self):
        self._set(only_trainable_params=False)

    def save_operator_strategy_file(self, file_path):
        self._set(save_operator_strategy_file=file_path)

    def load_operator_strategy_file(self, file_path):
        self._set(load_operator_strategy_file=file_path)

    def dataset_strategy(self, config):
        self._set(dataset_strategy=config)

    def hsdp(self, shard_size=-1, threshold=64, optimizer_level="level1"):
        self._set(parallel_optimizer=(shard_size, threshold, optimizer_level))

    def pipeline(self, stages=1, output_broadcast=False, interleave=False, scheduler="1f1b"):
        self._set(pipeline_stages=stages, pipeline=(output_broadcast, interleave, scheduler))

    def comm_fusion(self, config):
        self._set(comm_fusion=config)

    def enable_fp32_communication(self):
        self._set(fp32_communication=True)

    def set_group_ckpt_save_file(self, file_path):
        self._set(group_ckpt_save_file=file_path)

    def enable_gradients_mean(self):
        self._set(gradients_mean=True)

    def disable_gradient_fp32_sync(self):
        self._set(gradient_fp32_sync=False)

    def disable_loss_repeated_mean(self):
        self._set(loss_repeated_mean=False)

    def get_pipeline_stages(self):
        return self._settings["pipeline_stages"]

    def transformer_opt(self, file_path):
        self._set(transformer_opt=file_path)

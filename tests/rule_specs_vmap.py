"""Spec rows for the primitive of ``autograd_st.rules_vmap`` (see ``rule_specs.py`` for what a
row is; that module gathers these).  ``ZERO_GRADIENT``: the primitives here without a gradient
(the batch-size check of ``ops.vmap``; tests/test_vmap.py checks its errors)."""
SPECS: list = []

ZERO_GRADIENT: set = {"vmap_batch_size"}

"""Record linkage core: normalise, key, block, compare, model, cluster.

Knows nothing of Restoring Family Links policy; `rfl` maps its schema onto these stages.
"""

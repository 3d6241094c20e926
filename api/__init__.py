"""HTTP service over `rfl` that enforces the code of conduct."""

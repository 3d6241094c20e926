"""Restoring Family Links domain: the interchange record, the code of conduct, storage and the CLI."""

"""One router per resource of the tracing API."""

"""Whether the run was asked to stop: set by the command line's SIGTERM and SIGHUP handler.

The handler raises KeyboardInterrupt, as Ctrl-C does. When the signal lands while Python runs a
finaliser, that exception is printed and dropped and the run goes on, so outputs check this flag
before they move into place: a stopped run never leaves them, however the stop reached it.
"""

import threading

STOP_REQUESTED = threading.Event()


def unless_stopped() -> None:
    """Raise KeyboardInterrupt if a stop was asked for."""
    if STOP_REQUESTED.is_set():
        raise KeyboardInterrupt

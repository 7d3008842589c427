"""Stopping cleanly when a long command (build, bundle) is interrupted.

Python's default answer to SIGTERM is to die on the spot: temporary folders of hundreds of
megabytes stay behind and `mkdocs build` children keep running as orphans. Here SIGTERM and
SIGINT become an `Interrupted` exception in the main thread, so `with` blocks clean up, and
the children are sent SIGTERM and waited for.
"""

from __future__ import annotations

import contextlib
import signal
import subprocess
import threading
from collections.abc import Iterator

SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Children run in their own process group (`process_group=0`), so a Ctrl-C in the terminal
# reaches this process only; it then stops them with SIGTERM, which ends Python quietly
# where SIGINT would print a KeyboardInterrupt traceback from wherever they were.
CHILD = {"process_group": 0}


class Interrupted(Exception):
    """The process was asked to stop; `exit_code` is the shell's 128 + signal number."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


@contextlib.contextmanager
def stoppable(children: list[subprocess.Popen]) -> Iterator[None]:
    """Turn SIGTERM/SIGINT into `Interrupted` while the block runs; on the way out by any
    exception, stop the `children` started so far (the list may grow inside the block) and
    wait for them, so none outlives this process. Start them with `**CHILD`."""
    if threading.current_thread() is not threading.main_thread():  # signals reach only the main thread
        yield
        return

    def handler(signum, _frame):
        for other in SIGNALS:  # a second Ctrl-C must not interrupt the cleaning up
            signal.signal(other, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, handler) for signum in SIGNALS}
    try:
        yield
    except BaseException:
        stop_children(children)
        raise
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def stop_children(children: list[subprocess.Popen], signum: int = signal.SIGTERM, grace: float = 10.0) -> None:
    """Send `signum` to every child still running, then kill those that outlive `grace` seconds."""
    for child in children:
        if child.poll() is None:
            with contextlib.suppress(OSError):
                child.send_signal(signum)
    for child in children:
        try:
            child.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()

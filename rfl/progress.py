"""Progress of a long run on stderr: a bar on a terminal, a few plain lines in a log, or nothing.

The matching core reports through one callable, `progress(stage, done, total)`, called as each
stage starts and advances (`total` 0 while unknown); `Progress` is such a callable. On a
terminal each stage gets a bar with its rate (items a second) and the time left; when stderr
goes to a file or a pipe (a batch job's log), a stage gives a line when it starts, when it ends
and at most one every `interval` seconds between, so a stage that advances a thousand times does
not fill the log. Messages never carry a person's details: only stage names and counts.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from tqdm import tqdm


class Progress:
    """`progress(stage, done, total)` for the matching core, plus `note` for what a command says
    between stages. Use it as a context manager so a bar left open is closed."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None, interval: float = 5.0,
                 clock=time.monotonic):
        self.quiet, self.stream, self.interval, self.clock = quiet, stream or sys.stderr, interval, clock
        self.terminal = self.stream.isatty()
        self.start = clock()
        self.stage: str | None = None
        self.stage_start = self.last_line = self.start
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int = 0, total: int = 0) -> None:
        if self.quiet:
            return
        now = self.clock()
        new = stage != self.stage
        if new:
            self._close()
            self.stage, self.stage_start = stage, now
        if self.terminal:
            self._advance_bar(stage, done, total, new)
        elif new or (total and done >= total) or now - self.last_line >= self.interval:
            self._line(now, stage + self._counts(now, done, total))

    def note(self, message: str) -> None:
        """A line between stages (what was written where), unless quiet."""
        if not self.quiet:
            self.warn(message)

    def warn(self, message: str) -> None:
        """A line said even when quiet: something the user must know (records were changed)."""
        self._close()
        self.stage = None
        self._line(self.clock(), message)

    def _advance_bar(self, stage: str, done: int, total: int, new: bool) -> None:
        if new:  # a stage of unknown size shows how long it took; a bar is for counted work
            self.bar = tqdm(desc=stage, total=total or None, unit=" items", file=self.stream,
                            dynamic_ncols=True, leave=True, bar_format=None if total else "{desc} … {elapsed}")
        elif total and self.bar.total != total:
            self.bar.total = total
        self.bar.update(max(done - self.bar.n, 0))

    def _counts(self, now: float, done: int, total: int) -> str:
        """` (1,200 of 5,000, 300 a second, about 13 s left)`, as much of it as is known."""
        if not done and not total:
            return ""
        parts = [f"{done:,} of {total:,}" if total else f"{done:,}"]
        seconds = now - self.stage_start
        if done and seconds > 0 and (not total or done < total):
            rate = done / seconds
            parts.append(f"{rate:,.0f} a second")
            if total:
                parts.append(f"about {(total - done) / rate:,.0f} s left")
        return f" ({', '.join(parts)})"

    def _line(self, now: float, text: str) -> None:
        self.last_line = now
        print(f"[{now - self.start:6.1f}s] {text}", file=self.stream, flush=True)

    def _close(self, finished: bool = True) -> None:
        """Close the stage's bar. Stages run one after another, so when the next starts (or the
        command speaks) this one is done, even if the core never said so: fill its bar."""
        if self.bar is not None:
            if finished and self.bar.total:
                self.bar.update(self.bar.total - self.bar.n)
            self.bar.close()
            self.bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, kind, *_) -> None:
        self._close(finished=kind is None)

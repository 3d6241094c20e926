"""Progress on stderr: plain, rate-limited lines in a log, a bar on a terminal, nothing when quiet."""

import io

from benchmarks.generate import generate, write_dataset
from rfl.cli import main
from rfl.progress import Progress


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_log_gets_a_few_plain_lines_however_often_a_stage_advances():
    log, clock = io.StringIO(), Clock()
    with Progress(stream=log, clock=clock) as progress:
        progress("blocking", 0, 0)
        for done in range(0, 1001):
            progress("comparing pairs", done, 1000)
            clock.now += 0.003  # 1,000 steps in 3 s: shorter than the interval between lines
        progress.note("wrote 10 candidate pairs")
    lines = log.getvalue().splitlines()
    assert lines == ["[   0.0s] blocking",
                     "[   0.0s] comparing pairs (0 of 1,000)",
                     "[   3.0s] comparing pairs (1,000 of 1,000)",
                     "[   3.0s] wrote 10 candidate pairs"]


def test_a_long_stage_says_its_rate_and_time_left_every_interval():
    log, clock = io.StringIO(), Clock()
    progress = Progress(stream=log, clock=clock, interval=5.0)
    for done in range(0, 2001):
        progress("comparing pairs", done, 2000)
        clock.now += 0.01  # 100 a second, 20 s in all: a line every 5 s
    lines = log.getvalue().splitlines()
    assert len(lines) == 5
    assert lines[1] == "[   5.0s] comparing pairs (500 of 2,000, 100 a second, about 15 s left)"
    assert lines[-1].endswith("comparing pairs (2,000 of 2,000)")


def test_quiet_says_nothing_but_warnings():
    log = io.StringIO()
    with Progress(quiet=True, stream=log) as progress:
        progress("comparing pairs", 10, 100)
        progress.note("wrote 10 candidate pairs")
        assert log.getvalue() == ""
        progress.warn("2 invalid cells blanked in enquiries.csv; see matches.invalid.csv")
    assert log.getvalue().endswith("] 2 invalid cells blanked in enquiries.csv; see matches.invalid.csv\n")


def test_a_terminal_gets_a_bar_with_counts_and_rate():
    screen, clock = Terminal(), Clock()
    with Progress(stream=screen, clock=clock) as progress:
        for done in range(0, 501):
            progress("comparing pairs", done, 500)
        progress("learning the model", 0, 0)
    shown = screen.getvalue()
    assert "comparing pairs" in shown and "500/500" in shown and "items/s" in shown
    assert "learning the model" in shown
    assert "[" not in shown.split("comparing pairs")[0]  # no plain log lines on a terminal


def test_a_bar_is_filled_when_the_next_stage_starts_but_not_when_the_run_fails():
    screen = Terminal()
    with Progress(stream=screen) as progress:
        progress("comparing pairs", 0, 800)  # the core may never report the end of a stage
        progress("learning the model", 0, 0)
    assert "800/800" in screen.getvalue()
    screen = Terminal()
    try:
        with Progress(stream=screen) as progress:
            progress("comparing pairs", 0, 800)
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert "0/800" in screen.getvalue() and "800/800" not in screen.getvalue()


def test_rfl_link_reports_stages_unless_quiet(tmp_path, capsys):
    write_dataset(generate(40, seed=3), tmp_path)
    files = [str(tmp_path / "enquiries.csv"), str(tmp_path / "found.csv")]
    assert main(["link", *files, "-o", str(tmp_path / "m.csv")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert all(line.startswith("[") for line in err)  # stderr is not a terminal here
    assert any("preparing records" in line for line in err) and "wrote" in err[-1]
    assert main(["link", *files, "-o", str(tmp_path / "m.csv"), "-q"]) == 0
    assert capsys.readouterr().err == ""

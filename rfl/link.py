"""Link enquiries to found records (two files), or find people recorded twice (one file).

Reads CSV, Parquet or JSON Lines in the interchange schema, links them with the matching engine
and writes candidate pairs, best first, with calibrated probabilities, a decision (`match`:
verify this first; `review`: possible) and per-field evidence in bits (`why_<field>`) plus a
readable `explanation`. Nothing here is final: every pair awaits an officer's verification.

A file that carries the conduct columns (`legal_basis`, `tracing_consent`, `retention_until`,
objection...) is first held to the rules of the code of conduct they serve, by the same
functions the tracing API asks (`rfl.policy.exclude_from_batch`); a file without them is matched
as it is, and whoever prepared it answers for what is in it.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.util
import tempfile
from datetime import date
from pathlib import Path

import numpy as np
import polars as pl

from matching.dates import overused_days
from matching.linker import REVIEW, Linker, cut, shown
from matching.model import Model
from matching.training import TooLittleToLearn, least_to_learn
from rfl import arguments, memory
from rfl.errors import InputError, install_hint
from rfl.policy import CONDUCT_COLUMNS, exclude_from_batch
from rfl.progress import Progress
from rfl.records import (ON_INVALID, SUFFIXES, atomic_file, format_of, load_records, read_records, read_table,
                         together, write_table)
from rfl.schema import NAME_COLUMNS, fields_with, with_domain_flags
from rfl.search import SHIPPED_SCORED, load_model, prior_model

TOP = 10  # candidates kept per record unless --top says otherwise
ENGINES = ("local", "spark")
SPARK_ONLY_LOCAL = ("--labels", "--report")  # options the Spark engine does not offer (yet)


def explain(pairs: pl.DataFrame) -> pl.DataFrame:
    """Per field, the evidence in bits (`why_<field>`, to two decimals), and one readable summary
    of the fields that carried weight, with what was seen, and where a name's or a birth place's
    frequency moved the weight by a tenth of a bit or more, by how much: `first_name +0.4 (same
    name or variant; name more common than most, -2.6)`, so an officer sees why agreeing on
    Mohammed weighs little ("most": the names candidate pairs typically agree on, themselves
    common, so most names a pair agrees on read as less common than most); and where names
    agreeing keep only a share of their weight in the enquiry's population (matching.absence),
    or more than it (a model saved by an earlier rfl), that share; and where the population's
    pairs are lifted (its probabilities, with names at their full weight, short of the people it
    has to find), by how many bits, to a tenth (a lift that rounds to 0.0 is
    not said). The text is read off the bits as shown (two decimals), so it never disagrees
    with the `why_` beside it."""
    names = [c[2:] for c in pairs.columns if c.startswith("w_")]
    pairs = pairs.with_columns(pl.col("^w_.*$", "^f_.*$").round(2))

    def signed(bits: pl.Expr) -> pl.Expr:
        bits = bits.round(1)
        return pl.when(bits > 0).then(pl.format("+{}", bits)).otherwise(bits.cast(pl.Utf8))

    def part(name: str) -> pl.Expr:
        # a blank side weighs something only where the model learnt so (a birth date not given)
        seen = pl.col("l_" + name).cast(pl.Utf8).fill_null("not given")
        if "f_" + name in pairs.columns:
            bits = pl.col("f_" + name)
            noun = "name" if is_name(name) else "place"  # a family's field weighed by frequency: its place
            kind = pl.when(bits < 0).then(pl.lit(f"{noun} more common than most")).otherwise(
                pl.lit(f"{noun} less common than most"))
            shown = bits.round(1).abs() >= 0.1  # a frequency that moved nothing one decimal shows is not said
            seen = pl.when(shown).then(pl.format("{}; {}, {}", seen, kind, signed(bits))).otherwise(seen)
        # a weight that rounds to 0.0 carried nothing one decimal shows: not said ("0.0", "-0.0")
        return pl.when(pl.col("w_" + name).round(1) != 0).then(
            pl.format("{} {} ({})", pl.lit(name), signed(pl.col("w_" + name)), seen))

    parts = [part(n) for n in names]
    if "k_names" in pairs.columns:  # names agreeing weighed less where the population's few names are shared
        # widely (more where its names are more diverse than most: a model saved by an earlier rfl)
        share = pl.col("k_names").round(2)
        agreed = pl.any_horizontal([pl.col("w_" + n) > 0 for n in names if is_name(n)])
        parts.append(pl.when((share < 1) & agreed).then(
            pl.format("names agreeing at {} of their weight in this nationality", share))
            .when((share > 1) & agreed).then(pl.format("names agreeing at {} times their weight in this nationality", share)))
    if "k_lift" in pairs.columns:  # a nationality whose pairs sum short of its matches per enquiry
        lift = pl.col("k_lift").round(1)
        parts.append(pl.when(lift > 0).then(pl.format("this nationality's pairs +{} bits", lift)))
    summary = pl.concat_str(parts, separator=", ", ignore_nulls=True).alias("explanation")
    dropped = [c for c in pairs.columns if c.startswith(("l_", "f_", "k_"))]
    return pairs.with_columns(summary).drop(dropped).rename({f"w_{n}": f"why_{n}" for n in names})


def is_name(comparison: str) -> bool:
    """Whether a comparison, known here by its name (in an output's columns or a model file),
    compares names: matching.compare names every one of those, and only those, `<part>_name`."""
    return comparison.endswith("_name")


def link_files(paths: list[str], extra: tuple[str, ...] = (), model: Model | None = None,
               progress=None, labels: str | None = None) -> tuple[pl.DataFrame, Linker]:
    """Scored candidate pairs of one file against another, or within one file, of the records
    the code of conduct lets be matched."""
    inputs, _ = held_to_conduct([(p, read_records(p)) for p in paths])
    return link_records(inputs, extra, model, progress, labels)


def held_to_conduct(inputs: list[tuple[str, pl.DataFrame]], today: date | None = None, model: Model | None = None
                    ) -> tuple[list[tuple[str, pl.DataFrame]], list[dict[str, int]]]:
    """Each input without the records the code of conduct keeps out of matching, and per input
    how many were left out by reason. Of two files the first holds enquiries and the second
    found records; a single file (duplicates) is held to the found-record rules, since each of
    its records may be proposed as another's candidate. A birthday any of the files over-uses,
    or the `model` given reads as a placeholder, counts as its year alone in every file: the
    reading that finds the most possible minors."""
    kinds = ["enquiry", "found"] if len(inputs) == 2 else ["found"]
    today = today or date.today()
    days = set(overused_days(frame["birth_date"] for _, frame in inputs if "birth_date" in frame.columns))
    days = tuple(sorted(days | set(model.placeholder_days if model is not None else ())))
    held = [(path, *exclude_from_batch(frame, kind, today, days)) for (path, frame), kind in zip(inputs, kinds)]
    for path, frame, excluded in held:
        if excluded and frame.height == 0:
            raise InputError(path, "has no records left that the code of conduct lets be matched")
    return [(path, frame) for path, frame, _ in held], [excluded for _, _, excluded in held]


def link_records(inputs: list[tuple[str, pl.DataFrame]], extra: tuple[str, ...] = (), model: Model | None = None,
                 progress=None, labels: str | None = None, top: int | None = None,
                 min_probability: float = 0.0) -> tuple[pl.DataFrame, Linker]:
    """Scored candidate pairs of checked records, one file's or two's, each given with its
    path for error messages: every candidate, or each record's best `top` at `min_probability`
    or above (`Linker.link`)."""
    frames = _with_flags(inputs, extra)
    fields = fields_with(extra)
    linker = Linker(fields, model=model, progress=progress, prior=prior_model(fields))
    try:
        pairs = linker.link(frames[0], frames[1] if len(frames) == 2 else None,
                            labels=None if labels is None else read_labels(labels), top=top,
                            min_probability=min_probability)
    except TooLittleToLearn as err:
        raise _too_little(inputs, err) from None
    return pairs, linker


def _too_little(inputs: list[tuple[str, pl.DataFrame]], err: TooLittleToLearn) -> InputError:
    """Files too small to learn from, linked with --compare (otherwise the shipped model scores
    them): names the file whose records were counted (the enquiries, or the one file) and what
    to do."""
    return InputError(inputs[0][0], f"{err}; the model shipped with rfl knows no --compare columns: link without "
                                    "--compare, or give --model with a model saved (--save-model) from larger files "
                                    "compared on the same columns")


def _with_flags(inputs: list[tuple[str, pl.DataFrame]], extra: tuple[str, ...]) -> list[pl.DataFrame]:
    """The checked records with what RFL knows beyond them (rfl.schema.with_domain_flags), once
    each has the columns `--compare` names and a name in some record, and some record fills
    each `--compare` column."""
    for path, frame in inputs:
        missing = [c for c in extra if c not in frame.columns]
        if missing:
            near = difflib.get_close_matches(missing[0], frame.columns, n=1, cutoff=0.8)
            hint = f"; did you mean {near[0]}?" if near else ""
            raise InputError(path, f"has no column {missing[0]} to compare{hint}")
        named = [pl.col(c).cast(pl.Utf8).str.strip_chars() != "" for c in NAME_COLUMNS if c in frame.columns]
        if not named or not frame.select(pl.any_horizontal(named)).to_series().any():
            # dates and places alone taught a model of nonsense: thousands of confident false matches
            raise InputError(path, f"has no name in any record ({', '.join(NAME_COLUMNS)}): rfl finds people "
                                   "by their names first and does not match records without them")
    # a column no record fills compares nothing, yet turned the shipped model away for a model
    # learnt from the files, which a small file cannot teach
    for c in extra:
        if not any((frame[c].cast(pl.Utf8).str.strip_chars().fill_null("") != "").any() for _, frame in inputs):
            raise InputError(inputs[0][0], f"gives no value in column {c} to compare, nor does any file linked with it"
                             if len(inputs) > 1 else f"gives no value in column {c} to compare")
    return [with_domain_flags(frame) for _, frame in inputs]


def link_on_spark(inputs: list[tuple[str, pl.DataFrame]], args: argparse.Namespace, model: Model | None,
                  progress: Progress) -> tuple[pl.DataFrame, Model, bool]:
    """`rfl link --engine spark` after the records are checked and held to the code of conduct:
    the same pipeline on Spark (rfl.spark), its output written by Spark. Returns the count of
    pairs written per decision, the model and whether it is the shipped one."""
    from rfl.spark import pipeline, session  # pyspark is the optional extra rfl[spark]

    if len(inputs) != 2:
        raise InputError(inputs[0][0], "--engine spark links two files (enquiries, found); "
                                       "find duplicates within one file with the local engine")
    extra = tuple(args.compare)
    left, right = _with_flags(inputs, extra)
    conf = dict(setting.split("=", 1) for setting in args.conf)
    spark = session.start(args.master, conf, args.quiet)
    if "spark.sql.shuffle.partitions" not in conf:
        spark.conf.set("spark.sql.shuffle.partitions", pipeline.partitions(spark, left.height))
    progress.note(f"linking on Spark ({spark.sparkContext.master}, {spark.sparkContext.defaultParallelism} tasks at once)")
    progress.note(f"scoring with the model of {args.model}" if model is not None else
                  "learning a model on the driver (from both files, or a sample of them where they are large)")
    try:
        fields = fields_with(extra)
        out, model, fell_back = pipeline.link(spark, left, right, fields, model, prior_model(fields), args.top,
                                              args.min_probability)
    except TooLittleToLearn as err:
        raise _too_little(inputs, err) from None
    return pipeline.write(out, args.output), model, fell_back


def shortlist(pairs: pl.DataFrame, dedupe: bool, top: int = TOP, min_probability: float = REVIEW,
              clusters: pl.DataFrame | None = None) -> pl.DataFrame:
    """What `rfl link` writes (and `rfl demo` shows): each record's best `top` candidates at
    `min_probability` or above, ids named for the task, when finding duplicates the cluster of
    each row's record (`clusters`: record_id, cluster, as the linker grouped them), and the
    evidence explained."""
    pairs = cut(pairs, top, min_probability).with_columns(shown(pl.col("probability")))
    pairs = pairs.rename({"left_id": "record_id", "right_id": "other_id"} if dedupe
                         else {"left_id": "enquiry_id", "right_id": "found_id"})
    if dedupe:
        grouped = pl.DataFrame(schema={"record_id": pl.Utf8, "cluster": pl.Int64}) if clusters is None else clusters
        pairs = pairs.join(grouped, on="record_id", how="left")
    return explain(pairs)


def read_labels(path: str) -> pl.DataFrame:
    """True pairs as left_id, right_id from a file with enquiry_id, found_id (or record_id, other_id)."""
    table = read_table(path)
    for left, right in (("enquiry_id", "found_id"), ("record_id", "other_id"), ("left_id", "right_id")):
        if {left, right} <= set(table.columns):
            return table.select(pl.col(left).alias("left_id"), pl.col(right).alias("right_id")).drop_nulls()
    raise InputError(path, "needs columns enquiry_id and found_id")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # "*", not "+": with no file, run() says why (--compare before the files takes them as columns)
    parser.add_argument("inputs", nargs="*", metavar="FILE",
                        help="ENQUIRIES FOUND to link, or one FILE to find duplicates within "
                             "(a folder of Parquet files is read as one file)")
    parser.add_argument("-o", "--output", required=True, help="output file (.csv, .parquet or .jsonl); with --engine spark, a path without "
                             "a file type is a new folder of Parquet files written by Spark")
    parser.add_argument("--top", type=arguments.at_least_one, default=TOP,
                        help=f"candidates kept per record (default {TOP})")
    parser.add_argument("--min-probability", type=arguments.probability, default=REVIEW,
                        help=f"drop candidates below this probability (default {REVIEW})")
    parser.add_argument("--on-invalid", choices=ON_INVALID, default="strict",
                        help="a cell that breaks the interchange schema: stop at the first (strict, the "
                             "default), empty it and go on (blank; a row without a valid record_id or "
                             "society, or repeating one, is skipped), or skip its row (skip). A record_id "
                             "repeated across the files of a Parquet folder always stops the run")
    parser.add_argument("--invalid-report", metavar="CSV",
                        help="with blank or skip: where to list each rejected cell by file, line, column "
                             "and reason, never its value (default: OUTPUT with .invalid.csv for its file type, "
                             "e.g. matches.invalid.csv)")
    parser.add_argument("--compare", nargs="*", default=[], metavar="COLUMN",
                        help="extra columns present in both files to compare as strings; give them after the files, "
                             "not a column rfl reads already nor one ending in _name")
    parser.add_argument("--model", help="use this saved model (JSON) instead of learning one")
    parser.add_argument("--save-model", metavar="JSON",
                        help="write the model used here (the learnt one, or the one --model gave)")
    parser.add_argument("--labels", metavar="FILE",
                        help="known true pairs (enquiry_id, found_id) to learn m from instead of EM")
    parser.add_argument("--report", metavar="HTML",
                        help="also write one self-contained HTML report: probability histogram, the model's "
                             "weights, figures per nationality and society; with --labels, precision-recall "
                             "and calibration (figures only, no names)")
    parser.add_argument("--engine", choices=ENGINES, default="local",
                        help="local (default): this process; spark: Apache Spark, for files beyond one "
                             "machine (needs rfl[spark]; two files only; see docs/scale.md)")
    parser.add_argument("--master", help="with --engine spark: where Spark runs: local[*] (every core here, "
                                         "the default), local[2], spark://HOST:7077, yarn, k8s://...")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE",
                        help="with --engine spark: a Spark setting, as spark-submit takes it "
                             "(e.g. spark.driver.memory=8g); may be repeated")
    parser.add_argument("-q", "--quiet", action="store_true",
                        help="no progress on stderr (counts of rejected cells are still said)")


def _files_before_compare(inputs: list[str], compare: list[str]) -> None:
    """--compare takes every word after it as a column, so files given after it are lost to it:
    say so, rather than argparse's bare "FILE is required" or a column called found.csv."""
    files = [c for c in compare if Path(c).suffix.lower() in SUFFIXES or Path(c).is_file()]
    hint = "give the files before --compare: rfl link ENQUIRIES FOUND -o OUT --compare COLUMN ..."
    if files:
        raise InputError("--compare", f"{files[0]} is a file, not a column; {hint}")
    if not inputs:
        raise InputError("FILE", "give one file (duplicates) or two (enquiries, found)"
                                 + (f"; {hint}" if compare else ""))


def run(args: argparse.Namespace) -> int:
    memory.for_a_batch()
    _files_before_compare(args.inputs, args.compare)
    if len(args.inputs) > 2:
        raise InputError(args.inputs[2], "give one file (duplicates) or two (enquiries, found)")
    if len(args.inputs) == 2 and Path(args.inputs[0]).resolve() == Path(args.inputs[1]).resolve():
        raise InputError(args.inputs[1], "is given twice; give it once to find the people recorded twice within it")
    if args.engine == "spark" and importlib.util.find_spec("pyspark") is None:
        raise InputError("--engine spark", f"needs the optional extra ({install_hint('spark')}) and Java 17")
    report = _report_path(args)
    folder = _spark_folder(args)
    read = [*args.inputs, *(f for f in (args.labels, args.model) if f)]  # --labels, --model are read too
    _check_targets(read, {"-o": None if folder else args.output, "--invalid-report": report,
                                 "--save-model": args.save_model, "--report": args.report})
    fields = fields_with(tuple(args.compare))  # a bad --compare is refused before any file is read
    model = load_model(args.model, fields) if args.model else None
    with Progress(quiet=args.quiet) as progress:
        inputs = _read_inputs(args.inputs, args.on_invalid, report, progress)
        inputs = _conduct(inputs, progress, model)
        if model is not None:
            _placeholders_unread(inputs, model, progress)
        with together():  # the pairs, report and model land together, or none of them
            if args.engine == "spark":
                counts, model, fell_back = link_on_spark(inputs, args, model, progress)
                written = int(counts["len"].sum())
                matches = int(counts.filter(pl.col("decision") == "match")["len"].sum())
            else:
                if model is not None:
                    progress.note(f"scoring with the model of {args.model}")
                # the report shows every candidate; without it, those not written are never built
                every = args.report is not None
                pairs, linker = link_records(inputs, tuple(args.compare), model, progress, args.labels,
                                             None if every else args.top, 0.0 if every else args.min_probability)
                model, fell_back = linker.model, linker.fell_back
                scored = pairs
                pairs = shortlist(pairs, len(inputs) == 1, args.top, args.min_probability, linker.clusters)
                write_table(pairs, args.output)
                if args.report:
                    from rfl.report import link_report, write

                    labels = read_labels(args.labels) if args.labels else None
                    write(args.report, link_report(scored, pairs, model.document(), inputs, labels))
                written, matches = pairs.height, pairs.filter(pl.col("decision") == "match").height
            if fell_back:
                progress.note(f"{SHIPPED_SCORED}: these files are too small to learn a better one from (two "
                              f"files: fewer than {least_to_learn(over_prior=True):,} enquiries; one file: fewer than "
                              f"{least_to_learn():,} records); --model FILE scores with a model of your own")
            elif args.model is None:
                progress.note("scored with a model learnt from these files (--save-model FILE keeps it)")
            if not fell_back and args.model is None and _names_unlearnt(model):
                progress.warn("the model learnt from these files gives names no weight of their own, agreeing or not: "
                              "learning found next to nothing in them to tell one person from another by name, so the "
                              "names weigh nothing or what the shipped model's weights lend them, and the "
                              "probabilities rest on those, dates and places. Check it (--save-model), or give "
                              "--labels or --model")
            if args.save_model:
                with atomic_file(args.save_model) as tmp:
                    model.to_json(tmp)
        progress.note(f"wrote {_count(written, 'candidate pair')} ({matches:,} to verify first) to {args.output}")
    return 0


def _names_unlearnt(model: Model) -> bool:
    """Whether, in every name comparison, the same name and a different one each weigh less than
    a tenth of a bit either way, or half or more of its m is the shipped model's
    (`training.m_shrunk_toward.its_share`): EM that found no difference between one person's names
    and strangers' (five given and five fathers' names, birth years only), or next to no one
    found twice to learn it from."""
    names = [c.name for c in model.comparisons if is_name(c.name)]
    lent = model.training.get("m_shrunk_toward", {}).get("its_share", {})

    def unlearnt(name: str) -> bool:
        different_and_same = np.log2(model.m[name] / model.u[name])[[0, -1]]
        return lent.get(name, 0.0) >= 0.5 or bool(np.all(np.abs(different_and_same) < 0.1))

    return bool(names) and all(unlearnt(n) for n in names)


def _spark_folder(args: argparse.Namespace) -> bool:
    """Whether the output is a folder of Parquet files (--engine spark, -o without a file type),
    after refusing what the Spark engine does not do."""
    if args.engine != "spark":
        for option, value in (("--master", args.master), ("--conf", args.conf)):
            if value:
                raise InputError(option, "goes with --engine spark")
        return False
    if any("=" not in setting for setting in args.conf):
        raise InputError("--conf", "takes KEY=VALUE, e.g. spark.driver.memory=8g")
    for option in SPARK_ONLY_LOCAL:
        if getattr(args, option[2:]):
            raise InputError(option, "is not offered with --engine spark; use the local engine")
    if Path(args.output).suffix:
        return False
    if Path(args.output).exists():
        raise InputError(args.output, "exists (a folder of an earlier run, or of one cut short: delete it to "
                                      "write there); give -o a new folder (or a file) to write")
    if "://" not in args.output and (args.master or "local").startswith("local"):  # else the cluster's file system
        writable(args.output)
    return True


def _check_targets(inputs: list[str], targets: dict[str, str | None]) -> None:
    """Refuse, before any work, a file to write that is an input, that another option also
    writes, or that is a folder: a run must never overwrite what it reads, nor end with its
    results written over each other. (Missing folders are made when the file is written.)"""
    seen: dict[Path, str] = {}
    for option, target in targets.items():
        if target is None:
            continue
        path = Path(target).resolve()
        if option in ("-o", "--invalid-report"):
            format_of(target)
        if any(path == Path(p).resolve() for p in inputs):
            raise InputError(target, f"is a file this run reads; write the results elsewhere ({option})")
        if path in seen:
            raise InputError(target, f"is given to both {seen[path]} and {option}; write each elsewhere")
        if path.is_dir():
            raise InputError(target, f"is a folder; give {option} a file")
        writable(target)
        seen[path] = option


def writable(target: str) -> None:
    """Refuse a place to write that cannot be written, before any work (at scale a link takes
    hours): a file is made, and removed, in the nearest folder that exists on its way."""
    folder = Path(target).resolve().parent
    while not folder.exists():
        folder = folder.parent
    try:
        tempfile.TemporaryFile(dir=folder).close()
    except OSError as err:
        raise InputError(target, f"cannot be written ({err.strerror or err})") from None


def _report_path(args: argparse.Namespace) -> str | None:
    """Where rejected cells are listed: only when bad cells are let through (blank or skip)."""
    if args.on_invalid == "strict":
        if args.invalid_report:
            raise InputError("--invalid-report", "needs --on-invalid blank or skip")
        return None
    output = Path(args.output)
    return args.invalid_report or str(output.with_name(output.stem + ".invalid.csv"))


def _read_inputs(paths: list[str], on_invalid: str, report: str | None,
                 progress: Progress) -> list[tuple[str, pl.DataFrame]]:
    """Each input checked as `on_invalid` says; with blank or skip, every rejected cell is
    listed in `report` (written even when there are none, so it never describes an older run)
    and each file's count is said on stderr, even with --quiet: records were changed."""
    inputs, rejected = [], []
    for path in paths:
        frame, problems = load_records(path, on_invalid, CONDUCT_COLUMNS)
        inputs.append((path, frame))
        rejected.append(problems)
        # an age counts from the day it was estimated: without that day it is no evidence
        undated = frame.filter(pl.col("age").is_not_null() & pl.col("recorded_on").is_null()).height
        if undated:
            progress.warn(f"{_count(undated, 'record')} with an age but no recorded_on date in {path}: "
                          "those ages are not used (give the day each age was estimated)")
    if report is None:
        return inputs
    write_table(pl.concat(rejected), report)
    for (path, frame), problems in zip(inputs, rejected):
        if problems.height:
            progress.warn(f"{_rejected_counts(problems)} in {path}; see {report}")
        if frame.height == 0:
            raise InputError(path, f"has no valid records left; see {report}")
    return inputs


def _placeholders_unread(inputs: list[tuple[str, pl.DataFrame]], model: Model, progress: Progress) -> None:
    """Say where a file over-uses a birthday the model given reads as a full date: its
    namesakes born in one year would agree on the "same full date" (one registry writing 1 July
    for every unknown birthday cost m20k 0.012 of F1). Counts and days only, never who."""
    for path, frame in inputs:
        if "birth_date" in frame.columns:
            unread = sorted(set(overused_days([frame["birth_date"]])) - set(model.placeholder_days))
            if unread:
                progress.warn(f"{path} gives {', '.join(unread)} (MM-DD) as the birthday of far more records than any "
                              "other day, a stand-in for an unknown birthday, but the model given reads it as a full "
                              "date; learn a model on these files (--save-model) to read it as the year alone")


def _conduct(inputs: list[tuple[str, pl.DataFrame]], progress: Progress, model: Model | None = None
             ) -> list[tuple[str, pl.DataFrame]]:
    """The inputs held to the code of conduct. How many records each file lost and why is said
    even with --quiet (counts and rule codes only, never who); that a file carried no conduct
    columns, and so no rule was applied to it, is said unless quiet."""
    held, excluded = held_to_conduct(inputs, model=model)
    for (path, before), (_, after), reasons in zip(inputs, held, excluded):
        if reasons:
            why = ", ".join(f"{reason} {n:,}" for reason, n in sorted(reasons.items(), key=lambda r: -r[1]))
            progress.warn(f"{_count(before.height - after.height, 'record')} of {before.height:,} in {path} "
                          f"left out under the code of conduct ({why})")
        elif not any(c in before.columns for c in CONDUCT_COLUMNS):
            progress.note(f"{path} carries no conduct columns: no rule of the code of conduct was applied to it")
    return held


def _rejected_counts(problems: pl.DataFrame) -> str:
    """`3 invalid cells blanked and 2 rows with 4 invalid cells skipped`, as far as it applies."""
    blanked = problems.filter(pl.col("action") == "blanked").height
    skipped = problems.filter(pl.col("action") == "row skipped")
    parts = [f"{_count(blanked, 'invalid cell')} blanked"] if blanked else []
    if skipped.height:
        parts.append(f"{_count(skipped['row'].n_unique(), 'row')} with "
                     f"{_count(skipped.height, 'invalid cell')} skipped")
    return " and ".join(parts)


def _count(n: int, thing: str) -> str:
    return f"{n:,} {thing}{'' if n == 1 else 's'}"


"""A second, independent generator of synthetic RFL data: enquiries, found records and truth.

The project's own generator (benchmarks/generate) and the matcher were developed side by side,
so a matcher tuned on its data may have learnt its transliteration tables rather than how names
vary. This package was written without reference to benchmarks/generate: its own name lists,
its own phonemic notation, its own romanisation habits (English, German, French, Italian,
Swedish, Polish, Turkish, Dutch, Somali orthography, scholarly), its own Arabic, Persian, Ge'ez
and Cyrillic rendering, its own choices of who is sought, found and mistaken for whom. A match
quality that holds on its data is a quality of the matcher, not of a shared view of the data.
The "independent" rows of benchmarks/RESULTS.md from session 28 on were measured on it (those
before, on an earlier generator of the same kind that was never kept, so not reproducible; hence
this package). Keep it independent: it must not import from benchmarks/generate, matching or rfl.

    python -m benchmarks.independent OUTDIR --enquiries 2000 --found 8000 --seed 3

The same arguments give the same files, byte for byte; the sets measured so far depend on it,
so a change to what is generated is a new generator, not a fix.
"""

import os
import time

from .dataset import draw
from .tables import NAMES, frames

__all__ = ["NAMES", "generate", "write"]


def generate(enquiries=2000, found=None, seed=0, progress=None):
    """{name: polars DataFrame} for enquiries, found, truth, phenomena and people: `enquiries`
    enquiry records and `found` found records (default 4 x enquiries), the same for the same seed.
    `progress`, if given, is called with a line of text at each stage."""
    found = 4 * enquiries if found is None else found
    if enquiries < 1 or found < 1:
        raise ValueError("enquiries and found must be at least 1")
    say = progress or (lambda message: None)
    start = time.perf_counter()
    lists = draw(enquiries, found, seed, say)
    tables = frames(*lists)
    say("%d enquiries, %d found records, %d true pairs in %.1f s" % (
        tables["enquiries"].height, tables["found"].height, tables["truth"].height, time.perf_counter() - start))
    return tables


def write(tables, outdir):
    """Write each table as OUTDIR/<name>.parquet, creating OUTDIR if needed."""
    os.makedirs(outdir, exist_ok=True)
    for name in NAMES:
        tables[name].write_parquet(os.path.join(outdir, name + ".parquet"))

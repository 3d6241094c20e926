"""Damaged copies of a valid Parquet file, made the same way every run (a fixed seed): half cut
short, half with a few bits flipped. With seed 10, polars panics (PanicException, a
BaseException) on two of the 300 with the polars of this writing; most others raise ordinary
errors, and a few still read."""

from __future__ import annotations

import io
import random

import polars as pl


def damaged_parquet(count: int = 300, seed: int = 10) -> list[bytes]:
    """`count` damaged copies of a file of 20 enquiries (interchange and protection columns)."""
    rows = [{"record_id": f"U{n}", "family_name": "Schewtschenko", "given_names": "Olexandr", "father_name": "Petro",
             "sex": "M", "birth_date": "1984-03-12", "nationality": "UKR", "birth_place": "Charkiw",
             "legal_basis": "vital_interest", "society": "DEU"} for n in range(20)]
    buffer = io.BytesIO()
    pl.DataFrame(rows).write_parquet(buffer)
    good, rng, files = buffer.getvalue(), random.Random(seed), []
    for n in range(count):
        data = bytearray(good)
        if n % 2:
            data = data[:rng.randrange(1, len(data))]
        else:
            for _ in range(rng.randrange(1, 8)):
                data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        files.append(bytes(data))
    return files

"""`rfl link --engine spark`: the matching pipeline of `matching.linker` on Apache Spark.

The stages are the local engine's own functions, run on partitions of records and groups of
enquiries through Arrow, so a change to the matching core reaches both engines:

    records ─ keys (prepare + blocking.record_keys, per partition)
            ─ postings (each key's found records, listed and counted by a group-by)
            ─ budget (blocking.budgeted, per group of enquiries)
            ─ reached found records (a join on the key: a row per group and key)
            ─ candidates (blocking.candidates itself, per group, against the found side's
              fields gathered once and broadcast)
            ─ compare, score, one person per enquiry, rank (Linker.score, per group)

`tasks` holds the functions Spark runs on Arrow tables, `pipeline` arranges them into joins and
groupings, learns the model on the driver from a sample (or takes the one given), and writes
the result; `session` starts Spark or joins a running session. Given the same model the output
is the local engine's (tests/test_spark.py checks it).
"""

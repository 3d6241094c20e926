"""`rfl link --engine spark`: the matching pipeline of `matching.linker` on Apache Spark.

The stages are the local engine's, run on partitions of records and pairs through Arrow, so a
change to the matching core reaches both engines:

    records ─ keys (prepare + blocking.record_keys, per partition)
            ─ holders (a key's found records, counted by a group-by)
            ─ budget (blocking.budgeted, per group of enquiries)
            ─ pairs (a join on the key, weights summed per pair)
            ─ ranking (blocking.contradictions and best_per_record, per group of enquiries)
            ─ compare, score, one person per enquiry, rank (Linker.score, per group of enquiries)

`tasks` holds the functions Spark runs on Arrow tables, `pipeline` arranges them into joins and
groupings, learns the model on the driver from a sample, and reads and writes the files;
`session` starts Spark. Given the same model the output is the local engine's
(tests/test_spark.py checks it).
"""

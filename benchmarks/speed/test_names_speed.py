"""Speed of the name knowledge: token similarity, blocking keys and tokenising.

Tokens are ~10,000 distinct spellings: attested Latin spellings of Arabic name
units (arabic-name-romanizer) and Faker's Russian, Ukrainian and Turkish names,
tokenised by `name_tokens`. `similarity` is timed on 1,000,000 aligned pairs
drawn at random (nearly all distinct: the worst case) and on 1,000,000 pairs
that repeat 50,000 distinct ones (what a blocked candidate set looks like).
`keys` and `name_tokens` are timed per distinct input with cold caches.

    .venv/bin/python -m pytest benchmarks/speed/test_names_speed.py --benchmark-only
"""

from __future__ import annotations

import random

import pytest
from faker import Faker

from matching import names
from matching.names import attested, folding, romanisation, tokenisation, variant_classes
from matching.names import keys, name_tokens, similarity

PAIRS = 1_000_000
DISTINCT_TOKENS = 10_000


@pytest.fixture(scope="module")
def token_pool() -> list[str]:
    pool: set[str] = set()
    for _, latin, _count in attested.arabic_spellings():
        pool.update(name_tokens(latin))
        if len(pool) >= DISTINCT_TOKENS * 0.8:
            break
    for locale in ("ru_RU", "uk_UA", "tr_TR"):
        fake = Faker(locale)
        fake.seed_instance(1)
        for _ in range(1500):
            pool.update(name_tokens(fake.name()))
    return sorted(pool)[: DISTINCT_TOKENS + 2000]


@pytest.fixture(scope="module")
def field_pool() -> list[str]:
    fields = []
    for locale in ("ar_AA", "fa_IR", "ru_RU", "uk_UA", "tr_TR", "fr_FR"):
        fake = Faker(locale)
        fake.seed_instance(2)
        fields += [fake.name() for _ in range(2000)]
    return sorted(set(fields))


def test_similarity_random_pairs(benchmark, token_pool):
    rng = random.Random(0)
    a = [rng.choice(token_pool) for _ in range(PAIRS)]
    b = [rng.choice(token_pool) for _ in range(PAIRS)]
    similarity(a[:1000], b[:1000])  # load the attested data outside the timing
    scores = benchmark.pedantic(similarity, args=(a, b), rounds=3, iterations=1)
    assert len(scores) == PAIRS


def test_similarity_repeated_pairs(benchmark, token_pool):
    rng = random.Random(1)
    pa = [rng.choice(token_pool) for _ in range(50_000)]
    pb = [rng.choice(token_pool) for _ in range(50_000)]
    picks = [rng.randrange(50_000) for _ in range(PAIRS)]
    a, b = [pa[i] for i in picks], [pb[i] for i in picks]
    similarity(a[:1000], b[:1000])
    scores = benchmark.pedantic(similarity, args=(a, b), rounds=3, iterations=1)
    assert len(scores) == PAIRS


def _cold_keys(pool: list[str]) -> int:
    names._keys.cache_clear()
    folding.fold.cache_clear()
    variant_classes.class_key.cache_clear()
    return sum(len(keys(t)) for t in pool)


def test_keys_per_distinct_token_cold(benchmark, token_pool):
    keys(token_pool[0])  # load the attested data outside the timing
    benchmark.extra_info["tokens"] = len(token_pool)
    benchmark.pedantic(_cold_keys, args=(token_pool,), rounds=3, iterations=1)


def _cold_tokens(pool: list[str]) -> int:
    tokenisation.name_tokens.cache_clear()
    romanisation.romanise.cache_clear()
    tokenisation._canonical.cache_clear()
    return sum(len(name_tokens(f)) for f in pool)


def test_name_tokens_per_field_cold(benchmark, field_pool):
    name_tokens(field_pool[0])
    benchmark.extra_info["fields"] = len(field_pool)
    benchmark.pedantic(_cold_tokens, args=(field_pool,), rounds=3, iterations=1)

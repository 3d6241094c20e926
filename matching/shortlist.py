"""Each left record's shortlist: of the rows its blocking keys reach, the few worth comparing.

A common name reaches thousands of rows; only `per_record` of them are compared. Which ones
decides whether the person is among them, so the rows are ranked by what they share with the
record, each piece of evidence weighed by how rare it is among the indexed records (its
information in bits, -log2 of the share of records that would agree by chance):

- each of the record's name parts that the row also holds, in any place of the name chain
  (any phonetic key of one spelling meeting any of the other's), its own name (the first)
  twice, as the model weighs it twice (first name, and among the whole name), and the
  mother's name;
- the birth date: the same full day (one bit less with day and month swapped, with the same
  day and month one year apart, or with one side's day in the Ethiopian calendar), the same
  stated year, years one apart, a few apart;
- each other field given alike (a birth place, an address).

Each contradiction (sex given differently, birth years further apart than any habit explains)
costs CONTRADICTION_BITS: among the namesakes of a common name a third differ in sex, and they
must not take the places of the person, yet a pair sharing an identity number and an address
survives a mistyped birth year (FEBRL 4 lost 188 true pairs at the cut when a contradiction
ranked a pair below every pair without one). A nationality given differently costs
POPULATION_BITS, half as much: across borders one person is often recorded under two (born
in a country of refuge, stateless, a Palestinian from Syria, an Afghan registered in Iran), and
in the independent 20,000 one true pair in twenty states two nationalities, of which 20 bits
kept 0.40 among the candidates. Half still puts a namesake of another nationality below those
of the record's own that share one name less. A row made a year or more before the record's
last contact (matching.dates.after_contact) costs CONTACT_BITS, about what the shipped model
weighs that level (-5.0 bits): among a common name's namesakes three in ten are such records,
and they gave their places to the person (independent 100,000 x 400,000: pairs completeness
0.823 -> 0.833, R@5 0.770 -> 0.774; benchmarks/RESULTS.md, session 40).

A namesake who shares one common name through four spellings no longer outranks the person who
shares the name, the father's name and the birth year: at 100,000 x 500,000 the sum of shared
key weights kept 0.881 of the true pairs in 60 places, these bits 0.945 (benchmarks/RESULTS.md).

The ranking runs once per left record over its reached rows (tens of millions in a large
batch), in a compiled loop (numba), so no array of every reached pair is ever built.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from matching import dates
from matching.prepare import (DAY_MASK, NO_YEAR, Fields, P_DAY, P_HI, P_ID, P_LO, P_MOTHER, P_TOKENS, P_WHEN, PACKED,
                              Prepared)

THREADS = os.cpu_count() or 1
MAX_CONFLICTS = 3  # contradictions a pair's cost counts at most (as hard ones)
CONTRADICTION_BITS = 20.0  # what each costs: a one-in-a-million coincidence of other evidence
POPULATION_BITS = 10.0  # what a nationality given differently costs
CONTACT_BITS = 5.0  # what a row made a year or more before the record's last contact costs
_FLOOR = CONTRADICTION_BITS * MAX_CONFLICTS  # lifts every score above 0 for the sort code
_SCORE_BITS = 24  # of the sort code: the score in hundredths of a bit, highest first
_SCORE_CAP = (1 << _SCORE_BITS) - 1
MOTHER_BIT = 16  # of a name mark: bits 0-15 the left record's name parts, this its mother's name
NAME_MASK, MOTHER_MASK = (1 << MOTHER_BIT) - 1, 1 << MOTHER_BIT


def contradiction_bits(fields: Fields) -> np.ndarray:
    """What a value given differently costs a reached row, for each of the exact fields
    (`Fields.exact`): POPULATION_BITS for the population's (nationality), else CONTRADICTION_BITS."""
    return np.array([POPULATION_BITS if c == fields.population else CONTRADICTION_BITS for c in fields.exact],
                    dtype=np.float64)


def year_bits(lp: Prepared, index) -> np.ndarray:
    """(left rows, 3) bits of a living indexed row agreeing with each left record's birth
    years: the same stated year, within one year, within five; 0 where the left year is
    unknown.

    Counted from the indexed years (`Index.birth_years`), so a file of children born within
    ten years makes a shared year worth less than a file spanning a century."""
    out = np.zeros((len(lp), 3))
    first, n_stated, middle = index.birth_years()
    if not middle.sum():
        return out
    size = len(middle)
    cumulative = np.r_[0, np.cumsum(middle)]
    a_lo, a_hi = lp.dates["birth_year_lo"], lp.dates["birth_year_hi"]
    have = ~np.isnan(a_lo) & ~np.isnan(a_hi)
    total = max(len(index), 1)

    def bits(count: np.ndarray) -> np.ndarray:
        return np.log2(total / np.maximum(count, 1))

    def window(width: int) -> np.ndarray:
        start = np.clip(a_lo[have] - first - width, 0, size).astype(np.int64)
        end = np.clip(a_hi[have] - first + width + 1, 0, size).astype(np.int64)
        return cumulative[end] - cumulative[start]

    same = have & (a_lo == a_hi)
    inside = np.clip(a_lo[same] - first, 0, size - 1).astype(np.int64)
    out[same, 0] = bits(n_stated[inside])
    out[have, 1] = bits(window(1))
    out[have, 2] = bits(window(5))
    return np.maximum(out, 0.0)  # the windows nest, so same >= within one >= within five


@numba.njit(cache=True, nogil=True)
def _mark_tokens(row, key_ids, key_ptr, key_tokens, token_mark, marked):
    """For each name token j of the left `row` (its mother's name last), OR 1 << j (MOTHER_BIT
    for the mother's name) into token_mark[u] of every token u sharing a phonetic key with it
    (key_tokens[key_ptr[k]:key_ptr[k + 1]] hold key k), listing in `marked` the tokens first
    marked and returning their count. A reached row then finds what it shares with the record
    by one look-up per token, however many spellings a name has."""
    n = 0
    for j in range(P_MOTHER + 1):
        t = row[P_TOKENS + j]
        if t < 0:
            continue
        bit = 1 << (j if j < P_MOTHER else MOTHER_BIT)
        for x in range(key_ids.shape[1]):
            k = key_ids[t, x]
            if k < 0:
                break
            if k >= len(key_ptr) - 1:  # a key no listed token holds (the listing predates it)
                continue
            for p in range(key_ptr[k], key_ptr[k + 1]):
                u = key_tokens[p]
                if token_mark[u] == 0:
                    marked[n] = u
                    n += 1
                token_mark[u] |= bit
    return n


@numba.njit(cache=True, nogil=True)
def _shared_names(row, token_mark):
    """Bits of the left record's name parts (and, at MOTHER_BIT, its mother's name) that the
    row's tokens share a phonetic key with: name parts against name parts in any place of the
    chain, the mother's name against the mother's name."""
    found = 0
    for j in range(P_MOTHER + 1):
        t = row[P_TOKENS + j]
        if t >= 0:
            found |= token_mark[t] & (MOTHER_MASK if j == P_MOTHER else NAME_MASK)
    return found


@numba.njit(cache=True, nogil=True)
def _year(value):
    return np.nan if value == NO_YEAR else float(value)


@numba.njit(cache=True, nogil=True)
def _day(value):
    """A packed row's month * 32 + day (Prepared.packed's P_DAY), -1 where unknown."""
    day = value & DAY_MASK
    return -1 if day == DAY_MASK else day


@numba.njit(cache=True, nogil=True)
def _shortlists(left_rows, entry_ptr, lo, hi, posted, n_right, budget, per_record, dedupe, exact_bits, n_fuzzy,
                left, right, key_ids, key_ptr, key_tokens, name_bits, year_bits, day_bits, field_bits, tiebreak):
    """(l, r, score) of each left record's best `per_record` rows among those its entries reach
    (entries entry_ptr[i]..entry_ptr[i+1] of left_rows[i], each the run lo..hi of `posted`,
    rarest first; entries are read whole until `budget` distinct rows are reached): most bits
    (contradictions subtracted) first, then the right record's `tiebreak` hash. `left` and
    `right` are `Prepared.packed`; name_bits[l] holds the bits of each name part and, last, of
    the mother's name; exact_bits what each exact field given differently costs."""
    seen = np.full(n_right, -1, np.int32)
    token_mark = np.zeros(len(key_ids), np.int32)  # what each token shares with the left record in hand
    marked = np.empty(len(key_ids), np.int64)
    most = 0
    for i in range(len(left_rows)):
        reach = 0
        for e in range(entry_ptr[i], entry_ptr[i + 1]):
            reach += hi[e] - lo[e]
        most = max(most, reach)
    keep = min(per_record, most)
    out_l = np.empty(len(left_rows) * keep, np.int64)
    out_r = np.empty(len(left_rows) * keep, np.int64)
    out_s = np.empty(len(left_rows) * keep, np.float64)
    touched = np.empty(most, np.int64)
    score = np.empty(most, np.float64)
    code = np.empty(most, np.uint64)
    width = right.shape[1]
    rows = np.empty((most, width), right.dtype)
    n_out = 0
    codes_at = PACKED
    fields_at = PACKED + len(exact_bits)
    for i in range(len(left_rows)):
        l = left_rows[i]
        a = left[l]
        n_marked = _mark_tokens(a, key_ids, key_ptr, key_tokens, token_mark, marked)
        count = 0
        for e in range(entry_ptr[i], entry_ptr[i + 1]):
            if count >= budget:
                break
            for p in range(lo[e], hi[e]):
                r = posted[p]
                if dedupe and r <= l:
                    continue
                if seen[r] != i:
                    seen[r] = i
                    touched[count] = r
                    count += 1
        # gathered in a tight loop first, many trips to memory at once, and element by element:
        # 2,500 enquiries of big2 took 0.64 s with a row slice assigned, 0.47-0.55 s so
        for t in range(count):
            r = touched[t]
            for c in range(width):
                rows[t, c] = right[r, c]
        bits = name_bits[l]
        alo, ahi, a_day, a_cal = _year(a[P_LO]), _year(a[P_HI]), _day(a[P_DAY]), a[P_DAY] >> 16
        contact = a[P_WHEN] & DAY_MASK  # the day of its last contact, from 1900
        a_swapped = (a_day % 32) * 32 + a_day // 32 if a_day >= 0 else -2  # its day and month swapped
        # its day as a Gregorian and as an Ethiopian-calendar date (NaN unknown), for rows whose
        # years lie 6-9 apart where one side may count in the Ethiopian calendar
        a_gregorian = dates.gregorian_day(alo, a_day // 32, a_day % 32) if a_day >= 0 and alo == ahi else np.nan
        a_ethiopian = dates.ethiopian_day(alo, a_day // 32, a_day % 32) if a_day >= 0 and alo == ahi else np.nan
        same_year, near, few, same_day = year_bits[l, 0], year_bits[l, 1], year_bits[l, 2], day_bits[l]
        for t in range(count):
            b = rows[t]
            s = 0.0
            found = _shared_names(b, token_mark)
            for j in range(bits.shape[0]):
                if (found >> (j if j < P_MOTHER else MOTHER_BIT)) & 1:
                    s += bits[j] * (2.0 if j == 0 else 1.0)  # the own name twice
            against = 0.0  # the contradictions' cost, at most _FLOOR
            blo, bhi = _year(b[P_LO]), _year(b[P_HI])
            if not (np.isnan(alo) or np.isnan(blo)):
                gap = max(alo - bhi, blo - ahi, 0.0)
                # the day and month as the comparison reads them (matching.dates): the same day,
                # the same day with day and month swapped or with the year one off (a shared day
                # that two readings allow: one bit less)
                stated, b_day = alo == ahi and blo == bhi, _day(b[P_DAY])
                same_dm = a_day >= 0 and a_day == b_day
                swapped = b_day == a_swapped
                if stated and gap == 0:
                    s += same_day if same_dm else max(same_day - 1.0, same_year) if swapped else same_year
                elif stated and gap == 1 and same_dm:
                    s += max(same_day - 1.0, near)
                elif gap <= 1:
                    s += near
                elif gap <= 5:
                    s += few
                elif gap <= 9 and b_day >= 0 and blo == bhi and (a_cal == 1 or b[P_DAY] >> 16 == 1):
                    bm, bd = float(b_day // 32), float(b_day % 32)
                    if dates.ethiopian_day(blo, bm, bd) == a_gregorian or dates.gregorian_day(blo, bm, bd) == a_ethiopian:
                        s += same_day - 1.0  # the same day, one side in the Ethiopian calendar
            if dates.far_apart_one(alo, ahi, blo, bhi, a_cal == 1 or b[P_DAY] >> 16 == 1):
                against += CONTRADICTION_BITS
            made = (b[P_WHEN] >> 16) & DAY_MASK  # the day the row was made, from 1900
            if contact != DAY_MASK and made != DAY_MASK and made <= contact - dates.CONTACT_SLACK_DAYS:
                against += CONTACT_BITS  # as matching.dates.after_contact's "a year or more before"
            for j in range(len(exact_bits)):
                x, y = a[codes_at + j], b[codes_at + j]
                if x != y and x != 0 and y != 0:
                    against += exact_bits[j]
            for j in range(n_fuzzy):
                if a[fields_at + j] != 0 and a[fields_at + j] == b[fields_at + j]:
                    s += field_bits[l, j]
            s -= min(against, _FLOOR)
            units = max(min(int((s + _FLOOR) * 100 + 0.5), _SCORE_CAP), 0)  # hundredths of a bit
            score[t] = units / 100 - _FLOOR
            whole = (np.uint64(np.uint32(b[P_ID + 1])) << np.uint64(32)) | np.uint64(np.uint32(b[P_ID]))  # tiebreak[r], from the row in hand
            code[t] = (np.uint64(_SCORE_CAP - units) << np.uint64(40)) | (whole >> np.uint64(24))
        order = _best(code[:count], touched[:count], tiebreak, per_record)
        token_mark[marked[:n_marked]] = 0
        for t in range(len(order)):
            out_l[n_out] = l
            out_r[n_out] = touched[order[t]]
            out_s[n_out] = score[order[t]]
            n_out += 1
    return out_l[:n_out], out_r[:n_out], out_s[:n_out]


@numba.njit(cache=True, nogil=True)
def _best(code, touched, tiebreak, k):
    """Positions of the k lowest codes, in order; equal codes (40 bits of two hashes alike) in
    the order of the whole hash, never of the row."""
    if len(code) > k:  # most rows reached are not kept: select, then sort the few
        cut = np.partition(code, k - 1)[k - 1]
        chosen = np.nonzero(code <= cut)[0]
    else:
        chosen = np.arange(len(code))
    order = chosen[np.argsort(code[chosen], kind="mergesort")]
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and code[order[end]] == code[order[start]]:
            end += 1
        if end - start > 1:
            run = order[start:end]
            order[start:end] = run[np.argsort(tiebreak[touched[run]], kind="mergesort")]
        start = end
    return order[:k]


def shortlists(left_rows: np.ndarray, entry_ptr: np.ndarray, lo: np.ndarray, hi: np.ndarray, posted: np.ndarray,
               lp: Prepared, index, counts: tuple[np.ndarray, np.ndarray], budget: int, per_record: int,
               dedupe: bool, contradictions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(l, r, score) of each of `left_rows`'s best `per_record` rows of `index` among the first
    `budget` distinct rows it reaches: entries entry_ptr[i]..entry_ptr[i + 1] belong to
    left_rows[i], rarest first, entry e reaching posted[lo[e]:hi[e]]. `counts` are the indexed
    rows holding each left record's name parts (chain, then mother's name), full birth day and
    field values (`Prepared.fuzzy_codes`); `contradictions` what each exact field given
    differently costs (`contradiction_bits`). Slices of left rows run on all cores (the loop
    holds no GIL)."""
    if len(contradictions) != lp.codes.shape[1]:
        raise ValueError(f"{len(contradictions)} contradiction costs for {lp.codes.shape[1]} exact fields")
    rp = index.data
    total = max(len(index), 1)
    name_count, day_count, field_count = counts

    def bits(count: np.ndarray) -> np.ndarray:
        return np.where(count > 0, np.log2(total / np.maximum(count, 1)), 0.0)

    name_bits = bits(name_count)  # a part no indexed row holds meets no row: its bits never count
    years = year_bits(lp, index)
    fixed = (
        lo.astype(np.int64), hi.astype(np.int64), posted.astype(np.int64), len(rp.ids),
        budget,
        min(per_record, 1 << 62), dedupe, np.asarray(contradictions, dtype=np.float64), lp.fuzzy_codes.shape[1],
        lp.packed, rp.packed,
        index.vocab.key_ids(), *index.vocab.tokens_by_key(), name_bits, years, np.maximum(bits(day_count), years[:, 0]), bits(field_count),
        rp.id_hash,
    )
    left_rows, entry_ptr = left_rows.astype(np.int64), entry_ptr.astype(np.int64)
    cuts = np.unique(np.linspace(0, len(left_rows), min(len(left_rows), 4 * THREADS) + 1).astype(np.int64))
    if len(cuts) <= 2:
        return _shortlists(left_rows, entry_ptr, *fixed)
    with ThreadPoolExecutor(THREADS) as pool:
        parts = list(pool.map(lambda a, b: _shortlists(left_rows[a:b], entry_ptr[a : b + 1], *fixed), cuts[:-1], cuts[1:]))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


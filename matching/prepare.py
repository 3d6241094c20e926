"""Turn a table of records into arrays the later stages work on: token ids, date intervals, codes.

Names are tokenised once per distinct cell value and tokens are numbered in a vocabulary shared
by both sides of a link, so comparisons work on small integer matrices and score each distinct
token pair once. Field roles (which column is the given name, the father's name...) come from
`Fields`, so this module knows nothing of any particular schema.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, groupby

import numba
import numpy as np
import polars as pl
from anyascii import anyascii

from matching import dates, names, places
from matching.parallel import mapped

# Widths of the token matrices: longer chains are truncated (a name chain rarely needs more).
# Aliases are read further, and an alias restating a name (in the aliases themselves, then in the
# record's other name fields) is dropped before they are cut (`_aliases_once`): which names count
# does not depend on the order the aliases were written in.
WIDTH = {"given": 4, "family": 2, "father": 2, "mother": 2, "aliases": 8}
KEYS = 6  # phonetic keys kept per token
PATRONYMIC_ROLES = frozenset(("given", "father"))  # where a patronymic is read as the father's name
# Where a name written twice is two links of a chain and keeps both places: Abebe Abebe Telahun is
# Abebe son of Abebe, and read once his father was Telahun (-7 bits against a father field Abebe).
CHAIN_ROLES = frozenset(("given",))
CHAIN_LAST = "aliases:last"  # _token_matrices' extra: the last name of each record's first other name
GIVEN_SURNAME = "given:surname"  # ... the surname a given-name cell wrote first (_surname_first)
# Whether the given-name field holds a kunya alone (Abu Mohammed): the own name is not written
GIVEN_KUNYA = "given:kunya"
KUNYAS = "aliases:kunyas"  # ... and the tokens of other names that are kunyas (names.is_kunya)
# Days since 1970 (`Prepared.dates`) of the day a record was made and of the first day its last
# contact may have been (NaN unknown)
RECORDED, LAST_CONTACT = "recorded_day", "last_contact_day"
# The whole name without the kunyas among the other names, in the same places (WholeName), and
# whether that leaves any out: only pairs where one side does compare it.
WHOLE_WITHOUT_KUNYAS, KUNYAS_ASIDE = "whole:without kunyas", "whole:kunyas aside"
ALL_WIDTH = 6  # distinct tokens of the whole name a record holds, for the order-free alignment


@dataclass(frozen=True)
class Fields:
    """Which column plays which role; any may be None when a data set lacks it."""

    id: str
    identity: str | None = None  # names a record alike in every file and index (default: id); orders ties
    given: str | None = None
    family: str | None = None
    father: str | None = None
    mother: str | None = None
    aliases: str | None = None  # ';'-separated other names, possibly in another script
    birth_date: str | None = None
    # Days and months ("MM-DD") that stand for an unknown birthday: None until a linker reads
    # them off the files it links or the model it is given (matching.linker.placeholders_read);
    # then 1 January alone
    placeholder_days: tuple[str, ...] | None = None
    age: str | None = None
    recorded_on: str | None = None
    # The day of separation or last contact (enquiries), against which a found record's
    # `recorded_on` is compared (matching.compare.AfterContact)
    last_contact: str | None = None
    calendar: str | None = None  # true where the birth year may count in the Ethiopian calendar
    chain: str | None = None  # true where names are given + father + grandfather, no family name
    surname: str | None = None  # true where the family name is inherited, so a different one is another family
    population: str | None = None  # whose names a record's are drawn from (nationality): names are counted within it
    exact: tuple[str, ...] = ()  # compared for equality (sex, nationality)
    fuzzy: tuple[str, ...] = ()  # compared as romanised strings (birth place, addresses, ids)
    family_fields: tuple[str, ...] = ()  # fuzzy fields a whole family shares (birth place)

    def columns(self) -> list[str]:
        """Every column the matching reads, each once."""
        roles = (self.id, self.identity, self.given, self.family, self.father, self.mother, self.aliases,
                 self.birth_date, self.age, self.recorded_on, self.last_contact, self.calendar, self.chain,
                 self.surname, self.population, *self.exact, *self.fuzzy)
        return list(dict.fromkeys(c for c in roles if c is not None))


@dataclass
class Texts:
    """Distinct values of the fuzzy fields (birth places, addresses), numbered like a `Vocab`'s
    tokens, so their comparison works on integer ids and scores each distinct pair of values once
    (matching.compare.TextSimilarity)."""

    values: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)

    def numbers(self, column: pl.Series) -> np.ndarray:
        """The int32 id of each value of `column` (-1 unknown); new values are numbered in the
        order they first appear."""
        distinct = column.drop_nulls().unique(maintain_order=True)
        values = distinct.to_list()
        for value in values:
            if value not in self.ids:
                self.ids[value] = len(self.values)
                self.values.append(value)
        ids = pl.Series([self.ids[v] for v in values], dtype=pl.Int32)
        return column.replace_strict(distinct, ids, default=-1, return_dtype=pl.Int32).to_numpy()


@dataclass
class Vocab:
    """Distinct name tokens, numbered; shared by both sides so equal tokens get equal ids. The
    fuzzy fields' values are numbered beside them (`texts`)."""

    texts: Texts = field(default_factory=Texts)
    tokens: list[str] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)
    keys: list[tuple[str, ...]] = field(default_factory=list)
    _key_numbers: dict[str, int] = field(default_factory=dict)
    _key_ids: np.ndarray = field(default_factory=lambda: np.zeros((0, KEYS), dtype=np.int32))
    _key_buffer: np.ndarray = field(default_factory=lambda: np.zeros((0, KEYS), dtype=np.int32))
    _array: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    _filled: int = 0
    _by_key: tuple = (-1, None, None)  # (vocabulary size, key_ptr, key_tokens) of tokens_by_key

    def add(self, token: str) -> int:
        tid = self.ids.get(token)
        if tid is None:
            tid = self.ids[token] = len(self.tokens)
            self.tokens.append(token)
            self.keys.append(names.keys(token))
        return tid

    def extend(self, tokens: Iterable[str]) -> None:
        """Add the new ones among `tokens` in order, as `add` one by one would, their keys
        computed in one batch (shared out among processes when there are many)."""
        new = [t for t in dict.fromkeys(tokens) if t not in self.ids]
        self.ids.update(zip(new, range(len(self.tokens), len(self.tokens) + len(new))))
        self.tokens.extend(new)
        self.keys.extend(mapped(names.keys, new))

    def array(self) -> np.ndarray:
        """The tokens as an object array (read-only use), grown in doublings rather than rebuilt,
        since a search that meets a new token asks for it again."""
        n, have = len(self.tokens), len(self._array)
        if have < n:
            grown = np.empty(max(2 * have, n), dtype=object)
            grown[:have] = self._array
            self._array = grown
        if self._filled < n:
            self._array[self._filled : n] = self.tokens[self._filled : n]
            self._filled = n
        return self._array[:n]

    def key_ids(self) -> np.ndarray:
        """(tokens, KEYS) int32: each token's phonetic keys as numbers (-1 none), so "could these
        two tokens be one name" is a vectorised comparison."""
        if len(self._key_ids) < len(self.keys):
            numbers = self._key_numbers
            rows = [[numbers.setdefault(k, len(numbers)) for k in keys[:KEYS]] for keys in self.keys[len(self._key_ids):]]
            have = len(self._key_ids)
            if len(self._key_buffer) < len(self.keys):  # doubling, so new tokens cost no full copy
                grown = np.full((max(2 * len(self._key_buffer), len(self.keys)), KEYS), -1, dtype=np.int32)
                grown[:have] = self._key_ids
                self._key_buffer = grown
            for i, row in enumerate(rows):
                self._key_buffer[have + i, : len(row)] = row
            self._key_ids = self._key_buffer[: len(self.keys)]
        return self._key_ids

    def tokens_by_key(self) -> tuple[np.ndarray, np.ndarray]:
        """`tokens_by_key` of this vocabulary, kept until it grows (a search asks at every
        enquiry)."""
        if self._by_key[0] != len(self.keys):
            self._by_key = (len(self.keys), *tokens_by_key(self.key_ids()))
        return self._by_key[1], self._by_key[2]


def tokens_by_key(key_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(key_ptr, key_tokens) from (tokens, KEYS) key numbers (-1 none): the tokens holding key
    number k are key_tokens[key_ptr[k]:key_ptr[k + 1]]. Blocking marks every spelling of a
    record's names through them. A counting sort: linear in the tokens."""
    key = key_ids.ravel().astype(np.int64)
    held = np.flatnonzero(key >= 0)
    counts = np.bincount(key[held], minlength=int(key.max(initial=-1)) + 1)
    ptr = np.r_[0, np.cumsum(counts)]
    return ptr, _scatter(key, held, ptr[:-1].copy(), key_ids.shape[1])


@numba.njit(cache=True)
def _scatter(key, held, slot, width):
    """The token of each held entry (flat position i, `width` keys a token), placed at the next
    free position of its key's run."""
    out = np.empty(len(held), np.int64)
    for i in held:
        out[slot[key[i]]] = i // width
        slot[key[i]] += 1
    return out


@dataclass
class Prepared:
    """One side of a link as arrays aligned by row."""

    ids: np.ndarray
    tokens: dict[str, np.ndarray]  # role -> (n, width) int32 token ids, -1 = none
    all_tokens: np.ndarray  # (n, ALL_WIDTH) int32: given, family, father, aliases (those restating a name dropped), distinct, in order
    dates: dict[str, np.ndarray]  # birth_year_lo/hi, birth_month, birth_day as float (NaN unknown)
    calendar: np.ndarray  # bool: the birth year may be in the Ethiopian calendar
    chain: np.ndarray  # bool: no family name, so a "swapped" name is a father's, not a surname
    surname: np.ndarray  # bool: the family name is inherited (`Fields.surname`)
    fuzzy: dict[str, np.ndarray]  # column -> int32 ids of ASCII-folded strings in Vocab.texts (-1 unknown); a
    # family field's: the city it names (matching.places), and at column + WRITTEN its own spelling
    codes: np.ndarray  # (n, len(exact)) uint64: a hash of each exact value (trimmed, capitals), 0 unknown
    fuzzy_codes: np.ndarray  # (n, len(fuzzy)) uint64: a hash of each folded fuzzy value (a place's sound), 0 unknown
    place: np.ndarray  # (n,) uint64: the code of where the record comes from (`place_codes`), 0 unknown
    population: np.ndarray  # (n,) uint64: a code of the record's population (`Fields.population`), 0 unknown
    packed: np.ndarray  # (n, PACKED + exact + fuzzy) int32: what blocking's shortlist reads (`pack`)
    id_hash: np.ndarray  # uint64 hash of each identity: orders ties wherever a record sits

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> Prepared:
        """These rows (indices or a mask) of this side, in this order."""
        return Prepared(**{f.name: {k: v[rows] for k, v in value.items()} if isinstance(value, dict) else value[rows]
                           for f in dataclasses.fields(self) for value in (getattr(self, f.name),)})

    def last_per_id(self) -> Prepared:
        """This side with only the last record of each id, as two writes of one id leave it."""
        last = pl.Series(self.ids, dtype=pl.Utf8).reverse().is_first_distinct().reverse().to_numpy()
        return self if last.all() else self.take(last)

    def grouped_by_name(self, vocab: Vocab) -> Prepared:
        """This side's rows (the last of each id, `last_per_id`) reordered so that records whose
        own first names sound alike sit together, within each population: the rows one enquiry
        reaches in blocking are mostly namesakes, and read close together they share trips to
        memory (blocking 31 s -> 26 s at 100,000 x 500,000). A record's candidates and scores do
        not depend on where it sits."""
        p = self.last_per_id()
        first = p.all_tokens[:, 0]
        sound = np.full(len(p), -1, dtype=np.int64)
        sound[first >= 0] = vocab.key_ids()[first[first >= 0], 0]
        return p.take(np.lexsort((sound, p.population)))

    def name_slots(self) -> np.ndarray:
        """(n, ALL_WIDTH + 1): the name chain's tokens, then the mother's first name. Blocking
        keys and ranks names in these slots (P_TOKENS, P_MOTHER of a packed row)."""
        return np.column_stack([self.all_tokens, self.tokens["mother"][:, :1]])


def _token_matrices(columns: dict[str, pl.Series], vocab: Vocab) -> dict[str, np.ndarray]:
    """(rows, WIDTH[role]) token ids of each role's column, -1 padded.

    Each distinct name part (a cell, or one ';'-separated alias) is tokenised once, whichever
    roles it appears in, in one batch that can be shared out among processes. Tokens enter the
    vocabulary role by role, cell by cell, in order."""
    distinct = {role: column.drop_nulls().unique(maintain_order=True) for role, column in columns.items()}
    cells = {role: values.to_list() for role, values in distinct.items()}
    split = {role: [value.split(";") for value in values] for role, values in cells.items() if role == "aliases"}
    parts = list(dict.fromkeys(chain.from_iterable(
        chain.from_iterable(split[role]) if role in split else values for role, values in cells.items())))
    tokens_of = dict(zip(parts, mapped(_tokens, parts)))
    cell_tokens = {
        role: [_distinct_tokens_of(value, tokens_of) for value in split[role]] if role in split
        else [_as_read(role, tokens_of[value]) for value in values]
        for role, values in cells.items()
    }
    surnames: list[str | None] = []  # the surname each given-name cell wrote first, if any
    for role in PATRONYMIC_ROLES.intersection(cell_tokens):  # Romanovich: the father, Roman
        stem = {t: names.patronymic_stem(t) for t in set(chain.from_iterable(cell_tokens[role]))}
        first = [_surname_first(cell, stem) for cell in cell_tokens[role]]
        if role == "given":  # prepare puts the surname in the family name's place
            surnames = [cell[0] if surname else None for cell, surname in zip(cell_tokens[role], first)]
        read = [cell[1:] if surname else cell for cell, surname in zip(cell_tokens[role], first)]
        cell_tokens[role] = [_as_read(role, _fathers_named(r, stem)) for r in read]
    vocab.extend(chain(chain.from_iterable(chain.from_iterable(cell_tokens.values())), filter(None, surnames)))
    out = {}
    for role, column in columns.items():
        codes = column.replace_strict(distinct[role], pl.int_range(len(distinct[role]), eager=True),
                                      default=-1, return_dtype=pl.Int64).to_numpy()
        if role == "aliases":  # a name restated within the aliases once, before they are cut
            wide = _id_table(cell_tokens[role], max(map(len, cell_tokens[role]), default=1), vocab.ids)
            table = _distinct_rows(_aliases_once(wide, vocab, 1), WIDTH[role])
            # the last name of a first other name of three or more (_families_from_aliases)
            last = np.array([vocab.ids[named[-1]] if len(named := tokens_of[parts[0]]) >= 3 else -1
                             for parts in split[role]] or [-1], dtype=np.int32)
            out[CHAIN_LAST] = np.where(codes >= 0, last[np.maximum(codes, 0)], -1).astype(np.int32)
            out[KUNYAS] = np.array(sorted({vocab.ids[tokens_of[part][0]] for part in dict.fromkeys(chain(*split[role]))
                                           if len(tokens_of[part]) == 1 and names.is_kunya(part)}), dtype=np.int32)
        else:
            table = _id_table(cell_tokens[role], WIDTH[role], vocab.ids)
        if role == "given":
            moved = np.array([vocab.ids[t] if t else -1 for t in surnames] or [-1], dtype=np.int32)
            out[GIVEN_SURNAME] = np.where(codes >= 0, moved[np.maximum(codes, 0)], -1).astype(np.int32)
            kunya = np.array([names.is_kunya(value) for value in cells[role]] or [False])
            out[GIVEN_KUNYA] = (codes >= 0) & kunya[np.maximum(codes, 0)]
        out[role] = np.full((len(column), WIDTH[role]), -1, dtype=np.int32)
        out[role][codes >= 0] = table[codes[codes >= 0]]
    return out


def _surname_first(cell: tuple[str, ...], stem: dict[str, str]) -> bool:
    """Whether a cell is written in the East Slavic official order, surname, name, patronymic
    (Petrenko Alla Mykolaivna). Read as written, the name Alla took the father's place (-5.8 bits
    against a father field Mykola), so the surname leaves the cell: from the given names it goes
    to the family name's place where the record leaves that empty (`prepare`). Only three words
    whose last alone is a patronymic and whose first has an East Slavic surname's ending
    (`_SLAVIC_SURNAME`): Mohammad Ali Karimovich and Anna-Maria Ivanovna are two given names and a
    patronymic, and Ivan Ilyich Karpovich a name, an irregular patronymic and a surname."""
    return bool(len(cell) == 3 and stem[cell[2]] != cell[2] and stem[cell[0]] == cell[0]
                and stem[cell[1]] == cell[1] and _SLAVIC_SURNAME.search(cell[0]))


# Endings of East Slavic surnames: -ov/-ev/-in and their feminine -a (Petrov, Oliinyk's -yk
# aside), -enko, -uk/-chuk, -sky/-ska, -ko (Boiko).
_SLAVIC_SURNAME = re.compile(r"(?:[oe]v|[iy]n)a?$|(?:enko|ko|[iy]?uk|yk|sk[iy]?[iyj]?|ska(?:ya|ja|ia)?)$")


def _without_kunyas(whole: np.ndarray, named: np.ndarray, kunyas: np.ndarray) -> np.ndarray:
    """`whole` (the all_tokens matrix) with each kunya that only an other name gives blanked:
    Abu Ahmad names a parent by a child, no link of the person's chain, and the other record
    mostly does not write it. WholeName weighs a kunya so given as optional: it counts where it
    meets a name on the other side (a record known as Abu Ahmad alone) and nowhere else. A kunya
    written in the given, family or father field (`named`) is the name given there and stays."""
    if not len(kunyas):
        return whole
    kunya = np.isin(whole, kunyas) & ~(whole[:, :, None] == named[:, None, :]).any(axis=2)
    return np.where(kunya, -1, whole).astype(np.int32)


def _fathers_named(cell: tuple[str, ...], stem: dict[str, str]) -> list[str]:
    """A cell's tokens with each patronymic read as its father's name (`stem`), but where that
    name is already in the cell: Ivan Ivanovich, son of an Ivan, keeps his patronymic as written,
    or the cell would hold one Ivan and read as a man of one name."""
    return [stem[t] if stem[t] == t or stem[t] not in cell else t for t in cell]


def _tokens(part: str) -> tuple[str, ...]:
    return tuple(names.name_tokens(part))


def _as_read(role: str, tokens: Iterable[str]) -> tuple[str, ...]:
    """A cell's tokens as its role reads them: each once, but in a chain every link."""
    return tuple(tokens) if role in CHAIN_ROLES else tuple(dict.fromkeys(tokens))


def _distinct_tokens_of(parts: list[str], tokens_of: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(chain.from_iterable(map(tokens_of.__getitem__, parts))))


def _id_table(cells: list[tuple[str, ...]], width: int, ids: dict[str, int]) -> np.ndarray:
    """(cells, width) int32: the ids of each cell's first `width` tokens, -1 padded."""
    lengths = np.fromiter(map(len, cells), dtype=np.int64, count=len(cells))
    flat = np.fromiter(map(ids.__getitem__, chain.from_iterable(cells)), dtype=np.int32, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(cells)), lengths)
    cols = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    table = np.full((len(cells), width), -1, dtype=np.int32)
    keep = cols < width
    table[rows[keep], cols[keep]] = flat[keep]
    return table


def _distinct_rows(matrix: np.ndarray, width: int) -> np.ndarray:
    """First `width` distinct non-negative ids of each row, order kept, -1 padded."""
    n, k = matrix.shape
    keep = matrix >= 0
    for j in range(1, k):  # drop ids seen earlier in the row (k is small)
        keep[:, j] &= ~(matrix[:, :j] == matrix[:, j : j + 1]).any(axis=1)
    out = np.full((n, width), -1, dtype=np.int32)
    pos = np.cumsum(keep, axis=1) - 1
    rows, cols = np.nonzero(keep & (pos < width))
    out[rows, pos[rows, cols]] = matrix[rows, cols]
    return out


def _aliases_once(matrix: np.ndarray, vocab: Vocab, start: int) -> np.ndarray:
    """`matrix` (token ids, -1 blank; columns from `start` the aliases) with each alias token
    blanked that is a spelling of a name the record already holds: one sharing a phonetic key
    with an earlier token of its row and scoring as one name (names.ONE_NAME). An alias restates
    the name, often in another script (Maryam Mahmud, alias مریم محمود رحمت الله رحیمی, read
    as maryam mahmoud rehmatullah rahimi): counted again, mahmoud found no partner in a one-to-one
    whole-name alignment (a chain agreeing wholly read as "half the parts agree") and took a
    slot from the names further down the chain. Within the given, family and father fields a
    name repeated is another person's (a son named after his grandfather) and stays."""
    pairs = _row_pairs(matrix, start)
    if not len(pairs):
        return matrix
    distinct = np.unique(pairs)
    first, second = distinct >> _PAIR_SHIFT, distinct & _PAIR_LOW
    key_ids = vocab.key_ids()
    near = np.flatnonzero(share_a_key(key_ids[first], key_ids[second]))
    tokens = vocab.array()
    alike = np.zeros(len(distinct), dtype=np.bool_)
    alike[near] = names.similarity(list(tokens[first[near]]), list(tokens[second[near]])) >= names.ONE_NAME
    return _blank_restated(matrix, distinct[alike], start)


_PAIR_SHIFT, _PAIR_LOW = 32, (1 << 32) - 1  # a pair of token ids as one int64: lower id above


@numba.njit(cache=True, inline="always")
def _pair_key(x, y):
    return (min(x, y) << _PAIR_SHIFT) | max(x, y)


@numba.njit(cache=True)
def _row_pairs(matrix, start):
    """Each pair of a token in a column from `start` with an earlier token of its row, as an int64
    key (lower id above)."""
    n, k = matrix.shape
    count = 0
    for r in range(n):
        held = 0
        for j in range(k):
            if matrix[r, j] >= 0:
                count += held if j >= start else 0
                held += 1
    out = np.empty(count, np.int64)
    at = 0
    for r in range(n):
        for j in range(start, k):
            y = np.int64(matrix[r, j])
            if y < 0:
                continue
            for i in range(j):
                if matrix[r, i] >= 0:
                    out[at] = _pair_key(np.int64(matrix[r, i]), y)
                    at += 1
    return out[:at]


@numba.njit(cache=True)
def _blank_restated(matrix, alike, start):
    """`matrix` with each token from column `start` blanked that forms a pair of `alike` (sorted
    keys) with an earlier token of its row still held."""
    out = matrix.copy()
    n, k = matrix.shape
    for r in range(n):
        for j in range(start, k):
            y = np.int64(out[r, j])
            if y < 0:
                continue
            for i in range(j):
                if out[r, i] < 0:
                    continue
                key = _pair_key(np.int64(out[r, i]), y)
                at = np.searchsorted(alike, key)
                if at < len(alike) and alike[at] == key:
                    out[r, j] = -1
                    break
    return out


@numba.njit(cache=True, nogil=True)
def share_a_key(first, second):
    """Whether rows first[i] and second[i] (phonetic key ids, -1 none) have a key in common."""
    out = np.zeros(len(first), dtype=np.bool_)
    for i in range(len(first)):
        for x in first[i]:
            if x >= 0:
                for y in second[i]:
                    if x == y:
                        out[i] = True
    return out


def _chain_in_aliases(tokens: dict[str, np.ndarray], surname: np.ndarray, vocab: Vocab) -> np.ndarray:
    """Whether each record, of one given name and no inherited surname, gives its name chain as
    its first other name: one opening with its own first name (Shabnam, other name Shabnam Jawid
    Mohammad Karimi). Read for a father (_fathers_from_aliases) and a family name
    (_families_from_aliases) the record's own fields leave blank."""
    given, alias = tokens["given"], tokens["aliases"]
    rows = np.flatnonzero((given[:, 0] >= 0) & (given[:, 1] < 0) & (alias[:, 0] >= 0) & ~surname)
    ids = vocab.key_ids()
    held = np.zeros(len(given), dtype=bool)
    held[rows[share_a_key(ids[given[rows, 0]], ids[alias[rows, 0]])]] = True
    return held


def _fathers_from_aliases(tokens: dict[str, np.ndarray], chained: np.ndarray) -> np.ndarray:
    """The father field, where a record names no father (in it, or as a given-name chain's
    second link) and has no family name, but gives its name chain as its first other name
    (`chained`, _chain_in_aliases) of three names or more. The chain's second name is the
    father's, and father_name compares it; else the chain agreed with a found record's father
    Jawid and family name Karimi in the whole name only, which counts nothing where the first
    names agree. Not where surnames are inherited (Olena Ivanivna Kovalenko), nor for two names
    (Shabnam Karimi: a family name)."""
    father, family, alias = tokens["father"], tokens["family"], tokens["aliases"]
    rows = np.flatnonzero(chained & (father[:, 0] < 0) & (family[:, 0] < 0) & (alias[:, 2] >= 0))
    out = father.copy()
    out[rows, 0] = alias[rows, 1]
    return out


def _families_from_aliases(tokens: dict[str, np.ndarray], chained: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The family field, where a record has no family name but gives its whole name as its first
    other name (`chained`, _chain_in_aliases), three names or more (Ali, father Ahmad, other name
    علي احمد نور جعفری; not Mohamed Ali Hassan, whose other name Mohammed Aly Hasan restates the
    chain his given names hold). The chain's last name is read as its family name, where a
    family field puts it, and family_name compares it: two records giving one chain in Arabic
    script agreed in the whole name only, which counts nothing where the first names agree.
    `last`: each record's first other name's last name where it has three or more
    (_token_matrices), else -1."""
    family = tokens["family"]
    rows = np.flatnonzero(chained & (last >= 0) & (family[:, 0] < 0))
    out = family.copy()
    out[rows, 0] = last[rows]
    return out


def prepare(df: pl.DataFrame, fields: Fields, vocab: Vocab) -> Prepared:
    """Arrays for one side; `vocab` grows with any new tokens and field values."""

    def col(name: str | None) -> pl.Series:
        if name is None or name not in df.columns:
            return pl.Series([None] * len(df), dtype=pl.Utf8)
        return df[name].cast(pl.Utf8)

    tokens = _token_matrices({role: col(getattr(fields, role)) for role in WIDTH}, vocab)
    surname = _flag(col(fields.surname))
    chained = _chain_in_aliases(tokens, surname, vocab)
    tokens["father"] = _fathers_from_aliases(tokens, chained)
    tokens["family"] = _families_from_aliases(tokens, chained, tokens.pop(CHAIN_LAST))
    surnamed = (tokens["family"][:, 0] < 0) & (tokens[GIVEN_SURNAME] >= 0)  # Petrenko Alla Mykolaivna, no family
    tokens["family"][surnamed, 0] = tokens.pop(GIVEN_SURNAME)[surnamed]
    stacked = np.hstack([tokens[r] for r in ("given", "family", "father", "aliases")])
    whole = _distinct_rows(_aliases_once(stacked, vocab, stacked.shape[1] - WIDTH["aliases"]), ALL_WIDTH)
    tokens[WHOLE_WITHOUT_KUNYAS] = _without_kunyas(whole, stacked[:, : -WIDTH["aliases"]], tokens.pop(KUNYAS))
    tokens[KUNYAS_ASIDE] = (tokens[WHOLE_WITHOUT_KUNYAS] != whole).any(axis=1)
    frame = pl.DataFrame({"b": col(fields.birth_date), "a": col(fields.age), "r": col(fields.recorded_on),
                          "c": col(fields.last_contact)})
    made, contact = dates.first_day(pl.col("r")), dates.first_day(pl.col("c"))
    parsed = frame.select(*dates.parse(pl.col("b"), pl.col("a"), pl.col("r"),
                                       fields.placeholder_days or dates.PLACEHOLDER_DAYS),
                          made.alias(RECORDED),
                          # a last contact after the day its record was made had not happened yet: a typing error
                          pl.when(contact > made).then(None).otherwise(contact).alias(LAST_CONTACT))
    exact = {c: exact_text(col(c)) for c in fields.exact}
    nationality = exact_text(col(fields.population))
    written = {c: _romanised(col(c), place=c in fields.family_fields) for c in fields.fuzzy}
    fuzzy = {c: _cities(col(c), nationality).fill_null(written[c]) if c in fields.family_fields else written[c]
             for c in fields.fuzzy}
    # A family field (a birth place) is known by its sound: spellings of one place agree.
    fuzzy_codes = np.column_stack([place_codes(v) if c in fields.family_fields else _codes([v], len(df))[:, 0]
                                   for c, v in fuzzy.items()]) if fuzzy else np.zeros((len(df), 0), np.uint64)
    # ... and is also kept as written (romanised), which its comparison reads too (Fuzzy.levels)
    fuzzy.update({c + WRITTEN: written[c] for c in fields.family_fields})
    return pack(Prepared(
        ids=col(fields.id).to_numpy().astype(object),
        id_hash=col(fields.identity or fields.id).hash(seed=3).to_numpy(),
        tokens=tokens,
        all_tokens=whole,
        dates={c: parsed[c].cast(pl.Float64).fill_null(np.nan).to_numpy() for c in parsed.columns},
        calendar=_flag(col(fields.calendar)),
        chain=_flag(col(fields.chain)),
        surname=surname,
        fuzzy={c: vocab.texts.numbers(v) for c, v in fuzzy.items()},
        codes=_codes([exact[c] for c in fields.exact], len(df)),
        fuzzy_codes=fuzzy_codes,
        place=fuzzy_codes[:, fields.fuzzy.index(fields.family_fields[0])] if fields.family_fields
        else np.zeros(len(df), np.uint64),
        population=exact_codes(col(fields.population)),
        packed=np.zeros((0, 0), dtype=np.int32),
    ))


# Columns of Prepared.packed: a record's name tokens, mother's name token, birth years, month
# and day (month * 32 + day, DAY_MASK where unknown) with the calendar flag above them, the days
# (from 1900, 16 bits each, DAY_MASK unknown) it was made on and of its last contact, identity
# hash (two halves), then each exact and each fuzzy value's code folded to 32 bits. Blocking's
# shortlist reads one row per reached record, tens of millions of times in a large run: one row
# of about 64 bytes is one trip to memory where the separate arrays were seven (so the calendar
# flag and the two days share columns, keeping the row at 16 columns).
P_TOKENS, P_MOTHER, P_LO, P_HI, P_DAY, P_WHEN, P_ID, PACKED = 0, ALL_WIDTH, ALL_WIDTH + 1, ALL_WIDTH + 2, \
    ALL_WIDTH + 3, ALL_WIDTH + 4, ALL_WIDTH + 5, ALL_WIDTH + 7
NO_YEAR = -(1 << 30)
DAY_MASK = 0xFFFF


def pack(p: Prepared) -> Prepared:
    """`p` with its `packed` rows made from its other fields (prepare does this; the Spark
    engine does it for found records whose fields it gathered from its tasks)."""
    d = p.dates
    lo, hi, month, day = (d[k] for k in ("birth_year_lo", "birth_year_hi", "birth_month", "birth_day"))
    known = ~np.isnan(lo) & ~np.isnan(hi)
    full = known & (lo == hi) & ~np.isnan(month) & ~np.isnan(day)
    halves = p.id_hash.view(np.uint32).reshape(-1, 2).view(np.int32)
    folded = [(c ^ (c >> np.uint64(32))).astype(np.uint32).view(np.int32).reshape(len(p), -1)
              for c in (p.codes, p.fuzzy_codes)]
    def days(key: str) -> np.ndarray:  # from 1900, in 16 bits (dates.first_day reads no other day)
        value = d.get(key, np.full(len(p), np.nan)) - dates.FIRST_DAY
        return np.where(np.isnan(value), DAY_MASK, np.nan_to_num(value)).astype(np.int64)

    p.packed = np.ascontiguousarray(np.column_stack([
        p.name_slots(),
        np.where(known, np.nan_to_num(lo), NO_YEAR).astype(np.int32), np.where(known, np.nan_to_num(hi), NO_YEAR).astype(np.int32),
        np.where(full, np.nan_to_num(month) * 32 + np.nan_to_num(day), DAY_MASK).astype(np.int32)
        | (p.calendar.astype(np.int32) << 16),
        ((days(RECORDED) << 16) | days(LAST_CONTACT)).astype(np.uint32).view(np.int32), halves, *folded,
    ]).astype(np.int32))
    return p


def exact_text(column: pl.Series) -> pl.Series:
    """An exact field's values as they are compared and counted: trimmed, in capitals; null
    (unknown) where nothing is left, so a blank nationality is no population and two blank
    sexes do not agree."""
    text = column.cast(pl.Utf8).str.strip_chars().str.to_uppercase()
    return text.set(text == "", None)


def exact_codes(column: pl.Series) -> np.ndarray:
    """The code `prepare` gives each value of an exact field, as `Prepared.population` holds
    the population's: of the value trimmed and in capitals, 0 where unknown."""
    return _codes([exact_text(column)], len(column))[:, 0]


def population_rows(names: list[str], population: np.ndarray) -> np.ndarray:
    """For each code in `population` (as `Prepared.population` holds them), the place in `names`
    (populations as the data's nationality is read, "" for none) of its own, -1 where `names`
    holds none: how a model's values by population meet the records."""
    if not names:
        return np.full(len(population), -1)
    codes = exact_codes(pl.Series(names, dtype=pl.Utf8))  # "": no population, code 0
    order = np.argsort(codes)
    at = np.clip(np.searchsorted(codes[order], population), 0, len(codes) - 1)
    return np.where(codes[order][at] == population, order[at], -1)


def _codes(columns: list[pl.Series], n: int) -> np.ndarray:
    """A hash of each value, 0 where unknown: equal values give equal codes on any side and in
    any batch, so one record and a whole file are compared alike."""
    out = np.zeros((n, len(columns)), dtype=np.uint64)
    for j, column in enumerate(columns):
        out[:, j] = (column.hash(seed=2) | 1).to_numpy()  # never 0 for a known value
        out[column.is_null().to_numpy(), j] = 0
    return out


def place_codes(column: pl.Series) -> np.ndarray:
    """uint64 code of each place by its sound (the first of `places.sounds`: the usual phonetic
    key of its name said as one word), 0 unknown: Kabul, Kabol and Caboul, Mazar-e Sharif and Mazar-i-Sharif, or Umm
    Dorman and Omdurman get one code, so blocking can join a common name with where its holder
    comes from, and rank a namesake from elsewhere below the person, whatever the spelling. The
    whole name keeps apart places that share a first word (Deir ez-Zor and Daraa, Tal Afar and Tal
    Abyad, Addis Ababa and Odesa); a place with a digit or no letter keeps its own text."""
    distinct = column.drop_nulls().unique()
    texts = [f"p{s[0]}" if (s := places.sounds(v)) else f"v{v}" for v in distinct.to_list()]
    codes = _codes([pl.Series(texts, dtype=pl.Utf8)], len(distinct))[:, 0]
    return column.replace_strict(distinct, pl.Series(codes, dtype=pl.UInt64), default=0,
                                 return_dtype=pl.UInt64).to_numpy()


def _flag(column: pl.Series) -> np.ndarray:
    return column.str.to_lowercase().is_in(["1", "true", "yes"]).fill_null(False).to_numpy()


def _romanised(column: pl.Series, place: bool = False) -> pl.Series:
    """Each value of `column` romanised (`_romanised_value`, or for a `place` `_place_written`),
    worked out once per distinct value."""
    distinct = column.drop_nulls().unique().to_list()
    romanised = _place_written if place else _romanised_value
    return column.replace_strict(distinct, [romanised(v) for v in distinct], default=None, return_dtype=pl.Utf8)


def _romanised_value(text: str | None) -> str | None:
    return None if text is None else (" ".join(anyascii(text).lower().split()) or None)


def _place_written(text: str) -> str | None:
    """A place as written, to compare where the gazetteer reads no city on one side: without the
    country it names (`places.without_country`: "Hama, Syria" and its misspelling "Hmaa" are
    alike), and a place not in plain ASCII romanised as a name is (`names.romanise`), which reads
    each script's letters as its speakers say them: الجنينة is "genena", alike to Geneina, where
    letter by letter it was "ljnynh", ጅማ "jima", not "jma", and a Turkish registrar's Kamışlı
    "kamishli" as the Syrian town is written elsewhere (Qamishli), where letter by letter it was
    "kamisli" (a Turkish village written once with its letters and once without, Çilehane and
    Cilehane, is then only alike). A place keeps its numbers, in any script (Kakuma 1 and Kakuma
    4 are two camps; كاكوما ١ is "kakuma 1", where read letter by letter it was "kkwm 1")."""
    own = places.without_country(text)
    if own.isascii():
        return _romanised_value(own)
    # a place's numbers in any script (Arabic ١, Ge'ez ፪, a superscript ²) kept apart from its words
    pieces = ("".join(run) for _, run in groupby(own, key=str.isdigit))
    return _romanised_value(" ".join(piece if piece.isdigit() else names.romanise(piece) or piece for piece in pieces))


WRITTEN = ":written"  # Prepared.fuzzy key of a family field's own spelling, beside the city it names


def _cities(column: pl.Series, nationality: pl.Series) -> pl.Series:
    """A family field (a birth place): the own name of the city each value names in any script
    or language, read for the record's nationality (matching.places: Halab, Alep and حلب are
    Aleppo), null where it names none; worked out once per distinct value and nationality."""
    frame = pl.DataFrame({"place": column, "nationality": nationality.fill_null("")})
    distinct = frame.unique().drop_nulls("place")
    named = [places.canonical(place, country or None) for place, country in distinct.iter_rows()]
    table = distinct.with_columns(pl.Series("city", named, dtype=pl.Utf8))
    return frame.join(table, on=["place", "nationality"], how="left", maintain_order="left")["city"]

"""Which societies hold which records, and how their officers write names.

Relatives enquire where they live (the diaspora's host countries, or the home National
Society) and people are registered where they arrive, are held or are treated (transit and
arrival countries, ICRC detention visits). Each society's officers have a usual transliteration
habit: German Red Cross staff write Schewtschenko and Dschamal, French Red Cross staff
Chevtchenko and Djamal, Turkish Red Crescent staff Şevçenko and Cemal; the home societies of
Somalia write Somali orthography. ICRC delegates use passport, English, French and scholarly
spellings.
"""

from __future__ import annotations

import numpy as np

from benchmarks.generate.habits_latin import HABITS


def _dist(text: str) -> tuple[tuple[str, ...], np.ndarray]:
    pairs = [item.split(":") for item in text.split()]
    weights = np.array([float(w) for _, w in pairs])
    return tuple(k for k, _ in pairs), weights / weights.sum()


# Population -> societies where relatives file enquiries.
ENQUIRING = {code: _dist(text) for code, text in {
    "SYR": "DEU:30 SWE:8 NLD:5 AUT:5 FRA:4 GBR:4 TUR:14 LBN:4 SYR:16 ICRC:10",
    "IRQ": "DEU:20 SWE:8 GBR:6 FRA:4 NLD:4 TUR:10 IRQ:38 ICRC:10",
    "LBY": "LBY:50 TUN:10 ITA:10 FRA:8 GBR:7 DEU:5 ICRC:10",
    "SDN": "SDN:40 GBR:12 FRA:12 DEU:8 ITA:6 EGY:10 ICRC:12",
    "AFG": "DEU:28 AUT:8 SWE:6 FRA:8 GBR:10 TUR:8 AFG:20 ICRC:12",
    "SOM": "SOM:35 GBR:15 SWE:10 NOR:5 DEU:8 ITA:7 KEN:10 ICRC:10",
    "ERI": "ERI:20 DEU:15 SWE:10 NLD:8 ITA:10 GBR:10 CHE:8 ETH:9 ICRC:10",
    "ETH": "ETH:45 DEU:10 GBR:10 ITA:8 SWE:7 ICRC:20",
    "UKR": "UKR:55 POL:15 DEU:15 RUS:5 ICRC:10",
    "RUS": "RUS:60 DEU:10 POL:5 UKR:5 ICRC:20",
}.items()}

# Population -> societies that register people (arrivals, detention, hospitals, morgues).
REGISTERING = {code: _dist(text) for code, text in {
    "SYR": "TUR:25 GRC:20 DEU:15 ITA:5 LBN:8 SYR:12 ICRC:15",
    "IRQ": "TUR:20 GRC:10 DEU:15 POL:5 IRQ:30 ICRC:20",
    "LBY": "ITA:30 MLT:10 TUN:20 LBY:25 ICRC:15",
    "SDN": "ITA:25 LBY:20 EGY:15 TUN:10 SDN:10 ICRC:20",
    "AFG": "TUR:25 GRC:15 DEU:15 AUT:5 AFG:15 ICRC:25",
    "SOM": "ITA:20 MLT:10 LBY:15 KEN:20 SOM:20 ICRC:15",
    "ERI": "ITA:30 MLT:10 LBY:20 SDN:15 ETH:10 ICRC:15",
    "ETH": "ETH:35 SDN:15 ITA:10 LBY:10 ICRC:30",
    "UKR": "UKR:30 POL:20 DEU:10 RUS:10 ICRC:30",
    "RUS": "UKR:40 RUS:20 ICRC:40",
}.items()}

# Society -> the habits its officers use.
_HABITS = {society: _dist(text) for society, text in {
    "DEU": "german:75 english:15 passport:10", "AUT": "german:80 english:10 passport:10",
    "CHE": "german:45 french:40 english:15", "FRA": "french:85 passport:15",
    "BEL": "french:60 english:25 passport:15", "LBN": "french:50 english:30 passport:20",
    "TUN": "french:80 passport:20", "POL": "polish:85 english:15", "TUR": "turkish:90 english:10",
    "GBR": "english:90 passport:10", "SWE": "english:70 passport:30", "NLD": "english:70 passport:30",
    "NOR": "english:70 passport:30", "MLT": "english:85 passport:15", "GRC": "english:75 passport:25",
    "ITA": "english:55 french:25 passport:20", "KEN": "english:80 passport:20",
    "EGY": "english:70 passport:20 french:10", "SYR": "english:60 passport:30 french:10",
    "IRQ": "english:70 passport:30", "LBY": "english:60 passport:25 french:15",
    "SDN": "english:75 passport:25", "AFG": "english:65 passport:35", "SOM": "somali:80 english:20",
    "ERI": "english:70 passport:30", "ETH": "english:70 passport:30",
    "UKR": "passport:80 english:20", "RUS": "passport:50 english:50",
    "ICRC": "passport:35 english:30 french:20 scholarly:15",
}.items()}

# Each population's own National Society: its officers may write names in the original script.
HOME = {"SYR": "SYR", "IRQ": "IRQ", "LBY": "LBY", "SDN": "SDN", "AFG": "AFG", "SOM": "SOM",
        "ERI": "ERI", "ETH": "ETH", "UKR": "UKR", "RUS": "RUS"}

HABIT_INDEX = {h: i for i, h in enumerate(HABITS)}
# Habits an officer outside their society's usual practice may fall into (not Somali orthography).
_STRAY = np.array([HABIT_INDEX[h] for h in HABITS if h != "somali"])


def societies(rng: np.random.Generator, pops: np.ndarray, codes: tuple[str, ...], table: dict) -> np.ndarray:
    """One society per record, drawn from `table` by the record's population."""
    out = np.empty(len(pops), dtype=object)
    for i, code in enumerate(codes):
        rows = np.flatnonzero(pops == i)
        if len(rows):
            names, p = table[code]
            out[rows] = np.array(names, dtype=object)[rng.choice(len(names), size=len(rows), p=p)]
    return out


def habits(rng: np.random.Generator, society: np.ndarray, follows: float) -> tuple[np.ndarray, np.ndarray]:
    """Habit index per record: the society's own habits, or with 1 - `follows` any habit (the
    second array marks those strays: interpreters, seconded staff, copied documents)."""
    out = _STRAY[rng.integers(0, len(_STRAY), size=len(society))]
    own = rng.random(len(society)) < follows
    for name, (habit_names, p) in _HABITS.items():
        rows = np.flatnonzero(own & (society == name))
        if len(rows):
            idx = np.array([HABIT_INDEX[h] for h in habit_names])
            out[rows] = idx[rng.choice(len(idx), size=len(rows), p=p)]
    return out, ~own


"""Every tunable rate of the generator, with defaults shaped like real RFL case loads.

Defaults follow shared/docs/domain.md: the populations of the Mediterranean, Horn of Africa,
Afghan and Ukrainian caseloads; a minority of records in original script; Ethiopian and
Eritrean dates often in the Ethiopian calendar; one in seven birth dates a 1 January
placeholder; officers who mostly write in their own society's habit. A rate is the share of
*eligible* records it applies to (a day/month swap needs a full date with a day of 12 or less;
an article can only be dropped from a name that has one), as its docstring line says.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from rfl.errors import InputError


@dataclass(frozen=True)
class Rates:
    # Who the people are: relative weights of the populations (normalised to sum to 1).
    pop_syria: float = 0.20        # Syrian Arabic names
    pop_iraq: float = 0.10         # Iraqi Arabic names
    pop_libya: float = 0.04        # Libyan Arabic names
    pop_sudan: float = 0.08        # Sudanese Arabic names
    pop_afghanistan: float = 0.14  # Dari/Pashto names, often a single name
    pop_somalia: float = 0.08      # Somali names: given + father + grandfather
    pop_eritrea: float = 0.10      # Tigrinya names: given + father + grandfather
    pop_ethiopia: float = 0.06     # Amharic/Oromo names, Ethiopian calendar
    pop_ukraine: float = 0.14      # Ukrainian names with patronymics
    pop_russia: float = 0.06       # Russian names with patronymics

    # Who is in which file.
    found_share: float = 0.6           # sought persons who appear among the found records
    enquired_twice: float = 0.04       # enquiry records that are a second enquiry (at most half of them)
    registered_twice: float = 0.05     # found records that are a second registration (at most half)
    sibling: float = 0.10              # sought persons with a sibling registered among the found
    sibling_sought: float = 0.05       # sought persons who are a sibling of another sought person (at most half)
    namesake: float = 0.05             # sought persons with a namesake (same names, other person) found
    cousin: float = 0.05               # sought persons with a paternal cousin (same grandfather and family name) found

    # How names are written.
    habit_follows_society: float = 0.85  # records written in their society's usual habit
    attested_spelling: float = 0.20      # Arabic-script name units copied as a spelling attested in the wild
    original_script: float = 0.25        # records of script populations with the original script in other_names
    script_in_name_fields: float = 0.05  # home-society records written in the original script in the name fields
    nasab_in_given: float = 0.15         # Arab/Afghan/Horn records with given + father + grandfather in given_names
    father_chain: float = 0.15           # records whose father_name holds father + grandfather
    father_as_family: float = 0.10       # records (of people with a family name) with the father's name as family name
    grandfather_as_family: float = 0.30  # Horn records using the grandfather's (not the father's) name as family name
    family_name_empty: float = 0.15      # Horn records with no family name at all
    single_name: float = 0.35            # Afghan records with one name only
    swap_given_family: float = 0.07      # records with given and family name swapped
    compound_joined: float = 0.50        # compound names (Abd al-, -ullah, Gebre-) written joined
    compound_abbreviated: float = 0.30   # Ethiopian Gebre-/Wolde- compounds written G/Medhin, W/Mariam
    article_dropped: float = 0.30        # family names with al-/el- written without it
    russian_form: float = 0.25           # Ukrainian records with Russian forms of given names (Sergei for Serhii)
    patronymic_in_given: float = 0.25    # Slavic records with the patronymic in given_names
    typo: float = 0.05                   # records with one typing error in a name
    upper_case: float = 0.10             # records with the names in UPPER CASE
    place_exonym: float = 0.50           # birthplaces written in a conventional exonym (Aleppo for Halab)
    mother_family_name: float = 0.30     # Arab/Afghan records with the mother's family name after her given name
    title: float = 0.03                  # records (not Slavic) with a title before the given names (Haji, Ato, W/ro)
    alias: float = 0.05                  # records with an alias in other_names (Abu Ahmad; Sasha for Oleksandr)

    # Dates.
    date_missing: float = 0.05       # records with neither birth date nor age
    age_only: float = 0.12           # records with an estimated age at recorded_on instead of a birth date
    partial_date: float = 0.12       # birth dates with the year only or year and month
    placeholder_jan1: float = 0.15   # birth dates set to 1 January of the year
    day_month_swap: float = 0.05     # full birth dates (day <= 12) with day and month swapped
    year_off_by_one: float = 0.05    # birth years one year early or late
    ethiopian_calendar: float = 0.30 # Ethiopian/Eritrean records dated in the Ethiopian calendar

    # Other fields.
    field_missing: float = 0.20  # each of father_name, mother_name, birth_place, nationality left empty
    sex_missing: float = 0.03    # records without sex

    def populations(self) -> dict[str, float]:
        """Population code -> share, in a fixed order."""
        weights = {"SYR": self.pop_syria, "IRQ": self.pop_iraq, "LBY": self.pop_libya, "SDN": self.pop_sudan,
                   "AFG": self.pop_afghanistan, "SOM": self.pop_somalia, "ERI": self.pop_eritrea,
                   "ETH": self.pop_ethiopia, "UKR": self.pop_ukraine, "RUS": self.pop_russia}
        total = sum(weights.values())
        return {code: w / total for code, w in weights.items()}


NAMES = tuple(f.name for f in fields(Rates))


def check(rates: Rates, where: str = "--rate") -> Rates:
    """Refuse shares outside [0, 1] and a population mix that is all zero."""
    for f in fields(rates):
        value = getattr(rates, f.name)
        if not 0.0 <= value <= 1.0:
            raise InputError(where, f"rate {f.name} must be between 0 and 1")
    if sum(getattr(rates, n) for n in NAMES if n.startswith("pop_")) <= 0:
        raise InputError(where, "at least one pop_ rate must be above 0")
    return rates


def parse(assignments: list[str], base: Rates | None = None) -> Rates:
    """Apply `NAME=VALUE` assignments (from `--rate`) to the defaults."""
    changes = {}
    for item in assignments:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in NAMES:
            raise InputError("--rate", f"unknown rate {name!r} (`rfl generate --help` lists them)" if sep
                             else f"expected NAME=VALUE, got {item!r}")
        try:
            changes[name] = float(value)
        except ValueError:
            raise InputError("--rate", f"rate {name} needs a number") from None
    return check(replace(base or Rates(), **changes))

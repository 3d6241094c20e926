"""The ten populations and the societies that register them.

A population's kind decides how its names are built and written: 'arab' and 'afghan' (phonemic
notation, Arabic or Persian script, optional family name), 'somali' and 'habesha' (name chains
of own, father's and grandfather's names), 'slav' (Cyrillic, surname and patronymic). Weights
and shares are plausible choices, not measurements: what matters is that each population meets
several societies and so several ways of writing its names.
"""

from collections import namedtuple

# population -> country of its birth places (places.PLACES)
POP_PLACES = {"Syrian": "SYR", "Iraqi": "IRQ", "Sudanese": "SDN", "Libyan": "LBY", "Somali": "SOM",
              "Afghan": "AFG", "Eritrean": "ERI", "Ethiopian": "ETH", "Ukrainian": "UKR", "Russian": "RUS"}

# where each society's found people are held (used in the location field)
SOC_CITY = {"DEU": "Berlin", "ITA": "Catania", "GRC": "Lesbos", "TUR": "Gaziantep", "LBY": "Tripoli",
            "LBN": "Bekaa", "JOR": "Zaatari", "SYR": "Damascus", "IRQ": "Erbil", "SOM": "Mogadishu",
            "KEN": "Dadaab", "ETH": "Shire", "ERI": "Asmara", "SDN": "Kassala", "AFG": "Kabul",
            "IRN": "Mashhad", "PAK": "Peshawar", "UKR": "Dnipro", "RUS": "Rostov", "POL": "Przemyśl",
            "SWE": "Malmö", "NOR": "Oslo", "FRA": "Calais", "AUT": "Traiskirchen", "ICRC": "Geneva",
            "EGY": "Aswan", "TCD": "Adré", "TUN": "Sfax", "MLT": "Hal Far", "YEM": "Aden",
            "DJI": "Obock", "GBR": "London", "NLD": "Ter Apel", "CHE": "Chiasso", "USA": "San Diego",
            "BEL": "Brussels", "DNK": "Sandholm"}

Population = namedtuple("Population", "kind weight nationality enquiry_societies found_societies "
                                      "male family_name other_nationalities")
Population.__doc__ = """How a population is named (kind), its share of people (weight), its usual nationality
and the few others some of its people hold, which societies register its enquiries and its found
records ('CODE:weight ...'), the share of men, and the share of families with a family name."""

# dict order is the order populations are drawn in: part of the data, like the weights
POPS = {k: Population(*v) for k, v in {
    "Syrian": ("arab", .20, "SYR", "DEU:25 SWE:10 TUR:15 LBN:10 JOR:8 SYR:15 NLD:5 AUT:5 FRA:4 DNK:3",
               "TUR:20 LBN:13 DEU:15 GRC:10 SYR:14 JOR:8 ICRC:10 ITA:4 NLD:3 AUT:3", .68, .95, "PSE TUR LBN"),
    "Afghan": ("afghan", .14, "AFG", "AFG:28 DEU:18 IRN:10 PAK:5 SWE:8 AUT:7 FRA:8 GBR:8 TUR:5 NLD:3",
               "AFG:18 IRN:12 TUR:14 GRC:14 DEU:10 ICRC:10 PAK:6 ITA:4 AUT:4 FRA:4 POL:4", .75, .35, "IRN PAK"),
    "Ukrainian": ("slav", .14, "UKR", "UKR:60 POL:14 DEU:12 GBR:4 SWE:4 FRA:3 ITA:3",
                  "RUS:35 ICRC:25 UKR:15 POL:13 DEU:12", .86, 1.0, "RUS POL"),
    "Iraqi": ("arab", .10, "IRQ", "IRQ:45 DEU:20 SWE:10 TUR:10 JOR:5 GBR:10",
              "TUR:20 DEU:18 GRC:14 IRQ:20 ICRC:15 POL:8 SWE:5", .70, .55, "SYR TUR IRN"),
    "Eritrean": ("habesha", .10, "ERI", "ERI:15 ETH:15 SDN:10 ITA:15 DEU:15 SWE:10 NOR:10 GBR:6 CHE:4",
                 "LBY:25 ITA:25 SDN:10 ETH:10 DEU:8 ICRC:10 GRC:4 MLT:4 EGY:4", .70, 0.0, "ETH SDN"),
    "Somali": ("somali", .08, "SOM", "SOM:35 KEN:18 SWE:10 NOR:6 GBR:10 ITA:5 DEU:5 ETH:6 USA:5",
               "KEN:18 LBY:14 ITA:14 ETH:14 SOM:16 YEM:6 DEU:5 ICRC:9 DJI:4", .70, 0.0, "KEN ETH DJI"),
    "Sudanese": ("arab", .08, "SDN", "SDN:40 EGY:10 TCD:10 FRA:10 GBR:10 ITA:5 LBY:5 DEU:10",
                 "LBY:20 TCD:15 EGY:15 ITA:14 FRA:10 ICRC:14 SDN:12", .72, .10, "SSD TCD EGY"),
    "Ethiopian": ("habesha", .06, "ETH", "ETH:50 KEN:10 SDN:10 DEU:10 ITA:5 SWE:5 GBR:5 USA:5",
                  "SDN:15 YEM:15 ETH:25 KEN:10 ICRC:10 LBY:10 DJI:10 ITA:5", .65, 0.0, "ERI KEN"),
    "Libyan": ("arab", .04, "LBY", "LBY:60 TUN:15 ITA:10 DEU:5 GBR:5 FRA:5",
               "LBY:40 TUN:20 ITA:20 ICRC:10 EGY:10", .72, .90, "TUN EGY"),
    "Russian": ("slav", .06, "RUS", "RUS:80 ICRC:10 DEU:5 POL:5", "UKR:55 ICRC:35 RUS:10", .92, 1.0, "UKR BLR KAZ"),
}.items()}

# societies that write Arabic or Persian script, and the Latin habit of the others ('en' if not here)
ARABIC_SOC = {"SYR", "IRQ", "LBN", "JOR", "LBY", "SDN", "EGY", "YEM", "TUN", "TCD"}
PERSIAN_SOC = {"AFG", "IRN"}
LATIN_SYS = {"DEU": "de", "AUT": "de", "CHE": "de", "FRA": "fr", "BEL": "fr", "TUN": "fr",
             "DJI": "fr", "TCD": "fr", "LBN": "fr", "ITA": "it", "SWE": "sv", "NOR": "sv",
             "DNK": "sv", "POL": "pl", "TUR": "tr", "NLD": "nl"}

"""A French phonetic key for names, for the widened patient search and doublon detection.

The RNIV asks the front desk to widen a fruitless search with "phonetic matches"
(RNIV volet 1, recherche d'une identité; identito-na.fr, identification primaire). No
algorithm is prescribed. This module implements one, in the spirit of the French
Soundex variants (Soundex FR, Phonex, SoundexFR, "phonétique française"): an ordered list
of rewrite rules that map the spellings of one French sound to one symbol, then drop
the letters French does not pronounce.

Design choices:

* The key keeps every vowel sound (unlike Soundex): French names differ mostly by their
  vowels (MARTIN / MARTINE / MARTON) and the key must stay selective over millions of
  names.
* Nasal vowels become digits: ``1`` for AN/EN, ``2`` for IN/AIN/EIN/UN, ``3`` for ON;
  ``4`` is the sound CH/SH/SCH. Every other symbol is a capital letter.
* The input is first reduced to the letters A-Z (accents stripped, case folded,
  hyphens, apostrophes and spaces removed), so that names that differ only by accents,
  case, hyphens or spaces always share their key.
* The function is pure, deterministic and cached (names repeat a lot in a population):
  a few microseconds per distinct name.

Examples: PHILIPPE and FILIPE give ``FILIP``; GAUTHIER and GAUTIER give ``GOTIE``;
LEFEBVRE and LEFEVRE give ``LEFEVR``; THOMAS and TOMAS give ``TOMA``; FAURE and FORT give
``FOR``; DUPONT and DUPOND give ``DUP3``.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Final

__all__ = ["letters_only", "phonetic_key"]

_VOWELS: Final = "AEIOUY"

# Letters with no canonical decomposition in Unicode, folded before the accents are
# stripped (the same spirit as the RNIV typing rule: Œ is written OE, Æ AE, ß SS).
_FOLD: Final = str.maketrans(
    {
        "Œ": "OE",
        "œ": "OE",
        "Æ": "AE",
        "æ": "AE",
        "ß": "SS",
        "ẞ": "SS",
        "Ø": "O",
        "ø": "O",
        "Ł": "L",
        "ł": "L",
        "Đ": "D",
        "đ": "D",
        "Ð": "D",
        "ð": "D",
        "Þ": "TH",
        "þ": "TH",
        "ı": "I",
    }
)

_NOT_LETTER: Final = re.compile(r"[^A-Z]+")

# A nasal vowel: the N or M is not followed by a vowel nor by a second N or M.
_NASAL_END: Final = r"(?![AEIOUYNM])"

# The rewrite rules, applied in this order. Each entry: (pattern, replacement).
_RULES: Final[tuple[tuple[re.Pattern[str], str], ...]] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        # -- endings that must be recognised before anything else changes them
        (r"AULT$", "O"),  # RENAULT, PERRAULT, THIBAULT
        (r"(?<=[A-Z])E[RZ]$", "E"),  # ROGER, MERCIER, CHEZ: the final R/Z is silent
        (r"(?<=[A-Z])ET$", "E"),  # MARTINET, BOUQUET
        # -- consonant digraphs and trigraphs
        (r"SCH", "4"),  # SCHMITT
        (r"CH(?=[RL])", "K"),  # CHRISTOPHE, CHLOE
        (r"[CS]H", "4"),  # CHARLES, SHIRLEY
        (r"PH", "F"),  # PHILIPPE
        (r"TH", "T"),  # THOMAS, GAUTHIER
        (r"GH", "G"),
        (r"GN", "N"),  # MEUGNIER / MEUNIER
        (r"C?QU?", "K"),  # JACQUES, QUENTIN
        (r"CK", "K"),  # FRANCK
        (r"S?C(?=[EIY])", "s"),  # CECILE, SCIENCE: a soft C is an S that never turns Z
        (r"C", "K"),
        (r"GE(?=[AOU])", "J"),  # GEORGES
        (r"G(?=[EIY])", "J"),  # GERARD, GILLES
        (r"GU(?=[AEIOUY])", "G"),  # GUILLAUME, GUY
        (r"BV", "V"),  # LEFEBVRE
        (r"W", "V"),
        (
            r"(?:(?<=[OU])|(?<=OI))X$",
            "",
        ),  # ROUX, DEVAUX, LACROIX: silent final X
        (r"X", "KS"),
        # -- vowel groups
        (r"EAU", "O"),
        (r"AU", "O"),
        (r"OEU", "E"),
        (r"EU", "E"),
        (r"Y", "I"),
        # -- nasal vowels (a vowel + N/M not followed by a vowel or a second N/M)
        (r"IEN" + _NASAL_END, "I2"),  # JULIEN, FABIEN
        (r"[AE]I[NM]" + _NASAL_END, "2"),  # GERMAIN, REIMS
        (r"[IU][NM]" + _NASAL_END, "2"),  # MARTIN, HUMBERT, BRUN
        (r"[AE][NM]" + _NASAL_END, "1"),  # LAURENT, JEAN, LAMBERT
        (r"O[NM]" + _NASAL_END, "3"),  # DUPONT, SIMON
        # -- remaining vowel groups
        (r"[AE]I", "E"),  # LEMAIRE, SEIGNEUR
        (r"OU", "U"),  # ROUSSEAU
        # -- S between vowels sounds Z (ROSE / ROZE); a double SS stays S
        (r"(?<=[AEIOU])S(?=[AEIOU])", "Z"),
        (r"s", "S"),
        # -- silent letters
        (r"H", ""),  # HUBERT, the H of a vowel group
        (r"(?<=[A-Z0-9])E?S$", ""),  # CHARLES, THOMAS, GEORGES
        (r"(?<=[A-Z0-9])[DGPTZ]+$", ""),  # BERNARD, ROBERT, DUPOND, LONG, CHAMP
        (r"(?<=[A-Z0-9])E$", ""),  # FAURE, PHILIPPE: the final mute E
        (r"(.)\1+", r"\1"),  # double letters (after the rules that depend on them)
    )
)


def letters_only(name: str) -> str:
    """``name`` as capital letters A-Z only: accents stripped, separators removed.

    ``"Le Gall-d'Ornay"`` gives ``"LEGALLDORNAY"``. This is also the normalised search key
    without separators (the ``k_*`` columns of the patient table).
    """
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NOT_LETTER.sub("", bare.upper().translate(_FOLD))


@lru_cache(maxsize=131_072)
def phonetic_key(name: str) -> str:
    """The French phonetic key of ``name`` (a birth name, a used name or one first name).

    The key is made of capital letters and the digits 1-4 (nasal vowels and the CH
    sound). A name with no letter gives the empty key; a name whose letters are all
    silent keeps its first letter, so that a non-empty name never has an empty key.
    """
    letters = letters_only(name)
    if not letters:
        return ""
    key = letters
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return key or letters[0]

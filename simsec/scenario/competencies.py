"""The competence codes a scenario may cite (COMPETENCIES.md).

The catalogue is packaged data (``simsec/data/competencies.yaml``) read by
:func:`simsec.rules.competencies.load_catalogue`; codes are stable identifiers.
"""

from __future__ import annotations

from functools import cache

from simsec.rules.competencies import load_catalogue

__all__ = ["known_competencies"]


@cache
def known_competencies() -> frozenset[str]:
    """Every code of the packaged catalogue (CCPs and competences)."""
    return frozenset(entry.code for entry in load_catalogue())

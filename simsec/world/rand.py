"""A seeded random generator with cheap integer draws.

``random.Random.randint`` and ``randrange`` cost about 1 µs each (argument checks and
rejection sampling); the generator draws millions of small integers. ``FastRandom``
keeps the Mersenne Twister of ``random.Random`` (same seeding, same ``random()`` stream)
and derives integers as ``int(random() * n)``: the bias is below 2⁻⁵⁰ for the small
ranges used here, irrelevant for fake data, and the result stays deterministic for a
seed on every platform.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

__all__ = ["FastRandom"]

T = TypeVar("T")


class FastRandom(random.Random):
    """``random.Random`` with ``randint``, ``randrange`` and ``choice`` from ``random()``."""

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        if step != 1:
            return super().randrange(start, stop, step)
        if stop is None:
            start, stop = 0, start
        width = stop - start
        if width <= 0:
            raise ValueError(f"empty range for randrange({start}, {stop})")
        return start + int(self.random() * width)

    def randint(self, a: int, b: int) -> int:
        return self.randrange(a, b + 1)

    def choice(self, seq: Sequence[T]) -> T:  # type: ignore[override]
        if not seq:
            raise IndexError("cannot choose from an empty sequence")
        return seq[int(self.random() * len(seq))]

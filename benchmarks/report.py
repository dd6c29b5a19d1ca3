"""The benchmark report: each figure printed next to its target.

``report(name, value, target, unit, ratio_ref=None, higher_is_better=False)`` prints one
line. When a reference was measured in the same run (``ratio_ref``), the ratio
value/reference is printed too, so that the figure does not depend on the machine's speed.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field


@dataclass
class Line:
    name: str
    value: float
    target: float | None
    unit: str
    ratio_ref: float | None
    higher_is_better: bool

    @property
    def ok(self) -> bool | None:
        if self.target is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass
class Report:
    lines: list[Line] = field(default_factory=list)

    def __call__(
        self,
        name: str,
        value: float,
        target: float | None,
        unit: str = "",
        ratio_ref: float | None = None,
        higher_is_better: bool = False,
    ) -> None:
        line = Line(name, value, target, unit, ratio_ref, higher_is_better)
        self.lines.append(line)
        cmp = ">=" if higher_is_better else "<="
        target_s = f"target {cmp} {target:g} {unit}" if target is not None else "no target"
        ratio_s = ""
        if ratio_ref:
            ratio_s = f"  (x{value / ratio_ref:.2f} of reference {ratio_ref:.4g} {unit})"
        verdict = {True: "OK", False: "MISSED", None: "--"}[line.ok]
        print(f"  {name:<58} {value:>12.4g} {unit:<6} {target_s:<22} {verdict}{ratio_s}")
        sys.stdout.flush()

    def summary(self) -> int:
        missed = [line.name for line in self.lines if line.ok is False]
        listed = f": {missed}" if missed else ""
        print(f"\n{len(self.lines)} figures, {len(missed)} missed{listed}")
        return 0

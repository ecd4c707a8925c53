"""Administrative divisions of China (province → city → county → township), shipped as data.

Codes follow the 2023 statistical division codes: 6 digits for province (``340000``),
city (``340200``) and county (``340202``), 9 digits for township (``340202001``).
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache

from smokewatch.model._yaml import package_dir


class Level(StrEnum):
    """Level of a division, top to bottom."""

    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"


@dataclass(frozen=True, slots=True)
class Division:
    """One administrative division."""

    code: str
    name: str
    level: Level
    parent: str | None
    lon: float | None
    lat: float | None
    status: str

    @property
    def is_current(self) -> bool:
        """True for divisions in the current code table (not placeholders or abolished)."""
        return self.status == "current"


@dataclass(frozen=True, slots=True)
class Divisions:
    """The division table with lookups by code and by parent."""

    by_code: Mapping[str, Division]
    children_of: Mapping[str, tuple[str, ...]]

    def __getitem__(self, code: str) -> Division:
        return self.by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __iter__(self) -> Iterator[Division]:
        return iter(self.by_code.values())

    def children(self, code: str) -> list[Division]:
        """Direct children of a division, in code order."""
        return [self.by_code[c] for c in self.children_of.get(code, ())]

    def ancestors(self, code: str) -> list[Division]:
        """The division and its ancestors, from the province down.

        Examples:
            >>> [d.name for d in load_divisions().ancestors("340202")]
            ['安徽省', '芜湖市', '镜湖区']
        """
        chain: list[Division] = []
        current: str | None = code
        while current is not None and current in self.by_code:
            division = self.by_code[current]
            chain.append(division)
            current = division.parent
        return list(reversed(chain))

    def descendants(self, code: str) -> list[Division]:
        """Every division below ``code`` (depth first)."""
        out: list[Division] = []
        stack = list(reversed(self.children_of.get(code, ())))
        while stack:
            division = self.by_code[stack.pop()]
            out.append(division)
            stack.extend(reversed(self.children_of.get(division.code, ())))
        return out

    def full_name(self, code: str) -> str:
        """Names from province down, without repeating a municipality (北京市北京市…)."""
        names: list[str] = []
        for division in self.ancestors(code):
            if not names or names[-1] != division.name:
                names.append(division.name)
        return "".join(names)


_LEVELS: Mapping[str, Level] = {level.value: level for level in Level}


def _table_bytes() -> bytes:
    return (package_dir("smokewatch.model", "data") / "divisions.csv.gz").read_bytes()


@cache
def divisions_sha256() -> str:
    """SHA-256 of the shipped division table (tables derived from it record it)."""
    return hashlib.sha256(_table_bytes()).hexdigest()


@cache
def load_divisions() -> Divisions:
    """Load the shipped division table (about 45,000 rows; cached after the first call)."""
    raw = _table_bytes()
    rows = csv.reader(io.StringIO(gzip.decompress(raw).decode("utf-8")))
    header = next(rows)
    if header != ["code", "name", "level", "parent", "lon", "lat", "status"]:
        raise ValueError(f"unexpected columns in divisions.csv.gz: {header}")
    by_code: dict[str, Division] = {}
    children: dict[str, list[str]] = {}
    for code, name, level, parent, lon, lat, status in rows:
        by_code[code] = Division(
            code,
            name,
            _LEVELS[level],
            parent or None,
            float(lon) if lon else None,
            float(lat) if lat else None,
            status,
        )
        if parent:
            children.setdefault(parent, []).append(code)
    return Divisions(by_code, {k: tuple(sorted(v)) for k, v in children.items()})


__all__ = ["Division", "Divisions", "Level", "divisions_sha256", "load_divisions"]

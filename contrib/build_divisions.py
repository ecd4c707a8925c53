"""Build ``src/smokewatch/model/data/divisions.csv.gz`` from public division-code tables.

Inputs (both permissively licensed, see the SOURCE note written beside the output):
  * 国家统计局 2023 统计用区划代码 as published by
    github.com/modood/Administrative-divisions-of-China
    (WTFPL): provinces, cities, counties and townships;
  * the adcode table of the PyPI package ``cpca`` 0.5.5 (MIT): coordinates, and 2020 county
    codes that have since been abolished (kept with status ``obsolete`` so old addresses still
    resolve to the right city).

Usage: python contrib/build_divisions.py ../shared/data/cn-admin-divisions
(then python contrib/build_text_tables.py: the address resolver's keyword table derives from it)
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src/smokewatch/model/data/divisions.csv.gz"
PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def main(root: Path) -> None:
    modood, cpca = root / "modood", root / "cpca"
    coords: dict[str, tuple[str, str]] = {}
    cpca_names: dict[str, str] = {}
    with (cpca / "adcodes.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code = row["adcode"][:6]
            cpca_names[code] = row["name"]
            if row["longitude"]:
                coords[code] = (row["longitude"], row["latitude"])

    rows: list[tuple[str, str, str, str, str, str, str]] = []
    province_names: dict[str, str] = {}

    def add(code: str, name: str, level: str, parent: str, status: str = "current") -> None:
        lon, lat = coords.get(code, ("", ""))
        rows.append((code, name, level, parent, lon, lat, status))

    for row in _read(modood / "provinces.csv"):
        code = row["code"] + "0000"
        province_names[row["code"]] = row["name"]
        add(code, row["name"], "province", "")
    for row in _read(modood / "cities.csv"):
        code = row["code"] + "00"
        name = row["name"]
        status = "current"
        if name == "市辖区":  # municipalities: the city level carries the municipality's name
            name = province_names[row["provinceCode"]]
        elif name in PLACEHOLDERS:
            status = "placeholder"
        add(code, name, "city", row["provinceCode"] + "0000", status)
    current_counties: set[str] = set()
    for row in _read(modood / "areas.csv"):
        current_counties.add(row["code"])
        if row["code"] == row["cityCode"] + "00":
            # Prefectures without counties (东莞, 中山, 儋州) list themselves as their only
            # county; their townships hang directly under the city.
            continue
        add(row["code"], row["name"], "county", row["cityCode"] + "00")
    for row in _read(modood / "streets.csv"):
        add(row["code"], row["name"], "township", row["areaCode"])
    known_cities = {r[0] for r in rows if r[2] == "city"}
    current_names = {(r[3], r[1]) for r in rows if r[2] == "county"}
    for code, name in sorted(cpca_names.items()):
        city = code[:4] + "00"
        is_county = not code.endswith("00") and code not in current_counties
        renumbered = (city, name) in current_names  # same county, new code: not obsolete
        if is_county and not renumbered and name not in PLACEHOLDERS and city in known_cities:
            add(code, name, "county", city, "obsolete")

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["code", "name", "level", "parent", "lon", "lat", "status"])
    writer.writerows(rows)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with gzip.GzipFile(OUT, "wb", mtime=0) as gz:  # mtime=0: byte-identical rebuilds
        gz.write(buf.getvalue().encode("utf-8"))
    print(f"wrote {len(rows)} divisions to {OUT}")


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


if __name__ == "__main__":
    main(Path(sys.argv[1]))

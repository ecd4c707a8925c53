"""Synthetic ``base_info.csv`` / ``change_info.csv`` shaped like the CCF BDCI 2020 originals.

Built on top of :func:`tests.score.ml.builders.ccf_folder`: the registry values of ``fea.csv``
are written again with the 33 columns of ``base_info`` (exact dates, scope text, address), and
``EXTRA_IDS`` enterprises that are in no derived table are added, as the evaluation ids are in
the real file. Nothing here comes from the real data.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from smokewatch.score.ml.enterprise.data import DERIVED
from smokewatch.score.ml.enterprise.full_inputs import BASE_INFO_COLUMNS, CHANGE_INFO_COLUMNS

EXTRA_IDS = ["eval00001", "eval00002", "eval00003"]
RISKY_SCOPE = (
    "投资管理；资产管理；投资咨询；企业管理咨询（未经金融等监管部门批准，不得从事吸收存款、"
    "融资担保、代客理财、向社会公众集（融）资等金融业务）"
)
PLAIN_SCOPES = (
    "餐饮服务；食品销售（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
    "软件开发；信息技术咨询服务（不含金融信息服务）",
    "建筑材料、五金交电销售",
)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, header: list[str], rows: list[list[object]], encoding: str) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def base_info_rows(folder: Path, *, seed: int = 3) -> list[list[object]]:
    """One row per enterprise of ``fea.csv`` plus :data:`EXTRA_IDS`, in base_info's order."""
    rng = np.random.default_rng(seed)
    fea = _read(folder / DERIVED / "fea.csv")
    extra = {r["id"]: r for r in _read(folder / DERIVED / "fea_1106.csv")}
    labels = {r["id"]: r["label"] for r in _read(folder / "train/entprise_info.csv")}
    rows: list[list[object]] = []
    template = fea[0]
    for record in [*fea, *({**template, "id": key} for key in EXTRA_IDS)]:
        key = record["id"]
        finance = record["industryphy"] in {"J", "L"}
        risky = labels.get(key) == "1" or (key not in labels and finance)
        scope = RISKY_SCOPE if risky or (finance and rng.random() < 0.3) else None
        scope = scope or PLAIN_SCOPES[int(rng.integers(0, len(PLAIN_SCOPES)))]
        year, month = int(record["year"]), int(record["month"])
        more = extra.get(key, {})
        values = {
            **{name: record.get(name) for name in BASE_INFO_COLUMNS},
            "dom": f"dom{int(rng.integers(0, 4))}" if risky else f"dom-{key}",
            "opscope": scope,
            "opfrom": f"{year}-{month:02d}-{int(rng.integers(1, 28)):02d} 00:00:00",
            "opto": (record.get("opto") or "")[:10] or None,
            "parnum": more.get("parnum"),
            "exenum": more.get("exenum"),
            "congro": more.get("congro"),
            "ptbusscope": None,
            "midpreindcode": None,
            "protype": None,
            "forreccap": None,
            "forregcap": None,
        }
        rows.append([values[name] or None for name in BASE_INFO_COLUMNS])
    return rows


def write_base_info(
    folder: Path, *, encoding: str = "utf-8", bad_row: bool = True, seed: int = 3
) -> Path:
    """Write ``train/base_info.csv`` (CRLF) in ``encoding``; ``bad_row`` adds one reject.

    The reject is a copy of the first enterprise under a new id with ``regcap`` ``十万``.
    """
    rows = base_info_rows(folder, seed=seed)
    if bad_row:
        broken = list(rows[0])
        broken[0] = "broken00001"
        broken[list(BASE_INFO_COLUMNS).index("regcap")] = "十万"
        rows.insert(5, broken)
    return _write(folder / "train/base_info.csv", list(BASE_INFO_COLUMNS), rows, encoding)


def change_rows(folder: Path, *, seed: int = 5) -> list[list[object]]:
    """Changes for a subset of enterprises: risky ones change address and scope recently."""
    rng = np.random.default_rng(seed)
    labels = {r["id"]: r["label"] for r in _read(folder / "train/entprise_info.csv")}
    rows: list[list[object]] = []
    for key, label in labels.items():
        if rng.random() < 0.4:
            continue
        codes = [113, 190, 121] if label == "1" else [111, 939]
        for code in codes[: int(rng.integers(1, len(codes) + 1))]:
            year = int(rng.integers(2018, 2021)) if label == "1" else int(rng.integers(2012, 2017))
            stamp = f"{year}{int(rng.integers(1, 10)):02d}{int(rng.integers(10, 28))}101010.0"
            rows.append([key, f"{code}.0", "a" * 16, "b" * 16, stamp])
    return rows


def write_change_info(folder: Path, *, encoding: str = "utf-8", seed: int = 5) -> Path:
    """Write ``train/change_info.csv`` (CRLF) in ``encoding``."""
    rows = change_rows(folder, seed=seed)
    return _write(folder / "train/change_info.csv", list(CHANGE_INFO_COLUMNS), rows, encoding)

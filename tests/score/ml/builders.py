"""Small synthetic data folders shaped like the real ones (same files, same columns)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from smokewatch.score.ml.enterprise.data import DERIVED


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path


def ccf_folder(root: Path, *, labelled: int = 240, unlabelled: int = 30, seed: int = 7) -> Path:
    """A ccf2020-like folder: risky enterprises are finance/leasing firms with big capital."""
    rng = np.random.default_rng(seed)
    folder = root / "ccf2020"
    total = labelled + unlabelled
    ids = [f"ent{i:05d}" for i in range(total)]
    sections = rng.choice(list("JLMO"), size=total, p=[0.2, 0.2, 0.3, 0.3])
    capital = np.round(rng.lognormal(6, 1.5, size=total), 2)
    risky = (np.isin(sections, ["J", "L"]) & (capital > 300)) ^ (rng.random(total) < 0.05)
    industry = {"J": 6760, "L": 7212, "M": 7590, "O": 8290}
    fea_header = [
        "id", "oplocdistrict", "industryphy", "industryco", "enttype", "enttypeitem", "opto",
        "state", "orgid", "jobid", "adbusign", "townsign", "regtype", "empnum", "compform",
        "opform", "venind", "enttypeminu", "oploc", "regcap", "reccap", "enttypegb", "year",
        "month",
    ]  # fmt: skip
    fea_rows = []
    for i, key in enumerate(ids):
        partnership = bool(risky[i]) and rng.random() < 0.6
        fea_rows.append(
            [
                key, int(rng.choice([340202, 340207])), sections[i],
                f"{industry[sections[i]]}.0", 4500 if partnership else 1100,
                "4530.0" if partnership else None,
                "2030-01-01 00:00:00" if partnership else None, 6, 340200000000000000,
                340200000000100093, 0, int(rng.random() < 0.5), 1,
                f"{int(rng.integers(0, 20))}.0", None, None, None, None,
                "2367b4cac96d8598" if rng.random() < 0.8 else f"addr{i % 7}",
                f"{capital[i]}", None, 4533 if partnership else 1130,
                int(rng.integers(2010, 2020)), int(rng.integers(1, 13)),
            ]
        )  # fmt: skip
    write_csv(folder / DERIVED / "fea.csv", fea_header, fea_rows)
    write_csv(
        folder / DERIVED / "fea_1106.csv",
        ["id", "parnum", "exenum", "congro", "bgsum"],
        [[key, int(rng.integers(2, 40)) if risky[i] else -1, -1, -1.0, float(rng.integers(0, 9))]
         for i, key in enumerate(ids)],
    )  # fmt: skip
    write_csv(
        folder / "train/entprise_info.csv",
        ["id", "label"],
        [[ids[i], int(risky[i])] for i in range(labelled)],
    )
    write_csv(
        folder / "train/annual_report_info.csv",
        ["id", "ANCHEYEAR", "STATE", "EMPNUM", "BUSSTNAME", "COLGRANUM", "UNEEMPLNUM",
         "WEBSITSIGN", "FORINVESTSIGN", "STOCKTRANSIGN", "PUBSTATE"],
        [[key, f"{year}.0", "2.0", "3.0", "开业", "0.0", "0.0", "2.0",
          "1.0" if risky[i] else "2.0", None, "3.0"]
         for i, key in enumerate(ids) if i % 3 == 0 for year in (2017, 2018)],
    )  # fmt: skip
    write_csv(
        folder / "train/tax_info.csv",
        ["id", "START_DATE", "END_DATE", "TAX_CATEGORIES", "TAX_ITEMS", "TAXATION_BASIS",
         "TAX_RATE", "DEDUCTION", "TAX_AMOUNT"],
        [[key, "2018/01/01", "2018/01/31", "印花税", "工伤保险（单位）", "1000.0", "0.0003",
          "0", "0.3"] for key in ids[::5]],
    )  # fmt: skip
    write_csv(
        folder / "train/news_info.csv",
        ["id", "positive_negtive", "public_date"],
        [[key, "消极" if risky[i] else "积极", "2019-05-01" if i % 2 else "3小时前"]
         for i, key in enumerate(ids) if i % 4 == 0],
    )  # fmt: skip
    write_csv(
        folder / "train/other_info.csv",
        ["id", "legal_judgment_num", "brand_num", "patent_num"],
        [[key, "2.0", None, "1.0"] for key in ids[::9]],
    )
    return folder


PROFILE_HEADER = [
    "id", "platName", "companyName", "onlineDate", "locationAreaName", "locationCityName",
    "registeredCapital", "platBackground", "recordId", "platEarnings",
]  # fmt: skip


def wdzj_folder(root: Path, *, operating: int = 60, problem: int = 160, seed: int = 11) -> Path:
    """A p2p-platforms-wdzj-like folder: small, young platforms fail more often."""
    rng = np.random.default_rng(seed)
    folder = root / "p2p-platforms-wdzj"
    provinces = [("广东", "深圳", "粤"), ("北京", "北京", "京"), ("山东", "济南", "鲁")]
    names = ["贷", "财富", "金服", "宝", "网"]
    ops, problems, events = [], [], []
    for i in range(operating + problem):
        province, city, icp = provinces[i % 3]
        failing = i >= operating
        online = date(2012, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 4)))
        capital = (
            float(rng.choice([500, 1000, 2000]))
            if failing
            else float(rng.choice([2000, 5000, 10000]))
        )
        name = f"平台{i}{names[i % 5]}"
        row = [
            i, name, f"某某{names[i % 5]}信息科技有限公司", online.isoformat(), province, city,
            capital, 2 if failing or i % 4 else 4, f"{icp}ICP备1500{i:04d}号", "9.5%",
        ]  # fmt: skip
        if not failing:
            ops.append(row)
            continue
        problem_day = online + timedelta(days=int(rng.integers(200, 900)))
        problem_day = min(problem_day, date(2017, 6, 29))
        status = 8 if i % 25 == 0 else int(rng.choice([2, 3, 5]))
        problems.append([*row, problem_day.isoformat(), status])
        kind = {2: "停业", 3: "提现困难", 5: "跑路", 8: "转型"}[status]
        events.append(
            [i, province, f"{online} 00:00:00", name, f"{problem_day} 00:00:00", capital, kind]
        )
    write_csv(folder / "platDataDetail.csv", PROFILE_HEADER, ops)
    write_csv(
        folder / "problemPlatDetail.csv", [*PROFILE_HEADER, "problemTime", "platStatus"], problems
    )
    write_csv(
        folder / "problemPlat.csv",
        ["id", "area", "onlineTime", "platName", "problemTime", "regCapital", "type"],
        events,
    )
    return folder

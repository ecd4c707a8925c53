"""A small 网贷之家-shaped folder with every file and column the backtest reads."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np

from tests.score.ml.builders import write_csv

PROFILE_HEADER = [
    "id", "platId", "platName", "companyName", "platUrl", "onlineDate", "locationAreaName",
    "locationCityName", "officeAddress", "registeredCapital", "actualCapital", "platBackground",
    "platBackgroundDetailExpand", "bankFunds", "bankCapital", "fundCapital", "trustCapital",
    "association", "associationDetail", "recordId", "recordLicId", "riskFunds", "riskReserve",
    "securityModel", "bidSecurity", "gruarantee", "platEarnings", "problemTime", "platStatus",
    "problem",
]  # fmt: skip
METRIC_HEADER = [
    "id", "platId", "platName", "wdzjPlatId", "month", "amount", "incomeRate", "loanPeriod",
    "bidderNum", "borrowerNum", "totalLoanNum", "netInflowOfThirty", "stayStillOfTotal",
    "stayStillOfNextSixty", "top10StayStillProportion", "top10DueInProportion", "avgBidMoney",
    "avgBorrowMoney", "timeOperation",
]  # fmt: skip
EVENT_HEADER = [
    "id",
    "platId",
    "area",
    "onlineTime",
    "platName",
    "problemTime",
    "regCapital",
    "type",
]
MONTHS = ("2017-01", "2017-02", "2017-03", "2017-04", "2017-05", "2017-06")
PROVINCES = (("广东", "深圳", "粤"), ("北京", "北京", "京"), ("山东", "济南", "鲁"))
KINDS = {2: "停业", 3: "提现困难", 5: "跑路", 8: "转型"}


def _profile(i: int, rng: np.random.Generator, *, failing: bool, online: date) -> list[object]:
    province, city, icp = PROVINCES[i % 3]
    risky = failing or i % 3 == 0
    backer = "民营系" if risky else ["国资控股", "上市公司参股", "银行系", "民营系"][i % 4]
    capital = float(rng.choice([500, 1000, 2000] if failing else [2000, 5000, 10000]))
    return [
        i, str(1000 + i), f"平台{i}{'贷' if risky else '金服'}", f"某某{i}信息科技有限公司",
        f"http://p{i}.example.cn", online.isoformat(), province, city, f"{city}市某路{i}号",
        capital, "None" if i % 5 else capital / 4, 2 if risky else 4, backer,
        0 if risky else 1, "None" if risky else "江西银行", "None", "汇付天下" if risky else "None",
        0 if risky else 1, "None", f"{icp}ICP备1500{i:04d}号",
        "None" if risky else f"{icp}B2-2016{i:04d}",
        1 if i % 2 else 0, 500.0 if i % 2 else 0.0, "平台垫付" if risky else "融资性担保公司",
        "本息保障" if risky else "-", "None", f"{14.5 if risky else 7.5}%", "", 1, 0,
    ]  # fmt: skip


def backtest_folder(root: Path, *, operating: int = 40, problem: int = 150, seed: int = 5) -> Path:
    """Operating platforms (a third of them risky) and problem platforms failing 2013 … 2017-06.

    Every operating platform has figures for 2017-01 … 2017-06; the risky ones lose lenders
    and money in the last months.
    """
    rng = np.random.default_rng(seed)
    folder = root / "p2p-platforms-wdzj"
    ops, problems, events, metrics = [], [], [], []
    for i in range(operating + problem):
        failing = i >= operating
        online = date(2012, 1, 1) + timedelta(days=int(rng.integers(0, 365 * 4)))
        row = _profile(i, rng, failing=failing, online=online)
        if not failing:
            ops.append(row)
            for k, month in enumerate(MONTHS):
                falling = i % 3 == 0 and k >= 4
                metrics.append(
                    [
                        len(metrics), f"code{i}", row[2], row[1], month,
                        round(1000.0 * (0.3 if falling else 1.0), 2), 14.0 if i % 3 == 0 else 8.0,
                        0.8 if falling else 6.0, 100 if falling else 400, 50, 80,
                        -300.0 if falling else 50.0, 5000.0, 800.0,
                        60.0 if i % 3 == 0 else 10.0, 20.0, 2.5, 20.0, 40 + k,
                    ]
                )  # fmt: skip
            continue
        day = min(online + timedelta(days=int(rng.integers(200, 900))), date(2017, 6, 29))
        status = 8 if i % 25 == 0 else int(rng.choice([2, 3, 5]))
        problems.append([*row[:-3], day.isoformat(), status, 1])
        events.append(
            [len(events), row[1], row[6], f"{online} 00:00:00", row[2], f"{day} 00:00:00",
             f"{row[9]}万元", KINDS[status]]
        )  # fmt: skip
    write_csv(folder / "platDataDetail.csv", PROFILE_HEADER, ops)
    write_csv(folder / "problemPlatDetail.csv", PROFILE_HEADER, problems)
    write_csv(folder / "problemPlat.csv", EVENT_HEADER, events)
    write_csv(folder / "platData.csv", METRIC_HEADER, metrics)
    return folder

"""Small synthetic training sets for the text models (real data only in one test)."""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

import pytest

_PLATFORMS = [
    "钱妈妈",
    "金银猫",
    "草根投资",
    "善林金融",
    "多点金服",
    "东朗理财",
    "企商贷",
    "唐小僧",
]
_COMPANIES = ["华润三九", "东北证券", "宝光股份", "新力金融", "鲁信创投", "美盈森", "文峰股份"]


def finese_rows(n: int = 240, seed: int = 7) -> list[list[str]]:
    """FinESE-shaped rows: illegal-fundraising news, headline events and 其他."""
    rng = random.Random(seed)
    rows: list[list[str]] = []
    for i in range(n):
        kind = i % 4
        if kind == 0:
            p = rng.choice(_PLATFORMS)
            n = rng.randint(2, 99)
            text = f"据警方通报，“{p}”平台涉嫌非法吸收公众存款，已被立案侦查，投资人{n}人"
            rows.append([str(100000 + i), text, "涉嫌非法集资", p])
        elif kind == 1:
            p = rng.choice(_PLATFORMS)
            n = rng.randint(1, 9)
            text = f"{p}平台近日出现提现困难，大量出借人无法提现，平台称将延期兑付{n}个月"
            rows.append([str(100000 + i), text, "提现困难", p])
        elif kind == 2:
            c = rng.choice(_COMPANIES)
            code = rng.randint(100000, 699999)
            text = f"{c}({code})控股股东减持{rng.randint(1, 9)}%股份 持股比降至5%以下市场震荡"
            rows.append([str(200000 + i), text, "实控人股东变更", c])
        else:
            q, n = rng.randint(1, 4), rng.randint(1, 5)
            text = f"今年第{q}季度全市居民消费价格同比上涨{n}%，天气晴好"
            rows.append([str(200000 + i), text, "其他", "NaN"])
    return rows


def sms_rows(n: int = 200, seed: int = 11) -> list[tuple[str, str]]:
    """Telecom-fraud-shaped rows: normal operator SMS and two fraud types."""
    rng = random.Random(seed)
    rows: list[tuple[str, str]] = []
    for i in range(n):
        k = i % 3
        amount = rng.randint(1, 50) * 1000
        if k == 0:
            rows.append(
                (
                    (
                        "【中国联通】尊敬的用户，您本月话费余额DIGIT元，"
                        f"充值享{rng.randint(5, 9)}折，回复TD退订。"
                    ),
                    "正常短信",
                )
            )
        elif k == 1:
            rows.append(
                (
                    f"您好，我是某贷款公司信贷专员，可为您办理无抵押贷款{amount}元，下载APP即可提现到账",
                    "贷款、代办信用卡类",
                )
            )
        else:
            rows.append(
                (
                    f"您好，我是市公安局民警，您涉嫌洗钱案件，请将{amount}元转入安全账户配合调查",
                    "冒充公检法及政府机关类",
                )
            )
    return rows


@pytest.fixture
def finese_file(tmp_path: Path) -> Path:
    """A small FinESE-shaped train list."""
    path = tmp_path / "finese_train_list.json"
    path.write_text(json.dumps(finese_rows(), ensure_ascii=False), encoding="utf-8")
    return path


def write_sms_csv(
    path: Path, rows: list[tuple[str, str]] | None = None, encoding: str = "utf-8"
) -> Path:
    """``rows`` (default :func:`sms_rows`) as a telecom-fraud CSV at ``path``."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["content", "label_id", "label_name", "original_label"])
        writer.writerows([text, 0, label, label] for text, label in rows or sms_rows())
    return path


@pytest.fixture
def sms_file(tmp_path: Path) -> Path:
    """A small telecom-fraud-shaped CSV."""
    return write_sms_csv(tmp_path / "sms.csv")

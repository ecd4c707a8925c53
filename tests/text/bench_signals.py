"""Benchmark of find_signals and find_mentions against jieba.lcut (not collected by pytest).

Run: ``.venv/bin/python tests/text/bench_signals.py [texts]`` (default 100,000). The texts are
synthetic but realistic, about 150 characters each: ads, WeChat posts, loan-scam SMS,
operator and bank notices, public-education notices, news items and chat, built from
fragments with random names, places, numbers and contacts; roughly one in four carries a lure
word and one in ten a warning. Prints texts per second (CPU time) for each pass.

With ``--corpus`` the telecom-fraud and FinNSP texts of ``../shared/data`` are timed as well
(research data: read at run time, never copied).
"""

from __future__ import annotations

import csv
import json
import logging
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import jieba

from smokewatch.text.mentions import find_mentions
from smokewatch.text.signals import find_signals

TRADE = "鑫源华泰中盛恒达金汇博远天成瑞丰宏图嘉信永安德润聚宝融通汇金"
PLACES = ["芜湖市", "安徽省芜湖市镜湖区", "合肥", "北京市朝阳区", "上海", "深圳市南山区", "杭州"]
LURES = [
    "保本保息", "稳赚不赔", "日日分红", "高额回报", "年化收益15%", "零风险", "拉人头有奖励",
    "发展下线层级返利", "资金由工商银行存管", "国家批准项目", "黑户可贷", "无视征信", "包下款",
    "先交解冻费", "售后包租", "养老床位认购", "虚拟货币挖矿", "外汇保证金",
]  # fmt: skip
WARNINGS = [
    "谨防“高回报”陷阱", "警惕以养老为名的非法集资", "凡是承诺保本保息的都是诈骗",
    "本平台不承诺保本保息", "高收益往往伴随高风险", "切勿轻信稳赚不赔的宣传",
]  # fmt: skip
FILLER = [
    "欢迎新老客户光临", "活动时间有限", "详情请咨询客服", "感谢您的支持与信任",
    "本周末全场八折", "请按时还款以免影响征信", "您的快递已到驿站", "会议改到下午三点",
    "今天天气不错", "明天一起去吃饭吧", "请及时查收", "已为您办理成功", "如需退订请回复TD",
    "近日市场监管部门开展专项检查", "投资有风险，入市需谨慎", "公司召开年度工作会议",
]  # fmt: skip


def _name(rng: random.Random) -> str:
    trade = "".join(rng.choices(TRADE, k=2))
    form = rng.choice(["理财咨询有限公司", "投资管理有限公司", "科技有限公司", "集团", "金服"])
    return rng.choice(PLACES) + trade + form


def _contact(rng: random.Random) -> str:
    mobile = "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))
    return rng.choice(
        [
            f"咨询{mobile}",
            f"加微信xy{rng.randrange(10**5)}",
            f"QQ：{rng.randrange(10**7, 10**9)}",
            f"官网www.{rng.choice(['xyjr', 'hfcf', 'jdlc'])}.com",
            "客服电话400-800-1234",
        ]
    )


def _text(rng: random.Random) -> str:
    parts: list[str] = []
    roll = rng.random()
    if roll < 0.25:
        parts += [f"【{_name(rng)}】", *rng.sample(LURES, k=3), f"起投{rng.randrange(1, 50)}万元"]
        parts.append(_contact(rng))
    elif roll < 0.35:
        parts += ["防范非法集资宣传：", *rng.sample(WARNINGS, k=3), "如遇可疑情况请拨打96110"]
    elif roll < 0.5:
        parts += [f"据警方通报，{_name(rng)}涉嫌非法吸收公众存款{rng.randrange(1, 9)}亿元"]
        parts += [rng.choice(PLACES) + "警方已立案侦查", rng.choice(LURES)]
    while sum(map(len, parts)) < 130:
        parts.append(rng.choice(FILLER if rng.random() < 0.85 else PLACES))
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice("，，，。！；") + part
    return text + "。"


def _timed(label: str, texts: list[str], fn: Callable[[str], object]) -> float:
    start = time.process_time()
    for text in texts:
        fn(text)
    seconds = time.process_time() - start
    print(f"{label:<34} {seconds:7.2f} s cpu {len(texts) / seconds:10,.0f} texts/s")
    return seconds


def _corpus() -> list[str]:
    data = Path(__file__).resolve().parents[3] / "shared" / "data"
    with (data / "telecom-fraud-texts" / "telecom_fraud_texts_utf8.csv").open(
        encoding="utf-8"
    ) as handle:
        texts = [row["content"] for row in csv.DictReader(handle)]
    finnsp = json.loads(
        (data / "finnsp-negative-entity" / "finnsp_train_list.json").read_text(encoding="utf-8")
    )
    texts += [row[2][:200] for row in finnsp[1:] if row[2]]
    return texts


def _compare(label: str, texts: list[str]) -> None:
    mean = sum(map(len, texts)) / len(texts)
    print(f"\n{label}: {len(texts):,} texts, mean {mean:.0f} characters")
    signals = _timed("find_signals", texts, find_signals)
    mentions = _timed("find_mentions", texts, find_mentions)
    both = _timed(
        "find_signals + find_mentions", texts, lambda t: (find_signals(t), find_mentions(t))
    )
    lcut = _timed("jieba.lcut", texts, jieba.lcut)
    print(f"signals {signals:.2f} + mentions {mentions:.2f} s; together {both / lcut:.2f}× jieba")


def main(count: int, corpus: bool) -> None:
    """Build the texts, warm every cache, then time each pass."""
    jieba.setLogLevel(logging.WARNING)
    rng = random.Random(20251121)
    texts = [_text(rng) for _ in range(count)]
    find_signals("保本"), find_mentions("芜湖鑫源理财有限公司"), jieba.lcut("预热")
    _compare("synthetic", texts)
    if corpus:
        _compare("telecom-fraud + FinNSP", _corpus())


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, "--corpus" in sys.argv)

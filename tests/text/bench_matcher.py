"""Benchmark of the text kit over synthetic registry rows (not collected by pytest).

Run: ``.venv/bin/python tests/text/bench_matcher.py [rows]`` (default 1,000,000). Names are
about 15 characters and business scopes about 80, built from realistic fragments with a few
per cent carrying restricted words, prohibitions and exclusions. Prints seconds per pass.
"""

from __future__ import annotations

import pickle
import random
import sys
import time
from collections.abc import Callable

import pyarrow as pa

from smokewatch.text.lexicon import load_lexicon
from smokewatch.text.names import analyse_name
from smokewatch.text.scope import find_scope_activities

REGIONS = ["芜湖市", "芜湖", "安徽", "北京市朝阳区", "上海", "深圳市", "合肥市蜀山区", ""]
TRADE = "鑫源华泰中盛恒达金汇博远天成瑞丰宏图嘉信永安德润"
INDUSTRY = ["科技", "商贸", "建材", "电子商务", "信息技术", "物流", "餐饮管理", "文化传媒"]
RESTRICTED = ["理财咨询", "投资管理", "资产管理", "金融信息服务", "财富管理"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "合伙企业（有限合伙）", "商行"]
ITEMS = [
    "软件开发", "信息技术咨询服务", "技术服务、技术开发、技术咨询", "广告设计、代理",
    "日用百货销售", "建筑材料销售", "企业管理咨询", "会议及展览服务", "货物进出口",
    "网络技术服务", "五金产品零售", "物业管理", "家政服务", "办公用品销售",
    "以自有资金从事投资活动",
]  # fmt: skip
SPECIAL = [
    "投资管理", "资产管理", "理财咨询",
    "（未经金融等监管部门批准，不得从事吸收存款、代客理财等金融业务）",
    "接受金融机构委托从事信息技术和流程外包服务（不含金融信息服务）",
    "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）",
]  # fmt: skip


def _name(rng: random.Random) -> str:
    industry = rng.choice(RESTRICTED) if rng.random() < 0.03 else rng.choice(INDUSTRY)
    trade = "".join(rng.choices(TRADE, k=2))
    return rng.choice(REGIONS) + trade + industry + rng.choice(FORMS)


def _scope(rng: random.Random) -> str:
    items = rng.sample(ITEMS, k=10)
    if rng.random() < 0.05:
        items.insert(rng.randrange(len(items)), rng.choice(SPECIAL))
    return "；".join(items)


def _timed(label: str, rows: int, fn: Callable[[], object]) -> None:
    """Time one pass; results are consumed as they come, as a batch step would."""
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"{label:<42} {seconds:6.2f} s wall {cpu:6.2f} s cpu  {rows / cpu / 1e6:5.2f} M rows/s")


def main(rows: int) -> None:
    """Build the rows, then time each pass."""
    rng = random.Random(20241121)
    names = [_name(rng) for _ in range(rows)]
    scopes = [_scope(rng) for _ in range(rows)]
    mean_name = sum(map(len, names)) / rows
    mean_scope = sum(map(len, scopes)) / rows
    print(f"{rows:,} names (mean {mean_name:.1f} chars), {rows:,} scopes (mean {mean_scope:.1f})")
    lexicon = load_lexicon("restricted_financial_words")
    name_matcher, scope_matcher = lexicon.matcher("name"), lexicon.matcher("scope")

    _timed("matcher.find over names", rows, lambda: sum(len(name_matcher.find(n)) for n in names))
    _timed(
        "matcher.find over scopes", rows, lambda: sum(len(scope_matcher.find(s)) for s in scopes)
    )
    _timed(
        "names + scopes (find, both)",
        rows,
        lambda: sum(
            len(name_matcher.find(n)) + len(scope_matcher.find(s))
            for n, s in zip(names, scopes, strict=True)
        ),
    )
    name_array, scope_array = pa.array(names), pa.array(scopes)
    _timed("find_arrow over names", rows, lambda: name_matcher.find_arrow(name_array))
    _timed("find_arrow over scopes", rows, lambda: scope_matcher.find_arrow(scope_array))
    _timed(
        "analyse_name (hits + parts)",
        rows,
        lambda: sum(len(analyse_name(n, name_matcher).hits) for n in names),
    )
    _timed(
        "find_scope_activities (clauses when hit)",
        rows,
        lambda: sum(len(find_scope_activities(s, scope_matcher).activities) for s in scopes),
    )
    payload = pickle.dumps(scope_matcher)
    start = time.perf_counter()
    for _ in range(1000):
        pickle.loads(payload)  # noqa: S301 - our own object
    per = (time.perf_counter() - start) / 1000 * 1e6
    print(f"pickled matcher: {len(payload)} bytes, unpickle (rebuild) {per:.0f} µs")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)

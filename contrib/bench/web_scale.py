"""Grow a demo store to dashboard scale: copy the smoke-index scores under new ids and names.

    PYTHONPATH=src .venv/bin/python contrib/bench/web_scale.py /tmp/demo-copy --copies 300

Run it on a *copy* of a demo workspace (it writes to the store). Every score of ``SW-S-0001``
(on every evaluation date) is copied ``--copies`` times: a new subject id
(``<id>~<n>``), a new name (the trade name's characters shuffled with a seeded generator, so
name and pinyin searches find some copies and not others) and a division code drawn from
the original's city; the dimensions, contributions and grade stay. Then
``contrib/bench/web_pages.py`` measures the pages on it. Deterministic (``--seed``).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from smokewatch.settings import load_settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Score

_CHARS = "鼎盛华信恒通汇金融达安泰丰源宏博瑞祥和聚富德隆兴昌明远嘉诚新创"
_BATCH = 2_000


def _name(rng: random.Random) -> str:
    return "芜湖" + "".join(rng.sample(_CHARS, 2)) + rng.choice(("资产管理", "投资咨询", "商贸"))


def main() -> None:
    """Copy the scores and print how many the store holds."""
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--copies", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--scorecard", default="SW-S-0001")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    store = Store(load_settings(workspace=args.workspace).store_url)
    table = Score.__table__
    with store.read_session() as session:
        originals = [
            dict(row._mapping)
            for row in session.execute(
                sa.select(table).where(
                    Score.scorecard_id == args.scorecard, ~Score.subject_id.contains("~")
                )
            )
        ]
    subjects = sorted({r["subject_id"] for r in originals})
    names = {(s, n): _name(rng) for s in subjects for n in range(args.copies)}
    batch: list[dict[str, Any]] = []
    with store.unit_of_work() as session:
        for n in range(args.copies):
            for row in originals:
                copy = dict(row)
                copy["id"] = f"{row['id']}~{n}"
                copy["subject_id"] = f"{row['subject_id']}~{n}"
                copy["subject_name"] = names[(row["subject_id"], n)] + "有限公司"
                batch.append(copy)
                if len(batch) >= _BATCH:
                    session.execute(sa.insert(table), batch)
                    batch = []
        if batch:
            session.execute(sa.insert(table), batch)
    with store.read_session() as session:
        total = session.execute(sa.select(sa.func.count()).select_from(Score)).scalar_one()
    print(f"{len(originals)} scores copied {args.copies} times; the store holds {total} scores")
    store.dispose()


if __name__ == "__main__":
    main()

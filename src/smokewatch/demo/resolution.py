"""Synthetic enterprises with planted duplicates, for entity resolution tests and benchmarks.

Rows come from the demo city's registry generator. A share of them is written a second time
as another source would write it (:func:`variant_row`): the name in another spelling
(traditional characters, the region moved into brackets or dropped, 有限责任公司 for 有限公司,
full-width brackets), the USCC often missing, the phone sometimes missing, the address with or
without the province, the legal representative usually kept. Each row carries ``truth``: the
id of the row it duplicates, or its own id.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import numpy as np
import opencc
import pyarrow as pa

from smokewatch.demo.city import DEFAULT_AS_OF
from smokewatch.demo.pools import load_pools
from smokewatch.demo.registry import RegistryGenerator
from smokewatch.model.ids import make_id

SCHEMA = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("name", pa.string()),
        pa.field("uscc", pa.string()),
        pa.field("legal_representative", pa.string()),
        pa.field("phone", pa.string()),
        pa.field("registered_address", pa.string()),
        pa.field("adcode", pa.string()),
        pa.field("truth", pa.string(), nullable=False),
    ]
)


@cache
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def _variant_name(name: str, rng: np.random.Generator) -> str:
    how = int(rng.integers(0, 5))
    if how == 0:
        return str(_s2t().convert(name))
    if how == 1 and name.startswith("芜湖市") and name.endswith("有限公司"):
        return f"{name[3:-4]}（芜湖）有限公司"
    if how == 2 and name.endswith("有限公司") and not name.endswith("股份有限公司"):
        return f"{name[:-4]}有限责任公司"
    if how == 3 and name.startswith("芜湖市"):
        return name[3:]
    return name.replace("(", "（").replace(")", "）").replace("芜湖市", "芜湖市 ")


def variant_row(
    row: dict[str, str | None], rng: np.random.Generator, index: int
) -> dict[str, str | None]:
    """The same enterprise as another source writes it (see the module docstring)."""
    address = row["registered_address"] or ""
    if rng.random() < 0.5:
        address = address.removeprefix("安徽省")
    return {
        "id": make_id("alt", index),
        "name": _variant_name(row["name"] or "", rng),
        "uscc": row["uscc"] if rng.random() < 0.3 else None,
        "legal_representative": row["legal_representative"] if rng.random() < 0.85 else None,
        "phone": row["phone"] if rng.random() < 0.6 else None,
        "registered_address": address if rng.random() < 0.8 else None,
        "adcode": row["adcode"],
        "truth": row["id"],
    }


def _base_rows(block: pa.Table) -> list[dict[str, str | None]]:
    rows = []
    for raw in block.to_pylist():
        uscc = raw["统一社会信用代码"]
        ident = make_id("reg", uscc) or ""
        rows.append(
            {
                "id": ident,
                "name": raw["企业名称"],
                "uscc": uscc,
                "legal_representative": raw["法定代表人"],
                "phone": raw["联系电话"],
                "registered_address": raw["住所"],
                "adcode": raw["所属区划"],
                "truth": ident,
            }
        )
    return rows


def resolution_batches(
    n: int, *, seed: int = 7, duplicate_share: float = 0.2, block_size: int = 50_000
) -> Iterator[pa.Table]:
    """About ``n`` rows in blocks: ``n / (1 + share)`` originals and their planted duplicates."""
    generator = RegistryGenerator(load_pools(), seed=seed, as_of=DEFAULT_AS_OF)
    originals = round(n / (1 + duplicate_share))
    done = 0
    variants = 0
    while done < originals:
        size = min(block_size, originals - done)
        rng = np.random.default_rng([seed, done])
        rows = _base_rows(generator.block(rng, size, start_index=done, unique_names=False))
        extra = []
        for row in rows:
            if rng.random() < duplicate_share:
                extra.append(variant_row(row, rng, variants))
                variants += 1
        done += size
        yield pa.Table.from_pylist(rows + extra, schema=SCHEMA)


def resolution_table(n: int, *, seed: int = 7, duplicate_share: float = 0.2) -> pa.Table:
    """:func:`resolution_batches` as one table."""
    return pa.concat_tables(resolution_batches(n, seed=seed, duplicate_share=duplicate_share))


__all__ = ["SCHEMA", "resolution_batches", "resolution_table", "variant_row"]

"""The matcher as a Python step over Arrow batches, on every engine (Spark pickles it)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pyarrow as pa

from smokewatch.engine import Engine
from smokewatch.text.lexicon import Lexicon
from smokewatch.text.matcher import LexiconMatcher, match_list_type

ROWS = pa.table(
    {
        "id": ["a", "b", "c", "d"],
        "name": ["芜湖鑫源财富管理有限公司", "芜湖丽人理发店", None, "Ｐ２Ｐ基金管理基金"],
    }
)
SCHEMA = pa.schema([("id", pa.string()), ("hits", match_list_type())])


def _hits(matcher: LexiconMatcher, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    for batch in batches:
        hits = matcher.find_arrow(batch.column("name"))
        yield pa.RecordBatch.from_arrays([batch.column("id"), hits], schema=SCHEMA)


def test_matcher_runs_over_arrow_batches_on_every_engine(engine: Engine, lexicon: Lexicon) -> None:
    engine.register("names", ROWS)
    step = functools.partial(_hits, lexicon.matcher("name"))
    out = engine.map_batches(engine.table("names"), step, SCHEMA, name="name_hits")
    result = engine.to_arrow(out.order_by("id")).to_pylist()
    terms = {row["id"]: [h["term"] for h in row["hits"] or []] for row in result}
    assert terms == {"a": ["财富管理"], "b": [], "c": [], "d": ["P2P", "基金管理", "基金"]}

"""Probabilistic matching of resolution records with Splink, trained without labels.

The model is a Fellegi–Sunter model (Splink 5) over the columns of
:data:`smokewatch.resolve.records.RECORD_SCHEMA`:

| comparison | levels (most specific first) |
|---|---|
| name | same name key · same trade name · trade names Jaro-Winkler ≥ 0.88 · else |
| place | same division · same city · else |
| legal_rep | same 法定代表人 · else |
| phone | same phone · else |
| address | same address key · Jaro-Winkler ≥ 0.92 · else |
| industry | same industry words · else |
| uscc | same USCC · both present and different · else |

A null on either side is a null level (no evidence). Blocking puts in front of the model only
the pairs sharing a USCC, a trade name in one city, a phone, a legal representative in one city,
or an address. Training needs no labels: the chance that two random records match comes from
the deterministic rules "same USCC" and "same name key" (recall assumed 0.6), u probabilities
from random pairs, m probabilities by expectation maximisation on two blockings (trade name;
phone) so every comparison is estimated once with the other fixed. An EM session that fails
(too few pairs, a level never seen) is skipped and training goes on from the last good model;
m and u are floored (:func:`floor_m`) so no single disagreement vetoes a match.

The result (:class:`Predictions`) holds every blocked pair with its match probability, its match
weight and the comparison level of each column — the explanation of the number. Splink runs on
its own in-memory DuckDB (``backend="duckdb"``), or on a Spark session the caller passes.
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa
from splink import DuckDBAPI, Linker, block_on

from smokewatch.errors import InvalidInput
from smokewatch.resolve.records import RECORD_SCHEMA

COMPARISONS = ("name", "place", "legal_rep", "phone", "address", "industry", "uscc")
"""Output names of the comparisons, in model order."""

PAIR_SCHEMA = pa.schema(
    [
        pa.field("left_id", pa.string(), nullable=False),
        pa.field("right_id", pa.string(), nullable=False),
        pa.field("match_probability", pa.float64(), nullable=False),
        pa.field("match_weight", pa.float64(), nullable=False),
        *(pa.field(f"weight_{c}", pa.float64()) for c in COMPARISONS),
    ]
)
"""Scored pairs, ``left_id < right_id``. ``weight_*`` is each comparison's partial match
weight (log2 of its Bayes factor; 0 for a null level); with the prior's weight they add up to
``match_weight``."""


@dataclass(frozen=True, slots=True)
class Predictions:
    """Scored pairs and the trained model (Splink's settings JSON with m and u)."""

    pairs: pa.Table
    model: dict[str, Any]
    levels: dict[str, list[tuple[str, float]]]
    """Each comparison's levels: label and partial match weight, most specific first."""

    @property
    def prior_weight(self) -> float:
        """log2 of the prior odds that two random records match."""
        p = float(self.model.get("probability_two_random_records_match", 1e-4))
        return math.log2(p / (1 - p))

    def explain(self, comparison: str, weight: float) -> str:
        """The label of the level of ``comparison`` whose weight is ``weight``."""
        if weight == 0:
            return "no evidence"
        levels = self.levels.get(comparison, [])
        best = min(levels, key=lambda lv: abs(lv[1] - weight), default=("?", 0.0))
        return best[0]


def _null(column: str) -> dict[str, Any]:
    return {
        "sql_condition": f'"{column}_l" IS NULL OR "{column}_r" IS NULL',
        "label_for_charts": "null",
        "is_null_level": True,
    }


def _level(sql: str, label: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": label}


def _else() -> dict[str, Any]:
    return {"sql_condition": "ELSE", "label_for_charts": "else"}


def _comparisons() -> list[dict[str, Any]]:
    return [
        {
            "output_column_name": "name",
            "comparison_levels": [
                _null("trade_name"),
                _level('"name_key_l" = "name_key_r"', "same name"),
                _level('"trade_name_l" = "trade_name_r"', "same trade name"),
                _level(
                    'jaro_winkler_similarity("trade_name_l", "trade_name_r") >= 0.88', "similar"
                ),
                _else(),
            ],
        },
        {
            "output_column_name": "place",
            "comparison_levels": [
                _null("region_code"),
                _level('"region_code_l" = "region_code_r"', "same division"),
                _level('"city_l" = "city_r"', "same city"),
                _else(),
            ],
        },
        {
            "output_column_name": "legal_rep",
            "comparison_levels": [
                _null("legal_rep"),
                _level('"legal_rep_l" = "legal_rep_r"', "same"),
                _else(),
            ],
        },
        {
            "output_column_name": "phone",
            "comparison_levels": [
                _null("phone"),
                _level('"phone_l" = "phone_r"', "same"),
                _else(),
            ],
        },
        {
            "output_column_name": "address",
            "comparison_levels": [
                _null("address_key"),
                _level('"address_key_l" = "address_key_r"', "same"),
                _level(
                    'jaro_winkler_similarity("address_key_l", "address_key_r") >= 0.92', "similar"
                ),
                _else(),
            ],
        },
        {
            "output_column_name": "industry",
            "comparison_levels": [
                _null("industry"),
                _level('"industry_l" = "industry_r"', "same"),
                _else(),
            ],
        },
        {
            "output_column_name": "uscc",
            "comparison_levels": [
                _null("uscc"),
                _level('"uscc_l" = "uscc_r"', "same"),
                _else(),
            ],
        },
    ]


BLOCKING = (
    'l."uscc" = r."uscc"',
    'l."trade_name" = r."trade_name" AND l."city" = r."city"',
    'l."phone" = r."phone"',
    'l."legal_rep" = r."legal_rep" AND l."city" = r."city"',
    'l."address_key" = r."address_key"',
)
"""Blocking rules for predictions (SQL over ``l`` and ``r``)."""


def _settings() -> dict[str, Any]:
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "record_id",
        "comparisons": _comparisons(),
        "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in BLOCKING],
        "retain_intermediate_calculation_columns": True,
        "retain_matching_columns": False,
        "probability_two_random_records_match": 1e-4,
    }


def _db_api(backend: str, spark: Any | None) -> Any:
    if backend == "duckdb":
        connection = duckdb.connect(":memory:")
        connection.execute("SET threads TO 2")
        return DuckDBAPI(connection)
    if backend == "spark":
        if spark is None:
            raise InvalidInput("matching on Spark needs a Spark session")
        from splink import SparkAPI  # noqa: PLC0415 - needs the spark extra

        return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    raise InvalidInput(f"unknown matching backend {backend!r} (duckdb or spark)")


def _train(table: Any, n_records: int) -> dict[str, Any]:
    """Train on ``table`` and return the model (Splink's settings with m and u)."""
    linker = Linker(table, _settings(), log_level=logging.ERROR)
    # No or too many USCC duplicates: keep the prior of the settings.
    with contextlib.suppress(ValueError):
        linker.training.estimate_probability_two_random_records_match(
            [block_on("uscc"), block_on("name_key")], recall=0.6
        )
    linker.training.estimate_u_using_random_sampling(
        max_pairs=min(2e6, max(1e4, n_records * 20)), seed=1
    )
    model: dict[str, Any] = linker.misc.save_model_to_json()
    for rule in (block_on("trade_name"), block_on("phone")):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=1.0
            )
            model = linker.misc.save_model_to_json()
        except Exception as exc:  # noqa: BLE001 - EM may diverge or find no pairs on small data
            logging.getLogger(__name__).warning("EM session skipped: %s", exc)
            linker = Linker(table, model, log_level=logging.ERROR)  # the last good model
    return model


M_FLOOR = 0.01
"""Smallest m probability of a level: EM on clean data learns that duplicates never differ
(m = 0), which would make one differing phone veto any match; a floor keeps it evidence."""


U_FLOOR = 1e-7
"""Smallest u probability: a level never seen among random pairs is rare, not impossible."""


def floor_m(model: dict[str, Any]) -> dict[str, Any]:
    """The model with m (u) probabilities at least :data:`M_FLOOR` (:data:`U_FLOOR`).

    The prior is kept between 1e-7 and 0.5 (no duplicates found by the deterministic rules
    would make it 0, which no evidence could overcome).
    """
    prior = float(model.get("probability_two_random_records_match") or 0.0)
    model["probability_two_random_records_match"] = min(max(prior, 1e-7), 0.5)
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        raised = [max(float(lv.get("m_probability") or 0.0), M_FLOOR) for lv in levels]
        known = [max(float(lv.get("u_probability") or 0.0), U_FLOOR) for lv in levels]
        m_total, u_total = sum(raised), sum(known)
        for level, m, u in zip(levels, raised, known, strict=True):
            level["m_probability"] = m / m_total
            level["u_probability"] = u / u_total
    return model


def _levels(model: dict[str, Any]) -> dict[str, list[tuple[str, float]]]:
    out: dict[str, list[tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            levels.append((str(level.get("label_for_charts", "")), round(weight, 4)))
        out[comparison["output_column_name"]] = levels
    return out


def predict(
    records: pa.Table,
    *,
    threshold: float = 0.5,
    backend: str = "duckdb",
    spark: Any | None = None,
) -> Predictions:
    """Train the model on ``records`` (no labels) and score the blocked pairs.

    Pairs below ``threshold`` (match probability) are dropped. ``records`` must have the
    columns of :data:`RECORD_SCHEMA`.
    """
    missing = [f.name for f in RECORD_SCHEMA if f.name not in records.column_names]
    if missing:
        raise InvalidInput(f"resolution records lack the columns {', '.join(missing)}")
    if records.num_rows < 2:
        return Predictions(PAIR_SCHEMA.empty_table(), {}, {})
    db_api = _db_api(backend, spark)
    frame = records.select(RECORD_SCHEMA.names)
    if backend == "spark":
        frame = spark.createDataFrame(frame.to_pandas())  # type: ignore[union-attr]
    table = db_api.register(frame, table_name="sw_resolve_records")
    model = floor_m(_train(table, records.num_rows))
    linker = Linker(table, model, log_level=logging.ERROR)
    scored = linker.inference.predict(threshold_match_probability=threshold)
    columns = ", ".join(f'"mw_{c}" AS "weight_{c}"' for c in COMPARISONS)
    sql = (
        'SELECT "record_id_l" AS left_id, "record_id_r" AS right_id, match_probability, '
        f"match_weight, {columns} FROM {scored.physical_name}"
    )
    pairs = _fetch(db_api, sql, backend)
    return Predictions(_normalise(pairs), model, _levels(model))


def _fetch(db_api: Any, sql: str, backend: str) -> pa.Table:
    if backend == "duckdb":
        result = db_api._con.sql(sql).arrow()  # Splink's own connection
        return result.read_all() if isinstance(result, pa.RecordBatchReader) else result
    frame = db_api.spark.sql(sql).toPandas()
    return pa.Table.from_pandas(frame, preserve_index=False)


def _normalise(pairs: pa.Table) -> pa.Table:
    """Cast to :data:`PAIR_SCHEMA` with ``left_id < right_id``, sorted."""
    rows = pairs.to_pylist()
    for row in rows:
        if row["left_id"] > row["right_id"]:
            row["left_id"], row["right_id"] = row["right_id"], row["left_id"]
    rows.sort(key=lambda r: (r["left_id"], r["right_id"]))
    return pa.Table.from_pylist(rows, schema=PAIR_SCHEMA)


__all__ = ["BLOCKING", "COMPARISONS", "M_FLOOR", "PAIR_SCHEMA", "Predictions", "floor_m", "predict"]

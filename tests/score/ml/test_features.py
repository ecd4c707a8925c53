"""Features are documented functions; the engine computes them keyed by subject."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pyarrow as pa
import pytest

from smokewatch.engine import Engine
from smokewatch.errors import ConfigError, InvalidInput
from smokewatch.score.ml.features import FeatureKind, FeatureSet, compute_features, feature_matrix


def _demo_set() -> FeatureSet:
    fs = FeatureSet("demo", keys=("id",), base="subject")

    @fs.row(zh="注册资本", en="registered capital", inputs=("subject.csv",), unit=("万元", "10k"))
    def capital(t: Any) -> Any:
        """Registered capital in 万元."""
        return t.capital

    @fs.row(zh="行业", en="industry", inputs=("subject.csv",), kind=FeatureKind.CATEGORY)
    def industry(t: Any) -> Any:
        """Industry code."""
        return t.industry

    @fs.aggregate(
        "tax", zh="纳税记录数", en="tax records", inputs=("tax.csv",), kind=FeatureKind.COUNT
    )
    def tax_records(t: Any) -> Any:
        """Tax declarations on file."""
        return t.count()

    @fs.aggregate("tax", zh="纳税总额", en="tax paid", inputs=("tax.csv",))
    def tax_paid(t: Any) -> Any:
        """Total tax declared."""
        return t.amount.sum()

    fs.encoded("industry_risk", of="industry", zh="行业涉险率", en="industry risk", description="x")
    return fs


def test_features_keep_their_order_docstrings_and_dtypes() -> None:
    fs = _demo_set()
    assert fs.names == ["capital", "industry", "tax_records", "tax_paid", "industry_risk"]
    assert fs.dtypes == ["float64", "int64", "int64", "float64", "float64"]
    assert fs.get("capital").description == "Registered capital in 万元."
    assert fs.manifest()["names"] == fs.names


def test_a_feature_without_a_docstring_is_refused() -> None:
    fs = FeatureSet("demo", keys=("id",), base="subject")
    with pytest.raises(ConfigError, match="no docstring"):

        @fs.row(zh="x", en="x", inputs=())
        def undocumented(t: Any) -> Any:
            return t.x


def test_a_name_cannot_be_registered_twice() -> None:
    fs = _demo_set()
    with pytest.raises(ConfigError, match="defined twice"):

        @fs.row(zh="x", en="x", inputs=())
        def capital(t: Any) -> Any:
            """Again."""
            return t.capital


def test_an_encoding_needs_a_category_feature_defined_before_it() -> None:
    fs = _demo_set()
    with pytest.raises(ConfigError, match="not a category"):
        fs.encoded("capital_risk", of="capital", zh="x", en="x", description="x")


def _views(engine: Engine) -> dict[str, Any]:
    subject = pa.table(
        {"id": ["b", "a", "c"], "capital": [5.0, None, 1.5], "industry": [7212, 6760, None]}
    )
    tax = pa.table({"id": ["a", "a", "b"], "amount": [1.0, 2.5, 4.0]})
    return {"subject": engine.register("subject", subject), "tax": engine.register("tax", tax)}


def test_the_engine_computes_features_keyed_and_ordered_by_subject(engine: Engine) -> None:
    fs = _demo_set()
    table = compute_features(engine, fs, _views(engine))
    assert table.column_names == ["id", "capital", "industry", "tax_records", "tax_paid"]
    assert table.to_pylist() == [
        {"id": "a", "capital": None, "industry": 6760, "tax_records": 2, "tax_paid": 3.5},
        {"id": "b", "capital": 5.0, "industry": 7212, "tax_records": 1, "tax_paid": 4.0},
        {"id": "c", "capital": 1.5, "industry": None, "tax_records": 0, "tax_paid": None},
    ]
    assert table.schema.field("tax_records").type == pa.int64()


def test_a_missing_view_is_named(duckdb_engine: Engine) -> None:
    views = _views(duckdb_engine)
    del views["tax"]
    with pytest.raises(InvalidInput, match="tax"):
        compute_features(duckdb_engine, _demo_set(), views)


def test_the_matrix_has_nan_for_nulls_and_leaves_encodings_to_training(
    duckdb_engine: Engine,
) -> None:
    fs = _demo_set()
    matrix = feature_matrix(compute_features(duckdb_engine, fs, _views(duckdb_engine)), fs)
    assert matrix.shape == (3, 5)
    assert math.isnan(matrix[0, 0])
    assert np.isnan(matrix[:, 4]).all()
    assert matrix[1].tolist()[:4] == [5.0, 7212.0, 1.0, 4.0]

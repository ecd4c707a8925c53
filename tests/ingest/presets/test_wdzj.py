"""The as-of view of the 网贷之家 folder holds only what existed on the as-of date."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from smokewatch.errors import InvalidInput, NotFound
from smokewatch.ingest.presets import wdzj
from smokewatch.ingest.spec import load_source_spec
from tests.ingest.presets.builders import PROFILE_HEADER, backtest_folder
from tests.score.ml.builders import write_csv


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return backtest_folder(tmp_path_factory.mktemp("wdzj"))


def test_the_view_keeps_platforms_operating_then_and_what_was_known_then(
    folder: Path, tmp_path: Path
) -> None:
    as_of = date(2015, 12, 31)
    view = wdzj.write_as_of_view(folder, tmp_path, as_of)
    operating = _rows(tmp_path / wdzj.OPERATING_FILE)
    failed = _rows(tmp_path / wdzj.PROBLEM_FILE)
    events = _rows(tmp_path / wdzj.EVENTS_FILE)
    assert view.operating == len(operating) > 0
    assert all(r["onlineDate"] <= "2015-12-31" for r in operating + failed)
    assert all(r["problemTime"] == "" and r["platStatus"] == "1" for r in operating)
    assert all(r["problemTime"] <= "2015-12-31" for r in failed + events)
    # Problem platforms whose problem came later are operating on the day.
    original = {r["platName"]: r for r in _rows(folder / wdzj.PROBLEM_FILE)}
    later = [r for r in operating if r["platName"] in original]
    assert later and all(original[r["platName"]]["problemTime"] > "2015-12-31" for r in later)
    assert view.metric_rows == 0 and view.months == ()


def test_months_count_from_their_last_day_on(folder: Path, tmp_path: Path) -> None:
    view = wdzj.write_as_of_view(folder, tmp_path, date(2017, 4, 29), snapshot=date(2017, 5, 1))
    assert view.months == ("2017-01", "2017-02", "2017-03")
    assert wdzj.last_complete_month(date(2017, 4, 30)) == "2017-04"


def test_snapshot_fields_are_unknown_long_before_the_snapshot(folder: Path, tmp_path: Path) -> None:
    early = wdzj.write_as_of_view(folder, tmp_path / "early", date(2016, 6, 30))
    close = wdzj.write_as_of_view(folder, tmp_path / "close", date(2017, 6, 30))
    assert not early.snapshot_fields and early.notes
    assert close.snapshot_fields
    early_rows = _rows(tmp_path / "early" / wdzj.OPERATING_FILE)
    close_rows = _rows(tmp_path / "close" / wdzj.OPERATING_FILE)
    assert all(r["bankFunds"] == "" and r["platEarnings"] == "" for r in early_rows)
    assert any(r["bankFunds"] == "1" for r in close_rows)
    assert all(r["registeredCapital"] for r in early_rows)  # fixed at launch: kept


def test_the_crawlers_none_text_is_empty(folder: Path, tmp_path: Path) -> None:
    wdzj.write_as_of_view(folder, tmp_path, date(2017, 6, 30))
    values = [v for r in _rows(tmp_path / wdzj.OPERATING_FILE) for v in r.values()]
    assert "None" not in values


def test_a_missing_file_or_column_is_refused(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"platDataDetail\.csv"):
        wdzj.write_as_of_view(tmp_path, tmp_path / "out", date(2017, 6, 30))
    broken = tmp_path / "broken"
    for name in wdzj.FILES:
        (broken / name).parent.mkdir(parents=True, exist_ok=True)
        (broken / name).write_bytes((folder / name).read_bytes())
    write_csv(broken / wdzj.OPERATING_FILE, [c for c in PROFILE_HEADER if c != "onlineDate"], [])
    with pytest.raises(InvalidInput, match="onlineDate"):
        wdzj.write_as_of_view(broken, tmp_path / "out", date(2017, 6, 30))


def test_every_preset_source_is_a_valid_source_spec(tmp_path: Path) -> None:
    specs = wdzj.source_specs()
    assert set(specs) == {"wdzj_platforms", "wdzj_metrics", "wdzj_events"}
    for source_id, node in specs.items():
        path = tmp_path / source_id / "source.yml"
        path.parent.mkdir()
        path.write_text(node.read_text(encoding="utf-8"), encoding="utf-8")
        assert load_source_spec(path).id == source_id

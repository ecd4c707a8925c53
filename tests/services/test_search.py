"""The watch list as a search: filters, Chinese names, pinyin initials, short names, exports."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from smokewatch.errors import Forbidden, InvalidInput
from smokewatch.services import alerts, search
from smokewatch.services.search import Filters
from tests.api.world import IN, OUT, PHONE, World, entity
from tests.services.monitored import rename, world  # noqa: F401

TYPOLOGY = {"SW-R-0001": ("name.restricted_word",), "SW-R-0102": ("fundraising.return_promise",)}


def _names(world: World, role: str = "admin", **filters: object) -> list[str]:  # noqa: F811
    page = search.search(world.store, world.actors[role], Filters(**filters), typology_of=TYPOLOGY)  # type: ignore[arg-type]
    return [h.score["subject_name"] for h in page.hits]


@pytest.mark.parametrize(
    ("query", "how"),
    [
        ("智鼎", "name"),
        ("ＺＨＩ", None),
        ("zd", "pinyin"),
        ("ZDZC", "pinyin"),
        ("whzd", "pinyin"),
        ("智鼎资管", "short"),
        ("资管智鼎", None),
        ("平安", None),
    ],
)
def test_names_are_found_by_chinese_pinyin_initials_and_short_names(
    query: str, how: str | None
) -> None:
    assert search.name_match("芜湖智鼎资产管理有限公司", query) == how


def test_full_width_queries_are_folded() -> None:
    assert search.name_match("芜湖ABC财富管理有限公司", "ａｂｃ") == "name"


def test_the_list_is_filtered_by_grade_region_and_sector(world: World) -> None:  # noqa: F811
    red = entity(world, IN, grade="red")
    entity(world, IN, grade="blue", sector="K7010")
    entity(world, OUT, grade="red")
    assert len(_names(world, grades=("red",))) == 2
    assert len(_names(world, region=IN)) == 2
    assert len(_names(world, region="340200", sector="K70")) == 1
    assert _names(world, grades=("red",), region=IN) == [f"芜湖{red}财富管理有限公司"]


def test_dimension_and_typology_filters_read_the_contributions(world: World) -> None:  # noqa: F811
    entity(world, IN)
    assert len(_names(world, dimension="lure")) == 1
    assert _names(world, dimension="spread") == []
    assert len(_names(world, typology="fundraising.return_promise")) == 1
    assert _names(world, typology="transfers.cycle") == []


def test_each_user_searches_only_their_territory(world: World) -> None:  # noqa: F811
    entity(world, IN)
    entity(world, OUT)
    assert len(_names(world, "lead")) == 1
    assert len(_names(world, "jiujiang")) == 1
    with pytest.raises(Forbidden):
        _names(world, "police")


def test_better_name_matches_come_first(world: World) -> None:  # noqa: F811
    short = entity(world, IN)
    whole = entity(world, IN)
    rename(world, short, "芜湖鼎盛资本管理有限公司")
    rename(world, whole, "芜湖资管信息咨询有限公司")
    assert _names(world, q="资管") == ["芜湖资管信息咨询有限公司", "芜湖鼎盛资本管理有限公司"]


def test_the_key_focus_list_filter(world: World) -> None:  # noqa: F811
    watched = entity(world, IN)
    entity(world, IN)
    alerts.add_watch(world.store, watched, reason="media reports", actor="tests")
    assert _names(world, focus_only=True) == [f"芜湖{watched}财富管理有限公司"]


def test_pages_split_the_matches(world: World) -> None:  # noqa: F811
    for _ in range(30):
        entity(world, IN)
    page = search.search(world.store, world.actors["admin"], Filters(page=2, per_page=25))
    assert (page.total, page.pages, len(page.hits)) == (30, 2, 5)


@pytest.mark.parametrize(
    "filters",
    [
        Filters(grades=("purple",)),
        Filters(region="34"),
        Filters(dimension='lure"]'),
        Filters(page=0),
        Filters(per_page=7),
    ],
)
def test_meaningless_filters_are_refused(world: World, filters: Filters) -> None:  # noqa: F811
    with pytest.raises(InvalidInput):
        search.search(world.store, world.actors["admin"], filters)


def test_csv_export_has_a_bom_every_row_and_no_formulas(world: World) -> None:  # noqa: F811
    hostile = entity(world, IN)
    rename(world, hostile, '=HYPERLINK("http://x")有限公司')
    entity(world, OUT)
    page = search.search(world.store, world.actors["admin"], Filters(), limit=100)
    body = search.to_csv(list(search.EXPORT_COLUMNS), search.export_rows(page))
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2
    names = {r["subject_name"] for r in rows}
    assert '\'=HYPERLINK("http://x")有限公司' in names


def test_xlsx_export_holds_the_same_rows(world: World) -> None:  # noqa: F811
    subject = entity(world, IN)
    page = search.search(world.store, world.actors["admin"], Filters(), limit=100)
    book = search.to_xlsx(list(search.EXPORT_COLUMNS), search.export_rows(page), title="t")
    sheet = load_workbook(io.BytesIO(book)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("subject_id", "subject_name", "grade")
    assert values[1][0] == subject and values[1][2] == "red"
    assert PHONE not in str(values)

"""The risk map: approximate cells from division centroids, grade counts per child region."""

from __future__ import annotations

import itertools

import pytest

from smokewatch.errors import Forbidden, NotFound
from smokewatch.services import region_map
from tests.api.world import IN, OUT, World, entity
from tests.services.monitored import world  # noqa: F401


def _inside(ring: list[list[float]], point: tuple[float, float]) -> bool:
    """Ray casting: whether ``point`` lies inside the closed ring."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _cells(code: str) -> dict[str, list[list[float]]]:
    return {
        f["properties"]["code"]: f["geometry"]["coordinates"][0]
        for f in region_map.geometry(code)["features"]
    }


def test_every_province_with_a_centroid_gets_a_cell_that_contains_it() -> None:
    cells = _cells(region_map.COUNTRY)
    located = region_map.centroids(region_map.COUNTRY)
    assert set(cells) == set(located) and len(cells) >= 30
    for code, ring in cells.items():
        lon, lat, _ = located[code]
        assert ring[0] == ring[-1], code
        assert _inside(ring, (lon, lat)), code


def test_cells_of_siblings_do_not_overlap() -> None:
    cells = _cells("340000")
    located = region_map.centroids("340000")
    for code in cells:
        others = [c for c in cells if c != code]
        lon, lat, _ = located[code]
        assert not any(_inside(cells[o], (lon, lat)) for o in others), code


def test_a_district_without_a_centroid_borrows_the_one_it_replaced_and_says_so() -> None:
    located = region_map.centroids("340200")
    assert located["340212"][2] == "繁昌县"  # 繁昌区 took the place of 繁昌县
    assert located["340202"][2] is None
    assert "340209" not in located  # 弋江区: no centroid, nothing to borrow
    features = {f["properties"]["code"]: f for f in region_map.geometry("340200")["features"]}
    assert features["340212"]["properties"]["centroid_from"] == "繁昌县"
    assert all(f["properties"]["approximate"] for f in features.values())


def test_there_is_no_map_below_a_county() -> None:
    with pytest.raises(NotFound):
        region_map.geometry("340202")
    with pytest.raises(NotFound):
        region_map.children("999999")


def test_regions_count_the_grades_the_user_may_see(world: World) -> None:  # noqa: F811
    entity(world, IN, grade="red")
    entity(world, IN, grade="orange")
    entity(world, OUT, grade="red")
    city = region_map.region_risk(world.store, world.actors["city"], "340200")
    by_code = {r["code"]: r for r in city["regions"]}
    assert by_code[IN]["grades"]["red"] == 1 and by_code[IN]["risk"] == 2
    assert by_code[OUT]["risk"] == 1
    assert [t["code"] for t in city["trail"]] == ["340000", "340200"]
    county = region_map.region_risk(world.store, world.actors["lead"], "340200")
    assert {r["code"]: r["risk"] for r in county["regions"]}[OUT] == 0  # not in its territory


def test_the_province_map_rolls_counties_up_to_their_city(world: World) -> None:  # noqa: F811
    entity(world, IN, grade="red")
    entity(world, "340202013", grade="yellow")  # a township of the same county
    province = region_map.region_risk(world.store, world.actors["admin"], "340000")
    wuhu = next(r for r in province["regions"] if r["code"] == "340200")
    assert wuhu["grades"] == {"red": 1, "orange": 0, "yellow": 1, "blue": 0}
    assert wuhu["drillable"] and province["parent"] == region_map.COUNTRY


def test_the_police_read_no_map(world: World) -> None:  # noqa: F811
    with pytest.raises(Forbidden):
        region_map.region_risk(world.store, world.actors["police"], "340200")


def test_the_map_opens_on_the_province_of_the_workspace_or_the_user(world: World) -> None:  # noqa: F811
    assert region_map.start_code(world.actors["lead"], None) == "340000"
    assert region_map.start_code(world.actors["admin"], "110105") == "110000"
    assert region_map.start_code(world.actors["admin"], None) == region_map.COUNTRY

"""The risk map: approximate region shapes built from division centroids, coloured by risk.

No boundary geometry ships with smokewatch (it must work offline, and official boundaries are
not openly licensed). The shipped division table (:mod:`smokewatch.model.divisions`) has a
centroid for most provinces, cities and counties; from those this module draws **approximate**
cells: the Voronoi cells of the children's centroids, clipped to a padded convex hull around
them. Every point of a cell is nearer to its own centroid than to any sibling's, which keeps
neighbours next to each other and areas roughly right — but the outlines are not the real
borders, and the UI and docs say so.

A map is drawn for one parent: the country (:data:`COUNTRY`: provinces), a province (its
cities) or a city (its counties). Children without a centroid in the table are not drawn;
:func:`region_risk` still counts them and lists them beside the map.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from datetime import date
from functools import cache
from typing import Any, Final

import numpy as np
import sqlalchemy as sa
from scipy.spatial import ConvexHull, Voronoi

from smokewatch.cases.access import Actor
from smokewatch.cases.workflow import jurisdiction_prefix
from smokewatch.errors import NotFound
from smokewatch.model.divisions import Division, Level, load_divisions
from smokewatch.services.alerts import DEFAULT_SCORECARD
from smokewatch.services.visibility import region_condition, require_analyst
from smokewatch.store import scoring
from smokewatch.store.db import Store
from smokewatch.store.orm import Score

COUNTRY: Final = "000000"
"""The code of the top map (the provinces)."""

GRADES: Final = ("red", "orange", "yellow", "blue")
_DRILLABLE: Final = frozenset({Level.PROVINCE, Level.CITY})


def _stem(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "县区市旗" else name


def centroids(code: str) -> dict[str, tuple[float, float, str | None]]:
    """``code -> (lon, lat, borrowed from)`` of the children that can be drawn.

    A current child without a centroid borrows that of an obsolete sibling with the same
    stem — the division it replaced (繁昌区 ← 繁昌县) — and says so; others are not drawn.
    """
    divisions = load_divisions()
    siblings = (
        [d for d in divisions if d.level == Level.PROVINCE]
        if code == COUNTRY
        else divisions.children(code)
    )
    former = {
        _stem(d.name): d
        for d in siblings
        if not d.is_current and d.lon is not None and d.lat is not None
    }
    found: dict[str, tuple[float, float, str | None]] = {}
    for child in children(code):
        if child.lon is not None and child.lat is not None:
            found[child.code] = (child.lon, child.lat, None)
        elif (old := former.get(_stem(child.name))) is not None:
            assert old.lon is not None and old.lat is not None  # noqa: S101  # filtered above
            found[child.code] = (old.lon, old.lat, old.name)
    return found


def children(code: str) -> list[Division]:
    """The current divisions one level below ``code`` (provinces below :data:`COUNTRY`).

    Raises:
        NotFound: an unknown code, or a county (the map goes no deeper).
    """
    divisions = load_divisions()
    if code == COUNTRY:
        return [d for d in divisions if d.level == Level.PROVINCE and d.is_current]
    if code not in divisions or divisions[code].level not in _DRILLABLE:
        raise NotFound(f"no map below {code!r}: maps exist for the country, provinces, cities")
    return [d for d in divisions.children(code) if d.is_current]


def _ring(points: np.ndarray) -> list[list[float]]:
    ring = [[round(float(x), 5), round(float(y), 5)] for x, y in points]
    return [*ring, ring[0]]


def _clip(subject: list[tuple[float, float]], hull: np.ndarray) -> list[tuple[float, float]]:
    """Sutherland–Hodgman: ``subject`` clipped to the convex polygon ``hull`` (anticlockwise)."""
    output = subject
    for i in range(len(hull)):
        (ax, ay), (bx, by) = hull[i], hull[(i + 1) % len(hull)]

        def inside(p: tuple[float, float]) -> bool:
            return bool((bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) >= 0)  # noqa: B023

        def cross(p: tuple[float, float], q: tuple[float, float]) -> tuple[float, float]:
            dx, dy = q[0] - p[0], q[1] - p[1]
            ex, ey = bx - ax, by - ay  # noqa: B023
            t = (ex * (p[1] - ay) - ey * (p[0] - ax)) / (ey * dx - ex * dy)  # noqa: B023
            return (p[0] + t * dx, p[1] + t * dy)

        points, output = output, []
        for j, current in enumerate(points):
            previous = points[j - 1]
            if inside(current):
                if not inside(previous):
                    output.append(cross(previous, current))
                output.append(current)
            elif inside(previous):
                output.append(cross(previous, current))
        if not output:
            break
    return output


def _padded_hull(points: np.ndarray) -> np.ndarray:
    """A convex outline around the centroids: each point padded by a circle of radius ``r``.

    ``r`` is half the median distance to the nearest sibling (at least 0.05°), so a lone
    centroid still gets a cell and the outer cells do not run off to infinity.
    """
    if len(points) > 1:
        gaps = np.sqrt(((points[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
        np.fill_diagonal(gaps, np.inf)
        radius = max(0.5 * float(np.median(gaps.min(axis=1))), 0.05)
    else:
        radius = 0.3
    angles = np.linspace(0, 2 * math.pi, 16, endpoint=False)
    circle = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radius
    cloud = (points[:, None, :] + circle[None, :, :]).reshape(-1, 2)
    hull = ConvexHull(cloud)
    return np.asarray(cloud[hull.vertices])  # anticlockwise for 2-D hulls


def _cells(points: np.ndarray, outline: np.ndarray) -> list[list[tuple[float, float]]]:
    """The Voronoi cell of every point, clipped to ``outline``."""
    if len(points) == 1:
        return [[(float(x), float(y)) for x, y in outline]]
    span = float(np.ptp(outline, axis=0).max()) + 1.0
    centre = outline.mean(axis=0)
    far = centre + span * 10 * np.array([[1, 1], [-1, 1], [-1, -1], [1, -1]])
    diagram = Voronoi(np.vstack([points, far]))
    cells = []
    for index in range(len(points)):
        region = diagram.regions[diagram.point_region[index]]
        polygon = [tuple(map(float, diagram.vertices[v])) for v in region if v >= 0]
        centroid = points[index]
        polygon.sort(key=lambda p: math.atan2(p[1] - centroid[1], p[0] - centroid[0]))
        cells.append(_clip([(p[0], p[1]) for p in polygon], outline))
    return cells


@cache
def geometry(code: str) -> dict[str, Any]:
    """GeoJSON of the approximate cells of ``code``'s children (cached per code).

    Each feature has ``code``, ``name`` and ``approximate: true``; children without a
    centroid are left out.

    Raises:
        NotFound: see :func:`children`.
    """
    located = centroids(code)
    drawn = [d for d in children(code) if d.code in located]
    features: list[dict[str, Any]] = []
    if drawn:
        points = np.array([located[d.code][:2] for d in drawn], dtype=float)
        # Two divisions may share a centroid in the table: nudge so Voronoi sees distinct sites.
        points += np.arange(len(points))[:, None] * 1e-6
        for division, cell in zip(drawn, _cells(points, _padded_hull(points)), strict=True):
            if len(cell) < 3:
                continue
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "code": division.code,
                        "name": division.name,
                        "approximate": True,
                        "centroid_from": located[division.code][2],
                    },
                    "geometry": {"type": "Polygon", "coordinates": [_ring(np.array(cell))]},
                }
            )
    return {"type": "FeatureCollection", "features": features}


def _child_of(adcode: str, candidates: Sequence[Division]) -> str | None:
    for child in candidates:
        if adcode.startswith(jurisdiction_prefix(child.code)):
            return child.code
    return None


def region_risk(
    store: Store, actor: Actor, code: str, *, scorecard_id: str = DEFAULT_SCORECARD
) -> dict[str, Any]:
    """Grade counts of the latest evaluation per child region of ``code``, as the actor sees.

    A region's ``risk`` (what colours the map) is its number of red and orange entities; its
    ``grades`` say how many of each grade; ``drawn`` whether it has a cell on the map.

    Raises:
        Forbidden: the role does not read monitoring results.
        NotFound: see :func:`children`.
    """
    require_analyst(actor)
    kids = children(code)
    located = centroids(code)
    divisions = load_divisions()
    counts: dict[str, Counter[str]] = {child.code: Counter() for child in kids}
    as_of: date | None
    with store.read_session() as session:
        as_of = scoring.latest_as_of(session, scorecard_id)
        if as_of is not None:
            conditions = [
                Score.scorecard_id == scorecard_id,
                Score.as_of == as_of,
                Score.shadow.is_(False),
                region_condition(actor, Score.adcode, Score.sector),
            ]
            if code != COUNTRY:
                prefix = jurisdiction_prefix(code)
                conditions.append(Score.adcode.startswith(prefix, autoescape=True))
            rows = session.execute(
                sa.select(Score.adcode, Score.grade, sa.func.count())
                .where(*conditions)
                .group_by(Score.adcode, Score.grade)
            )
            for adcode, grade, count in rows:
                child = _child_of(str(adcode or ""), kids)
                if child is not None:
                    counts[child][str(grade)] += int(count)
    regions = [
        {
            "code": child.code,
            "name": child.name,
            "grades": {g: counts[child.code][g] for g in GRADES},
            "total": sum(counts[child.code].values()),
            "risk": counts[child.code]["red"] + counts[child.code]["orange"],
            "drawn": child.code in located,
            "drillable": child.level in _DRILLABLE,
        }
        for child in kids
    ]
    trail = [] if code == COUNTRY else divisions.ancestors(code)
    return {
        "code": code,
        "name": divisions[code].name if code != COUNTRY else None,
        "trail": [{"code": d.code, "name": d.name} for d in trail],
        "parent": (trail[-2].code if len(trail) > 1 else COUNTRY) if trail else None,
        "scorecard": scorecard_id,
        "as_of": as_of,
        "regions": regions,
    }


def start_code(actor: Actor, jurisdiction: str | None) -> str:
    """Where the map opens: the workspace's province, else the user's province, else China."""
    divisions = load_divisions()
    for code in (jurisdiction, actor.adcode):
        if code and code in divisions:
            return divisions.ancestors(code)[0].code
    return COUNTRY


__all__ = ["COUNTRY", "centroids", "children", "geometry", "region_risk", "start_code"]

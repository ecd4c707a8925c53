"""Server-side render time of the dashboard pages on a workspace (target: < 200 ms each).

    PYTHONPATH=src .venv/bin/python contrib/bench/web_pages.py /tmp/demo [--repeat 20]

Adds a city lead user (``bench-web``, agency ``bench-web-<city>``) to the workspace if missing,
signs in through the form, then requests each page in process (Starlette's TestClient: the
whole ASGI stack — session, CSRF, services, templates — without sockets) ``--repeat`` times.
The first request of each page is reported apart (cold: catalogues, pinyin tables and the map
geometry are loaded and cached then); median and p95 are over the warm ones.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from smokewatch.cli.server import create_server_app
from smokewatch.errors import Conflict
from smokewatch.services import agencies, users
from smokewatch.settings import load_settings
from smokewatch.store.db import Store
from smokewatch.store.orm import Score

PASSWORD = "bench web password"  # noqa: S105 - a throwaway bench user


def _user(store: Store, city: str) -> None:
    root = users.system_actor("bench")
    try:
        agencies.create_agency(
            store,
            agency_id=f"bench-web-{city}",
            name="bench",
            kind="lead_department",
            adcode=city,
            sectors=(),
            actor=root,
        )
        users.create_user(
            store,
            user_id="bench-web",
            display_name="bench",
            password=PASSWORD,
            roles=["lead"],
            agency_id=f"bench-web-{city}",
            actor=root,
        )
    except Conflict:
        pass


def main() -> None:
    """Measure and print one line per page."""
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings = load_settings(workspace=args.workspace)
    store = Store(settings.store_url)
    city = settings.jurisdiction.adcode or "340200"
    _user(store, city)
    with store.read_session() as session:
        red = (
            session.execute(
                sa.select(Score.subject_id).where(Score.grade == "red").order_by(Score.score.desc())
            )
            .scalars()
            .first()
        )
        scores = session.execute(sa.select(sa.func.count()).select_from(Score)).scalar_one()
    app = create_server_app(settings, store=store)
    paths = [
        "/overview",
        f"/overview/map/{city[:2]}0000.json",
        f"/overview/map/{city}.json",
        "/watchlist",
        "/watchlist?q=zd",
        "/watchlist?grade=red&typology=fundraising.return_promise",
        f"/entities/{red}",
        "/watchlist/export.csv",
        "/watchlist/export.xlsx",
    ]
    print(f"workspace {args.workspace}: {scores} scores; {args.repeat} requests per page")
    with TestClient(app, follow_redirects=False) as client:
        login = client.get("/login").text
        token = login.split('name="csrf-token" content="')[1].split('"')[0]
        client.post(
            "/login", data={"user_id": "bench-web", "password": PASSWORD, "csrf_token": token}
        )
        for path in paths:
            times = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (path, response.status_code)  # noqa: S101
            warm = sorted(times[1:])
            p95 = warm[max(0, round(0.95 * len(warm)) - 1)]
            print(
                f"| `{path}` | {times[0]:.0f} | {statistics.median(warm):.0f} | {p95:.0f} "
                f"| {len(response.content):,} |"
            )
    store.dispose()


if __name__ == "__main__":
    main()

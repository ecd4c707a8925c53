"""The answer cache: a kept answer is the normal answer, for the same scope and data, audited.

Each test runs on SQLite and on PostgreSQL. A request's fate is read from the cache's
counters: ``through`` (the token is not remembered yet: the normal path, nothing kept),
``miss`` (the normal path; a 200 answer is kept) or ``hit`` (served from memory).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import pytest
import sqlalchemy as sa
import sqlglot
from fastapi.testclient import TestClient
from sqlglot import exp

from smokewatch.api.answer_cache import AnswerCache
from smokewatch.api.app import create_app
from smokewatch.services import alerts, audit, cases, entities, users
from smokewatch.settings import ApiSettings
from smokewatch.store import repos, scoring
from smokewatch.store.data_version import WATCHED_TABLES, read_version
from smokewatch.store.db import Store
from smokewatch.store.orm import Finding, Score
from smokewatch.store.orm_cases import User
from tests.api.world import (
    IN,
    PASSWORD,
    PHONE,
    ROOT,
    World,
    entity,
    fresh_token,
    referred_case,
)


def _cache(world: World) -> AnswerCache:
    cache: AnswerCache = world.client.app.state.answer_cache  # type: ignore[attr-defined]
    return cache


def served(world: World, role: str, path: str, **params: Any) -> tuple[Any, str]:
    """A GET as the role's user, and whether it was a ``hit``, a ``miss`` or went ``through``."""
    stats = _cache(world).stats
    hits, misses = stats.hits, stats.misses
    response = world.client.get(path, headers=world.headers(role), params=params or None)
    if stats.hits > hits:
        return response, "hit"
    return response, "miss" if stats.misses > misses else "through"


def warm(world: World, role: str, path: str, **params: Any) -> Any:
    """Request until the answer is kept (the token resolved, then a miss); the last answer."""
    for _ in range(3):
        response, fate = served(world, role, path, **params)
        if fate == "miss":
            return response
    raise AssertionError(f"{path} was never computed through the cache")


def _version(store: Store) -> int:
    with store.sa_engine.connect() as connection:
        return read_version(connection)


def test_a_hit_is_the_miss_byte_for_byte(world: World) -> None:
    subject = entity(world, IN)
    for role, path, params in (
        ("lead", f"/api/v1/entities/{subject}", {}),
        ("city", "/api/v1/alerts", {"grade": "red", "limit": 10}),
    ):
        miss = warm(world, role, path, **params)
        hit, fate = served(world, role, path, **params)
        assert (fate, miss.status_code) == ("hit", 200)
        assert hit.status_code == miss.status_code
        assert hit.headers.multi_items() == miss.headers.multi_items()
        assert hit.content == miss.content


def test_every_hit_records_the_pii_view_as_the_normal_path_does(world: World) -> None:
    subject = entity(world, IN)
    path = f"/api/v1/entities/{subject}"
    users.create_user(
        world.store,
        user_id="lead2",
        display_name="lead2",
        password=PASSWORD,
        roles=["lead"],
        agency_id="lead-340202",
        actor=ROOT,
    )
    world.tokens["lead2"] = users.issue_token(world.store, "lead2", name="t", actor=ROOT).secret
    warm(world, "lead", path)
    fates = [served(world, "lead", path)[1], served(world, "lead", path)[1]]
    world.client.get(path, headers=world.headers("lead2"))  # resolves lead2's token
    shared, fate = served(world, "lead2", path)  # same scope: lead's kept answer
    assert fates == ["hit", "hit"] and fate == "hit" and PHONE in shared.text
    entries = audit.history(world.store, "entity", subject)
    assert [(e["actor"], e["action"]) for e in entries] == [
        *[("lead", "entity.view_pii")] * 4,
        *[("lead2", "entity.view_pii")] * 2,
    ]
    assert all(e["detail"] == entries[0]["detail"] for e in entries)
    assert entries[0]["detail"]["view"] == "profile" and entries[0]["detail"]["values"] >= 1
    assert audit.verify(world.store).intact


def test_users_of_different_territories_or_pii_rights_never_share_an_answer(world: World) -> None:
    subject = entity(world, IN)
    path = f"/api/v1/entities/{subject}"
    shown = warm(world, "lead", path)
    masked = warm(world, "officer", path)  # same county, no PII right: computed, not lead's
    assert PHONE in shown.text and PHONE not in masked.text and "138****8000" in masked.text
    for _ in range(2):
        assert world.client.get(path, headers=world.headers("jiujiang")).status_code == 404
    for role, expected in (("officer", masked), ("lead", shown)):
        response, fate = served(world, role, path)
        assert (fate, response.content) == ("hit", expected.content)
    assert len(_cache(world)) == 2
    assert {e["actor"] for e in audit.history(world.store, "entity", subject)} == {"lead"}


def test_query_parameters_in_another_order_share_an_answer(world: World) -> None:
    entity(world, IN)
    warm(world, "city", "/api/v1/alerts?grade=red&limit=5")
    response, fate = served(world, "city", "/api/v1/alerts?limit=5&grade=red")
    assert fate == "hit" and response.json()["limit"] == 5


def test_invalid_requests_and_errors_are_never_kept(world: World) -> None:
    warm(world, "city", "/api/v1/alerts")
    for _ in range(2):
        response, fate = served(world, "city", "/api/v1/alerts", limit=0)
        assert (response.status_code, fate) == (422, "miss")
        response, fate = served(world, "city", "/api/v1/entities/nobody")
        assert (response.status_code, fate) == (404, "miss")


def _other_store(world: World) -> Store:
    """The same database through another engine: another process's connections."""
    return Store(world.store.sa_engine.url.render_as_string(hide_password=False))


def _ack(world: World, subject: str) -> None:
    world.call("officer", "POST", f"/api/v1/alerts/al-{subject}/ack", json={"note": "已知悉"})


def _assign(world: World, subject: str) -> None:
    world.call("lead", "POST", f"/api/v1/alerts/al-{subject}/assign", json={"assignee": "officer"})


def _open_case(world: World, subject: str) -> None:
    world.call("officer", "POST", f"/api/v1/alerts/al-{subject}/cases", json={})


def _case_transition(world: World, subject: str) -> None:
    (case,) = entities.profile(world.store, ROOT, subject)["cases"]
    cases.act(world.store, ROOT, case["id"], "dismiss", {"resolution": "false_positive"})


def _row(obj: Any, drop: set[str]) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in obj.__table__.columns if c.key not in drop}


def _score_run(world: World, subject: str) -> None:
    other = _other_store(world)
    with other.unit_of_work() as session:
        score = session.scalars(sa.select(Score).where(Score.subject_id == subject)).one()
        row = _row(score, {"run_id", "created_at"})
        scoring.replace_scores(session, "sco-1", [{**row, "score": 12.5, "grade": "green"}])
    other.dispose()


def _findings_ingest(world: World, subject: str) -> None:
    other = _other_store(world)
    with other.unit_of_work() as session:
        finding = session.scalars(sa.select(Finding).where(Finding.subject_id == subject)).one()
        row = _row(finding, {"run_id", "created_at"})
        repos.replace_findings(session, "det-1", [{**row, "id": f"f2-{subject}"}])
    other.dispose()


def _watch(world: World, subject: str) -> None:
    world.call(
        "lead",
        "POST",
        "/api/v1/watchlists/key_focus/entries",
        json={"subject_id": subject, "reason": "多次被投诉"},
    )


WRITES: dict[str, Callable[[World, str], None]] = {
    "alert acknowledged": _ack,
    "alert assigned": _assign,
    "case opened from the alert": _open_case,
    "case transition": _case_transition,
    "score run (another engine)": _score_run,
    "findings ingest (another engine)": _findings_ingest,
    "watch-list entry": _watch,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_write_path_that_changes_an_answer_invalidates_it(
    world: World, write: Callable[[World, str], None]
) -> None:
    subject = entity(world, IN)
    if write is _case_transition:
        _open_case(world, subject)
    paths = {"profile": f"/api/v1/entities/{subject}", "alerts": "/api/v1/alerts?limit=1000"}
    before = {name: warm(world, "lead", path).content for name, path in paths.items()}
    assert all(served(world, "lead", path)[1] == "hit" for path in paths.values())
    version = _version(world.store)
    write(world, subject)
    assert _version(world.store) > version
    after = {name: served(world, "lead", path) for name, path in paths.items()}
    assert after["profile"][1] == "miss" and after["profile"][0].content != before["profile"]
    assert after["alerts"][1] == "miss"
    if write in (_ack, _assign):  # the others change what the profile shows, not the list
        assert after["alerts"][0].content != before["alerts"]


def test_a_user_moved_to_another_territory_is_not_served_their_old_answers(
    world: World,
) -> None:
    subject = entity(world, IN)
    path = f"/api/v1/entities/{subject}"
    warm(world, "lead", path)
    version = _version(world.store)
    other = _other_store(world)
    with other.unit_of_work() as session:
        session.execute(sa.update(User).where(User.id == "lead").values(agency_id="lead-340207"))
    other.dispose()
    assert _version(world.store) > version
    users.forget_tokens()  # what a change through this process does; others: within seconds
    assert served(world, "lead", path)[0].status_code == 404


def test_the_cache_can_be_turned_off(world: World) -> None:
    subject = entity(world, IN)
    api = ApiSettings(answer_cache_mib=0)
    settings = world.settings.model_copy(update={"api": api})
    with TestClient(create_app(settings, store=world.store)) as client:
        for _ in range(3):
            answer = client.get(f"/api/v1/entities/{subject}", headers=world.headers("lead"))
            assert answer.status_code == 200
        assert client.app.state.answer_cache.stats.misses == 0  # type: ignore[attr-defined]
    assert len(audit.history(world.store, "entity", subject)) == 3


@contextmanager
def _statements(store: Store) -> Iterator[list[str]]:
    seen: list[str] = []

    def capture(*args: Any) -> None:
        seen.append(str(args[2]))

    sa.event.listen(store.sa_engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        sa.event.remove(store.sa_engine, "before_cursor_execute", capture)


def test_every_table_the_cached_reads_read_is_watched_by_the_data_version(world: World) -> None:
    subject = entity(world, IN)
    referred_case(world, IN, subject)
    lead, police = world.actors["lead"], world.actors["police"]
    dialect = "postgres" if world.store.dialect == "postgresql" else "sqlite"
    with _statements(world.store) as seen:
        entities.profile(world.store, lead, subject)
        entities.profile(world.store, police, subject)
        entities.profile(world.store, replace(lead, adcode="340200"), subject)
        with pytest.raises(Exception, match="no entity"):
            entities.profile(world.store, lead, "never-scored")
        alerts.list_alerts(store=world.store, actor=lead, grades=["red"], acknowledged=False)
    read: set[str] = set()
    for statement in seen:
        parsed = sqlglot.parse_one(statement, read=dialect)
        if isinstance(parsed, exp.Select):
            read |= {table.name for table in parsed.find_all(exp.Table)}
    read -= {"audit_entry"}  # the chain's end, read to append a PII view's entry
    assert {"score", "alert", "finding", "run", "case_record"} <= read
    assert read <= set(WATCHED_TABLES)


def test_a_kept_answer_is_never_sent_without_a_valid_token(world: World) -> None:
    entity(world, IN)
    token_id, secret = fresh_token(world, "lead")
    world.tokens["fresh"] = secret
    warm(world, "fresh", "/api/v1/alerts")
    assert served(world, "fresh", "/api/v1/alerts")[1] == "hit"
    assert world.client.get("/api/v1/alerts").status_code == 401
    wrong = {"Authorization": f"Basic {secret}"}
    assert world.client.get("/api/v1/alerts", headers=wrong).status_code == 401
    users.revoke_token(world.store, token_id, actor=ROOT)  # forgets the process's token cache
    response, fate = served(world, "fresh", "/api/v1/alerts")
    assert (response.status_code, fate) == (401, "through")

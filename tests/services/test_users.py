"""Agencies, users, passwords, tokens: hashed, locked after failures, audited."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from smokewatch.cases.access import Role
from smokewatch.errors import Conflict, InvalidInput, NotFound, Unauthorized
from smokewatch.services import agencies, audit, users
from smokewatch.store import Store
from smokewatch.store.orm_cases import ApiToken, User

ROOT = users.system_actor("tester")


@pytest.fixture
def county(store: Store) -> Store:
    agencies.create_agency(
        store,
        agency_id="lead-340202",
        name="镜湖区金融办",
        kind="lead_department",
        adcode="340202",
        actor=ROOT,
    )
    users.create_user(
        store,
        user_id="wang",
        display_name="王科长",
        password="correct horse battery",
        roles=["lead"],
        agency_id="lead-340202",
        actor=ROOT,
    )
    return store


def test_passwords_are_stored_only_as_argon2_hashes(county: Store) -> None:
    with county.read_session() as session:
        stored = session.get(User, "wang")
        assert stored is not None
        assert stored.password_hash.startswith("$argon2id$")
        assert "correct horse" not in stored.password_hash


def test_sign_in_gives_a_session_token_that_resolves_to_the_actor(county: Store) -> None:
    issued = users.sign_in(county, "wang", "correct horse battery")
    actor = users.actor_for_token(county, issued.secret)
    assert (actor.user_id, actor.roles, actor.adcode) == ("wang", frozenset({Role.LEAD}), "340202")
    with county.read_session() as session:
        token = session.get(ApiToken, issued.id)
        assert token is not None and issued.secret not in token.token_hash


def test_five_failures_lock_the_account_even_with_the_right_password(county: Store) -> None:
    for _ in range(users.MAX_FAILED_LOGINS):
        with pytest.raises(Unauthorized):
            users.sign_in(county, "wang", "wrong password!")
    with pytest.raises(Unauthorized):
        users.sign_in(county, "wang", "correct horse battery")
    users.set_password(county, "wang", "a new long password", actor=ROOT)
    assert users.sign_in(county, "wang", "a new long password").user_id == "wang"


def test_unknown_users_are_refused_with_the_same_message(county: Store) -> None:
    with pytest.raises(Unauthorized) as unknown:
        users.sign_in(county, "nobody", "whatever long")
    with pytest.raises(Unauthorized) as wrong:
        users.sign_in(county, "wang", "whatever long")
    assert str(unknown.value) == str(wrong.value)


def test_revoked_expired_and_inactive_tokens_stop_working(county: Store) -> None:
    issued = users.issue_token(county, "wang", name="script", actor=ROOT)
    assert users.actor_for_token(county, issued.secret).user_id == "wang"
    users.revoke_token(county, issued.id, actor=ROOT)
    with pytest.raises(Unauthorized):
        users.actor_for_token(county, issued.secret)
    other = users.issue_token(county, "wang", name="other", actor=ROOT)
    assert users.actor_for_token(county, other.secret).user_id == "wang"  # now remembered
    users.set_active(county, "wang", False, actor=ROOT)
    with pytest.raises(Unauthorized):
        users.actor_for_token(county, other.secret)
    with pytest.raises(Unauthorized):
        users.actor_for_token(county, "swt_madeup")


def test_bad_users_and_agencies_are_refused(county: Store) -> None:
    with pytest.raises(InvalidInput, match="at least 10"):
        users.create_user(
            county,
            user_id="li",
            display_name="李",
            password="short",
            roles=["lead"],
            agency_id="lead-340202",
            actor=ROOT,
        )
    with pytest.raises(InvalidInput, match="unknown role"):
        users.create_user(
            county,
            user_id="li",
            display_name="李",
            password="long enough pw",
            roles=["king"],
            agency_id="lead-340202",
            actor=ROOT,
        )
    with pytest.raises(InvalidInput, match="belongs to an agency"):
        users.create_user(
            county,
            user_id="li",
            display_name="李",
            password="long enough pw",
            roles=["lead"],
            agency_id=None,
            actor=ROOT,
        )
    with pytest.raises(NotFound):
        users.create_user(
            county,
            user_id="li",
            display_name="李",
            password="long enough pw",
            roles=["lead"],
            agency_id="nope",
            actor=ROOT,
        )
    with pytest.raises(Conflict):
        users.create_user(
            county,
            user_id="wang",
            display_name="王",
            password="long enough pw",
            roles=["lead"],
            agency_id="lead-340202",
            actor=ROOT,
        )


def test_every_change_and_failed_sign_in_is_in_the_audit_log(county: Store) -> None:
    with pytest.raises(Unauthorized):
        users.sign_in(county, "wang", "wrong password!")
    actions = [e["action"] for e in audit.history(county, "user", "wang")]
    assert actions == ["user.create", "user.signin_failed"]
    assert audit.verify(county).intact


def test_a_tampered_audit_entry_is_detected(county: Store) -> None:
    with county.unit_of_work() as session:
        session.execute(sa.text("update audit_entry set actor = 'someone' where seq = 2"))
    check = audit.verify(county)
    assert (check.intact, check.broken_at) == (False, 2)

"""The permission matrix: every role × every endpoint × inside/outside its territory.

One table (:data:`MATRIX`) says what each role gets from each operation, for an object inside
the county-level users' county (``IN``, 340202) and one outside it (``OUT``, 340207, still in
the city of the city lead and of the workspace). For the police "inside" means referred to
their unit, for the bank reporter (a county branch in ``IN``) opened from their report.
``200L``/``200H``: the answer is 200 and lists / hides the object (a run's rejected rows are
raw data of the whole workspace: shown to the city and the admin only). Each cell makes its
own objects, so cells do not depend on each other.

:func:`test_the_actions_offered_are_the_actions_accepted` checks the other half of a case
answer: every action it offers the user is accepted, and every other one is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from smokewatch.cases.workflow import CaseAction
from smokewatch.services import alerts, cases, tips_inbox, users
from tests.api import tips_world
from tests.api.world import (
    IN,
    OUT,
    PASSWORD,
    ROLES,
    ROOT,
    World,
    case_with_file,
    entity,
    fresh_token,
    referred_case,
)

Setup = Callable[[World, str, str], "Call"]


@dataclass
class Call:
    """What a cell sends, and where a list shows the object."""

    path: dict[str, str] = field(default_factory=dict)
    query: dict[str, Any] = field(default_factory=dict)
    json: Any = None
    content: bytes | None = None
    token: str | None = None
    """Send this token instead of the role's (sign-out ends the session it is sent with)."""
    listed: tuple[str, Any] | None = None
    """(field, value) identifying the object in a list answer."""
    items: str = "items"
    """Where the list is in an object answer."""


def _none(world: World, where: str, role: str) -> Call:
    return Call()


def _run(world: World, where: str, role: str) -> Call:
    return Call(path={"run_id": "ing-1"}, listed=("row_number", 7), items="rejects")


def _rule(world: World, where: str, role: str) -> Call:
    return Call(path={"rule_id": "SW-R-0001"})


def _scorecard(world: World, where: str, role: str) -> Call:
    return Call(path={"scorecard_id": "SW-S-0001"})


def _screen(world: World, where: str, role: str) -> Call:
    # Without a name: every signed-in role passes the gate and gets the service's 422 (a real
    # screening opens an engine and takes a second; tests/api/test_routes.py runs one).
    return Call(query={"scope": " "})


def _findings(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    return Call(query={"subject_id": subject}, listed=("subject_id", subject))


def _sign_in(world: World, where: str, role: str) -> Call:
    return Call(json={"user_id": role, "password": PASSWORD})


def _sign_out(world: World, where: str, role: str) -> Call:
    return Call(token=fresh_token(world, role)[1])


def _agency(world: World, where: str, role: str) -> Call:
    agency = world.next("grid-")
    return Call(json={"id": agency, "name": f"{agency} 网格", "kind": "grid", "adcode": where})


def _users_list(world: World, where: str, role: str) -> Call:
    return Call(listed=("id", "officer" if where == IN else "jiujiang"))


def _user_create(world: World, where: str, role: str) -> Call:
    return Call(
        json={
            "id": world.next("u"),
            "display_name": "新用户",
            "password": PASSWORD,
            "roles": ["officer"],
            "agency_id": f"lead-{where}",
        }
    )


def _user(world: World, where: str, role: str) -> Call:
    user_id = world.next("u")
    users.create_user(
        world.store,
        user_id=user_id,
        display_name=user_id,
        password=PASSWORD,
        roles=["viewer"],
        agency_id=f"lead-{where}",
        actor=ROOT,
    )
    return Call(path={"user_id": user_id})


def _self_or_other(world: World, where: str, role: str) -> Call:
    return Call(path={"user_id": role if where == IN else "jiujiang"}, json={"name": "script"})


def _token(world: World, where: str, role: str) -> Call:
    token_id, _ = fresh_token(world, role if where == IN else "jiujiang")
    return Call(path={"token_id": token_id})


def _entity(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    referred_case(world, where, subject)
    return Call(path={"entity_id": subject})


def _scores(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    return Call(query={"limit": 1000}, listed=("subject_id", subject))


def _alerts(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    return Call(query={"limit": 1000}, listed=("subject_id", subject))


def _alert(body: Any = None) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(path={"alert_id": f"al-{entity(world, where)}"}, json=body)

    return setup


def _watch_list(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    alerts.add_watch(world.store, subject, reason="重点关注", actor="tests")
    return Call(listed=("subject_id", subject))


def _watch_add(world: World, where: str, role: str) -> Call:
    return Call(
        path={"list_id": "key_focus"}, json={"subject_id": entity(world, where), "reason": "关注"}
    )


def _watch_remove(world: World, where: str, role: str) -> Call:
    subject = entity(world, where)
    alerts.add_watch(world.store, subject, reason="重点关注", actor="tests")
    return Call(path={"list_id": "key_focus", "entity_id": subject}, query={"reason": "已核查"})


def _cases_list(world: World, where: str, role: str) -> Call:
    subject = world.next("subject-")
    case_id = referred_case(world, where, subject)
    return Call(query={"subject_id": subject}, listed=("id", case_id))


def _case_open(world: World, where: str, role: str) -> Call:
    return Call(json={"title": "群众举报：高息揽储", "jurisdiction": where})


def _case(body: Any = None, query: dict[str, Any] | None = None) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(path={"case_id": referred_case(world, where)}, json=body, query=query or {})

    return setup


def _upload(world: World, where: str, role: str) -> Call:
    return Call(
        path={"case_id": referred_case(world, where)},
        query={"name": "现场照片说明.txt"},
        content="现场检查记录".encode(),
    )


def _download(world: World, where: str, role: str) -> Call:
    case_id, sha = case_with_file(world, where)
    return Call(path={"case_id": case_id, "sha256": sha})


def _tips(world: World, where: str, role: str) -> Call:
    return Call(query={"limit": 1000}, listed=("id", tips_world.tip(world, where)))


def _tip(body: Any = None) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(path={"tip_id": tips_world.tip(world, where)}, json=body)

    return setup


def _tip_pair(world: World, where: str, role: str) -> Call:
    original = tips_world.tip(world, where)
    return Call(path={"tip_id": tips_world.tip(world, where)}, json={"into": original})


def _tip_and_case(world: World, where: str, role: str) -> Call:
    opened = tips_inbox.convert(world.store, ROOT, tips_world.tip(world, where))
    return Call(path={"tip_id": tips_world.tip(world, where)}, json={"case_id": opened["case_id"]})


def _tip_file(world: World, where: str, role: str) -> Call:
    tip_id, sha = tips_world.tip_file(world, where)
    return Call(path={"tip_id": tip_id, "sha256": sha})


def _confirmed(body: Any) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(path={"tip_id": tips_world.confirmed_tip(world, where)}, json=body)

    return setup


def _rewarded(body: Any = None) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(path={"tip_id": tips_world.rewarded_tip(world, where)}, json=body)

    return setup


def _scheme(world: World, where: str, role: str) -> Call:
    return Call(
        json={
            "id": world.next("scheme-"),
            "name": "举报奖励办法",
            "province": "340000",
            "rate": "0.02",
            "floor": "1000",
            "cap": "200000",
            "valid_from": "2027-01-01",
        }
    )


def _warnings(world: World, where: str, role: str) -> Call:
    return Call(listed=("id", tips_world.warning(world, where)))


def _warning_draft(world: World, where: str, role: str) -> Call:
    return Call(
        json={
            "title": "关于警惕“养老投资”骗局的风险提示",
            "body": "近期有不法分子以养老服务为名，承诺高额回报，非法吸收公众存款。",
            "issuing_agency": "镜湖区金融办",
            "adcode": where,
        }
    )


def _warning(publish: bool, body: Any = None) -> Setup:
    def setup(world: World, where: str, role: str) -> Call:
        return Call(
            path={"warning_id": tips_world.warning(world, where, publish=publish)}, json=body
        )

    return setup


ALL_200 = "200/200 " * 7
ANALYSTS = "200/200 200/200 200/200 200/200 200/200 403/403 403/403"
ADMIN_ONLY = "{0}/{0} 403/403 403/403 403/403 403/403 403/403 403/403"
WORKSPACE_ROWS = "200L/200L 200L/200L 200H/200H 200H/200H 200H/200H 403/403 403/403"
ROUTED_LIST = "200L/200L 200L/200L 200L/200H 200L/200H 200L/200H 403/403 403/403"
ROUTED_READ = "200/200 200/200 200/404 200/404 200/404 403/403 403/403"
ROUTED_ACT = "{0}/{0} {0}/{0} {0}/404 {0}/404 403/404 403/403 403/403"
CASE_READ = "200/200 200/200 200/404 200/404 200/404 200/404 200/404"
CASE_EDIT = "{0}/{0} {0}/{0} {0}/404 {0}/404 403/404 403/404 403/404"
REWARD = "{0}/{0} {0}/{0} {0}/404 403/404 403/404 403/403 403/403"
WARNING_EDIT = "{0}/{0} {0}/{0} {0}/403 403/403 403/403 403/403 403/403"

# operation id: (method, path, setup, "in/out" for admin city lead officer viewer police reporter)
MATRIX: dict[str, tuple[str, str, Setup, str]] = {
    "system-health": ("GET", "/health", _none, ALL_200),
    "overview-get": ("GET", "/overview", _none, ANALYSTS),
    "runs-list": ("GET", "/runs", _none, ANALYSTS),
    "runs-get": ("GET", "/runs/{run_id}", _run, WORKSPACE_ROWS),
    "runs-rejects": ("GET", "/runs/{run_id}/rejects", _run,
                     "200/200 200/200 403/403 403/403 403/403 403/403 403/403"),
    "findings-list": ("GET", "/findings", _findings, ROUTED_LIST),
    "rules-list": ("GET", "/rules", _none, ALL_200),
    "rules-get": ("GET", "/rules/{rule_id}", _rule, ALL_200),
    "scorecards-list": ("GET", "/scorecards", _none, ALL_200),
    "scorecards-get": ("GET", "/scorecards/{scorecard_id}", _scorecard, ALL_200),
    "screen-check": ("GET", "/screen", _screen, "422/422 " * 7),
    "sources-list": ("GET", "/sources", _none, ANALYSTS),
    "auth-sign-in": ("POST", "/auth/sessions", _sign_in, "201/201 " * 7),
    "auth-sign-out": ("DELETE", "/auth/sessions/current", _sign_out, "204/204 " * 7),
    "auth-me": ("GET", "/me", _none, ALL_200),
    "organisations-list-agencies": ("GET", "/agencies", _none, ALL_200),
    "organisations-create-agency": ("POST", "/agencies", _agency, ADMIN_ONLY.format(201)),
    "organisations-list-users": ("GET", "/users", _users_list,
                                 "200L/200L 200L/200L 200L/200H 403/403 403/403 403/403 403/403"),
    "organisations-create-user": ("POST", "/users", _user_create, ADMIN_ONLY.format(201)),
    "organisations-deactivate-user": ("POST", "/users/{user_id}/deactivate", _user,
                                      ADMIN_ONLY.format(204)),
    "organisations-tokens": ("GET", "/users/{user_id}/tokens", _self_or_other,
                             "200/200 " + "200/403 " * 6),
    "organisations-issue-token": ("POST", "/users/{user_id}/tokens", _self_or_other,
                                  "201/201 " + "201/403 " * 6),
    "organisations-revoke-token": ("DELETE", "/tokens/{token_id}", _token,
                                   "204/204 " + "204/404 " * 6),
    "audit-verify": ("GET", "/audit/verify", _none, ADMIN_ONLY.format(200)),
    "entities-profile": ("GET", "/entities/{entity_id}", _entity, CASE_READ),
    "entities-smoke-index": ("GET", "/entities/{entity_id}/smoke-index", _entity, CASE_READ),
    "entities-contributions": ("GET", "/entities/{entity_id}/contributions", _entity, CASE_READ),
    "entities-graph": ("GET", "/entities/{entity_id}/graph", _entity, CASE_READ),
    "entities-patrol-events": ("GET", "/entities/{entity_id}/patrol-events", _entity, CASE_READ),
    "entities-ownership": ("GET", "/entities/{entity_id}/ownership", _entity, CASE_READ),
    "scores-list": ("GET", "/scores", _scores, ROUTED_LIST),
    "alerts-list": ("GET", "/alerts", _alerts, ROUTED_LIST),
    "alerts-get": ("GET", "/alerts/{alert_id}", _alert(), ROUTED_READ),
    "alerts-acknowledge": ("POST", "/alerts/{alert_id}/ack", _alert({}), ROUTED_ACT.format(200)),
    "alerts-assign": ("POST", "/alerts/{alert_id}/assign", _alert({"assignee": None}),
                      ROUTED_ACT.format(200)),
    "alerts-snooze": ("POST", "/alerts/{alert_id}/snooze",
                      _alert({"until": "2099-01-01", "reason": "待核实"}), ROUTED_ACT.format(200)),
    "alerts-close": ("POST", "/alerts/{alert_id}/close", _alert({"reason": "已核查"}),
                     ROUTED_ACT.format(200)),
    "alerts-open-case": ("POST", "/alerts/{alert_id}/cases", _alert({}), ROUTED_ACT.format(201)),
    "watchlists-list": ("GET", "/watchlists", _watch_list, ROUTED_LIST),
    "watchlists-add": ("POST", "/watchlists/{list_id}/entries", _watch_add,
                       ROUTED_ACT.format(201)),
    "watchlists-remove": ("DELETE", "/watchlists/{list_id}/entries/{entity_id}", _watch_remove,
                          ROUTED_ACT.format(200)),
    "reports-summary": ("GET", "/reports/summary", _none, ANALYSTS),
    "reports-labels": ("GET", "/reports/labels", _none, ADMIN_ONLY.format(200)),
    "cases-list": ("GET", "/cases", _cases_list,
                   "200L/200L 200L/200L 200L/200H 200L/200H 200L/200H 200L/200H 200L/200H"),
    "cases-open": ("POST", "/cases", _case_open,
                   "201/201 201/201 201/403 201/403 403/403 403/403 201/403"),
    "cases-get": ("GET", "/cases/{case_id}", _case(), CASE_READ),
    "cases-update": ("PATCH", "/cases/{case_id}", _case({"title": "更正标题"}),
                     CASE_EDIT.format(200)),
    "cases-transition": ("POST", "/cases/{case_id}/transitions",
                         _case({"action": "assign", "assignee": "admin"}), CASE_EDIT.format(200)),
    "cases-audit": ("GET", "/cases/{case_id}/audit", _case(),
                    "200/200 200/200 200/404 403/404 403/404 403/404 403/404"),
    "cases-add-evidence": ("POST", "/cases/{case_id}/evidence",
                           _case({"kind": "entity", "ref_id": "ent-x"}), CASE_EDIT.format(201)),
    "cases-upload-file": ("POST", "/cases/{case_id}/files", _upload, CASE_EDIT.format(201)),
    "cases-download-file": ("GET", "/cases/{case_id}/files/{sha256}", _download, CASE_READ),
    "tips-inbox": ("GET", "/tips", _tips, ROUTED_LIST),
    "tips-get": ("GET", "/tips/{tip_id}", _tip(), ROUTED_READ),
    "tips-act": ("POST", "/tips/{tip_id}/actions", _tip({"action": "triage"}),
                 ROUTED_ACT.format(200)),
    "tips-convert": ("POST", "/tips/{tip_id}/case", _tip({}), ROUTED_ACT.format(201)),
    "tips-merge": ("POST", "/tips/{tip_id}/merge", _tip_pair, ROUTED_ACT.format(200)),
    "tips-attach": ("POST", "/tips/{tip_id}/attach", _tip_and_case, ROUTED_ACT.format(200)),
    "tips-download-file": ("GET", "/tips/{tip_id}/files/{sha256}", _tip_file, ROUTED_READ),
    "tips-reward": ("GET", "/tips/{tip_id}/reward", _rewarded(), ROUTED_READ),
    "tips-decide-reward": ("POST", "/tips/{tip_id}/reward",
                           _confirmed({"illegal_amount": "3000000", "reason": "查实"}),
                           REWARD.format(201)),
    "tips-reward-payment": ("POST", "/tips/{tip_id}/reward/payment",
                            _rewarded({"status": "paid", "reference": "付款凭证 2026-118"}),
                            REWARD.format(200)),
    "rewards-schemes": ("GET", "/reward-schemes", _none, ALL_200),
    "rewards-add-scheme": ("POST", "/reward-schemes", _scheme, ADMIN_ONLY.format(201)),
    "warnings-list": ("GET", "/warnings", _warnings, ROUTED_LIST),
    "warnings-draft": ("POST", "/warnings", _warning_draft, WARNING_EDIT.format(201)),
    "warnings-approve": ("POST", "/warnings/{warning_id}/approve", _warning(False),
                         WARNING_EDIT.format(200)),
    "warnings-withdraw": ("POST", "/warnings/{warning_id}/withdraw",
                          _warning(True, {"reason": "已整改"}), WARNING_EDIT.format(200)),
}  # fmt: skip

_CELL = re.compile(r"(\d{3})([LH]?)")


def expected(operation: str, role: str, where: str) -> tuple[int, str]:
    """The status (and L/H for lists) the matrix gives a role for an object in/out."""
    cells = MATRIX[operation][3].split()
    assert len(cells) == len(ROLES), operation
    inside, outside = cells[ROLES.index(role)].split("/")
    match = _CELL.fullmatch(inside if where == IN else outside)
    assert match, (operation, role)
    return int(match.group(1)), match.group(2)


def _cells() -> list[Any]:
    return [
        pytest.param(op, role, where, id=f"{op}-{role}-{'in' if where == IN else 'out'}")
        for op in MATRIX
        for role in ROLES
        for where in (IN, OUT)
    ]


@pytest.mark.parametrize(("operation", "role", "where"), _cells())
def test_permission_matrix(shared_world: World, operation: str, role: str, where: str) -> None:
    method, template, setup, _ = MATRIX[operation]
    call = setup(shared_world, where, role)
    status, listing = expected(operation, role, where)
    headers = {"Authorization": f"Bearer {call.token or shared_world.tokens[role]}"}
    response = shared_world.client.request(
        method,
        "/api/v1" + template.format(**call.path),
        headers=headers,
        params=call.query,
        json=call.json,
        content=call.content,
    )
    assert response.status_code == status, response.text
    if status >= 400:
        assert response.json()["error"]["kind"]
    if listing:
        assert call.listed is not None
        body = response.json()
        items = body[call.items] if isinstance(body, dict) else body
        key, value = call.listed
        assert any(item[key] == value for item in items) == (listing == "L")


def test_the_matrix_covers_every_operation_of_the_api(shared_world: World) -> None:
    spec = shared_world.client.get("/openapi.json").json()
    operations = {
        (method.upper(), path.removeprefix("/api/v1"), op["operationId"])
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
    }
    assert operations == {(m, p, op) for op, (m, p, _, _) in MATRIX.items()}


@pytest.mark.parametrize(
    "operation", [op for op in MATRIX if op not in {"system-health", "auth-sign-in"}]
)
def test_without_a_token_every_operation_but_health_and_sign_in_is_401(
    shared_world: World, operation: str
) -> None:
    method, template, _, _ = MATRIX[operation]
    path = re.sub(r"\{[a-z_0-9]+\}", "x", template)
    response = shared_world.client.request(method, "/api/v1" + path)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["kind"] == "Unauthorized"


def _action_body(world: World, where: str, action: str) -> dict[str, Any]:
    """A complete, valid request for an action (so only the rules can refuse it)."""
    fields: dict[str, Any] = {
        "verify": {"assignee": "admin"},
        "determine": {"determination": "illegal_fundraising"},
        "dispose": {"measures": ["warning_notice"]},
        "refer": {"to_agency": f"police-{where}", "receipt": world.next("移送-")},
        "close": {"resolution": "disposed"},
        "dismiss": {"resolution": "false_positive"},
        "reopen": {"reason": "新证据"},
        "escalate": {"reason": "跨区县"},
        "designate_lead": {"lead_adcode": where},
        "assign": {"assignee": "admin"},
    }
    if action == "merge":
        return {"action": action, "into": referred_case(world, where), "reason": "同一集团"}
    return {"action": action, **fields.get(action, {})}


def _stage_case(world: World, where: str, stage: str) -> str:
    case_id = referred_case(world, where)
    if stage == "escalated":
        cases.act(world.store, ROOT, case_id, "escalate", {"reason": "跨区县"})
    return case_id


@pytest.mark.parametrize("stage", ["referred", "escalated"])
@pytest.mark.parametrize("where", [IN, OUT], ids=["in", "out"])
@pytest.mark.parametrize("role", ROLES)
def test_the_actions_offered_are_the_actions_accepted(
    shared_world: World, role: str, where: str, stage: str
) -> None:
    """A case answer offers exactly the actions its user would be allowed to take now."""
    world = shared_world
    case_id = _stage_case(world, where, stage)
    answer = world.call(role, "GET", f"/api/v1/cases/{case_id}")
    offered = set(answer.json()["actions"]) if answer.status_code == 200 else set()
    assert answer.status_code in (200, 404)
    for action in CaseAction:
        # An offered action gets a case of its own (taking it changes the case); a refused
        # one leaves the case as it was, so the refusals share one.
        target = _stage_case(world, where, stage) if action in offered else case_id
        body = _action_body(world, where, action.value)
        taken = world.call(role, "POST", f"/api/v1/cases/{target}/transitions", json=body)
        if action in offered:
            assert taken.status_code == 200, (action, taken.text)
        else:
            refused = 404 if answer.status_code == 404 else (403, 409)
            assert taken.status_code in (refused if isinstance(refused, tuple) else (refused,)), (
                action,
                taken.text,
            )

"""The case workflow driven through the API by random users taking random actions.

Each step predicts the answer from the pure rules (:func:`smokewatch.cases.access.can_view`,
:func:`~smokewatch.cases.access.refusal`, :func:`smokewatch.cases.workflow.apply`) and checks
the API agrees: a legal action moves the case and is audited once; an action the stage or a
guard refuses is 409, a role or level that may not act is 403 — and those leave exactly one
trace, the refusal in the audit log; the case stays as it was.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from smokewatch.cases.access import CaseScope, can_view, refusal
from smokewatch.cases.workflow import CaseAction, CaseState, CaseStatus, apply
from smokewatch.errors import InvalidInput, InvalidTransition
from smokewatch.services import audit, cases
from tests.api.world import IN, ROOT, World

FIELDS: dict[CaseAction, dict[str, Any]] = {
    CaseAction.VERIFY: {"assignee": "officer"},
    CaseAction.DETERMINE: {"determination": "illegal_fundraising"},
    CaseAction.DISPOSE: {"measures": ["warning_interview"]},
    CaseAction.REFER: {"to_agency": "police-340202", "receipt": "移送-1"},
    CaseAction.ACKNOWLEDGE: {},
    CaseAction.START_AFTERMATH: {},
    CaseAction.CLOSE: {"resolution": "disposed"},
    CaseAction.DISMISS: {"resolution": "no_violation"},
    CaseAction.REOPEN: {"reason": "新线索"},
    CaseAction.ESCALATE: {"reason": "跨区县"},
    CaseAction.DESIGNATE_LEAD: {"lead_adcode": IN},
    CaseAction.ASSIGN: {"assignee": "admin"},
}
ACTORS = ("admin", "city", "lead", "officer", "police")


def _state(case: dict[str, Any]) -> CaseState:
    return CaseState(
        status=CaseStatus(case["status"]),
        jurisdiction=case["jurisdiction"],
        status_since=datetime.now(UTC),
        assignee=case["assignee"],
        lead_adcode=case["lead_adcode"],
        escalated=case["escalated"],
        referred_to=case["referred_to"],
        referral_acknowledged=case["referral_acknowledged_at"] is not None,
        determination=case["determination"],
        measures=tuple(case["measures"]),
        resolution=case["resolution"],
        merged_into=case["merged_into"],
    )


def _scope(case: dict[str, Any]) -> CaseScope:
    return CaseScope(
        case["jurisdiction"],
        case["lead_adcode"],
        case["sector"],
        case["referred_to"],
        case["reported_by"],
    )


class ApiWorkflow(RuleBasedStateMachine):
    """One fresh case per example; the world is shared by the examples."""

    world: World

    @initialize()
    def open_a_case(self) -> None:
        opened = cases.open_case(self.world.store, ROOT, title="随机测试线索", jurisdiction=IN)
        self.case_id = str(opened["id"])
        self.case = cases.get_case(self.world.store, ROOT, self.case_id)
        self.audited = len(audit.history(self.world.store, "case", self.case_id))

    def _expect(self, role: str, action: CaseAction) -> int:
        actor = self.world.actors[role]
        scope = _scope(self.case)
        if not can_view(actor, scope):
            return 404
        if refusal(actor, scope, action) is not None:
            return 403
        try:
            apply(_state(self.case), action, FIELDS[action], actor=role, now=datetime.now(UTC))
        except InvalidTransition:
            return 409
        except InvalidInput:
            return 422
        assignee = FIELDS[action].get("assignee")
        if assignee is not None and not can_view(self.world.actors[assignee], scope):
            return 422  # the store's fact check: an assignee must see the case
        return 200

    @rule(role=st.sampled_from(ACTORS), action=st.sampled_from(sorted(FIELDS)))
    def act(self, role: str, action: CaseAction) -> None:
        expected = self._expect(role, action)
        response = self.world.call(
            role,
            "POST",
            f"/api/v1/cases/{self.case_id}/transitions",
            json={"action": action.value, **FIELDS[action]},
        )
        assert response.status_code == expected, (role, action, response.text)
        after = cases.get_case(self.world.store, ROOT, self.case_id)
        entries = audit.history(self.world.store, "case", self.case_id)[self.audited :]
        if expected == 200:
            assert after["version"] == self.case["version"] + 1
            assert after["history"][-1]["action"] == action.value
            assert [e["action"] for e in entries] == [f"case.{action.value}"]
        else:
            assert (after["version"], after["history"]) == (
                self.case["version"],
                self.case["history"],
            )
            recorded = [(e["action"], e["detail"].get("action")) for e in entries]
            assert recorded == ([("case.refused", action.value)] if expected in (403, 409) else [])
        self.case, self.audited = after, self.audited + len(entries)

    @invariant()
    def the_audit_chain_is_intact(self) -> None:
        assert audit.verify(self.world.store).intact


def test_random_actions_through_the_api_keep_the_workflow_and_its_audit(
    shared_world: World,
) -> None:
    class Machine(ApiWorkflow):
        world = shared_world

    run_state_machine_as_test(
        Machine, settings=settings(max_examples=15, stateful_step_count=20, deadline=None)
    )

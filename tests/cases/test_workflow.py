"""The case workflow: the transition table, its fields, guards, deadlines — and its invariants."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from smokewatch.cases.workflow import (
    OPEN_STATUSES,
    TRANSITIONS,
    CaseAction,
    CaseState,
    CaseStatus,
    allowed_actions,
    apply,
    deadline,
    is_overdue,
)
from smokewatch.errors import InvalidInput, InvalidTransition

NOW = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
CLUE = CaseState(CaseStatus.CLUE, "340202", NOW)
FIELDS: dict[CaseAction, dict[str, Any]] = {
    CaseAction.VERIFY: {"assignee": "u1"},
    CaseAction.DETERMINE: {"determination": "illegal_fundraising"},
    CaseAction.DISPOSE: {"measures": ["order_to_stop", "cleanup"]},
    CaseAction.REFER: {"to_agency": "police-340202", "receipt": "移送-2026-001"},
    CaseAction.ACKNOWLEDGE: {},
    CaseAction.START_AFTERMATH: {},
    CaseAction.CLOSE: {"resolution": "disposed"},
    CaseAction.DISMISS: {"resolution": "no_violation"},
    CaseAction.REOPEN: {"reason": "新线索"},
    CaseAction.ESCALATE: {"reason": "跨区县"},
    CaseAction.DESIGNATE_LEAD: {"lead_adcode": "340202"},
    CaseAction.ASSIGN: {"assignee": "u2"},
    CaseAction.MERGE: {"into": "case-2", "reason": "同一系族"},
}


def _run(state: CaseState, *actions: CaseAction) -> CaseState:
    for action in actions:
        state, _ = apply(state, action, FIELDS[action], actor="t", now=NOW)
    return state


def test_a_case_goes_from_clue_to_closed_through_every_stage() -> None:
    done = _run(
        CLUE,
        CaseAction.VERIFY,
        CaseAction.DETERMINE,
        CaseAction.DISPOSE,
        CaseAction.REFER,
        CaseAction.ACKNOWLEDGE,
        CaseAction.START_AFTERMATH,
        CaseAction.CLOSE,
    )
    assert done.status == CaseStatus.CLOSED
    assert (done.assignee, done.determination, done.resolution) == (
        "u1",
        "illegal_fundraising",
        "disposed",
    )
    assert done.measures == ("order_to_stop", "cleanup")
    assert done.referral_acknowledged


def test_each_action_returns_the_event_to_append() -> None:
    state, event = apply(CLUE, "verify", {"assignee": "u1"}, actor="officer-1", now=NOW)
    assert (event.action, event.actor, event.from_status, event.to_status) == (
        CaseAction.VERIFY,
        "officer-1",
        CaseStatus.CLUE,
        CaseStatus.VERIFYING,
    )
    assert event.data == {"assignee": "u1"} and state.status_since == NOW


def test_an_action_not_allowed_in_the_stage_is_a_conflict_that_names_the_allowed_ones() -> None:
    with pytest.raises(
        InvalidTransition, match=r"cannot determine a case in stage clue \(allowed: verify, dismiss"
    ):
        apply(CLUE, CaseAction.DETERMINE, FIELDS[CaseAction.DETERMINE], actor="t", now=NOW)


def test_required_fields_and_vocabularies_are_checked() -> None:
    with pytest.raises(InvalidInput, match="verify needs assignee"):
        apply(CLUE, CaseAction.VERIFY, {"assignee": "  "}, actor="t", now=NOW)
    verifying = _run(CLUE, CaseAction.VERIFY)
    with pytest.raises(InvalidInput, match="determination 'fraudish' is not one of"):
        apply(verifying, CaseAction.DETERMINE, {"determination": "fraudish"}, actor="t", now=NOW)
    with pytest.raises(InvalidInput, match="dismiss needs resolution"):
        apply(verifying, CaseAction.DISMISS, {}, actor="t", now=NOW)


def test_aftermath_after_a_referral_waits_for_the_police_acknowledgement() -> None:
    referred = _run(CLUE, CaseAction.VERIFY, CaseAction.DETERMINE, CaseAction.REFER)
    with pytest.raises(InvalidTransition, match="not acknowledged"):
        apply(referred, CaseAction.START_AFTERMATH, {}, actor="t", now=NOW)
    acknowledged = _run(referred, CaseAction.ACKNOWLEDGE)
    with pytest.raises(InvalidTransition, match="already acknowledged"):
        apply(acknowledged, CaseAction.ACKNOWLEDGE, {}, actor="t", now=NOW)
    assert _run(acknowledged, CaseAction.START_AFTERMATH).status == CaseStatus.AFTERMATH


def test_escalation_moves_the_case_up_one_level_and_the_upper_level_names_the_lead() -> None:
    escalated = _run(CLUE, CaseAction.ESCALATE)
    assert (escalated.jurisdiction, escalated.escalated, escalated.status) == (
        "340200",
        True,
        CaseStatus.CLUE,
    )
    assert _run(escalated, CaseAction.ESCALATE).jurisdiction == "340000"
    with pytest.raises(InvalidTransition, match="province-level"):
        _run(escalated, CaseAction.ESCALATE, CaseAction.ESCALATE)
    assert _run(escalated, CaseAction.DESIGNATE_LEAD).lead_adcode == "340202"
    with pytest.raises(InvalidTransition, match="not within 340200"):
        apply(escalated, CaseAction.DESIGNATE_LEAD, {"lead_adcode": "340100"}, actor="t", now=NOW)
    with pytest.raises(InvalidTransition, match="only for escalated"):
        apply(CLUE, CaseAction.DESIGNATE_LEAD, {"lead_adcode": "340202"}, actor="t", now=NOW)


def test_dismissed_and_closed_cases_reopen_into_verification() -> None:
    dismissed = _run(CLUE, CaseAction.DISMISS)
    reopened = _run(dismissed, CaseAction.REOPEN)
    assert (reopened.status, reopened.resolution) == (CaseStatus.VERIFYING, None)


def test_deadlines_run_from_entering_the_stage() -> None:
    assert deadline(CLUE) == date(2026, 11, 8)
    assert not is_overdue(CLUE, date(2026, 11, 8))
    assert is_overdue(CLUE, date(2026, 11, 9))
    later = NOW + timedelta(days=10)
    verifying, _ = apply(CLUE, CaseAction.VERIFY, {"assignee": "u"}, actor="t", now=later)
    assert deadline(verifying) == date(2026, 12, 11)
    assert deadline(_run(CLUE, CaseAction.DISMISS)) is None


def test_every_action_is_in_the_table_once() -> None:
    assert sorted(t.action for t in TRANSITIONS) == sorted(CaseAction)


class Workflow(RuleBasedStateMachine):
    """Random actions: legal ones apply, illegal ones are refused and change nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.state = CLUE
        self.events = 0

    @rule(action=st.sampled_from(list(CaseAction)))
    def act(self, action: CaseAction) -> None:
        before = self.state
        try:
            self.state, event = apply(before, action, FIELDS[action], actor="t", now=NOW)
        except (InvalidTransition, InvalidInput):
            assert self.state == before
            return
        assert event.from_status == before.status and event.to_status == self.state.status
        self.events += 1

    @invariant()
    def finished_cases_have_a_reason_or_a_target(self) -> None:
        if self.state.status in (CaseStatus.CLOSED, CaseStatus.DISMISSED):
            assert self.state.resolution is not None
        if self.state.status == CaseStatus.MERGED:
            assert self.state.merged_into is not None

    @invariant()
    def a_lead_region_lies_within_the_jurisdiction(self) -> None:
        if self.state.lead_adcode is not None:
            assert self.state.escalated
            assert self.state.lead_adcode.startswith(self.state.jurisdiction[:2])

    @invariant()
    def open_cases_have_a_deadline_and_no_resolution(self) -> None:
        if self.state.status in OPEN_STATUSES:
            assert deadline(self.state) is not None
            assert self.state.resolution is None or self.state.status == CaseStatus.VERIFYING

    @invariant()
    def merged_cases_allow_nothing(self) -> None:
        if self.state.status == CaseStatus.MERGED:
            assert allowed_actions(self.state) == []


TestWorkflow = Workflow.TestCase
TestWorkflow.settings = settings(max_examples=200, stateful_step_count=30, deadline=None)


def test_a_lead_region_is_offered_only_for_escalated_cases() -> None:
    county = CaseState(CaseStatus.VERIFYING, "340202", datetime(2026, 11, 1, tzinfo=UTC))
    assert CaseAction.DESIGNATE_LEAD not in allowed_actions(county)
    escalated = dataclasses.replace(county, jurisdiction="340200", escalated=True)
    assert CaseAction.DESIGNATE_LEAD in allowed_actions(escalated)


def test_a_province_case_is_not_offered_escalation() -> None:
    province = CaseState(CaseStatus.VERIFYING, "340000", datetime(2026, 11, 1, tzinfo=UTC))
    assert CaseAction.ESCALATE not in allowed_actions(province)

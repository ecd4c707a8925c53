"""Effectiveness metrics as regulators report them: fixtures small enough to check by hand."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smokewatch.errors import InvalidInput
from smokewatch.score.evaluate import (
    EvaluationReport,
    Outcome,
    ScorePoint,
    evaluate,
    read_outcomes,
)

GRADES = ("red", "orange", "yellow", "blue")
CUTOFF = date(2024, 6, 30)
D = date.fromisoformat


def _point(entity: str, index: float, grade: str, as_of: str = "2024-06-01") -> ScorePoint:
    return ScorePoint(entity, D(as_of), index, grade)


def _case(entity: str, day: str = "2024-09-01", kind: str = "court") -> Outcome:
    return Outcome(entity, D(day), kind)


def _evaluate(
    scores: list[ScorePoint], outcomes: list[Outcome], **options: object
) -> EvaluationReport:
    params: dict[str, object] = {"grades": GRADES, "cutoff": CUTOFF} | options
    return evaluate(scores, outcomes, **params)  # type: ignore[arg-type]


# ---------------------------------------------------------------- AUC


def test_auc_by_hand_with_a_tie_and_an_unscored_entity() -> None:
    # positives a=80, b=50; negatives c=50, d=20, e unscored (index 0).
    # pairs: a beats c, d, e (3); b ties c (0.5), beats d, e (2) → 5.5 / 6.
    scores = [_point("a", 80, "red"), _point("b", 50, "yellow"), _point("c", 50, "yellow")]
    scores.append(_point("d", 20, "blue"))
    report = _evaluate(scores, [_case("a"), _case("b")], population=["a", "b", "c", "d", "e"])
    assert report.auc.value == pytest.approx(5.5 / 6)
    assert (report.auc.positives, report.auc.negatives, report.auc.tied_pairs) == (2, 3, 1)
    assert (report.population, report.scored, report.unscored) == (5, 4, 1)
    assert report.base_rate == pytest.approx(0.4)


def test_unscored_entities_count_as_index_zero() -> None:
    # p (positive, never scored) ties n (never scored) and z (scored 0), loses to s (10):
    # (0.5 + 0.5 + 0) / 3.
    scores = [_point("s", 10, "blue"), _point("z", 0, "none")]
    report = _evaluate(scores, [_case("p")], population=["p", "n", "s", "z"])
    assert report.auc.value == pytest.approx(1 / 3)
    assert report.auc.tied_pairs == 2


def test_the_latest_score_on_or_before_the_cutoff_is_used() -> None:
    scores = [
        _point("a", 90, "red", "2024-01-01"),
        _point("a", 10, "blue", "2024-06-30"),  # on the cut-off: the one used
        _point("a", 99, "red", "2024-07-01"),  # after the cut-off: ignored
        _point("b", 50, "yellow", "2024-05-01"),
    ]
    report = _evaluate(scores, [_case("a")])
    assert report.auc.value == 0.0  # a=10 < b=50; with 90 or 99 it would be 1.0
    assert [r.entities for r in report.by_grade] == [0, 0, 1, 1, 0]  # b yellow, a blue


def test_same_day_scores_the_last_given_wins() -> None:
    scores = [_point("a", 90, "red", "2024-06-01"), _point("a", 5, "blue", "2024-06-01")]
    report = _evaluate(scores, [_case("a")], population=["a", "b"])
    assert report.by_grade[3].entities == 1  # blue
    assert report.auc.value == 1.0  # 5 > b's 0


# ---------------------------------------------------------------- precision and recall by grade


def _graded_population() -> EvaluationReport:
    grade_of = {"r1": "red", "r2": "red", "o1": "orange", "o2": "orange", "o3": "orange"}
    grade_of |= {"y1": "yellow", "b1": "blue", "n1": "none"}
    scores = [_point(e, 50, g) for e, g in grade_of.items()]  # grades, not the index, count
    outcomes = [_case("r1"), _case("o1"), _case("y1"), _case("u2")]
    return _evaluate(scores, outcomes, population=[*grade_of, "u1", "u2"])


def test_precision_and_recall_by_grade_alone_and_cumulative() -> None:
    report = _graded_population()
    assert (report.positives, report.negatives, report.base_rate) == (4, 6, 0.4)
    table = {r.grade: r for r in report.by_grade}
    assert list(table) == ["red", "orange", "yellow", "blue", "none"]
    alone = [(r.entities, r.positives, r.precision, r.share_of_positives) for r in table.values()]
    assert alone == [
        (2, 1, 0.5, 0.25),
        (3, 1, pytest.approx(1 / 3), 0.25),
        (1, 1, 1.0, 0.25),
        (1, 0, 0.0, 0.0),
        (3, 1, pytest.approx(1 / 3), 0.25),  # n1 (none), u1 and u2 (unscored)
    ]
    cumulative = [
        (r.flagged, r.flagged_positives, r.cumulative_precision, r.recall) for r in table.values()
    ]
    assert cumulative == [
        (2, 1, 0.5, 0.25),
        (5, 2, 0.4, 0.5),
        (6, 3, 0.5, 0.75),
        (7, 3, pytest.approx(3 / 7), 0.75),
        (10, 4, 0.4, 1.0),
    ]
    assert table["red"].lift == pytest.approx(1.25)
    assert table["orange"].lift == pytest.approx(1.0)


def test_a_grade_nobody_reached_has_no_precision() -> None:
    report = _evaluate([_point("a", 10, "blue")], [_case("a")], population=["a", "b"])
    red = report.by_grade[0]
    assert (red.entities, red.precision, red.cumulative_precision, red.recall) == (0, None, None, 0)


# ---------------------------------------------------------------- precision@K


def _ranked() -> EvaluationReport:
    # a 90 P, b 80 N, then a three-way tie at 70: c N, d P, e P (id order c, d, e), f 10 N.
    scores = [_point("a", 90, "red"), _point("b", 80, "red"), _point("f", 10, "blue")]
    scores += [_point(e, 70, "orange") for e in ("e", "d", "c")]  # input order must not matter
    return _evaluate(scores, [_case("a"), _case("d"), _case("e")], ks=(3, 4, 10))


def test_precision_at_k_breaks_the_boundary_tie_by_entity_id_and_reports_it() -> None:
    at3, at4, _ = _ranked().precision_at_k
    # top 3 = a, b, c: c is the first of the tied by id, and a negative.
    assert (at3.taken, at3.positives, at3.precision) == pytest.approx((3, 1, 1 / 3))
    assert (at3.boundary_index, at3.tied_at_boundary, at3.tied_taken) == (70, 3, 1)
    assert (at3.precision_min, at3.precision_max) == pytest.approx((1 / 3, 2 / 3))
    # top 4 = a, b, c, d
    assert (at4.positives, at4.precision, at4.tied_taken) == (2, 0.5, 2)
    assert (at4.precision_min, at4.precision_max) == (0.5, 0.75)


def test_precision_at_k_larger_than_the_population_takes_everyone() -> None:
    at10 = _ranked().precision_at_k[2]
    assert (at10.k, at10.taken, at10.positives, at10.precision) == (10, 6, 3, 0.5)
    assert (at10.boundary_index, at10.tied_at_boundary) == (10, 1)


# ---------------------------------------------------------------- lead time and found first

HISTORY = [
    _point("x", 40, "yellow", "2023-01-01"),
    _point("x", 60, "orange", "2023-02-01"),
    _point("x", 80, "red", "2023-03-01"),
    _point("y", 20, "blue", "2023-01-01"),
    _point("y", 90, "red", "2023-05-01"),  # after y's event: flagged late
    _point("z", 90, "red", "2023-04-01"),  # on z's event day: does not count
    _point("w", 45, "yellow", "2023-01-01"),  # scored, never flagged
]
EVENTS = [
    _case("x", "2023-04-01", "court"),
    _case("x", "2023-12-31", "police"),
    _case("y", "2023-04-01", "court"),
    _case("z", "2023-04-01", "collapse"),
    _case("w", "2023-03-01", "court"),
    _case("v", "2023-03-01", "police"),  # never scored
]


def test_lead_time_from_the_first_flag_before_each_event() -> None:
    report = _evaluate(HISTORY, EVENTS, cutoff=date(2023, 12, 31))
    by_event = {(e.entity_id, e.event_date.isoformat()): e for e in report.events}
    x1 = by_event["x", "2023-04-01"]
    assert (x1.status, x1.first_flag, x1.lead_days) == ("found_first", D("2023-02-01"), 59)
    assert by_event["x", "2023-12-31"].lead_days == 333  # still from 2023-02-01
    lt = report.lead_time
    assert (lt.events, lt.found_first, lt.found_first_share) == pytest.approx((6, 2, 1 / 3))
    assert (lt.min_days, lt.max_days, lt.median_days, lt.mean_days) == (59, 333, 196, 196)
    assert (lt.q1_days, lt.q3_days) == (127.5, 264.5)  # linear: 59 + 0.25 * 274
    assert dict(lt.distribution) == {
        "≤30 days": 0,
        "31–90 days": 1,
        "91–180 days": 0,
        "181–365 days": 1,
        ">365 days": 0,
    }


def test_scores_on_or_after_the_event_never_make_it_found_first() -> None:
    report = _evaluate(HISTORY, EVENTS, cutoff=date(2023, 12, 31))
    status = {e.entity_id: (e.status, e.first_flag, e.lead_days) for e in report.events}
    assert status["y"] == ("flagged_late", D("2023-05-01"), None)
    assert status["z"] == ("flagged_late", D("2023-04-01"), None)
    assert status["w"] == ("missed", None, None)
    assert status["v"] == ("not_scored", None, None)  # an outcome of an entity never scored
    lt = report.lead_time
    assert (lt.flagged_late, lt.missed, lt.not_scored) == (2, 1, 1)


def test_lead_distribution_bucket_edges_are_inclusive_upper_bounds() -> None:
    scores = [_point("q", 70, "orange", "2023-01-01")]
    days = ["2023-01-31", "2023-02-01", "2024-01-01", "2024-01-02"]  # 30, 31, 365, 366 days
    report = _evaluate(scores, [_case("q", d) for d in days])
    assert [e.lead_days for e in report.events] == [30, 31, 365, 366]
    assert [n for _, n in report.lead_time.distribution] == [1, 1, 0, 1, 1]


def test_a_higher_alert_grade_shortens_the_lead() -> None:
    report = _evaluate(HISTORY, EVENTS[:1], alert_grade="red")
    assert report.events[0].lead_days == 31  # first red 2023-03-01 → 2023-04-01


def test_found_first_by_kind() -> None:
    kinds = {
        k.kind: (k.events, k.found_first) for k in _evaluate(HISTORY, EVENTS).lead_time.by_kind
    }
    assert kinds == {"collapse": (1, 0), "court": (3, 1), "police": (2, 1)}


# ---------------------------------------------------------------- population, window, counts


def test_outcomes_outside_the_population_or_window_are_counted_not_used() -> None:
    scores = [_point("a", 80, "red"), _point("b", 20, "blue"), _point("c", 50, "yellow")]
    outcomes = [
        _case("a", "2024-09-01"),
        _case("a", "2024-09-01"),  # identical row: one event
        _case("b", "2020-01-01"),  # before the window: b is left out
        _case("stranger", "2024-09-01"),
    ]
    report = _evaluate(scores, outcomes, population=["a", "b", "c"], outcomes_from=date(2024, 7, 1))
    assert (report.outcome_rows, report.duplicate_outcomes) == (4, 1)
    assert (report.outside_population, report.outside_window, report.excluded) == (1, 1, 1)
    assert (report.population, report.positives, report.negatives) == (2, 1, 1)  # a vs c
    assert report.auc.value == 1.0
    assert report.lead_time.events == 1


def test_empty_inputs_give_none_with_reasons() -> None:
    report = _evaluate([], [])
    assert (report.population, report.positives, report.base_rate) == (0, 0, None)
    assert (report.auc.value, report.auc.reason) == (None, "empty_population")
    assert all(
        p.precision is None and p.reason == "empty_population" for p in report.precision_at_k
    )
    assert all(r.precision is None and r.recall is None for r in report.by_grade)
    lt = report.lead_time
    assert (lt.found_first_share, lt.share_reason, lt.median_days) == (None, "no_events", None)
    json.dumps(report.to_dict())
    assert "无法计算（评估范围内没有主体）" in report.describe("zh")
    assert "not available (no entity to evaluate)" in report.describe("en")


def test_one_class_only_has_no_auc() -> None:
    scores = [_point("a", 80, "red"), _point("b", 20, "blue")]
    nobody = _evaluate(scores, [])
    everybody = _evaluate(scores, [_case("a", "2024-01-01"), _case("b", "2024-01-01")])
    assert (nobody.auc.value, nobody.auc.reason) == (None, "no_positives")
    assert (everybody.auc.value, everybody.auc.reason) == (None, "no_negatives")
    assert nobody.lead_time.share_reason == "no_events"
    assert everybody.lead_time.lead_reason == "no_found_first"  # scored only after the events
    assert everybody.lead_time.found_first_share == 0.0


@pytest.mark.parametrize(
    ("scores", "options", "message"),
    [
        ([_point("a", 1, "purple")], {}, "grade 'purple'"),
        ([_point("a", float("nan"), "red")], {}, "not finite"),
        ([], {"alert_grade": "amber"}, "alert grade 'amber'"),
        ([], {"grades": ("red", "none")}, "without 'none'"),
        ([], {"ks": (10, 0)}, "K ≥ 1"),
    ],
)
def test_bad_arguments_are_refused(
    scores: list[ScorePoint], options: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        _evaluate(scores, [], **options)


def test_to_dict_is_json_ready_and_describe_speaks_both_languages() -> None:
    report = _evaluate(HISTORY, EVENTS, cutoff=date(2023, 12, 31), ks=(2,))
    data = json.loads(json.dumps(report.to_dict()))
    assert data["cutoff"] == "2023-12-31"
    assert data["events"][0]["first_flag"] == "2023-02-01"
    assert data["lead_time"]["found_first"] == 2
    assert data["reasons"]["no_events"]["zh"] == "没有结果事件"
    zh, en = report.describe("zh"), report.describe("en")
    assert "6起结果事件中，事发前已达橙色及以上的2起，提前发现率33.3%" in zh
    assert "提前期中位数196天（四分位127.5–264.5天，平均196天）" in zh
    assert "样本较少" in zh
    assert "Of 6 outcome events, 2 were flagged orange or above" in en
    assert "small numbers" in en
    assert "二级及以上" in report.describe("zh", grade_labels={"orange": "二级"})


# ---------------------------------------------------------------- property: AUC is pairwise


@given(
    st.lists(
        st.tuples(st.one_of(st.none(), st.integers(0, 4)), st.booleans()), min_size=1, max_size=12
    )
)
def test_auc_equals_the_pairwise_probability(rows: list[tuple[int | None, bool]]) -> None:
    ids = [f"e{i:02d}" for i in range(len(rows))]
    scores = [_point(e, v, "blue") for e, (v, _) in zip(ids, rows, strict=True) if v is not None]
    outcomes = [_case(e) for e, (_, p) in zip(ids, rows, strict=True) if p]
    report = _evaluate(scores, outcomes, population=ids)
    pos = [v or 0 for v, p in rows if p]
    neg = [v or 0 for v, p in rows if not p]
    if not pos or not neg:
        assert report.auc.value is None
        return
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    assert report.auc.value == pytest.approx(wins / (len(pos) * len(neg)))
    assert report.auc.tied_pairs == sum(p == n for p in pos for n in neg)


# ---------------------------------------------------------------- the outcome-file reader


def test_reader_keeps_every_row_as_outcome_or_reject_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "outcomes.csv"
    path.write_text(
        "entity_id,event_date,kind\n"  # 1
        "E1,2023-05-06,court\n"  # 2
        "E2,2023-13-01,police\n"  # 3 bad month
        ",2023-05-06,court\n"  # 4 empty id
        "\n"  # 5 blank: skipped
        'E3,2023年7月8日,"platform\ncollapse"\n'  # 6-7 a quoted newline
        "E4,,court\n"  # 8 missing date
        "E5,2023-01-02,court,extra\n"  # 9 one field too many
        "E6,20230102\n",  # 10 no kind
        encoding="utf-8",
    )
    result = read_outcomes(path)
    assert result.outcomes == (
        Outcome("E1", D("2023-05-06"), "court"),
        Outcome("E3", D("2023-07-08"), "platform\ncollapse"),
        Outcome("E6", D("2023-01-02"), "unknown"),
    )
    rejects = [(r.line, r.reason) for r in result.rejects]
    assert [line for line, _ in rejects] == [3, 4, 8, 9]
    assert "bad event date" in rejects[0][1] and "2023-13-01" in rejects[0][1]
    assert rejects[1][1] == "missing entity id"
    assert rejects[2][1] == "missing event date"
    assert rejects[3][1] == "row has 4 fields, the header has 3"
    assert result.rows == 7


def test_reader_gb18030_with_header_aliases(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    text = "Subject_ID,date,kind,备注\n91110000XYZ,2022/3/4,法院判决,某某理财公司\n"
    path.write_bytes(text.encode("gb18030"))
    result = read_outcomes(path)
    assert result.encoding == "gb18030"
    assert result.outcomes == (Outcome("91110000XYZ", D("2022-03-04"), "法院判决"),)
    assert result.rejects == ()


def test_reader_id_alias_with_a_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("id,event_date\nA,2024-01-31\n".encode("utf-8-sig"))
    assert read_outcomes(path).outcomes == (Outcome("A", D("2024-01-31"), "unknown"),)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "outcome file not found"),
        ("", "empty file"),
        ("name,when\nA,2024-01-01\n", "no usable header"),
        ("entity_id,kind\nA,court\n", "missing event_date"),
        ("id,entity_id,date\n", "entity_id column twice"),
    ],
)
def test_reader_refuses_files_it_cannot_use(
    tmp_path: Path, content: str | None, message: str
) -> None:
    path = tmp_path / "x.csv"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        read_outcomes(path)

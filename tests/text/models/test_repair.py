"""Repairing a chosen subject's boundaries: a function word in front, a form without a 字号."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.repair import (
    bracketed_head,
    extend_form,
    repair_spans,
    strip_leading,
)


def test_a_clause_word_in_front_of_a_name_is_stripped() -> None:
    assert strip_leading("此次链家", loose=False) == 2
    assert strip_leading("以下飞马国际", loose=False) == 2
    assert strip_leading("公司雷格特", loose=False) == 2


def test_a_role_or_verb_of_a_court_or_news_report_in_front_of_a_name_is_stripped() -> None:
    assert strip_leading("被告单位山东源大工贸有限公司", loose=False) == 4
    assert strip_leading("被上诉人宁波永盛钢结构有限公司", loose=False) == 4
    assert strip_leading("通报大志投资集团有限公司", loose=False) == 2
    assert strip_leading("遭受了成都市鑫源锦汇投资管理限公司", loose=False) == 3
    assert strip_leading("的上海盐商金融信息服务有限公司", loose=True) == 1
    assert strip_leading("的士公司", loose=False) == 0  # 的士 sticks together: no strip


def test_a_name_is_not_stripped_to_less_than_two_characters() -> None:
    assert strip_leading("公司甲", loose=False) == 0
    assert strip_leading("此次", loose=False) == 0


def test_nothing_is_stripped_when_only_a_form_would_be_left() -> None:
    assert strip_leading("公司股份", loose=False) == 0


def test_a_single_leading_character_needs_loose_cohesion() -> None:
    assert strip_leading("该钱宝网", loose=True) == 1
    assert strip_leading("并购宝", loose=False) == 0  # 并购 sticks together: part of the name
    assert strip_leading("钱宝网", loose=True) == 0  # 钱 opens no clause


def test_a_form_without_its_trade_name_is_extended_to_the_longest_candidate() -> None:
    others = ["礼德财富公司", "财富公司", "德财富公司", "礼德", "上海礼德财富公司有限"]
    assert extend_form("财富公司", others) == "礼德财富公司"


def test_a_name_with_a_trade_name_is_not_extended() -> None:
    assert extend_form("礼德财富公司", ["上海礼德财富公司"]) is None
    assert extend_form("链家", ["北京链家"]) is None


def test_an_extension_adds_a_trade_name_not_more_forms() -> None:
    assert extend_form("公司", ["投资公司"]) is None
    assert extend_form("金融", ["一二三四五六七八九十一金融"]) is None  # more than ten added


def test_an_extension_starts_after_the_last_function_character() -> None:
    assert extend_form("集团公司", ["元用于银泰房产集团公司"]) == "银泰房产集团公司"
    assert extend_form("公司股份", ["600万股公司股份"]) is None  # 万股: no trade name


def test_a_bracketed_place_and_the_trade_name_before_it_are_a_name_head() -> None:
    assert bracketed_head("被告善林(上海)") == len("善林(上海)")
    assert bracketed_head("据悉，美乐家（中国）") == len("美乐家（中国）")
    assert bracketed_head("被告湖滨(余杭区)") == len("湖滨(余杭区)")


def test_a_bracket_that_is_no_place_is_no_name_head() -> None:
    assert bracketed_head("上诉人(原审被告)") == 0
    assert bracketed_head("执行总裁辞职(简历)") == 0
    assert bracketed_head("依法妥善做好聚宝盆(天津)") == 0  # head longer than six characters


def test_repair_spans_moves_the_chosen_span_within_its_own_text() -> None:
    texts = ["此次链家回应了质疑", "记者获悉，财富公司已停业，礼德财富公司负责人失联"]
    batch = Alphabet("此次链家回应了质疑记者获悉财富公司已停业礼德负责人失联").encode(texts)
    picks = ["此次链家", "财富公司"]
    start = np.asarray(
        [
            int(batch.starts[i]) + t.index(p)
            for i, (t, p) in enumerate(zip(texts, picks, strict=True))
        ]
    )
    end = start + np.asarray([len(p) for p in picks])
    others = ["礼德财富公司", "财富公司"]
    c_start = np.asarray([int(batch.starts[1]) + texts[1].index(o) for o in others])
    c_end = c_start + np.asarray([len(o) for o in others])
    candidates = (np.asarray([1, 1]), c_start, c_end)
    cohesion = Cohesion(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))
    s, e = repair_spans(batch, start, end, candidates, cohesion)
    assert [batch.joined[a:b] for a, b in zip(s.tolist(), e.tolist(), strict=True)] == [
        "链家",
        "礼德财富公司",
    ]


def test_a_text_without_a_subject_keeps_none() -> None:
    batch = Alphabet("无").encode(["无"])
    cohesion = Cohesion(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8))
    none = np.asarray([-1])
    empty = np.zeros(0, dtype=np.int64)
    s, e = repair_spans(batch, none, none, (empty, empty, empty), cohesion)
    assert s.tolist() == [-1] and e.tolist() == [-1]

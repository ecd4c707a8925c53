"""Boundary twins before a stock code: the short name the training texts agree on."""

from __future__ import annotations

import numpy as np

from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.twins import NO_NAMES, NameTable, twin_start, twin_starts, voted_name


def test_the_name_is_the_ending_that_different_glued_headlines_share() -> None:
    assert voted_name(["账户信息被盗尤洛卡", "股东减持尤洛卡", "尤洛卡"]) == "尤洛卡"


def test_a_glued_word_shared_by_many_headlines_does_not_make_the_name_longer_than_four() -> None:
    # 减持 ends many headlines; A-share short names hold at most four Chinese characters
    assert voted_name(["股东减持宁波银行", "高管减持宁波银行"]) == "宁波银行"


def test_risk_marks_belong_to_the_front_of_a_name_only() -> None:
    assert voted_name(["万股减持*ST山水", "高管减持*ST山水"]) == "*ST山水"


def test_a_renamed_stock_s_common_ending_is_not_a_name() -> None:
    assert voted_name(["三佳科技", "中发科技"]) is None


def test_one_text_alone_does_not_vote_a_name() -> None:
    assert voted_name(["被盗尤洛卡"]) is None


def test_the_text_at_hand_votes_with_the_training_strings_that_end_like_it() -> None:
    assert voted_name(["尤洛卡", "中毅达"], own="水尤洛卡") == "尤洛卡"
    assert voted_name(["中毅达"], own="水尤洛卡") is None


def _table() -> NameTable:
    return NameTable.fit(
        [
            "股东减持尤洛卡(300099)董事辞职",
            "尤洛卡(300099)业绩下滑",
            "违规减持ST兴业(600603)被罚",
            "高管增持ST兴业(600603)",
        ]
    )


def test_a_subject_with_the_previous_headline_s_last_character_moves_to_the_name() -> None:
    text = "外资撤离潜水尤洛卡(300099)被立案调查"
    start = text.index("水尤洛卡")
    assert twin_start(text, start, start + 4, _table()) == start + 1


def test_a_subject_cut_short_moves_to_the_whole_name() -> None:
    text = "外资撤离潜水尤洛卡(300099)被立案调查"
    start = text.index("洛卡")
    assert twin_start(text, start, start + 2, _table()) == start - 1


def test_a_subject_not_right_before_a_code_does_not_move() -> None:
    text = "外资撤离潜水尤洛卡被立案调查"
    start = text.index("水尤洛卡")
    assert twin_start(text, start, start + 4, _table()) == start


def test_a_slip_made_only_of_risk_marks_is_left_to_the_rankers() -> None:
    text = "公告显示*ST兴业(600603)被立案调查"
    start = text.index("*ST兴业")
    assert twin_start(text, start, start + 5, _table()) == start


def test_twins_move_inside_their_own_text_of_a_batch_and_are_flagged() -> None:
    texts = ["外资撤离潜水尤洛卡(300099)被立案调查", "水尤洛卡(300099)被立案调查"]
    batch = Alphabet.fit(texts).encode(texts)
    first = batch.joined.index("水尤洛卡")
    second = batch.joined.index("水尤洛卡", first + 1)
    start = np.asarray([first, second, -1])[:2]
    end = start + 4
    moved_start, moved = twin_starts(batch, start, end, _table())
    assert moved_start.tolist() == [first + 1, second + 1]
    assert moved.tolist() == [True, True]
    unchanged, none = twin_starts(batch, start, end, NO_NAMES)
    assert unchanged.tolist() == start.tolist() and not none.any()


def test_a_name_never_reaches_into_the_previous_text_of_a_batch() -> None:
    texts = ["行业观察尤", "洛卡(300099)被立案调查"]
    batch = Alphabet.fit(texts).encode(texts)
    start = np.asarray([-1, int(batch.starts[1])])
    moved_start, moved = twin_starts(batch, start, start + 2, _table())
    assert moved_start.tolist() == start.tolist() and not moved.any()

"""The gazetteer: names seen as subjects in training, found anywhere with span hashes."""

from __future__ import annotations

from smokewatch.text.models.gazetteer import Gazetteer


def test_gazetteer_finds_every_occurrence_with_overlaps() -> None:
    gazetteer = Gazetteer(["爱钱帮", "钱帮", "ABC公司"])
    assert gazetteer.find("据报道爱钱帮出现逾期，ABC公司与爱钱帮") == [
        (3, 6),
        (4, 6),
        (11, 16),
        (17, 20),
        (18, 20),
    ]
    assert "钱帮" in gazetteer
    assert "钱" not in gazetteer


def test_gazetteer_finds_what_a_plain_search_finds_for_names_sharing_a_first_bigram() -> None:
    # one first bigram starts names of several lengths, two of them longer than 63 characters
    long_name = "中国" + "长" * 62 + "公司"
    names = ["中国", "中国人", "中国平安", "中国人寿保险", long_name, long_name + "甲", "国人寿"]
    text = "中国人寿保险与中国平安、" + long_name + "甲及中国人寿保险股份"
    expected = sorted(
        (s, s + len(n)) for n in names for s in range(len(text)) if text.startswith(n, s)
    )
    assert Gazetteer(names).find(text) == expected
    assert len(expected) == 13

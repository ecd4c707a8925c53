"""jieba's dictionary as shipped: the same prefix dictionary, tags and cuts as jieba's own."""

from __future__ import annotations

import logging
from typing import Any

import jieba
import jieba.posseg
import pytest

from smokewatch.text.jieba_dictionary import (
    JiebaDictionary,
    build_jieba_table,
    jieba_tokenizer,
    load_jieba_dictionary,
    read_jieba_table,
    shipped_jieba_table,
)

jieba.setLogLevel(logging.WARNING)


@pytest.fixture(scope="module")
def shipped() -> JiebaDictionary:
    dictionary = load_jieba_dictionary()
    assert dictionary is not None, "the shipped table was built from the installed jieba"
    return dictionary


@pytest.fixture(scope="module")
def jiebas() -> Any:
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@pytest.mark.slow
def test_the_shipped_table_is_what_the_installed_jieba_gives() -> None:
    # Fails when jieba's dictionary or the table's layout changed without
    # `python contrib/build_text_tables.py`.
    assert shipped_jieba_table() == build_jieba_table()


def test_the_prefix_dictionary_is_jiebas(shipped: JiebaDictionary, jiebas: Any) -> None:
    assert shipped.prefix_dict() == jiebas.FREQ
    assert shipped.total == jiebas.total


def test_the_tags_are_jiebas_in_dictionary_order(shipped: JiebaDictionary) -> None:
    assert list(shipped.word_tags().items()) == list(jieba.posseg.dt.word_tag_tab.items())


def test_words_tagged_keeps_the_words_of_the_given_tags(shipped: JiebaDictionary) -> None:
    verbs_and_pronouns = shipped.words_tagged(["v", "r"])
    assert {"发行", "我们"} <= verbs_and_pronouns
    assert not {"投资", "集资", "上海", "在"} & verbs_and_pronouns  # vn, n, ns, p
    assert not shipped.words_tagged([])


@pytest.mark.parametrize(
    "text",
    [
        "据芜湖鑫源理财咨询有限公司称",
        "通过中国宝武钢铁",
        "上海市浦东新区陆家嘴环路1000号恒生银行大厦",
        "ABC平台123和e租宝 P2P网贷",
    ],
)
def test_the_tokenizer_cuts_as_jieba_does(shipped: JiebaDictionary, jiebas: Any, text: str) -> None:
    tokenizer = jieba_tokenizer(shipped)
    assert list(tokenizer.cut(text, HMM=False)) == list(jiebas.cut(text, HMM=False))


def test_without_the_shipped_dictionary_jieba_loads_its_own(jiebas: Any) -> None:
    tokenizer = jieba_tokenizer(None)
    assert tokenizer.FREQ == jiebas.FREQ


def test_a_table_of_another_jieba_dictionary_is_not_read() -> None:
    assert read_jieba_table(shipped_jieba_table(), source="一 3 m\n".encode()) is None

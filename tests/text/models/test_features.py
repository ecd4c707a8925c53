"""Features: n-grams, TF-IDF identical to scikit-learn's, integer keys, trigger words."""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from smokewatch.text.models.encoding import (
    Alphabet,
    KeyIndex,
    count_matrix,
    fit_columns,
    key_of,
    kind_of,
    ngram_keys,
    payload_of,
    tfidf_matrix,
    top_contributions,
)
from smokewatch.text.models.features import Triggers, Vocabulary, char_ngrams, normalise


def test_char_ngrams_skip_spaces_and_keep_order() -> None:
    assert char_ngrams("钱妈 妈", (2,)) == ["c:钱妈", "c:妈妈"][:1]
    assert char_ngrams("跑路了", (1, 2), "w:") == ["w:跑", "w:路", "w:了", "w:跑路", "w:路了"]


def test_normalise_folds_width_and_spaces() -> None:
    assert normalise("  ｐ２ｐ\u3000网贷\n跑路 ") == "P2P 网贷 跑路"


def test_tfidf_equals_scikit_learn() -> None:
    docs = ["非法集资平台", "平台跑路", "非法吸收公众存款", "集资诈骗平台跑路"]
    grams = [char_ngrams(d, (1, 2), "") for d in docs]
    ours = Vocabulary.fit(grams, min_df=1)
    theirs = TfidfVectorizer(analyzer=lambda d: char_ngrams(d, (1, 2), ""), sublinear_tf=True)
    expected = theirs.fit_transform(docs).toarray()
    order = [theirs.vocabulary_[name] for name in ours.names]
    assert np.allclose(ours.transform(grams).toarray(), expected[:, order])


def test_count_matrix_is_scipys_canonical_matrix_of_the_pairs() -> None:
    rng = np.random.default_rng(3)
    rows = np.sort(rng.integers(0, 40, 3000))  # rows 40…49 get no pair
    columns = rng.integers(-1, 60, 3000)  # -1: not a column, dropped; many pairs repeat
    ours = count_matrix(rows, columns, (50, 60))
    keep = columns >= 0
    ones = np.ones(int(keep.sum()))
    theirs = sparse.csr_matrix((ones, (rows[keep], columns[keep])), shape=(50, 60))
    theirs.sum_duplicates()
    for name in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(ours, name), getattr(theirs, name)), name
        assert getattr(ours, name).dtype == getattr(theirs, name).dtype, name
    assert ours.has_canonical_format and ours.data.max() > 1  # duplicates were counted
    empty = count_matrix(np.zeros(0, np.int64), np.zeros(0, np.int64), (3, 7))
    assert empty.shape == (3, 7) and empty.nnz == 0 and list(empty.indptr) == [0, 0, 0, 0]


def test_unknown_features_are_ignored() -> None:
    vocabulary = Vocabulary.fit([["a", "b"], ["a"]], min_df=2)
    assert vocabulary.names == ["a"]
    assert vocabulary.transform([["zzz"]]).nnz == 0


def test_triggers_are_found_with_their_positions() -> None:
    triggers = Triggers({"涉嫌非法集资": ["非法集资", "集资"], "失联跑路": ["跑路"]})
    assert triggers.find("涉嫌非法集资后跑路") == [(2, "非法集资"), (4, "集资"), (7, "跑路")]


def test_batched_tfidf_equals_the_vocabulary_of_readable_strings() -> None:
    docs = ["非法集资平台", "平台跑路", "非法吸收公众存款", "集资诈骗平台跑路", ""]
    alphabet = Alphabet.fit(docs, min_df=1)
    batch = alphabet.encode(docs)
    rows, keys = [], []
    for order in (1, 2):
        positions, k = ngram_keys(batch.ids, np.arange(len(batch.ids) - order + 1), order, order)
        rows.append(batch.doc[positions])
        keys.append(k)
    doc_rows, doc_keys = np.concatenate(rows), np.concatenate(keys)
    columns, idf = fit_columns(doc_rows, doc_keys, min_df=1, n_rows=len(docs))
    index = KeyIndex(columns)
    ours = tfidf_matrix(doc_rows, index.lookup(doc_keys), len(docs), idf).toarray()
    names = [alphabet.decode_ngram(payload_of(k), kind_of(k)) for k in columns.tolist()]
    strings = Vocabulary.fit([char_ngrams(d, (1, 2), "") for d in docs], min_df=1)
    expected = strings.transform([char_ngrams(d, (1, 2), "") for d in docs]).toarray()
    assert np.allclose(ours, expected[:, [strings.index[n] for n in names]])


def test_key_index_is_exact() -> None:
    keys = np.array([key_of(1, 5), key_of(2, 5), key_of(1, 6), 0, 2**62], dtype=np.int64)
    index = KeyIndex(keys)
    assert index.lookup(keys).tolist() == [0, 1, 2, 3, 4]
    assert index.lookup(np.array([key_of(3, 5), 7, -1])).tolist() == [-1, -1, -1]


def test_unknown_characters_never_make_ngrams() -> None:
    alphabet = Alphabet("跑路")
    batch = alphabet.encode(["跑路了", "跑 路"])
    positions, keys = ngram_keys(batch.ids, np.arange(len(batch.ids) - 1), 2, 2)
    assert [alphabet.decode_ngram(payload_of(k), 2) for k in keys.tolist()] == ["跑路"]
    assert batch.doc[positions].tolist() == [0]


def test_top_contributions_are_the_largest_positive_products() -> None:
    matrix = sparse.csr_matrix(np.array([[1.0, 2.0, 0.0, 1.0], [0.0, 0.0, 0.0, 0.0]]))
    relative = np.array([[0.5, -1.0], [0.25, 1.0], [9.0, 9.0], [-3.0, 0.0]])
    result = top_contributions(matrix, relative, np.array([0, 1]), top=2)
    assert result == [[(0, 0.5), (1, 0.5)], []]

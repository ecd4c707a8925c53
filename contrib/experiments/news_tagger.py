"""Round-10 harness: a char-window subject tagger as a feature of the news-sentence reranker.

One-off research script (not imported by the package; see text_models.md, "Round 10"). It
reads only the training part of the split (``news_inner.Inner``) and the out-of-fold best-8
lists that ``news_inner.py candidates --seed S --work W`` stored.

    PYTHONPATH=src .venv/bin/python contrib/experiments/news_tagger.py --seed 0 --work W

The tagger scores every *gap* of a text (the place between two characters) three times, with
three binary logistic models over the same hashed window features: does a subject start
here, end here, or is the gap inside a subject? Window features of gap ``g``: the characters
at offsets −3..+1, the bigrams and trigrams around, the class and size of the longest jieba
dictionary word that starts / ends at ``g``, the character kinds on both sides and the
distance to the text's ends (since round 11 read from the package's
``text/models/tagger.py``, whose keys are the same as this script's own copy was: same rows
and columns on 218,972 gaps of 3,000 FinESE texts). A candidate span ``[s, e)`` then reads
log P(start at s), log P(end at e), the mean log P(inside) of its inner gaps, their mean and
minimum, and its rank and gap to the best of its list by that mean.

Protocol: the reranker is judged by 5-fold CV over the gated texts with a subject (folds as
``news_inner.py rerank``), paired against the shipped reranker (66 features) on the same
folds. The tagger is nested inside each outer fold, as training would do it: the tagger
features of the outer-training texts come from taggers fitted on the other inner folds of
those texts (out of fold), the outer-test texts' from a tagger fitted on all outer-training
texts. Variants (``--variant``): ``tagger`` (66 + tagger columns), ``fine`` (word classes one
column per jieba class instead of 8 groups), ``c`` (the reranker's C).
"""

from __future__ import annotations

import argparse
import itertools
import time
from pathlib import Path
from typing import Any

import news_inner  # the sibling harness (this script runs from its folder)
import numpy as np
from scipy import sparse

from smokewatch.text.models import rerank as rr
from smokewatch.text.models import wordclass
from smokewatch.text.models.encoding import Batch
from smokewatch.text.models.tagger import BITS, gap_columns, gold_gaps, text_gaps

TAGGER_FEATURES = (
    "tagger start",
    "tagger end",
    "tagger inside (mean)",
    "tagger span (mean)",
    "tagger span (min)",
    "tagger rank 1",
    "tagger rank 2",
    "tagger rank 3+",
    "tagger gap to the best",
)
FLOOR = -12.0


class Tagger:
    """Three binary logistic models (start, end, inside) over hashed gap windows."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray) -> None:
        self.weights, self.bias = weights, bias

    @classmethod
    def fit(cls, batch: Batch, docs: np.ndarray, golds: list[set[str]], c: float) -> Tagger:
        from sklearn.linear_model import LogisticRegression

        gaps = text_gaps(batch, docs)
        y = gold_gaps(batch, gaps, docs, golds)
        rows, columns = gap_columns(batch, gaps)
        x = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(gaps), 1 << BITS))
        x.sum_duplicates()
        x.data[:] = 1.0
        weights = np.zeros((1 << BITS, 3))
        bias = np.zeros(3)
        for j in range(3):
            model = LogisticRegression(C=c, max_iter=500, tol=1e-4).fit(x, y[:, j])
            weights[:, j], bias[j] = model.coef_[0], model.intercept_[0]
        return cls(weights, bias)

    def log_probs(self, batch: Batch, docs: np.ndarray) -> np.ndarray:
        """Per batch position (gap): log P of start, end, inside (0 where not scored)."""
        gaps = text_gaps(batch, docs)
        rows, columns = gap_columns(batch, gaps)
        uniq = np.unique(rows * (1 << BITS) + columns)  # a column counts once per gap
        rows, columns = uniq >> BITS, uniq & ((1 << BITS) - 1)
        z = np.zeros((len(gaps), 3))
        for j in range(3):
            z[:, j] = np.bincount(rows, self.weights[columns, j], minlength=len(gaps))
        z += self.bias
        out = np.zeros((len(batch.points) + 1, 3))
        out[gaps] = np.maximum(-np.logaddexp(0.0, -z), FLOOR)  # log sigmoid
        return out


def span_features(lp: np.ndarray, lists: rr.Lists) -> np.ndarray:
    """:data:`TAGGER_FEATURES` of every row of ``lists`` from the gap log-probs ``lp``."""
    s, e, doc = lists.start, lists.end, lists.doc
    n = len(s)
    cum = np.r_[0.0, np.cumsum(lp[:, 2])]
    inner = e - s - 1
    inside_sum = cum[e] - cum[s + 1]
    inside = np.where(inner > 0, inside_sum / np.maximum(inner, 1), 0.0)
    start, end = lp[s, 0], lp[e, 1]
    mean = (start + end + inside_sum) / (inner + 2)
    # minimum over the inner gaps: a small loop over at most a few thousand rows
    low = np.minimum(start, end)
    for i in np.flatnonzero(inner > 0).tolist():
        low[i] = min(low[i], float(lp[s[i] + 1 : e[i], 2].min()))
    x = np.zeros((n, len(TAGGER_FEATURES)))
    x[:, 0], x[:, 1], x[:, 2], x[:, 3], x[:, 4] = start, end, inside, mean, low
    bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True])
    for a, b in itertools.pairwise(bounds.tolist()):
        order = np.argsort(-mean[a:b], kind="stable")
        rank = np.empty(b - a, dtype=np.int64)
        rank[order] = np.arange(b - a)
        x[a:b, 5 + np.minimum(rank, 2)] = 1
        x[a:b, 8] = mean[a:b].max() - mean[a:b]
    return x


def fine_classes(batch: Batch, lists: rr.Lists) -> np.ndarray:
    """One column per jieba class (and none / other) of the whole span, its first, its last word."""
    width = len(wordclass.TAGS) + 2
    x = np.zeros((len(lists.doc), 3 * width))
    rows = np.arange(len(lists.doc))
    for part, numbers in enumerate(wordclass.word_class_numbers(batch, lists.start, lists.end)):
        x[rows, part * width + numbers] = 1
    return x


class _Linear:
    """A logistic reranker over any columns (the package's class insists on its 66)."""

    def __init__(self, x: np.ndarray, gold: np.ndarray, c: float = 1.0) -> None:
        from smokewatch.text.models.linear import fit_logistic

        model = fit_logistic(x, gold.astype(np.int64).tolist(), n_classes=2, c=c, max_iter=3000)
        self.weights, self.bias = model.weights[:, 0], float(model.bias[0])

    def scores(self, x: np.ndarray) -> np.ndarray:
        out: np.ndarray = x @ self.weights + self.bias
        return out


def _grouped_columns() -> np.ndarray:
    return np.asarray([i for i, f in enumerate(rr.FEATURES) if " word class: " in f])


def _winners(score: np.ndarray, bounds: np.ndarray) -> list[int]:
    return [int(np.argmax(score[a:b])) + a for a, b in itertools.pairwise(bounds.tolist())]


def run(inner: news_inner.Inner, seed: int, work: Path, variant: str, tagger_c: float) -> None:
    cands = news_inner._load_candidates(work, seed)
    ids, with_subject, _, listed = news_inner.gated_lists(inner, cands)
    distinct, by_text = inner.distinct, inner.by_text
    news_ = {i: ids[distinct[i]].startswith("1") for i in with_subject}
    n_news = sum(news_.values())
    batch, lists, x = news_inner._rerank_lists(inner, cands, listed)
    tops = [t for i in listed for t in cands[i]["top"]]
    golds = [by_text[distinct[i]] for i in listed]
    raw_gold = np.asarray([c[0] in golds[n] for n, c in zip(lists.doc.tolist(), tops, strict=True)])
    fixed_gold = np.asarray(
        [c[5] in golds[n] for n, c in zip(lists.doc.tolist(), tops, strict=True)]
    )
    fold = np.random.default_rng(seed).permutation(len(listed)) % 5
    bounds = np.searchsorted(lists.doc, np.arange(len(listed) + 1))
    row_fold = fold[lists.doc]
    right = {i: cands[i]["pick"] in by_text[distinct[i]] for i in with_subject}

    def judged(features: np.ndarray, c: float = 1.0) -> np.ndarray:
        score = np.zeros(len(raw_gold))
        for f in range(5):
            inside = row_fold != f
            model = _Linear(features[inside], raw_gold[inside], c=c)
            score[~inside] = model.scores(features[~inside])
        won = _winners(score, bounds)
        return fixed_gold[won]  # per listed text: is the repaired winner a gold subject?

    began = time.time()
    variants: dict[str, np.ndarray] = {}
    base = judged(x)
    if variant == "tagger":
        tag_x = np.zeros((len(raw_gold), len(TAGGER_FEATURES)))
        nested = np.zeros(len(raw_gold))
        for f in range(5):  # outer folds: the reranker's
            train_docs = np.flatnonzero(fold != f)
            test_docs = np.flatnonzero(fold == f)
            inner_fold = np.random.default_rng(100 + seed + f).permutation(len(train_docs)) % 4
            lp = np.zeros((len(batch.points) + 1, 3))
            for g in range(4):  # out-of-fold tagger scores of the outer-training texts
                fit_docs, held = train_docs[inner_fold != g], train_docs[inner_fold == g]
                tagger = Tagger.fit(batch, fit_docs, [golds[d] for d in fit_docs], tagger_c)
                lp_g = tagger.log_probs(batch, held)
                gaps = text_gaps(batch, held)
                lp[gaps] = lp_g[gaps]
            tagger = Tagger.fit(batch, train_docs, [golds[d] for d in train_docs], tagger_c)
            lp_t = tagger.log_probs(batch, test_docs)
            gaps = text_gaps(batch, test_docs)
            lp[gaps] = lp_t[gaps]
            feats = span_features(lp, lists)
            outer = row_fold != f
            tx = np.hstack([x, feats])
            model = _Linear(tx[outer], raw_gold[outer])
            tag_x[~outer] = feats[~outer]
            nested[~outer] = model.scores(tx[~outer])
            print(f"  outer fold {f}: {time.time() - began:.0f} s", flush=True)
        won = _winners(nested, bounds)
        variants["tagger (nested)"] = fixed_gold[won]
        # the tagger's own pick: the best span of the list by its mean log-prob
        own = _winners(tag_x[:, 3], bounds)
        print(f"tagger alone (best of 8 by span mean, repaired): {fixed_gold[own].mean():.4f}")
    elif variant == "fine":
        fine = np.hstack([np.delete(x, _grouped_columns(), axis=1), fine_classes(batch, lists)])
        variants["fine word classes"] = judged(fine)
    elif variant == "c":
        for c in (0.1, 0.3, 3.0, 10.0):
            variants[f"C {c}"] = judged(x, c)
    print(f"seed {seed}, {len(listed)} gated texts, {n_news} news sentences with a subject")
    for name, new in [("shipped reranker", base), *variants.items()]:
        after = dict(right)
        for n, i in enumerate(listed):
            after[i] = bool(new[n])
        pick = np.mean([right[i] for i in with_subject if news_[i]])
        acc = np.mean([after[i] for i in with_subject if news_[i]])
        print(f"  {name}: news {acc:.4f} (repaired pick {pick:.4f})")
        if new is base:
            continue
        d = new.astype(int) - base.astype(int)
        on_news = np.asarray([news_[i] for i in listed])
        dn = np.zeros(n_news)
        dn[: on_news.sum()] = d[on_news]
        print(
            f"    vs shipped: Δ news {dn.mean():+.4f} (SE {dn.std(ddof=1) / np.sqrt(n_news):.4f}),"
            f" fixed {(d > 0).sum()}, broken {(d < 0).sum()}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--variant", default="tagger", choices=("tagger", "fine", "c"))
    parser.add_argument("--tagger-c", type=float, default=1.0)
    args = parser.parse_args()
    inner: Any = news_inner.Inner()
    run(inner, args.seed, args.work, args.variant, args.tagger_c)


if __name__ == "__main__":
    main()

"""Round-6 harness for the news-events model: inner (training-part) experiments only.

One-off research script (not imported by the package; see text_models.md, "Round 6"). It
never reads the validation part of the split: the split is made exactly as
``smokewatch text train --task news-events`` makes it and the validation rows are dropped
before anything else happens.

    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py candidates --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py events --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py gate --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py headline --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py rerank --seed 0 --work W

* ``candidates``: 3 folds over all distinct training texts; subject rankers fitted on the
  texts with a subject of the other folds pick (and list the best 8 candidates of) every
  held-out text, with or without a subject.
* ``events``: out-of-fold event scores (the protocol's 3 text folds), each held-out text read
  once for the full rankers' in-sample pick (the protocol's proxy) and once for its
  out-of-fold pick (the honest proxy); offsets tuned as in training.
* ``headline`` (round 7): out-of-fold event models read every held-out text for its
  out-of-fold pick and for the runner-up; the pick accuracy of "runner-up when
  weight · (strength(runner) − strength(pick)) > ranker margin" (texts with a stock code),
  weight chosen nested (on one random half of the texts, measured on the other).
* ``candidates --variant rivals`` (round 8): the same with the rival features of
  ``news_rivals.py`` added to the rich ranker (word classes are in the shipped ranker).
* ``rerank`` (round 9; round 8 probed four feature sets, see git history): the package's
  news-sentence reranker (``text/models/rerank.py``: its gate and its 66 named features)
  over the stored out-of-fold best-8 lists of the gated texts, judged by 5-fold
  cross-validation over those texts against the repaired pick, by part. ``candidates``
  stores every best-8 candidate's repaired form too (the repair then runs on the new pick).
* ``gate``: the has-company-subject classifier (5-fold out-of-fold, stacked on the event
  scores) and the gate "p < t1 => 其他, p >= t2 => not 其他", judged nested (thresholds chosen
  on one random half of the texts, measured on the other).

Needs the ``ml`` extra (scikit-learn). Outputs (JSON, .npy) go to the ``--work`` folder.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from smokewatch.progress import NO_PROGRESS
from smokewatch.text.models import news, ranking, repair, subjects, tuning
from smokewatch.text.models.cohesion import Cohesion
from smokewatch.text.models.encoding import Alphabet
from smokewatch.text.models.features import Triggers, load_triggers
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.training import ILLEGAL_FINANCE, read_finese, train_subject_rankers

DATA = Path("/work/shared/data/finese-event-subject/finese_train_list.json")
SPLIT_SEED = 20261121
FOLDS = 3

SUFFIXES = (
    "有限公司", "股份", "集团", "公司", "银行", "平台", "金服", "理财", "财富", "资本", "基金",
    "投资", "控股", "科技", "证券", "保险", "信托", "商城", "金融", "资产", "网", "贷", "宝", "所",
    "社", "行", "会",
)  # fmt: skip
SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤"
)
GENERIC = frozenset(
    ("银行", "平台", "公司", "法院", "检察院", "公安", "警方", "政府", "监管", "投资者", "集团",
     "网贷", "P2P", "p2p", "机构", "企业")
)  # fmt: skip
COURT = re.compile(r"法院|检察院|一审|二审|判决|宣判|公诉|被告|庭审|开庭|起诉|审理")
PERSON = re.compile(r"[\u4e00-\u9fff]某[\u4e00-\u9fff]?")
STOCK = re.compile(r"[(（](?:SH|SZ|HK)?[0-9]{5,6}[)）.]")
COUNTED = re.compile(r"(起|家|个|批|多家|些)(P2P|p2p|平台|公司|网贷|案件|案)")


class Inner:
    """The training part of the split, its distinct texts and their per-text targets."""

    def __init__(self) -> None:
        rows = read_finese(DATA)
        is_val = grouped_split(
            [r[1] for r in rows], [r[2] for r in rows], fraction=0.2, seed=SPLIT_SEED
        )
        self.train = [r for r, v in zip(rows, is_val, strict=True) if not v]
        del rows, is_val  # the validation part is never used here
        self.trig = Triggers(load_triggers())
        self.labels = sorted(
            {r[2] for r in self.train}, key=lambda label: (label != news.NONE_LABEL, label)
        )
        self.folded = [news.fold(t) for _, t, _, _ in self.train]
        self.alphabet = Alphabet.fit(dict.fromkeys(self.folded), min_df=2)
        by_text: dict[str, set[str]] = defaultdict(set)
        for text, (_, _, _, subject) in zip(self.folded, self.train, strict=True):
            by_text[text]
            if subject and news.fold(subject) in text:
                by_text[text].add(news.fold(subject))
        self.by_text = by_text
        self.distinct = list(by_text)
        number = {t: i for i, t in enumerate(self.distinct)}
        self.row_text = np.asarray([number[t] for t in self.folded], dtype=np.int64)
        carried: list[list[str]] = [[] for _ in self.distinct]
        for t, (_, _, label, _) in zip(self.row_text.tolist(), self.train, strict=True):
            carried[t].append(label)
        self.targets = tuning.text_targets(carried, self.labels, ILLEGAL_FINANCE)
        self.has = np.asarray([bool(by_text[t]) for t in self.distinct])

    def parts(self, predicted: np.ndarray, idx: np.ndarray | None = None) -> np.ndarray:
        """accuracy, group F1, 涉嫌非法集资 F1 and their mean (per text) on texts ``idx``."""
        t = self.targets
        if idx is not None:
            t = tuning.TextTargets(t.carried[idx], t.majority[idx], t.group, t.focus)
        p = tuning.objective_parts(t, predicted)
        values = [p["accuracy"], p["group_f1"], p.get("focus_f1", 0.0)]
        return np.asarray([*values, sum(values) / 3])


def candidates(inner: Inner, seed: int, work: Path) -> None:
    """Out-of-fold picks and best-8 candidate lists of every distinct training text."""
    distinct, by_text = inner.distinct, inner.by_text
    text_fold = np.random.default_rng(1000 + seed).permutation(len(distinct)) % FOLDS
    result: list[dict[str, Any]] = [{} for _ in distinct]
    for f in range(FOLDS):
        began = time.time()
        others = [t for t, g in zip(distinct, text_fold, strict=True) if g != f]
        fit_on = [t for t in others if by_text[t]]
        cohesion = Cohesion.fit(inner.alphabet.encode(others))
        rankers = train_subject_rankers(
            fit_on, [by_text[t] for t in fit_on], inner.alphabet, inner.trig, NO_PROGRESS,
            cohesion=cohesion,
        )  # fmt: skip
        held = np.flatnonzero(text_fold == f)
        batch = inner.alphabet.encode([distinct[i] for i in held])
        hits = inner.trig.find_all(batch.joined)
        picks = ranking.choose_subjects(batch, rankers, hits)
        tops, counts = _top_candidates(batch, rankers, hits)
        for k, i in enumerate(held.tolist()):
            s, e = int(picks.start[k]), int(picks.end[k])
            result[i] = {
                "pick": batch.joined[s:e] if s >= 0 else None,
                "prob": float(picks.score[k]),
                "top": tops[k],
                "ncand": int(counts[k]),
            }
        print(f"fold {f}: {len(fit_on)} ranker texts, {time.time() - began:.0f} s", flush=True)
    (work / f"candidates_s{seed}.json").write_text(json.dumps(result, ensure_ascii=False))
    right = [r["pick"] in by_text[t] for t, r in zip(distinct, result, strict=True) if by_text[t]]
    print(f"out-of-fold pick right: {np.mean(right):.4f} of {len(right)} texts")


def _top_candidates(
    batch: Any, rankers: ranking.SubjectRankers, hits: tuple[np.ndarray, np.ndarray]
) -> tuple[list[list[tuple[str, int, float, float, int, str]]], np.ndarray]:
    """Per text: (span, start, second score, first score, sources, repaired span), best first."""
    n_docs = len(batch.texts)
    found = subjects.batch_candidates(batch, rankers.gazetteer)
    rows1, keys1 = ranking.first_stage(batch, found, hits, rankers.cohesion)
    first = ranking.ranker_scores(rankers.first, rows1, keys1, len(found))
    chosen, ranks = ranking.top_per_text(found.doc, first, ranking.TOP_CANDIDATES)
    rows2, keys2 = ranking.second_stage(
        batch, found, hits, chosen=chosen, ranks=ranks, first_rows=rows1, first_keys=keys1,
        trigger_labels=rankers.trigger_labels,
    )  # fmt: skip
    scores = ranking.ranker_scores(rankers.second, rows2, keys2, len(chosen))
    doc = found.doc[chosen]
    out: list[list[tuple[str, int, float, float, int, str]]] = [[] for _ in range(n_docs)]
    order = np.lexsort((-scores, doc))
    ranked = np.arange(len(order)) - np.searchsorted(doc[order], doc[order])
    repaired = np.zeros(len(order), dtype=object)  # every candidate's span after the repair
    for k in range(ranking.TOP_CANDIDATES):
        at = order[ranked == k]
        start = np.full(n_docs, -1, dtype=np.int64)
        end = np.full(n_docs, -1, dtype=np.int64)
        start[doc[at]], end[doc[at]] = found.start[chosen[at]], found.end[chosen[at]]
        rs, re_ = repair.repair_spans(
            batch, start, end, (found.doc, found.start, found.end), rankers.cohesion
        )
        for j in at.tolist():
            d = int(doc[j])
            repaired[j] = batch.joined[int(rs[d]) : int(re_[d])]
    for j in order.tolist():
        d, c = int(doc[j]), int(chosen[j])
        s, e = int(found.start[c]), int(found.end[c])
        span = batch.joined[s:e]
        out[d].append((span, s - int(batch.starts[d]), float(scores[j]), float(first[c]),
                       int(found.sources[c]), str(repaired[j])))  # fmt: skip
    return out, np.bincount(found.doc, minlength=n_docs)


def _load_candidates(work: Path, seed: int) -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = json.loads((work / f"candidates_s{seed}.json").read_text())
    return loaded


def events(inner: Inner, seed: int, work: Path) -> None:
    """Out-of-fold event scores read for in-sample picks and for out-of-fold picks."""
    oof_picks = [r["pick"] for r in _load_candidates(work, seed)]
    distinct, by_text = inner.distinct, inner.by_text
    fit_on = [t for t in distinct if by_text[t]]
    rankers = train_subject_rankers(
        fit_on, [by_text[t] for t in fit_on], inner.alphabet, inner.trig, NO_PROGRESS,
        cohesion=Cohesion.fit(inner.alphabet.encode(distinct)),
    )  # fmt: skip
    batch = inner.alphabet.encode(distinct)
    hits = inner.trig.find_all(batch.joined)
    picks = ranking.choose_subjects(batch, rankers, hits)
    picked = [
        batch.joined[s:e] if s >= 0 else None
        for s, e in zip(picks.start.tolist(), picks.end.tolist(), strict=True)
    ]
    number = {t: i for i, t in enumerate(distinct)}
    rows, keys, y = _training_keys(inner, [picked[number[t]] for t in inner.folded])
    fold = tuning.text_folds(inner.folded, [r[2] for r in inner.train], seed=SPLIT_SEED)
    readings = {
        "insample": news.event_keys(batch, picked, hits),
        "oofpick": news.event_keys(batch, oof_picks, hits),
    }
    n = len(distinct)
    text_fold = np.zeros(n, dtype=np.int64)
    text_fold[inner.row_text] = fold
    scored = _fold_scores(
        (rows, keys, y, fold), text_fold, list(readings.values()), tuning.FOLDS, len(inner.labels)
    )
    out = dict(zip(readings, scored, strict=True))
    offsets = tuning.tune_offsets(out["insample"], inner.targets)
    np.save(work / "offsets.npy", offsets)
    for name, scores in out.items():
        np.save(work / f"events_{name}_s{seed}.npy", scores)
        raw = inner.parts(scores.argmax(1))
        tuned = inner.parts((scores + offsets).argmax(1))
        print(name, "raw", np.round(raw, 4), "tuned (in-sample offsets)", np.round(tuned, 4))


def shape(span: str | None) -> str:
    """A coarse class of a subject candidate (person, demonstrative, generic, suffix …)."""
    if not span:
        return "none"
    if span[0] in "该此这本其":
        return "demonstrative"
    if "某" in span:
        return "person_mou"
    if span in GENERIC:
        return "generic"
    for suffix in SUFFIXES:
        if span.endswith(suffix):
            return "suffix_" + suffix
    if len(span) <= 3 and span[0] in SURNAMES:
        return "surname_short"
    if re.search(r"[0-9一二三四五六七八九十百]", span[:2]):
        return "numeric_head"
    return "other"


def features(text: str, cand: dict[str, Any], event_scores: np.ndarray) -> dict[str, float]:
    """The has-subject classifier's features of one text."""
    d: dict[str, float] = {}
    top, pick = cand["top"], cand["pick"]
    d["candidates_log"] = float(np.log1p(cand["ncand"]))
    d["prob"] = cand["prob"]
    if top:
        d["second_score"], d["first_score"] = top[0][2], top[0][3]
        d["margin"] = top[0][2] - (top[1][2] if len(top) > 1 else top[0][2] - 5)
        d[f"sources={top[0][4]}"] = 1
        d["shape2=" + shape(top[1][0] if len(top) > 1 else None)] = 1
        d["position"] = min(top[0][1], 200) / 200
        if len(top) > 2:
            d["margin3"] = top[0][2] - top[2][2]
    else:
        d["no_candidate"] = 1
    d["shape=" + shape(pick)] = 1
    for c in top[:3]:
        d["shape_any=" + shape(c[0])] = 1
    if pick:
        d["last1=" + pick[-1]] = 1
        d["last2=" + pick[-2:]] = 1
        d[f"length={min(len(pick), 12)}"] = 1
        d["mentions"] = min(text.count(pick), 4)
    d["persons"] = min(len(PERSON.findall(text)), 4)
    d["court"] = min(len(COURT.findall(text)), 4)
    d["stock_codes"] = min(len(STOCK.findall(text)), 4)
    d["counted"] = min(len(COUNTED.findall(text)), 3)
    for word in ("有限公司", "公司", "集团", "平台", "银行"):
        d["text_" + word] = min(text.count(word), 4)
    d["text_length_log"] = float(np.log1p(len(text)))
    p = np.exp(event_scores - event_scores.max())
    p /= p.sum()
    d["event_logit_other"] = float(np.log(p[0] + 1e-9) - np.log(1 - p[0] + 1e-9))
    d["event_best_other"] = float(p[1:].max())
    return d


def gate(inner: Inner, seed: int, work: Path, proxy: str) -> None:
    """Nested gain of the has-subject gate over the tuned event scores."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import MaxAbsScaler

    cands = _load_candidates(work, seed)
    raw = np.load(work / f"events_{proxy}_s{seed}.npy")
    scores = raw + np.load(work / "offsets.npy")
    rows = [
        features(t, c, raw[i]) for i, (t, c) in enumerate(zip(inner.distinct, cands, strict=True))
    ]
    x = MaxAbsScaler().fit_transform(DictVectorizer().fit_transform(rows))
    five = np.random.default_rng(seed).permutation(len(rows)) % 5
    p = np.zeros(len(rows))
    for f in range(5):
        model = LogisticRegression(C=1.0, max_iter=3000).fit(x[five != f], inner.has[five != f])
        p[five == f] = model.predict_proba(x[five == f])[:, 1]
    grid = [(a, b) for a in (0.2, 0.3, 0.4, 0.5) for b in (0.6, 0.7, 0.8, 0.9, 1.01)]

    def gated(t1: float, t2: float, idx: np.ndarray) -> np.ndarray:
        s = scores[idx].copy()
        s[p[idx] < t1, 0] = 1e9
        s[p[idx] >= t2, 0] = -1e9
        chosen: np.ndarray = s.argmax(1)
        return chosen

    gains = []
    for h in range(10):
        half = np.random.default_rng(400 + h).permutation(len(rows)) % 2
        for side in (0, 1):
            a, b = np.flatnonzero(half == side), np.flatnonzero(half != side)
            t1, t2 = max(grid, key=lambda g: float(inner.parts(gated(g[0], g[1], a), a)[3]))
            gains.append(inner.parts(gated(t1, t2, b), b) - inner.parts(scores[b].argmax(1), b))
    g = np.asarray(gains)
    auc = roc_auc_score(inner.has, p)
    print(f"{proxy}: has-subject AUC {auc:.4f}; nested gain acc/group/涉嫌非法集资/objective")
    print(f"  {np.round(g.mean(0), 4)} sd {np.round(g.std(0), 4)}")


WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0)


def headline(inner: Inner, seed: int, work: Path, *, same_folds: bool = False) -> None:
    """Round 7: the runner-up rule judged on out-of-fold picks and out-of-fold event models.

    ``same_folds``: the event models use the rankers' text folds (as on the validation part,
    where rankers and event model have seen the same texts); else the protocol's own folds.
    """
    cands = _load_candidates(work, seed)
    distinct, by_text = inner.distinct, inner.by_text
    number = {t: i for i, t in enumerate(distinct)}
    picks = [c["pick"] for c in cands]
    runner = [
        next((s[0] for s in c["top"][1:2] if s[0] != c["pick"]), None) if c["pick"] else None
        for c in cands
    ]
    margin = np.asarray(
        [c["top"][0][2] - c["top"][1][2] if len(c["top"]) > 1 else np.inf for c in cands]
    )
    # event models: training rows read for the gold subject (其他 rows: the out-of-fold pick)
    rows, keys, y = _training_keys(inner, [picks[number[t]] for t in inner.folded])
    fold = tuning.text_folds(inner.folded, [r[2] for r in inner.train], seed=SPLIT_SEED + seed)
    n = len(distinct)
    text_fold = np.zeros(n, dtype=np.int64)
    text_fold[inner.row_text] = fold
    if same_folds:  # the folds of ``candidates``
        text_fold = np.random.default_rng(1000 + seed).permutation(n) % FOLDS
        fold = text_fold[inner.row_text]
    batch = inner.alphabet.encode(distinct)
    hits = inner.trig.find_all(batch.joined)
    readings = [news.event_keys(batch, picks, hits), news.event_keys(batch, runner, hits)]
    folds = FOLDS if same_folds else tuning.FOLDS
    raw = _fold_scores((rows, keys, y, fold), text_fold, readings, folds, len(inner.labels))
    np.save(work / f"headline_s{seed}{'_same' if same_folds else ''}.npy", np.stack(raw))
    coded = np.asarray([len(subjects.stock_codes(t)) > 0 for t in distinct])
    gain = news.event_strength(raw[1], 0) - news.event_strength(raw[0], 0)
    right_pick = np.asarray([p in by_text[t] for p, t in zip(picks, distinct, strict=True)])
    right_runner = np.asarray([r in by_text[t] for r, t in zip(runner, distinct, strict=True)])

    def accuracy(weight: float, idx: np.ndarray) -> float:
        took = coded[idx] & np.asarray([r is not None for r in runner])[idx]
        took &= weight * gain[idx] > margin[idx]
        return float(np.where(took, right_runner[idx], right_pick[idx]).mean())

    idx = np.flatnonzero(inner.has)
    for w in WEIGHTS:
        print(
            f"weight {w}: pick {accuracy(w, idx):.4f} (with a stock code "
            f"{accuracy(w, idx[coded[idx]]):.4f}, without {accuracy(w, idx[~coded[idx]]):.4f})"
        )
    gains = []
    for h in range(10):
        half = np.random.default_rng(400 + h).permutation(len(idx)) % 2
        for side in (0, 1):
            a, b = idx[half == side], idx[half != side]
            best = max(WEIGHTS, key=lambda w: accuracy(w, a))
            gains.append(accuracy(best, b) - accuracy(0.0, b))
    print(f"nested gain {np.mean(gains):.4f} sd {np.std(gains):.4f}")


def _rerank_lists(inner: Inner, cands: list[dict[str, Any]], idx: list[int]) -> Any:
    """The package's reranker features of the stored best-8 lists of texts ``idx``."""
    from smokewatch.text.models import rerank as rr

    batch = inner.alphabet.encode([inner.distinct[i] for i in idx])
    rows = [(n, k, c) for n, i in enumerate(idx) for k, c in enumerate(cands[i]["top"])]
    starts = batch.starts[[n for n, _, _ in rows]]
    lists = rr.Lists(
        doc=np.asarray([n for n, _, _ in rows], dtype=np.int64),
        rank=np.asarray([k for _, k, _ in rows], dtype=np.int64),
        start=starts + np.asarray([c[1] for _, _, c in rows], dtype=np.int64),
        end=starts + np.asarray([c[1] + len(c[0]) for _, _, c in rows], dtype=np.int64),
        second=np.asarray([c[2] for _, _, c in rows]),
        first=np.asarray([c[3] for _, _, c in rows]),
        sources=np.asarray([c[4] for _, _, c in rows], dtype=np.int64),
        row=np.arange(len(rows)),
    )
    return batch, lists, rr.base_features(batch, lists)


def gated_lists(
    inner: Inner, cands: list[dict[str, Any]]
) -> tuple[dict[str, str], list[int], np.ndarray, list[int]]:
    """``(first id of every text, texts with a subject, their gate, gated texts with a list)``.

    The reranker reads only gated texts (:func:`~smokewatch.text.models.rerank.gated`); a
    text is listed when the out-of-fold candidates gave it a best-8 list.
    """
    from smokewatch.text.models import rerank as rr

    ids: dict[str, str] = {}
    for t, r in zip(inner.folded, inner.train, strict=True):
        ids.setdefault(t, str(r[0]))
    with_subject = [i for i, t in enumerate(inner.distinct) if inner.by_text[t]]
    probe = inner.alphabet.encode([inner.distinct[i] for i in with_subject])
    gate = rr.gated(probe, subjects.stock_codes(probe.joined))
    listed = [i for i, g in zip(with_subject, gate.tolist(), strict=True) if g and cands[i]["top"]]
    return ids, with_subject, gate, listed


def rerank(inner: Inner, seed: int, work: Path) -> None:
    """Round 9: the package's news-sentence reranker judged by 5-fold CV on the training part.

    Gate as shipped (no stock code, a comma or a full stop); fitted on every gated text with a
    subject; compared with the repaired pick (the rankers' winner after the repair) on the news
    sentences (ids 1xxxxx) and on the glued headlines.
    """
    from smokewatch.text.models import rerank as rr

    cands = _load_candidates(work, seed)
    ids, with_subject, gate, listed = gated_lists(inner, cands)
    distinct, by_text = inner.distinct, inner.by_text
    news_ = np.asarray([ids[distinct[i]].startswith("1") for i in with_subject])
    print(
        f"gate: {gate[news_].mean():.3f} of {news_.sum()} news sentences, "
        f"{gate[~news_].mean():.4f} of {(~news_).sum()} glued; {len(listed)} texts reranked"
    )
    _, lists, x = _rerank_lists(inner, cands, listed)
    tops = [t for i in listed for t in cands[i]["top"]]
    golds = [by_text[distinct[i]] for i in listed]
    raw_gold = np.asarray([c[0] in golds[n] for n, c in zip(lists.doc.tolist(), tops, strict=True)])
    fixed_gold = np.asarray(
        [c[5] in golds[n] for n, c in zip(lists.doc.tolist(), tops, strict=True)]
    )
    fold = np.random.default_rng(seed).permutation(len(listed)) % 5
    bounds = np.searchsorted(lists.doc, np.arange(len(listed) + 1))
    right = {i: cands[i]["pick"] in by_text[distinct[i]] for i in with_subject}
    for label_name, gold in (("label raw span", raw_gold), ("label repaired span", fixed_gold)):
        score = np.zeros(len(gold))
        for f in range(5):
            inside = fold[lists.doc] != f
            weights, bias = _fit_base(x[inside], gold[inside])
            score[~inside] = x[~inside] @ weights + bias
        won = [int(np.argmax(score[a:b])) + a for a, b in itertools.pairwise(bounds)]
        for out_name, out in (("repaired winner", fixed_gold), ("raw winner", raw_gold)):
            new = dict(right)
            moved = [0, 0]
            for n, i in enumerate(listed):
                new[i] = bool(out[won[n]])
                if new[i] != right[i]:
                    moved[int(new[i])] += 1
            parts = []
            for name, keep in (("news", news_), ("glued", ~news_)):
                members = [i for i, k in zip(with_subject, keep.tolist(), strict=True) if k]
                before = np.mean([right[i] for i in members])
                after = np.mean([new[i] for i in members])
                parts.append(f"{name} {before:.4f} -> {after:.4f} ({after - before:+.4f})")
            summary = "; ".join(parts)
            print(f"{label_name}, {out_name}: {summary}; fixed {moved[1]}, broken {moved[0]}")
    weights, _ = _fit_base(x, raw_gold)
    named = sorted(zip(rr.BASE_FEATURES, weights.tolist(), strict=True), key=lambda p: -abs(p[1]))
    print("largest weights (all texts, raw labels):", [(k, round(w, 2)) for k, w in named[:10]])


def _fit_base(x: np.ndarray, gold: np.ndarray) -> tuple[np.ndarray, float]:
    """The round-9 reranker (its 66 columns, C 1) as weights and bias.

    The package's reranker now also reads the tagger's columns (round 10), so this harness
    fits the round-9 model itself.
    """
    from smokewatch.text.models.linear import fit_logistic

    model = fit_logistic(x, gold.astype(np.int64).tolist(), n_classes=2, c=1.0, max_iter=3000)
    return np.asarray(model.weights[:, 0], np.float64), float(model.bias[0])


def main() -> None:
    global FOLDS  # noqa: PLW0603 - one-off script, --folds
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("candidates", "events", "gate", "headline", "rerank"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--work", type=Path, required=True, help="folder for the outputs")
    parser.add_argument(
        "--same-folds", action="store_true", help="headline: event models on the rankers' folds"
    )
    parser.add_argument("--folds", type=int, default=FOLDS, help="candidates: ranker folds")
    parser.add_argument("--variant", default="none", help="candidates: none or rivals (round 8)")
    args = parser.parse_args()
    FOLDS = args.folds
    args.work.mkdir(parents=True, exist_ok=True)
    inner = Inner()
    if args.step == "candidates":
        import news_rivals

        news_rivals.patch(args.variant)
        candidates(inner, args.seed, args.work)
    elif args.step == "rerank":
        rerank(inner, args.seed, args.work)
    elif args.step == "events":
        events(inner, args.seed, args.work)
    elif args.step == "headline":
        headline(inner, args.seed, args.work, same_folds=args.same_folds)
    else:
        for proxy in ("insample", "oofpick"):
            gate(inner, args.seed, args.work, proxy)


def _training_keys(
    inner: Any, picks: list[str | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Event keys of the training rows, each read for its gold subject (else ``picks``' row)."""
    chosen = []
    for text, pick, (_, _, _, subject) in zip(inner.folded, picks, inner.train, strict=True):
        folded = news.fold(subject) if subject else None
        chosen.append(folded if folded and folded in text else pick)
    rb = inner.alphabet.encode(inner.folded)
    rows, keys = news.event_keys(rb, chosen, inner.trig.find_all(rb.joined))
    y = np.asarray([inner.labels.index(r[2]) for r in inner.train])
    return rows, keys, y


def _fold_scores(
    training: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    text_fold: np.ndarray,
    readings: list[tuple[np.ndarray, np.ndarray]],
    folds: int,
    n_labels: int,
) -> list[np.ndarray]:
    """Out-of-fold event scores of every distinct text, one matrix per reading.

    ``training`` = (row of each key, key, label per row, fold per row); a text's fold is
    ``text_fold``; each reading is (text of each key, key) over the distinct texts.
    """
    rows, keys, y, fold = training
    n = len(text_fold)
    out = [np.zeros((n, n_labels)) for _ in readings]
    for f in range(folds):
        inside = np.flatnonzero(fold != f)
        renumber = np.full(len(fold), -1, dtype=np.int64)
        renumber[inside] = np.arange(len(inside))
        keep = renumber[rows] >= 0
        fitted = tuning.fit_events(renumber[rows[keep]], keys[keep], y[inside], n_classes=n_labels)
        held = np.flatnonzero(text_fold == f)
        where = np.full(n, -1, dtype=np.int64)
        where[held] = np.arange(len(held))
        for scores, (t_rows, t_keys) in zip(out, readings, strict=True):
            mine = where[t_rows] >= 0
            scores[held] = fitted.scores(where[t_rows[mine]], t_keys[mine], len(held))
    return out


if __name__ == "__main__":
    main()

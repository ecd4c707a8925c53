"""Round-12 harness: does an all-texts subject tagger tell which texts have a company subject?

One-off research script (not imported by the package; see text_models.md, "Round 12").
Training part only: the split is made as ``smokewatch text train --task news-events`` makes it
and the validation rows are dropped on load (as ``news_offsets.py`` does).

    PYTHONPATH=src nice -n 10 .venv/bin/python contrib/experiments/news_hassubj.py events --work W
    PYTHONPATH=src nice -n 10 .venv/bin/python contrib/experiments/news_hassubj.py tagger --work W
    PYTHONPATH=src nice -n 10 .venv/bin/python contrib/experiments/news_hassubj.py judge --work W

FinESE's 其他 is exactly "a row without a company subject" (round 6). The shipped tagger
(``text/models/tagger.py``) is fitted on news sentences *with* a subject only; here a tagger
with the same keys is fitted on **all** training texts of the other folds (a text without a
subject gives all-negative gaps), and every held-out text gets per-text features from its
gaps' log-probabilities (``presence.TAGGER_FEATURES``: the best start / end / inside, the
best span ``[s, e)`` of at most ``presence.MAX_SPAN`` characters by the sum and by the mean
of its gaps' log-probs, and how many gaps pass a few thresholds). Since the step shipped the
harness imports the package's functions (the same arithmetic as its first copy).

* ``events``: the pipeline as ``text train`` builds it (rankers, out-of-fold reranker lists,
  tagger, reranker), every distinct training text read for the subject it picks, and the event
  model's 3-fold out-of-fold scores (``tuning.out_of_fold_scores``) for fold seeds 0 / 1 / 2.
* ``tagger``: per fold seed, on the same text folds, the all-texts tagger of the other folds
  scores every gap of the held-out texts.
* ``judge``: per seed, two tiny logistic stackers of "no company subject" (5-fold out of fold
  over the distinct texts): *base* = the event 其他 margin (and the news-sentence flag and
  their product), *tagger* = base + the tagger's text features (and their products with the
  news flag). Then the real test, **nested**: in each of 5 outer folds of the texts, the
  weight ``w`` of ``其他 score += w · logit(P(no subject))`` is chosen on the other four (for
  each ``w`` the offsets are tuned there, ``tuning.tune_offsets``), the offsets re-tuned at
  that ``w`` and the held-out texts predicted; the per-text accuracy, group F1 and 涉嫌非法集资
  F1 are read on all texts' outer-fold predictions.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import time
from pathlib import Path

import numpy as np
from news_offsets import pipeline_features  # the sibling harness (run from its folder)

from smokewatch.text.models import news, tuning
from smokewatch.text.models import news_training as nt
from smokewatch.text.models import training as tr
from smokewatch.text.models.encoding import Alphabet, Batch
from smokewatch.text.models.metrics import grouped_split
from smokewatch.text.models.presence import (
    TAGGER_FEATURES,
    logit,
    other_log_odds,
    tagger_features,
)
from smokewatch.text.models.tagger import Tagger, gold_gaps, text_gaps

DATA = Path("/work/shared/data/finese-event-subject/finese_train_list.json")
SEED = 20261121
SEEDS = (0, 1, 2)
WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
WIDE = (*WEIGHTS, 4.0, 5.0, 6.0, 8.0)
"""Added after the first read (the best w was 3, the grid's edge): a secondary row only."""
OUTER = 5


@dataclasses.dataclass
class Part:
    """The training part: rows, their folded texts, the distinct texts and their targets."""

    train: list[tuple[str, str, str, str | None]]
    labels: list[str]
    folded: list[str]
    distinct: list[str]
    golds: list[set[str]]
    targets: tuning.TextTargets
    is_news: np.ndarray

    @classmethod
    def load(cls) -> Part:
        rows = tr.read_finese(DATA)
        is_val = grouped_split([r[1] for r in rows], [r[2] for r in rows], fraction=0.2, seed=SEED)
        train = [r for r, v in zip(rows, is_val, strict=True) if not v]
        del rows, is_val  # the validation part is never used here
        labels = sorted({r[2] for r in train}, key=lambda label: (label != news.NONE_LABEL, label))
        folded = [news.fold(t) for _, t, _, _ in train]
        distinct = list(dict.fromkeys(folded))
        by_text = nt.gold_subjects(folded, train)
        number = {t: i for i, t in enumerate(distinct)}
        carried: list[list[str]] = [[] for _ in distinct]
        first_id: dict[int, str] = {}
        for text, (row_id, _, label, _) in zip(folded, train, strict=True):
            carried[number[text]].append(label)
            first_id.setdefault(number[text], str(row_id))
        return cls(
            train=train,
            labels=labels,
            folded=folded,
            distinct=distinct,
            golds=[set(by_text[t]) for t in distinct],
            targets=tuning.text_targets(carried, labels, tr.ILLEGAL_FINANCE),
            is_news=np.asarray([first_id[i].startswith("1") for i in range(len(distinct))]),
        )

    def text_folds(self, seed: int) -> tuple[np.ndarray, np.ndarray]:
        """``(fold of every row, fold of every distinct text)`` as ``tuning`` makes them."""
        fold = tuning.text_folds(self.folded, [r[2] for r in self.train], seed=seed)
        number = {t: i for i, t in enumerate(self.distinct)}
        text_fold = np.zeros(len(self.distinct), dtype=np.int64)
        text_fold[[number[t] for t in self.folded]] = fold
        return fold, text_fold


def events(part: Part, work: Path) -> None:
    """The pipeline's picks, then out-of-fold event scores per fold seed (cached)."""
    began = time.time()
    _, row_features, text_features, row_text = pipeline_features(part.train)
    targets = [part.labels.index(r[2]) for r in part.train]
    print(f"pipeline {time.time() - began:.0f} s", flush=True)
    for s in SEEDS:
        fold, _ = part.text_folds(s)
        scores = tuning.out_of_fold_scores(
            row_features,
            text_features,
            row_text=row_text,
            targets=targets,
            fold=fold,
            n_classes=len(part.labels),
        )
        np.save(work / f"events_s{s}.npy", scores)
        print(f"event scores, fold seed {s}: {time.time() - began:.0f} s", flush=True)


def tagger(part: Part, work: Path, fit_on: str) -> None:
    """Per fold seed: the tagger of the other folds' texts scores every held-out text.

    ``fit_on``: ``all`` (every text of the other folds) or ``news`` (their news sentences
    only, with or without a subject; a third of the gaps).
    """
    began = time.time()
    alphabet = Alphabet.fit(dict.fromkeys(part.folded), min_df=2)
    batch = alphabet.encode(part.distinct)
    sizes = batch.ends - batch.starts + 1
    for s in SEEDS:
        out = work / f"tagger_{fit_on}_s{s}.npy"
        if out.exists():
            continue
        _, text_fold = part.text_folds(s)
        x = np.zeros((len(part.distinct), len(TAGGER_FEATURES)))
        auc: list[list[float]] = []
        for f in range(tuning.FOLDS):
            fit_docs = np.flatnonzero((text_fold != f) & (part.is_news | (fit_on == "all")))
            held = np.flatnonzero(text_fold == f)
            model = Tagger.fit(batch, fit_docs, [part.golds[d] for d in fit_docs])
            gaps = text_gaps(batch, held)
            lp = model.log_probs(batch, gaps)
            x[held] = tagger_features(lp, sizes[held])
            auc.append(_gap_auc(batch, gaps, held, [part.golds[d] for d in held], lp))
            print(
                f"seed {s} fold {f}: {len(fit_docs)} texts fitted, gap AUC start/end/inside "
                f"{np.round(auc[-1], 3).tolist()}, {time.time() - began:.0f} s",
                flush=True,
            )
        np.save(out, x)


def _gap_auc(
    batch: Batch, gaps: np.ndarray, held: np.ndarray, golds: list[set[str]], lp: np.ndarray
) -> list[float]:
    """Out-of-fold gap AUC of the three models (a sanity check of the fit)."""
    from sklearn.metrics import roc_auc_score

    y = gold_gaps(batch, gaps, held, golds)
    return [float(roc_auc_score(y[:, j], lp[:, j])) for j in range(3)]


def stacked(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold P(y) of a standardised logistic regression (C 1), 5 folds over the texts."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    fold = np.random.default_rng(300 + seed).permutation(len(y)) % 5
    p = np.zeros(len(y))
    for f in range(5):
        model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000))
        model.fit(x[fold != f], y[fold != f])
        p[fold == f] = model.predict_proba(x[fold == f])[:, 1]
    return p


def _subset(t: tuning.TextTargets, idx: np.ndarray) -> tuning.TextTargets:
    return tuning.TextTargets(t.carried[idx], t.majority[idx], t.group, t.focus)


def nested(
    scores: np.ndarray,
    shift: np.ndarray,
    targets: tuning.TextTargets,
    seed: int,
    weights: tuple[float, ...],
) -> tuple[np.ndarray, list[float]]:
    """Outer-fold predictions of ``scores`` with 其他 += w · ``shift``, w and offsets tuned inside.

    For every outer fold, each ``w`` gets offsets tuned on the other folds; the ``w`` whose
    tuned objective there is best (the smaller on ties) predicts the held-out texts.
    """
    outer = np.random.default_rng(500 + seed).permutation(len(scores)) % OUTER
    predicted = np.zeros(len(scores), dtype=np.int64)
    chosen: list[float] = []
    for k in range(OUTER):
        inside, held = np.flatnonzero(outer != k), np.flatnonzero(outer == k)
        t_in = _subset(targets, inside)
        tried = []
        for w in weights:
            adjusted = scores[inside].copy()
            adjusted[:, 0] += w * shift[inside]
            offsets = tuning.tune_offsets(adjusted, t_in)
            value = tuning.text_objective(t_in, np.argmax(adjusted + offsets, axis=1))
            tried.append((round(value, 9), -w, offsets))
        _, minus_w, offsets = max(tried, key=lambda t: (t[0], t[1]))
        w = -minus_w
        adjusted = scores[held].copy()
        adjusted[:, 0] += w * shift[held]
        predicted[held] = np.argmax(adjusted + offsets, axis=1)
        chosen.append(w)
    return predicted, chosen


def _paired_se(targets: tuning.TextTargets, new: np.ndarray, old: np.ndarray) -> float:
    """Bootstrap (texts resampled, 500 draws) SE of the new − old group F1 difference."""
    rng = np.random.default_rng(7)
    n = len(targets.majority)
    diffs = []
    for _ in range(500):
        idx = rng.integers(0, n, n)
        t = _subset(targets, idx)
        diffs.append(
            tuning.objective_parts(t, new[idx])["group_f1"]
            - tuning.objective_parts(t, old[idx])["group_f1"]
        )
    return float(np.std(diffs, ddof=1))


def print_bar(gains: list[float]) -> None:
    """The per-seed group-F1 gains against the bar fixed before the first read."""
    print(
        f"mean Δ group F1 {100 * np.mean(gains):+.2f} points, per seed "
        f"{[round(100 * g, 2) for g in gains]}; bar: mean >= +0.5, no seed negative"
    )


def news_gate(part: Part) -> np.ndarray:
    """The package's news-sentence gate (no stock code; a comma or a full stop) per text.

    The ids (1xxxxx news, 2xxxxx glued) are not there at prediction time; the gate is.
    """
    from smokewatch.text.models import rerank, subjects

    probe = Alphabet.fit(dict.fromkeys(part.folded), min_df=2).encode(part.distinct)
    out: np.ndarray = rerank.gated(probe, subjects.stock_codes(probe.joined))
    return out


def gazetteer_features(part: Part, seed: int) -> np.ndarray:
    """Per text: does it name a gold subject of the other folds' texts (round 13)?

    The folds are the event scores' text folds of ``seed`` (as for the tagger features); the
    names are every other-fold gold subject of two characters or more, as the rankers'
    :class:`~smokewatch.text.models.gazetteer.Gazetteer` keeps them. Columns: any name found,
    log(1 + distinct names found), the longest name found / 10, any name that was the subject
    of an other-fold *news sentence*.
    """
    import ahocorasick

    _, text_fold = part.text_folds(seed)
    x = np.zeros((len(part.distinct), 4))
    for f in range(tuning.FOLDS):
        automaton = ahocorasick.Automaton()
        names: dict[str, bool] = {}
        for i in np.flatnonzero(text_fold != f).tolist():
            for name in part.golds[i]:
                if len(name) >= 2:
                    names[name] = names.get(name, False) or bool(part.is_news[i])
        for name, in_news in names.items():
            automaton.add_word(name, (name, in_news))
        automaton.make_automaton()
        for i in np.flatnonzero(text_fold == f).tolist():
            found = {v for _, v in automaton.iter(part.distinct[i])}
            if found:
                x[i] = (
                    1.0,
                    np.log1p(len(found)),
                    max(len(n) for n, _ in found) / 10,
                    float(any(in_news for _, in_news in found)),
                )
    return x


CUES = (
    r"[\u4e00-\u9fff]某[\u4e00-\u9fff]?",  # persons: 王某, 李某某
    r"(?:该|此|这家|上述|涉事)(?:平台|公司|网贷|机构|企业)",  # demonstratives
    r"(?:多|几|数|部分|一批|一些|[0-9一二三四五六七八九十百千]+)(?:家|个|起)(?:P2P|p2p|平台|公司|网贷|机构|案件)?",
    r"法院|检察院|一审|二审|判决|宣判|公诉|被告|庭审|开庭|起诉|审理",  # courts
    r"(?:记者|报道|新华社|日报|晚报|商报|网讯)",  # media
)


def cue_features(part: Part) -> np.ndarray:
    """Per text: log(1 + matches) of each of :data:`CUES` (round 13)."""
    import re

    patterns = [re.compile(c) for c in CUES]
    return np.asarray(
        [[np.log1p(len(p.findall(t))) for p in patterns] for t in part.distinct], dtype=float
    )


def stacked_hgb(x: np.ndarray, y: np.ndarray, seed: int) -> np.ndarray:
    """Out-of-fold P(y) of a small gradient-boosted tree stacker, the folds of :func:`stacked`."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    fold = np.random.default_rng(300 + seed).permutation(len(y)) % 5
    p = np.zeros(len(y))
    for f in range(5):
        model = HistGradientBoostingClassifier(
            max_iter=200,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=40,
            l2_regularization=1.0,
            random_state=seed,
        )
        model.fit(x[fold != f], y[fold != f])
        p[fold == f] = model.predict_proba(x[fold == f])[:, 1]
    return p


def neighbour_features(part: Part, seed: int, gate: np.ndarray) -> np.ndarray:
    """Per gated text: how close its nearest other-fold gated texts with / without a subject
    are (char 2–3-gram TF-IDF cosine; round 13). Columns: best cosine to a text with a
    subject, best to one without, their difference, the nearest one's has-subject × cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    _, text_fold = part.text_folds(seed)
    idx = np.flatnonzero(gate)
    vectors = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    x = vectors.fit_transform([part.distinct[i] for i in idx])
    sim = (x @ x.T).toarray()
    has = np.asarray([bool(part.golds[i]) for i in idx])
    fold = text_fold[idx]
    out = np.zeros((len(part.distinct), 4))
    for k, i in enumerate(idx.tolist()):
        other = fold != fold[k]
        with_s = sim[k, other & has]
        without = sim[k, other & ~has]
        best_with = float(with_s.max()) if len(with_s) else 0.0
        best_without = float(without.max()) if len(without) else 0.0
        nearest = best_with if best_with >= best_without else -best_without
        out[i] = (best_with, best_without, best_with - best_without, nearest)
    return out


def arm_figures(
    row: dict[str, object],
    arm: str,
    p_none: np.ndarray,
    part: Part,
    scores: np.ndarray,
    seed: int,
    weights: tuple[float, ...],
    where: np.ndarray,
    name: str,
) -> tuple[dict[str, float], np.ndarray]:
    """One stacker arm: its has-subject AUC on the ``where`` texts and its nested figures
    (written into ``row``); returns the figures and the outer-fold predictions."""
    from sklearn.metrics import roc_auc_score

    has = np.asarray([bool(g) for g in part.golds])
    row[f"AUC {arm}, {name}"] = round(float(roc_auc_score(has[where], -p_none[where])), 4)
    predicted, chosen = nested(scores, logit(p_none), part.targets, seed, weights)
    figures = tuning.objective_parts(part.targets, predicted)
    row[arm] = {k: round(v, 4) for k, v in figures.items()} | {"w": chosen}
    return figures, predicted


def judge_extra(part: Part, work: Path, fit_on: str, weights: tuple[float, ...]) -> None:
    """Round 13: the shipped stacker (gate flag, tagger features of gated texts) against the
    same + :func:`gazetteer_features` of the gated texts; nested per-text figures per seed."""

    has = np.asarray([bool(g) for g in part.golds])
    none = (~has).astype(np.int64)
    news_flag = news_gate(part).astype(float)
    gains = []
    for s in SEEDS:
        scores = np.load(work / f"events_s{s}.npy")
        feats = np.load(work / f"tagger_{fit_on}_s{s}.npy")
        gaz = gazetteer_features(part, s)
        cues = cue_features(part)
        knn = neighbour_features(part, s, news_flag > 0)
        log_odds = other_log_odds(scores, 0)
        base_x = np.column_stack([log_odds, news_flag, news_flag * log_odds])
        shipped_x = np.column_stack([base_x, news_flag[:, None] * feats])
        gaz_x = np.column_stack([shipped_x, news_flag[:, None] * gaz])
        cue_x = np.column_stack([gaz_x, news_flag[:, None] * cues])
        row: dict[str, object] = {"seed": s}
        news = part.is_news
        row["gazetteer hit, news with / without subject"] = [
            round(float(gaz[news & has, 0].mean()), 3),
            round(float(gaz[news & ~has, 0].mean()), 3),
        ]
        predictions = {}
        figures = {}
        z = scores - scores.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        probs_x = np.column_stack([shipped_x, news_flag[:, None] * log_p])
        arms = (
            ("shipped", shipped_x, stacked),
            ("gazetteer", gaz_x, stacked),
            ("gazetteer+cues", cue_x, stacked),
            ("event log-probs", probs_x, stacked),
            ("neighbours", np.column_stack([shipped_x, knn]), stacked),
            ("hgb neighbours", np.column_stack([shipped_x, knn]), stacked_hgb),
            ("hgb shipped", shipped_x, stacked_hgb),
            ("hgb all", np.column_stack([probs_x, news_flag[:, None] * gaz]), stacked_hgb),
        )
        for arm, x, stack in arms:
            figures[arm], predictions[arm] = arm_figures(
                row, arm, stack(x, none, s), part, scores, s, weights, news, "news"
            )
        gains.append(figures["gazetteer"]["group_f1"] - figures["shipped"]["group_f1"])
        row["Δ group F1 (points)"] = round(100 * gains[-1], 2)
        for arm, _, _ in arms[2:]:
            row[f"Δ group F1 {arm} (points)"] = round(
                100 * (figures[arm]["group_f1"] - figures["shipped"]["group_f1"]), 2
            )
        row["Δ bootstrap SE (points)"] = round(
            100 * _paired_se(part.targets, predictions["gazetteer"], predictions["shipped"]),
            2,
        )
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print_bar(gains)


def judge(
    part: Part,
    work: Path,
    fit_on: str,
    flag: str,
    weights: tuple[float, ...],
    *,
    gated_only: bool = False,
) -> None:
    """Has-subject AUC and the nested per-text figures, per seed: base vs tagger stackers.

    ``flag``: what the stackers read as "news sentence", ``id`` (1xxxxx) or ``gate``
    (:func:`news_gate`, as prediction would have to).
    """
    from sklearn.metrics import roc_auc_score

    has = np.asarray([bool(g) for g in part.golds])
    none = (~has).astype(np.int64)
    flagged = part.is_news if flag == "id" else news_gate(part)
    news_flag = flagged.astype(float)
    print(
        f"flag {flag}: {flagged.sum()} texts flagged, {(flagged & part.is_news).sum()} of "
        f"{part.is_news.sum()} news sentences; weights {weights}",
        flush=True,
    )
    gains = []
    for s in SEEDS:
        scores = np.load(work / f"events_s{s}.npy")
        feats = np.load(work / f"tagger_{fit_on}_s{s}.npy")
        log_odds = other_log_odds(scores, 0)
        base_x = np.column_stack([log_odds, news_flag, news_flag * log_odds])
        if gated_only:  # the tagger reads the gated texts only (what prediction computes)
            tag_x = np.column_stack([base_x, news_flag[:, None] * feats])
        else:
            tag_x = np.column_stack([base_x, feats, news_flag[:, None] * feats])
        p_base = stacked(base_x, none, s)
        p_tag = stacked(tag_x, none, s)
        p_alone = stacked(feats, none, s)
        row: dict[str, object] = {"seed": s, "tagger fit on": fit_on, "flag": flag}
        for name, p in (
            ("event 其他", 1 / (1 + np.exp(-log_odds))),
            ("base stacker", p_base),
            ("tagger alone", p_alone),
            ("tagger stacker", p_tag),
        ):
            row[f"AUC {name}"] = round(float(roc_auc_score(has, -p)), 4)
            row[f"AUC {name}, news"] = round(
                float(roc_auc_score(has[part.is_news], -p[part.is_news])), 4
            )
        figures = {}
        predictions = {}
        for arm, shift, grid in (
            ("offsets only", np.zeros(len(has)), (0.0,)),
            ("base", logit(p_base), weights),
            ("tagger", logit(p_tag), weights),
        ):
            predicted, chosen = nested(scores, shift, part.targets, s, grid)
            parts = tuning.objective_parts(part.targets, predicted)
            figures[arm] = parts
            predictions[arm] = predicted
            other = predicted == 0
            row[arm] = {k: round(v, 4) for k, v in parts.items()} | {
                "w": chosen,
                "其他 predicted (news / glued)": [
                    int((other & part.is_news).sum()),
                    int((other & ~part.is_news).sum()),
                ],
            }
        gains.append(figures["tagger"]["group_f1"] - figures["base"]["group_f1"])
        row["Δ group F1 tagger − base (points)"] = round(100 * gains[-1], 2)
        row["Δ bootstrap SE (points)"] = round(
            100 * _paired_se(part.targets, predictions["tagger"], predictions["base"]), 2
        )
        print(json.dumps(row, ensure_ascii=False), flush=True)
    print_bar(gains)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("events", "tagger", "judge", "gazetteer"))
    parser.add_argument("--work", type=Path, required=True, help="cache of the per-seed arrays")
    parser.add_argument("--fit-on", default="all", choices=("all", "news"), help="tagger texts")
    parser.add_argument("--flag", default="id", choices=("id", "gate"), help="judge: news flag")
    parser.add_argument("--wide", action="store_true", help="judge: the wider grid of w")
    parser.add_argument(
        "--gated-only", action="store_true", help="judge: tagger features of flagged texts only"
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    part = Part.load()
    if args.step == "events":
        events(part, args.work)
    elif args.step == "tagger":
        tagger(part, args.work, args.fit_on)
    elif args.step == "gazetteer":
        judge_extra(part, args.work, args.fit_on, WEIGHTS)
    else:
        weights = WIDE if args.wide else WEIGHTS
        judge(part, args.work, args.fit_on, args.flag, weights, gated_only=args.gated_only)


if __name__ == "__main__":
    main()

"""Round-9 harness: boundary twins of the glued stock headlines (training part only).

One-off research script (not imported by the package; see text_models.md, "Round 9"). It
builds on ``news_inner.py`` (same split; the validation part is dropped on load) and on its
``candidates`` output (3-fold out-of-fold rankers' repaired pick and best-8 list per text).

    PYTHONPATH=src .venv/bin/python contrib/experiments/news_inner.py candidates --seed 0 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/twins_inner.py count --seeds 0 1 2 --work W
    PYTHONPATH=src .venv/bin/python contrib/experiments/twins_inner.py choose --seeds 0 1 2 --work W

* ``count``: how many glued misses (ids 2xxxxx) are boundary twins of the gold (one a
  prefix or suffix of the other, 1–3 characters apart), which side, whether the gold is in
  the best 8, whether the pick ends right before a stock code; prints 30 for reading.
* ``choose``: the twin choosers, each using only what the *other* ranker folds know (the
  texts of the folds that fitted the rankers of a held-out text): a stock-code name table
  voted from the strings in front of each code in those texts (no labels), a table from
  their gold subjects, and the gazetteer (their gold subjects); a lexical strip of the words
  seen in the 30 read twins. Pick accuracy before/after on all texts with a subject,
  fixed/broken, per seed.
* ``missed``: the twins right before a code with that code's contexts in the other folds.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import news_inner as ni
import twins_vote as twins

CODE = re.compile(r"[(（](?:SH|SZ|HK)?([0-9]{5,6})[)）.]")


def twin_kind(pick: str | None, gold: str) -> str | None:
    """Which boundary slip turns ``gold`` into ``pick`` (None: not twins)."""
    if not pick or pick == gold or not 1 <= abs(len(pick) - len(gold)) <= 3:
        return None
    if pick.endswith(gold):
        return "extra_front"
    if gold.endswith(pick):
        return "cut_front"
    if pick.startswith(gold):
        return "extra_tail"
    if gold.startswith(pick):
        return "cut_tail"
    return None


def _ids(inner: ni.Inner) -> dict[str, str]:
    ids: dict[str, str] = {}
    for t, r in zip(inner.folded, inner.train, strict=True):
        ids.setdefault(t, str(r[0]))
    return ids


def count(inner: ni.Inner, seed: int, work: Path) -> None:
    cands = ni._load_candidates(work, seed)
    ids = _ids(inner)
    kinds: Counter[str] = Counter()
    in8: Counter[str] = Counter()
    at_code: Counter[str] = Counter()
    misses, shown = 0, 0
    for t, c in zip(inner.distinct, cands, strict=True):
        gold = inner.by_text[t]
        if not gold or not ids[t].startswith("2") or c["pick"] in gold:
            continue
        misses += 1
        kind = next((k for g in gold if (k := twin_kind(c["pick"], g))), None)
        if kind is None:
            continue
        kinds[kind] += 1
        in8[kind] += any(s[0] in gold for s in c["top"])
        at_code[kind] += any(CODE.match(t, m.end()) for m in re.finditer(re.escape(c["pick"]), t))
        if shown < 30 and seed == 0:
            shown += 1
            g = sorted(gold)[0]
            print(f"  {kind:11s} pick {c['pick']!r:14s} gold {g!r:12s} | {t[:90]}")
    total = sum(kinds.values())
    print(f"seed {seed}: glued misses {misses}; twins {total} ({total / misses:.1%})")
    for k, v in kinds.most_common():
        print(f"  {k}: {v}; gold in best 8 {in8[k]}; pick right before a code {at_code[k]}")


def _tables(
    inner: ni.Inner, inside: np.ndarray
) -> tuple[twins.NameTable, dict[str, Counter[str]], set[str]]:
    """What the texts ``inside`` (a boolean mask over distinct texts) know."""
    texts = [t for t, i in zip(inner.distinct, inside.tolist(), strict=True) if i]
    table = twins.NameTable.fit(texts)
    gold_codes: dict[str, Counter[str]] = defaultdict(Counter)
    names: set[str] = set()
    for t in texts:
        for g in inner.by_text[t]:
            names.add(g)
            for m in re.finditer(re.escape(g), t):
                code = CODE.match(t, m.end())
                if code:
                    gold_codes[code.group(1)][g] += 1
    return table, gold_codes, names


TAIL = re.compile(r"(Q[1-4]|[一二三四]季度|股票|评级|股价)$")
HEAD = re.compile(r"^(传|接盘|多家|两家|三家|曝|称|遭|涉嫌|旗下|据|下调|上调|调降|调升|减持|增持)")
"""Words read off the 30 seed-0 twins (quarter tags, 股票 after a name; rumour and verb
words in front): the ``lexical`` strip, a repair-style rule (written after reading these
training texts, so its figure is optimistic on every seed: the seeds change folds, not texts)."""


def _lexical(pick: str) -> str:
    m = TAIL.search(pick)
    if m and m.start() >= 2:
        return pick[: m.start()]
    m = HEAD.search(pick)
    if m and len(pick) - m.end() >= 2:
        return pick[m.end() :]
    return pick


def _marks_only(a: str, b: str) -> bool:
    """Whether two twins differ only by risk marks (ST, *ST, S): the vote ignores those."""
    longer, shorter = (a, b) if len(a) > len(b) else (b, a)
    return not longer.replace(shorter, "", 1).strip(twins.MARKS)


def _choose(text: str, pick: str | None, how: str, knows: Any) -> str | None:
    if not pick:
        return pick
    table, gold_codes, names = knows
    if how == "lexical":
        return _lexical(pick)
    if how == "table_own+lexical":
        twins.WITH_OWN = True
        moved = twins.choose(text, pick, table)
        return moved if moved != pick else _lexical(pick)
    if how in ("table", "table_own"):
        twins.WITH_OWN = how == "table_own"
        return twins.choose(text, pick, table)
    if how == "gold_table":
        for m in re.finditer(re.escape(pick), text):
            code = CODE.match(text, m.end())
            if code and gold_codes.get(code.group(1)):
                best = gold_codes[code.group(1)].most_common(1)[0][0]
                if (
                    twin_kind(pick, best) in ("extra_front", "cut_front")
                    and text[m.end() - len(best) : m.end()] == best
                    and not _marks_only(pick, best)
                ):
                    return best
        return pick
    if how == "gazetteer":
        if pick in names:
            return pick
        for m in re.finditer(re.escape(pick), text):
            s, e = m.start(), m.end()
            for k in (1, 2, 3):
                for alt in (text[s + k : e], text[s - k : e] if s >= k else ""):
                    if len(alt) >= 2 and alt in names and not _marks_only(pick, alt):
                        return alt
        return pick
    raise ValueError(how)


HOWS = ("table", "table_own", "gold_table", "gazetteer", "lexical", "table_own+lexical")


def choose(inner: ni.Inner, seed: int, work: Path, hows: tuple[str, ...] = HOWS) -> None:
    cands = ni._load_candidates(work, seed)
    ids = _ids(inner)
    n = len(inner.distinct)
    text_fold = np.random.default_rng(1000 + seed).permutation(n) % ni.FOLDS
    with_subject = [i for i, t in enumerate(inner.distinct) if inner.by_text[t]]
    before = np.asarray(
        [cands[i]["pick"] in inner.by_text[inner.distinct[i]] for i in with_subject]
    )
    glued = np.asarray([ids[inner.distinct[i]].startswith("2") for i in with_subject])
    print(
        f"seed {seed}: pick {before.mean():.4f} of {len(before)} (glued {before[glued].mean():.4f}"
        f" of {glued.sum()}, news {before[~glued].mean():.4f} of {(~glued).sum()})"
    )
    knows = [_tables(inner, text_fold != f) for f in range(ni.FOLDS)]
    for how in hows:
        after, changed, examples = [], 0, []
        for i in with_subject:
            t = inner.distinct[i]
            pick = cands[i]["pick"]
            new = _choose(t, pick, how, knows[text_fold[i]])
            changed += new != pick
            after.append(new in inner.by_text[t])
            if new != pick and len(examples) < 12:
                examples.append((pick, new, sorted(inner.by_text[t])[0]))
        a = np.asarray(after)
        fixed, broken = int((a & ~before).sum()), int((~a & before).sum())
        print(
            f"  {how:10s}: pick {a.mean():.4f} ({a.mean() - before.mean():+.4f}); glued "
            f"{a[glued].mean():.4f}, news {a[~glued].mean():.4f}; changed {changed}, "
            f"fixed {fixed}, broken {broken}"
        )
        if seed == 0:
            for ex in examples:
                print("     ", ex)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("count", "choose", "missed"))
    parser.add_argument("--seeds", type=int, nargs="+", default=[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--how", nargs="*", default=list(HOWS))
    args = parser.parse_args()
    inner = ni.Inner()
    for seed in args.seeds:
        if args.step == "missed":
            missed(inner, seed, args.work)
        elif args.step == "count":
            count(inner, seed, args.work)
        else:
            choose(inner, seed, args.work, tuple(args.how))


def missed(inner: ni.Inner, seed: int, work: Path) -> None:
    """The twins right before a code that the code table does not fix, with its contexts."""
    cands = ni._load_candidates(work, seed)
    n = len(inner.distinct)
    text_fold = np.random.default_rng(1000 + seed).permutation(n) % ni.FOLDS
    seen: list[dict[str, set[str]]] = []
    for f in range(ni.FOLDS):
        by_code: dict[str, set[str]] = defaultdict(set)
        for t, g in zip(inner.distinct, text_fold.tolist(), strict=True):
            if g != f:
                for code, before in twins.contexts(t):
                    by_code[code].add(before)
        seen.append(by_code)
    for i, t in enumerate(inner.distinct):
        gold, pick = inner.by_text[t], cands[i]["pick"]
        kind = next((k for g in gold if (k := twin_kind(pick, g))), None)
        if kind not in ("extra_front", "cut_front"):
            continue
        for m in re.finditer(re.escape(pick), t):
            code = CODE.match(t, m.end())
            if code:
                ctx = sorted(seen[text_fold[i]].get(code.group(1), set()))
                print(f"{kind:11s} {pick!r:12s} gold {sorted(gold)[0]!r:10s} {code.group(1)} {ctx}")
                break


if __name__ == "__main__":
    main()

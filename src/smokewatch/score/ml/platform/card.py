"""The prose of the platform-risk model card (figures are filled in by training)."""

from __future__ import annotations

from smokewatch.score.ml.cards import CardContent

CARD = CardContent(
    title="P2P platform failure risk (platform-risk)",
    summary=(
        "A gradient-boosted tree model (LightGBM) that scores how likely a P2P lending "
        "platform operating on the scoring date is to fail (cease business, block "
        "withdrawals, abscond, or come under police investigation) within the next twelve "
        "months, from its 网贷之家 profile and from the failures around it. The score is a "
        "calibrated probability for ranking; `flag` marks scores at or above the threshold "
        "chosen in cross-validation. Every score carries its three largest contributions."
    ),
    intended_use=[
        (
            "Ranking the platforms still operating for on-site inspection and monitoring of fund "
            "flows by a local financial regulator (the 2016–2019 P2P clean-up, 专项整治)."
        ),
        "One input of the smoke index next to complaints, stated yields and fund-flow signals.",
    ],
    out_of_scope=[
        "Declaring a platform insolvent or fraudulent; a flag is a lead for inspection.",
        (
            "Platforms other than those of a wdzj-like registry, or periods after the data: the "
            "model knows failure waves only up to mid-2017."
        ),
    ],
    data=[
        (
            "网贷之家 (wdzj.com) platform files crawled in July 2017 (github.com/zgbgx/P2PDA, see "
            "SOURCE.md and HOLDOUT.md): 513 platforms operating in mid-2017, 2,796 problem "
            "platforms with profiles and 3,794 dated problem events (2011-07 … 2017-06)."
        ),
        (
            "Label of a row (platform, date T): a failure event (停业, 提现困难, 跑路, 经侦介入) "
            "within twelve months after T. Platforms whose exit was a conversion (转型) or is "
            "marked normal are left out of training."
        ),
        (
            "Only fields that look the same before and after failure are used (launch date, "
            "registered capital, location, backer, ICP filing, platform and company names) plus "
            "context computed from the dated events known on T. Fields wdzj empties after a "
            "failure — stated yields, bank custody, association membership, ratings, fees — and "
            "the monthly metrics of 2017 (which exist only for platforms still operating) are "
            "not used: their presence alone would 'predict' survival."
        ),
        (
            "About 8 % of the problem profiles lost their company name, registered capital or "
            "ICP filing after the failure (no operating profile did): those platforms are no "
            "training rows, though their failures count in the regional context."
        ),
        (
            "Counts of platforms *operating* on a date (per province or launch cohort) are not "
            "used: the files know a platform only if it later failed or survived into the "
            "mid-2017 list, so such counts grow with the failures still to come."
        ),
    ],
    validation=[
        (
            "Out of time: the model is trained on the platforms operating 2, 3 and 4 years before "
            "the scoring date, with the threshold chosen by grouped 5-fold cross-validation on "
            "them (a platform's rows share a fold), and tested on the platforms operating one "
            "year before the scoring date against the failures of the following year. Nothing "
            "from the test year enters training."
        ),
        (
            "The final model is trained on every date; its threshold and Platt calibration come "
            "from grouped 5-fold cross-validation over every date."
        ),
        (
            "The selection bias of SOURCE.md remains in every evaluation date: the only survivors "
            "the data knows are the platforms of wdzj's mid-2017 list. Metrics by capital and "
            "age segments show how much of the signal is size and age."
        ),
    ],
    generalisation=[
        (
            "Every feature is computed as of the evaluation date from information that existed "
            "then: a platform's age, its stated capital and backer, its names "
            "and ICP filing, and the failures in its province and city during the past year. A "
            "platform that failed in 2018 looked, in mid-2017, exactly as these features describe "
            "it — none of them is altered by the failure itself."
        ),
        (
            "The model is trained on several successive dates (2013–2016 for a 2017 scoring "
            "date), so it learns what preceded failures across the 2014–2016 waves rather than "
            "the particulars of one year; the out-of-time test measures exactly this transfer "
            "one year forward."
        ),
        (
            "Regional context (failures nearby in the past year) carries the contagion and the "
            "local clean-up campaigns that drove the 2017–2019 failures."
        ),
    ],
    limits=[
        (
            "Survivorship: the negatives of every date are mostly the platforms of wdzj's "
            "mid-2017 list, the larger ones. Part of what the model learns is 'small and young "
            "looks like the failures', which still ranks within the list but overstates "
            "probabilities: read scores as a ranking; the calibrated values reflect the "
            "failure rates of the known population, which are far higher than those of all "
            "platforms."
        ),
        (
            "The scored platforms themselves appear as survivors (label 0) in the earlier "
            "training dates; the model cannot learn from them which of them fail next."
        ),
        (
            "No fund-flow, yield or complaint signals: the data has them only for surviving "
            "platforms. Combine the score with those signals in the smoke index."
        ),
        "Field meanings of the wdzj files are partly guessed by the crawler's author.",
    ],
    licence=[
        (
            "Third-party crawled data with no licence stated: internal research and benchmark use "
            "only. It is read from the folder the user gives and never copied into the "
            "repository, the package or this artefact (which stores file hashes, trees and the "
            "calibration)."
        ),
        "Share this artefact under the same research-only terms.",
    ],
)

__all__ = ["CARD"]

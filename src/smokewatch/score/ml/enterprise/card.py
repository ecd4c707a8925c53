"""The prose of the enterprise-risk model card (figures are filled in by training)."""

from __future__ import annotations

from dataclasses import replace

from smokewatch.score.ml.cards import CardContent
from smokewatch.score.ml.enterprise.full_inputs import DERIVED, Variant

CARD = CardContent(
    title="Enterprise illegal-fundraising risk (enterprise-risk)",
    summary=(
        "A gradient-boosted tree model (LightGBM) that scores how much an enterprise resembles "
        "the enterprises a local regulator labelled as illegal-fundraising risks (CCF BDCI "
        "2020, 企业非法集资风险预测, data of one prefecture-level city). The score is a "
        "calibrated probability; `flag` marks scores at or above the threshold chosen on "
        "validation folds. Every score carries its three largest contributions in words."
    ),
    intended_use=[
        (
            "Ranking enterprises of a registry for review by analysts of the local financial "
            "regulator (监测预警): which enterprises to look at first, and why."
        ),
        (
            "One input of the smoke index next to the rules (name/scope words, capital patterns) "
            "— never a finding on its own."
        ),
    ],
    out_of_scope=[
        (
            "Deciding that an enterprise commits illegal fundraising; a flag is a lead for "
            "verification (核查), not evidence."
        ),
        (
            "Registries of other regions or periods without retraining: the labels describe one "
            "city's cases around 2020 and the code lists of its registry."
        ),
        (
            "Enterprises the registry tables do not cover: they are scored from their annual "
            "reports, tax and news only, which is much weaker (the prediction run says how many)."
        ),
    ],
    data=[
        (
            "CCF BDCI 2020 (DataFountain competition 469), as kept in `ccf2020/` with its "
            "SOURCE.md: 11,892 labelled enterprises (a seeded 80 % split; the other 2,973 labels "
            "are held back by the maintainers and never used)."
        ),
        (
            "`base_info` and `change_info` are missing from every public copy; their columns come "
            "from the two `derived_partial` tables a competitor built (registry columns with NaN "
            "kept; partner counts and the number of registry changes). The business-scope text "
            "(opscope), the strongest signal of the public solutions, is therefore not available."
        ),
        (
            "Annual reports 2015–2018, tax declarations, news tone and court/trademark/patent "
            "counts cover every enterprise."
        ),
        "Label: 1 = flagged as an illegal-fundraising risk (6.6 % of the labelled enterprises).",
    ],
    validation=[
        (
            "Stratified 5-fold cross-validation with a fixed seed; every labelled enterprise gets "
            "an out-of-fold prediction from a model that never saw it."
        ),
        (
            "Target encodings (industry class, enterprise type, district) are computed out of fold "
            "inside each training fold; the rows a fold model predicts are encoded with rates "
            "fitted on its training rows only. A test proves no row's label reaches its features."
        ),
        (
            "The flag threshold maximises positive-class F1 on the out-of-fold predictions; the "
            "F1 with each fold flagged at a threshold chosen on the other folds is reported too "
            "(the honest figure)."
        ),
        (
            "Industry section and class, enterprise type and district are split natively as "
            "categories (a split sends a set of codes to one side) next to their risk rates. "
            "This setting was chosen by cross-validation repeated over five seeds and checked "
            "with a fully nested run (inner CV picks the setting and threshold, outer folds "
            "measure it): see docs/models.md and `make bench-enterprise-cv`."
        ),
        "Scores are calibrated with Platt scaling fitted on out-of-fold margins.",
        "Metrics by segment use the same out-of-fold predictions and threshold.",
    ],
    limits=[
        (
            "Without the business-scope text and the change history, F1 stays about 0.83 "
            "(public solutions with the text reached 0.854–0.856); the target of 0.87 is not met."
        ),
        (
            "Almost all positives are in finance (J), real estate (K), leasing and business "
            "services (L, incl. investment and asset management) and a few other sections; within "
            "those sections the model separates cases from other firms far less well than across "
            "sections (see the segment tables). Outside them it rarely flags anything — a new "
            "typology elsewhere would be missed."
        ),
        (
            "The labels reflect which enterprises the regulator had looked at; enterprises never "
            "examined count as negatives."
        ),
        (
            "Features such as 'enterprises at the same address' are counted over the registry "
            "table given at prediction time; score a comparable registry."
        ),
        (
            "Codes (industry, enterprise type, district) are the registry's; their labels in the "
            "reasons come from GB/T 4754-2017 for industry sections and are shown as codes "
            "otherwise."
        ),
    ],
    licence=[
        (
            "Competition data for research and benchmark use only (the organiser's terms could not "
            "be checked). The data is read from the folder the user gives and is never copied into "
            "the repository, the package or this artefact; the artefact stores only the file "
            "hashes, the trained trees and per-category rates."
        ),
        (
            "The trained trees and category rates are derived from research-only data: share this "
            "artefact under the same research-only terms."
        ),
    ],
)


def card_for(variant: Variant) -> CardContent:
    """The card's prose for the input variant a model was trained on.

    The ``derived_partial`` card is :data:`CARD`; with the original files, the data section
    says which were present and the limit about missing scope text goes.
    """
    if variant == DERIVED:
        return CARD
    files = (("base_info", variant.base_info), ("change_info", variant.change_info))
    present = " and ".join(f"`train/{n}.csv`" for n, on in files if on)
    inputs = f"Inputs present: the original {present} (input variant `{variant.name}`)."
    if not variant.base_info:
        inputs += " `train/base_info.csv` was absent: the registry is `derived_partial/`."
    elif not variant.change_info:
        inputs += " `train/change_info.csv` was absent: no change-history features."
    data = [CARD.data[0], inputs, *CARD.data[2:]]
    if variant.base_info:
        data.append(
            "The business scope (opscope) is read by the text module's scope reader: restricted "
            "and investment words count only in activity clauses, not in prohibitions or "
            "exclusions."
        )
    if variant.change_info:
        data.append(
            "Change kinds (capital, legal representative, scope, address …) come from an "
            "UNVERIFIED mapping of change item codes (bgxmdm); check the counts the training "
            "run printed (`input_notes` in manifest.json)."
        )
    limits = [
        (
            "F1 with the original files was never measured in this repository (the files were "
            "missing when the model was built); read the metrics above, not the 0.83 of the "
            "derived inputs."
        ),
        *CARD.limits[1:],
    ]
    return replace(CARD, data=data, limits=limits)


__all__ = ["CARD", "card_for"]

"""Illegal-finance events reported in news, posts and complaints, and whom they are about.

The words are the ``event_terms`` lexicon (investigations for 非法吸收公众存款 or 集资诈骗,
withdrawal difficulties, absconding, closures, mass complaints). They are read with the
machinery of :mod:`smokewatch.text.signals`, but with only the discount rules that mean "this
did not happen" — negations (并未跑路), public-education warnings (谨防平台跑路, 发现跑路请及时报案)
and denied rumours (网传“跑路”系谣言). The rules that
discount lure words inside descriptions and verdicts (以…为诱饵, 涉嫌…) are left out: in a
news report those are exactly the event.

The subject is the organisation or platform named nearest to the strongest event word, before
it if there is one (…对芜湖鑫源财富管理有限公司涉嫌非法吸收公众存款案立案侦查), else after it.
When the subject is a platform and the text states who runs it (“尚宇宝”运营方芜湖尚宇信息科技
有限公司, see :mod:`smokewatch.text.operators`), that company is the subject's ``operator``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache

from smokewatch.text.lexicon import load_lexicon
from smokewatch.text.mentions import Mention, MentionKind, find_mentions, name_spans
from smokewatch.text.operators import find_operators
from smokewatch.text.signal_patterns import load_signal_patterns
from smokewatch.text.signals import Signal, SignalScanner

EVENT_LEXICON = "event_terms"
EVENT_DISCOUNTS = frozenset(
    {
        "negated_term",
        "negated_commitment",
        "warning_verb",
        "trap_after",
        "be_careful_after",
        "risk_proverb",
        "quoted_in_warning",
        "typical_traits",
        "call_to_report",
        "call_to_report_earlier",
        "appeal_to_report",
        "quoted_rumour",
        "rumour_denied",
    }
)
"""Discount rules of ``signal_patterns.yml`` that apply to reported events."""

_NAMES = frozenset({MentionKind.ORGANISATION, MentionKind.PLATFORM})


@dataclass(frozen=True, slots=True)
class EventAnalysis:
    """Events a text reports, those discounted, and the subject they are about."""

    events: tuple[Signal, ...]
    discounted: tuple[Signal, ...]
    subject: Mention | None
    operator: Mention | None = None
    """The company the text says runs the subject platform, if it says so."""

    @property
    def kinds(self) -> tuple[str, ...]:
        """Distinct event kinds, strongest first."""
        ordered = sorted(self.events, key=lambda s: -s.weight)
        return tuple(dict.fromkeys(s.kind for s in ordered))


@cache
def event_scanner() -> SignalScanner:
    """The scanner for event words (built once per process; it pickles for Spark)."""
    patterns = load_signal_patterns()
    discounts = tuple(r for r in patterns.discounts if r.id in EVENT_DISCOUNTS)
    return SignalScanner(
        load_lexicon(EVENT_LEXICON), dataclasses.replace(patterns, discounts=discounts, claims=())
    )


def _subject(strongest: Signal, mentions: list[Mention]) -> Mention | None:
    names = [m for m in mentions if m.kind in _NAMES]
    before = [m for m in names if m.end <= strongest.start]
    if before:
        return before[-1]
    after = [m for m in names if m.start >= strongest.end]
    return after[0] if after else None


def find_events(
    text: str | None,
    *,
    scanner: SignalScanner | None = None,
    mentions: list[Mention] | None = None,
) -> EventAnalysis:
    """The illegal-finance events ``text`` reports, and its subject.

    ``mentions`` are those of :func:`~smokewatch.text.mentions.find_mentions` on the same text
    when the caller has them already (they are found here otherwise, only if there is an event).

    Examples:
        >>> analysis = find_events("警方对芜湖鑫源财富管理有限公司涉嫌非法吸收公众存款案立案侦查")
        >>> analysis.kinds[0], analysis.subject.text if analysis.subject else None
        ('event.illegal_fundraising', '芜湖鑫源财富管理有限公司')
        >>> analysis = find_events("“尚宇宝”运营方芜湖尚宇信息科技有限公司称，尚宇宝平台停止运营")
        >>> analysis.subject.text, analysis.operator.text if analysis.operator else None
        ('尚宇宝', '芜湖尚宇信息科技有限公司')
        >>> find_events("谨防平台跑路，远离高息诱惑").events
        ()
    """
    analysis = (scanner or event_scanner()).scan(text or "")
    if not analysis.signals:
        return EventAnalysis((), analysis.discounted, None)
    if mentions is None:
        mentions = find_mentions(text)
    analysis = analysis.outside_names(name_spans(mentions))
    if not analysis.signals:
        return EventAnalysis((), analysis.discounted, None)
    strongest = max(analysis.signals, key=lambda s: (s.weight, -s.start))
    subject = _subject(strongest, mentions)
    operator = None
    if subject is not None and subject.kind is MentionKind.PLATFORM:
        operator = find_operators(text or "", mentions).get(subject.text)
    return EventAnalysis(analysis.signals, analysis.discounted, subject, operator)


__all__ = ["EVENT_DISCOUNTS", "EVENT_LEXICON", "EventAnalysis", "event_scanner", "find_events"]

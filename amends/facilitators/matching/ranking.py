"""The ranked list of facilitators for one case, and co-facilitator pairs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.translation import gettext as _

from amends.facilitators.matching.scoring import competition_ranks, evaluate
from amends.facilitators.matching.snapshots import (
    WEIGHTS,
    Candidate,
    CaseNeed,
    PairSuggestion,
    Reason,
    Suggestion,
)
from amends.facilitators.matching.words import Words


def rank(need: CaseNeed, candidates: Sequence[Candidate]) -> list[Suggestion]:
    """Every candidate for one case, with why: the eligible first, best score first; then
    those who may not take it, each with the constraints they break."""
    if not candidates:
        return []
    grid = evaluate([need], candidates)
    scores = grid.score()
    ranks = competition_ranks(scores, grid.failures == 0)[0].tolist()
    failures = grid.failures[0].tolist()
    columns = {name: values[0].tolist() for name, values in grid.points.items()}
    words = Words()
    suggestions = []
    for column, (candidate, score) in enumerate(zip(candidates, scores[0].tolist(), strict=True)):
        points = {name: values[column] for name, values in columns.items()}
        eligible = failures[column] == 0
        suggestions.append(
            Suggestion(
                candidate=candidate,
                eligible=eligible,
                score=score,
                rank=ranks[column] if eligible else None,
                failures=words.hard_reasons(need, candidate, failures[column]),
                reasons=words.soft_reasons(need, candidate, points),
                points=points,
            )
        )
    suggestions.sort(
        key=lambda s: (
            not s.eligible,
            -s.score if s.eligible else len(s.failures),
            s.candidate.name.casefold(),
            s.candidate.id,
        )
    )
    return suggestions


def suggest_pairs(
    need: CaseNeed, suggestions: Sequence[Suggestion], *, limit: int = 3, pool: int = 12
) -> list[PairSuggestion]:
    """Co-facilitator pairs for a sensitive case: two eligible facilitators who together
    cover the most. Each soft component counts for the pair as its stronger member has
    it (one knows the area, the other the process); load counts as the pair's average. A
    woman and a man together earn a point when nobody asked for a gender."""
    eligible = [s for s in suggestions if s.eligible][:pool]
    pairs = []
    for i, first in enumerate(eligible):
        for second in eligible[i + 1 :]:
            points = {
                name: max(first.points[name], second.points[name])
                for name in WEIGHTS
                if name != "load"
            }
            points["load"] = (first.points["load"] + second.points["load"]) / 2
            genders = {first.candidate.gender, second.candidate.gender}
            mixed = not need.requested_genders and genders == {"woman", "man"}
            score = round(sum(points.values()) + (1.0 if mixed else 0.0), 6)
            pairs.append((score, first, second, points, mixed))
    pairs.sort(
        key=lambda p: (-p[0], p[1].candidate.name.casefold(), p[2].candidate.name.casefold())
    )
    return [
        PairSuggestion(
            first=first,
            second=second,
            score=score,
            reasons=_pair_reasons(first, second, points, mixed=mixed),
        )
        for score, first, second, points, mixed in pairs[:limit]
    ]


def _pair_reasons(
    first: Suggestion, second: Suggestion, points: Mapping[str, float], *, mixed: bool
) -> tuple[Reason, ...]:
    reasons = []
    for name in ("region", "continuity", "culture", "experience"):
        if points[name] <= 0:
            continue
        best = first if first.points[name] >= second.points[name] else second
        text = next((r.text for r in best.reasons if r.code == name), "")
        reasons.append(Reason(name, f"{best.candidate.name}: {text}" if text else "", points[name]))
    if mixed:
        reasons.append(Reason("mixed", _("A woman and a man work together."), 1.0))
    reasons.append(
        Reason(
            "load",
            _("Places free between them: %(free)s.")
            % {"free": first.candidate.remaining + second.candidate.remaining},
            points["load"],
        )
    )
    return tuple(reasons)

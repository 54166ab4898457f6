"""The words of matching: why a facilitator may or may not take a case, in plain,
translatable sentences. Built when a page asks (the active language), never stored.

A `Words` is made once per ranking or batch run: every sentence is translated once and
then only filled in per facilitator, which keeps ranking 500 facilitators fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
from django.utils.formats import date_format
from django.utils.translation import get_language_info, ngettext
from django.utils.translation import gettext as _

from amends.facilitators.matching.snapshots import (
    Candidate,
    CaseNeed,
    Hard,
    Reason,
    fold,
    language_code,
)
from amends.people.models import Gender
from amends.programmes.models import Endorsement, ProcessType


def language_name(code: str) -> str:
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code.upper()


def _listed(words: Iterable[str]) -> str:
    return ", ".join(sorted(words))


class Words:
    """Every sentence matching says, translated into the active language."""

    def __init__(self) -> None:
        self.endorsements = {code: str(label) for code, label in Endorsement.choices}
        self.genders = {code: str(label) for code, label in Gender.choices}
        self.processes = {code: str(label) for code, label in ProcessType.choices}
        self.already_assigned = _("Already works on this case.")
        self.not_accredited = _("Has no valid accreditation today.")
        self.endorsement = _("Does not hold the endorsement this case needs: %(names)s.")
        self.language = _("Does not speak %(languages)s, and no interpreter is booked.")
        self.conflict_person = _("Has declared a conflict of interest with someone in this case.")
        self.conflict_place = _("Has declared a conflict of interest with the area %(region)s.")
        self.conflict_organisation = _(
            "Has declared a conflict of interest with %(agency)s, who referred the case."
        )
        self.gender = _("Someone in this case asked for a facilitator who is: %(genders)s.")
        self.capacity = _("Has no place left: %(load)s active cases, room for %(capacity)s.")
        self.run_full = _("Has no place left for another case in this run.")
        self.in_region = _("Works in %(region)s.")
        self.not_in_region = _("Does not work in %(region)s.")
        self.continuity = _("Has already been in contact with someone in this case.")
        self.community = _("Knows the community: %(shared)s.")
        self.no_community = _("No cultural or community match.")
        self.places = _("%(free)s of %(capacity)s places free.")
        self.away = _("Away until %(date)s.")
        self._experience: dict[int, str] = {}

    def experience(self, count: int, process: str) -> str:
        if count not in self._experience:
            self._experience[count] = ngettext(
                "Has worked on %(count)s case of %(process)s.",
                "Has worked on %(count)s cases of %(process)s.",
                count,
            )
        return self._experience[count] % {
            "count": count,
            "process": self.processes.get(process, process),
        }

    def hard_reasons(self, need: CaseNeed, candidate: Candidate, failed: int) -> tuple[Reason, ...]:
        """One sentence per broken constraint, naming what is missing."""

        if not failed:
            return ()
        reasons = []
        if failed & Hard.ALREADY_ASSIGNED:
            reasons.append(Reason("already_assigned", self.already_assigned))
        if failed & Hard.NOT_ACCREDITED:
            reasons.append(Reason("accreditation", self.not_accredited))
        if failed & Hard.ENDORSEMENT:
            missing = need.required_endorsements - candidate.endorsements
            names = _listed(self.endorsements.get(code, code) for code in missing)
            reasons.append(Reason("endorsement", self.endorsement % {"names": names}))
        if failed & Hard.LANGUAGE:
            spoken = {language_code(code) for code in candidate.languages}
            unspoken = {language_code(code) for code in need.languages} - spoken
            languages = _listed(language_name(code) for code in unspoken)
            reasons.append(Reason("language", self.language % {"languages": languages}))
        if failed & Hard.CONFLICT_PERSON:
            reasons.append(Reason("conflict_person", self.conflict_person))
        if failed & Hard.CONFLICT_PLACE:
            text = self.conflict_place % {"region": need.region}
            reasons.append(Reason("conflict_place", text))
        if failed & Hard.CONFLICT_ORGANISATION:
            text = self.conflict_organisation % {"agency": need.referring_agency}
            reasons.append(Reason("conflict_organisation", text))
        if failed & Hard.GENDER:
            genders = _listed(self.genders.get(code, code) for code in need.requested_genders)
            reasons.append(Reason("gender", self.gender % {"genders": genders}))
        if failed & Hard.NO_CAPACITY:
            text = self.capacity % {"load": candidate.active_load, "capacity": candidate.capacity}
            reasons.append(Reason("capacity", text))
        return tuple(reasons)

    def soft_reasons(
        self, need: CaseNeed, candidate: Candidate, points: Mapping[str, float]
    ) -> tuple[Reason, ...]:
        """What each soft component added, and a note when the facilitator is away."""

        reasons = []
        if need.region:
            template = self.in_region if points["region"] > 0 else self.not_in_region
            reasons.append(Reason("region", template % {"region": need.region}, points["region"]))
        if need.process_type:
            count = candidate.process_experience.get(need.process_type, 0)
            text = self.experience(count, need.process_type)
            reasons.append(Reason("experience", text, points["experience"]))
        if points["continuity"] > 0:
            reasons.append(Reason("continuity", self.continuity, points["continuity"]))
        if need.cultural_needs:
            held = {fold(x) for x in candidate.cultural_competencies}
            shared = [x for x in sorted(need.cultural_needs) if fold(x) in held]
            text = self.community % {"shared": ", ".join(shared)} if shared else self.no_community
            reasons.append(Reason("culture", text, points["culture"]))
        free = {"free": candidate.remaining, "capacity": candidate.capacity}
        reasons.append(Reason("load", self.places % free, points["load"]))
        if candidate.away_until is not None:
            text = self.away % {"date": date_format(candidate.away_until)}
            reasons.append(Reason("away", text))
        return tuple(reasons)

    def unassigned_reason(self, failures: npt.NDArray[np.int32], *, possible: bool) -> Reason:
        """Why the batch run left a case without a facilitator."""

        if possible:
            return Reason(
                "no_place_left",
                _("Everyone who could take this case has no place left in this run."),
            )
        if failures.size == 0:
            return Reason("nobody_eligible", _("The programme has no facilitators."))
        counts: dict[str, int] = {}
        for flag, words in _missing_words().items():
            counts[words] = max(counts.get(words, 0), int(((failures & flag) != 0).sum()))
        common = sorted(((n, words) for words, n in counts.items() if n), reverse=True)[:2]
        return Reason(
            "nobody_eligible",
            _("No facilitator meets every requirement. Most often missing: %(missing)s.")
            % {"missing": "; ".join(f"{words} ({n})" for n, words in common)},
        )


def _missing_words() -> dict[int, str]:

    return {
        Hard.NOT_ACCREDITED: _("a valid accreditation"),
        Hard.ENDORSEMENT: _("the endorsement the case needs"),
        Hard.LANGUAGE: _("a language of the participants"),
        Hard.CONFLICT_PERSON: _("no conflict of interest"),
        Hard.CONFLICT_PLACE: _("no conflict of interest"),
        Hard.CONFLICT_ORGANISATION: _("no conflict of interest"),
        Hard.GENDER: _("the gender someone asked for"),
        Hard.NO_CAPACITY: _("a place free"),
        Hard.ALREADY_ASSIGNED: _("not already on the case"),
    }


def need_summary(need: CaseNeed) -> list[str]:
    """What the case asks of its facilitators, one plain line each."""
    words = Words()
    lines = []
    if need.required_endorsements:
        names = _listed(words.endorsements.get(c, c) for c in need.required_endorsements)
        lines.append(_("Endorsement needed: %(names)s.") % {"names": names})
    if need.languages:
        languages = _listed(language_name(code) for code in need.languages)
        lines.append(
            _("Languages of the key participants: %(languages)s.") % {"languages": languages}
        )
    if need.interpreter_booked:
        lines.append(_("An interpreter is booked."))
    if need.requested_genders:
        genders = _listed(words.genders.get(c, c) for c in need.requested_genders)
        lines.append(
            _("Someone asked for a facilitator who is: %(genders)s.") % {"genders": genders}
        )
    if need.region:
        lines.append(_("Area: %(region)s.") % {"region": need.region})
    if need.process_type:
        process = words.processes.get(need.process_type, need.process_type)
        lines.append(_("Planned process: %(process)s.") % {"process": process})
    return lines

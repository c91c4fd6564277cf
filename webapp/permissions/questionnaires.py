"""Capacity questionnaires: the secretariat builds and follows up; a recipient organisation's
respondents answer for it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..models import Organisation, Questionnaire, Role
from . import Rule, rule


@dataclass(frozen=True)
class Answering:
    """An organisation answering a questionnaire: the object of "questionnaire.answer"."""

    questionnaire: Questionnaire
    organisation: Organisation

    @property
    def region_id(self) -> int:
        return self.organisation.region_id


def _own_recipient(subject: Any, target: Answering, now: datetime | None) -> bool:
    return bool(
        subject.organisation_id == target.organisation.id
        and any(r.organisation_id == target.organisation.id
                for r in target.questionnaire.recipients))


def _own_or_following_up(subject: Any, target: Answering, now: datetime | None) -> bool:
    """The secretariat reads every recipient's answer; a respondent only its own organisation's."""
    return (Role.SECRETARIAT in subject.roles_in(target.region_id)
            or _own_recipient(subject, target, now))


RULES: dict[str, Rule] = {
    # The demo builds its questionnaire as the system.
    "questionnaire.build": rule("Bygge spørgeskemaer og målgrupper", Role.SECRETARIAT,
                                system=True),
    "questionnaire.follow_up": rule(
        "Enkelte besvarelser, eksport, genåbning og fristforlængelse", Role.SECRETARIAT),
    # The steering group works from the municipalities' reports: it reads who has answered
    # and the results (submitted answers only), without the secretariat's buttons.
    "questionnaire.read_results": rule(
        "Læse statusoversigt og resultater (kun indsendte svar)", Role.SECRETARIAT,
        Role.STEERING_MEMBER, Role.OBSERVER),
    "questionnaire.answer": rule("Besvare skemaet for sin egen organisation", Role.RESPONDENT,
                                 check=_own_recipient),
    # The printable answer: an organisation's own, or any for the secretariat.
    "questionnaire.read_response": rule(
        "Læse og udskrive en besvarelse: sekretariatet alle, en organisation sin egen",
        Role.SECRETARIAT, Role.RESPONDENT, check=_own_or_following_up),
}

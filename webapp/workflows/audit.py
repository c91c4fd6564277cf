"""The audit trail's words: one Danish label per action code that `record()` writes, and the
Danish names of the fields its before/after values carry.

`record()` (workflows/base.py) refuses an action code that has no label here, so a new action
cannot reach the log without words for the person reading it. The read side
(queries/audit.py) turns codes, fields and values into Danish text.
"""

from __future__ import annotations

from ..i18n import lazy_gettext as _l

ACTION_LABELS = {
    # cycles and milestones
    "cycle.created": _l("Cyklus oprettet"),
    "cycle.updated": _l("Cyklus ændret"),
    "cycle.cloned": _l("Cyklus kopieret fra en tidligere"),
    "cycle.draft": _l("Cyklus sat tilbage til kladde"),
    "cycle.open": _l("Cyklus åbnet"),
    "cycle.closed": _l("Cyklus lukket"),
    "milestone.created": _l("Milepæl oprettet"),
    "milestone.updated": _l("Milepæl ændret"),
    "milestone.moved": _l("Milepæl flyttet"),
    "milestone.deleted": _l("Milepæl slettet"),
    "milestone.announced": _l("Besked om ny dato sendt"),
    # questionnaires
    "questionnaire.created": _l("Spørgeskema oprettet"),
    "questionnaire.updated": _l("Spørgeskema ændret"),
    "questionnaire.recipients": _l("Modtagere af spørgeskema ændret"),
    "questionnaire.cloned": _l("Spørgeskema kopieret"),
    "section.created": _l("Afsnit oprettet"),
    "section.updated": _l("Afsnit ændret"),
    "question.created": _l("Spørgsmål oprettet"),
    "question.updated": _l("Spørgsmål ændret"),
    "question.deleted": _l("Spørgsmål slettet"),
    "question.moved": _l("Spørgsmål flyttet"),
    "target_group.created": _l("Målgruppe oprettet"),
    "target_group.updated": _l("Målgruppe ændret"),
    "response.saved": _l("Besvarelse gemt"),
    "response.submitted": _l("Besvarelse indsendt"),
    "response.reopened": _l("Besvarelse genåbnet"),
    "response.prefilled": _l("Besvarelse udfyldt med sidste års svar"),
    "extension.granted": _l("Frist forlænget"),
    # consultation: processing the responses
    "consultation_response.processed": _l("Høringssvar behandlet"),
    # organisations and people
    "organisation.created": _l("Organisation oprettet"),
    "organisation.updated": _l("Organisation ændret"),
    "user.created": _l("Person oprettet"),
    "user.invited": _l("Person inviteret"),
    "user.reinvited": _l("Invitation sendt igen"),
    "user.invitation_accepted": _l("Invitation taget imod"),
    "user.activated": _l("Person aktiveret"),
    "user.deactivated": _l("Person deaktiveret"),
    "user.reset_requested": _l("Ny adgangskode bestilt"),
    "user.password_reset": _l("Adgangskode skiftet"),
    "user.notices_changed": _l("Valg af daglig oversigt ændret"),
    "role.granted": _l("Rolle givet"),
    "role.revoked": _l("Rolle fjernet"),
    "api_token.created": _l("API-nøgle oprettet"),
    "api_token.revoked": _l("API-nøgle tilbagekaldt"),
    "calendar_feed.created": _l("Kalenderlink oprettet"),
    "calendar_feed.rotated": _l("Kalenderlink skiftet"),
    "calendar_feed.revoked": _l("Kalenderlink slået fra"),
    # reminders and e-mail
    "reminder_rule.created": _l("Påmindelse oprettet"),
    "reminder_rule.updated": _l("Påmindelse ændret"),
    "reminder_rule.deleted": _l("Påmindelse slettet"),
    "email.queued": _l("E-mail lagt i kø"),
    "email.held": _l("E-mail gemt til daglig oversigt"),
    "email.sent": _l("E-mail sendt"),
    "email.failed": _l("E-mail kunne ikke sendes"),
    "email.cancelled": _l("E-mail annulleret"),
}

# The log's filter groups the actions by what they are about: a group's id (in the address),
# its words, and the first parts of the codes it holds.
ACTION_GROUPS = {
    "cyklusser": (_l("Cyklusser og milepæle"), ("cycle", "milestone")),
    "skemaer": (_l("Spørgeskemaer"), ("questionnaire", "section", "question", "target_group")),
    "besvarelser": (_l("Besvarelser"), ("response", "extension")),
    "hoeringssvar": (_l("Behandling af høringssvar"), ("consultation_response",)),
    "personer": (_l("Organisationer og personer"),
                 ("organisation", "user", "role", "api_token", "calendar_feed")),
    "e-mails": (_l("Påmindelser og e-mails"), ("reminder_rule", "email")),
}

# The fields of before/after, by name (the same name means the same thing on every object).
FIELD_LABELS = {
    "title": _l("Titel"),
    "name": _l("Navn"),
    "first_year": _l("Første år"),
    "last_year": _l("Sidste år"),
    "description": _l("Beskrivelse"),
    "state": _l("Status"),
    "kind": _l("Type"),
    "starts_at": _l("Begynder"),
    "ends_at": _l("Slutter/frist"),
    "place": _l("Sted"),
    "audience": _l("Målgruppe"),
    "is_public": _l("Offentlig"),
    "council_name": _l("Rådets navn"),
    "email": _l("E-mail"),
    "active": _l("Aktiv"),
    "organisation": _l("Organisation"),
    "organisations": _l("Organisationer"),
    "role": _l("Rolle"),
    "roles": _l("Roller"),
    "to": _l("Til"),
    "template": _l("Slags e-mail"),
    "error": _l("Fejl"),
    "reason": _l("Begrundelse"),
    "until": _l("Ny frist"),
    "source": _l("Kopieret fra"),
    "source_id": _l("Kopieret fra (nr.)"),
    "shift_years": _l("Flyttet antal år"),
    "milestones": _l("Milepæle"),
    "questions": _l("Spørgsmål"),
    "recipients": _l("Modtagere"),
    "changed": _l("Ændrede svar"),
    "filled": _l("Udfyldte svar"),
    "from_submission": _l("Fra besvarelse (nr.)"),
    "intro": _l("Indledning"),
    "milestone_id": _l("Milepæl (nr.)"),
    "type": _l("Spørgsmålstype"),
    "label": _l("Tekst"),
    "help_text": _l("Hjælpetekst"),
    "required": _l("Skal besvares"),
    "config": _l("Opsætning"),
    "condition": _l("Betingelse"),
    "position": _l("Placering"),
    "offset_days": _l("Antal dage"),
    "repeat_days": _l("Gentages hver (dage)"),
    "send_at": _l("Sendes kl."),
    "paused": _l("På pause"),
    "calendar_feed": _l("Kalenderlink"),
    "digest_notices": _l("Daglig oversigt"),
    "token": _l("API-nøgle"),
    "created_at": _l("Oprettet"),
    "days": _l("Antal dage"),
    # inside a question's configuration and condition
    "columns": _l("Kolonner"),
    "key": _l("Nøgle"),
    "min": _l("Mindst"),
    "max": _l("Højst"),
    "allow_dont_know": _l("Tillad “Ved ikke”"),
    "required_when": _l("Påkrævet når"),
    "column": _l("Kolonne"),
    "question": _l("Spørgsmål"),
    "in": _l("Svaret er"),
    "options": _l("Svarmuligheder"),
    "choices": _l("Svarmuligheder"),
    "decimals": _l("Decimaler"),
    "format": _l("Svarformat"),
    "unit": _l("Enhed"),
    "max_length": _l("Højst antal tegn"),
    "target_groups": _l("Målgrupper"),
    # processing a consultation response
    "summary": _l("Resumé"),
    "secretariat_comment": _l("Sekretariatets bemærkning"),
    "outcome": _l("Vurdering"),
    "outcome_reason": _l("Begrundelse for vurderingen"),
    "points": _l("Vurderede punkter"),
}


def action_label(action: str) -> str:
    """The Danish words for an action code; an unknown (retired) code says so in Danish."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else str(_l("Anden handling"))

"""The OpenAPI 3 document for /api/v1/."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {401: "Ikke logget ind, eller ugyldig token", 403: "Kun for sekretariatet",
             404: "Findes ikke i din region"}
    return {str(c): _json(ERROR, texts[c]) for c in codes}


def _path_id(name: str) -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Aftalehjul API",
            "version": "1",
            "description": "Læseadgang til regioner, cyklusser, milepæle og spørgeskemaer. Alt er "
            "afgrænset til den region, som den kaldende person hører til. Tider er ISO 8601 i "
            "UTC. Besvarelsernes indhold kan kun hentes af sekretariatet.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": {
            "/regions": {"get": {
                "summary": "Din region",
                "operationId": "listRegions",
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Region"}}, "Regioner"),
                    **_errors(401),
                },
            }},
            "/cycles": {"get": {
                "summary": "Cyklusser i din region (kladder kun for sekretariatet)",
                "operationId": "listCycles",
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Cycle"}}, "Cyklusser"),
                    **_errors(401),
                },
            }},
            "/cycles/{cycle_id}": {"get": {
                "summary": "En cyklus med dens milepæle",
                "operationId": "getCycle",
                "parameters": [{"name": "cycle_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/CycleDetail"}, "Cyklus"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/questionnaires": {"get": {
                "summary": "Spørgeskemaer i en cyklus",
                "operationId": "listQuestionnaires",
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Questionnaire"}},
                                 "Spørgeskemaer"),
                    **_errors(401, 404),
                },
            }},
            "/questionnaires/{questionnaire_id}/status": {"get": {
                "summary": "Hver modtagers status: ikke påbegyndt, kladde, indsendt, genåbnet "
                "eller forlænget frist (kun sekretariatet, som statussiden)",
                "operationId": "getQuestionnaireStatus",
                "parameters": [_path_id("questionnaire_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/QuestionnaireStatus"}, "Status"),
                    **_errors(401, 403, 404),
                },
            }},
            "/questionnaires/{questionnaire_id}/responses": {"get": {
                "summary": "Svarene fra hver organisations senest indsendte besvarelse "
                "(kun sekretariatet)",
                "description": "Kladder kommer ikke med. En genåbnet besvarelse kommer med, som "
                "den sidst blev indsendt. `answers` er {spørgsmålsnøgle: svar}; et skema "
                "(grid) er {målgruppe-id: {kolonnenøgle: svar}}. Skalaer er 1–5 eller "
                "\"dont_know\"; ja/nej er true/false; datoer er ÅÅÅÅ-MM-DD.",
                "operationId": "getQuestionnaireResponses",
                "parameters": [_path_id("questionnaire_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/QuestionnaireResponses"},
                                 "Besvarelser"),
                    **_errors(401, 403, 404),
                },
            }},
            "/consultations/{consultation_id}/responses": {"get": {
                "summary": "De offentliggjorte høringssvar (efter fristen, eller sekretariatet)",
                "description": "Kun indsendte svar. Før fristen, eller for den, høringen ikke "
                "offentliggøres for, svares 404 – som for et andet parts svar på siden.",
                "operationId": "getConsultationResponses",
                "parameters": [_path_id("consultation_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/ConsultationResponses"},
                                 "Høringssvar"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/consultations": {"get": {
                "summary": "Høringer i en cyklus (sekretariatet alle, en høringspart de "
                "sendte høringer, den er inviteret til)",
                "operationId": "listConsultations",
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Consultation"}},
                                 "Høringer"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/approvals": {"get": {
                "summary": "Byrådenes og regionsrådets godkendelse af rammeaftalen",
                "description": "Offentlig: uden token eller session svares med de offentlige "
                "felter for enhver regions offentliggjorte cyklus (som den offentlige side). "
                "Logget ind afgrænses som /cycles/{cycle_id}: en anden regions cyklus er 404. "
                "Interne noter og hvem der registrerede en beslutning kun for regionens "
                "sekretariat. Uden åbnet godkendelsesrunde er `round` og `status` null.",
                "operationId": "getCycleApprovals",
                "security": [{}, {"bearer": []}, {"session": []}],
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/CycleApprovals"},
                                 "Godkendelser"),
                    **_errors(401, 404),
                },
            }},
            "/consultations/{consultation_id}": {"get": {
                "summary": "En høring med høringslisten; hver parts status kun for "
                "sekretariatet",
                "operationId": "getConsultation",
                "parameters": [_path_id("consultation_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/ConsultationDetail"},
                                 "Høring"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/focus-areas": {"get": {
                "summary": "Cyklussens fokusområder med initiativer, tovholdere og status",
                "description": "Offentlig: uden token eller session svares for enhver regions "
                "offentliggjorte cyklus (som den offentlige side). Logget ind afgrænses som "
                "/cycles/{cycle_id}: en anden regions cyklus er 404. Initiativernes bogstaver "
                "(a, b, c …) følger af rækkefølgen. Status er den senest meldte.",
                "operationId": "getCycleFocusAreas",
                "security": [{}, {"bearer": []}, {"session": []}],
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/CycleFocusAreas"},
                                 "Fokusområder"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/workshops": {"get": {
                "summary": "Workshops i en cyklus (sekretariatet alle, en inviteret sine egne)",
                "operationId": "listWorkshops",
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Workshop"}},
                                 "Workshops"),
                    **_errors(401, 404),
                },
            }},
            "/workshops/{workshop_id}": {"get": {
                "summary": "En workshop med sessioner og temaer og antal tilmeldte; navne, "
                "venteliste og organisationsfordeling kun for sekretariatet",
                "operationId": "getWorkshop",
                "parameters": [_path_id("workshop_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/WorkshopDetail"},
                                 "Workshop"),
                    **_errors(401, 404),
                },
            }},
            "/cycles/{cycle_id}/boards": {"get": {
                "summary": "Prioriteringstavler i en cyklus, som du kan se (sekretariatet alle, "
                "et medlem sine åbne, lukkede og offentliggjorte tavler, regionens brugere de "
                "tavler, hvis resultat er offentliggjort for dem)",
                "description": "Kun antal, aldrig scorer. `members_done` (medlemmer, der har "
                "scoret alt) kun for sekretariatet.",
                "operationId": "listBoards",
                "parameters": [_path_id("cycle_id")],
                "responses": {
                    "200": _json({"type": "array",
                                  "items": {"$ref": "#/components/schemas/Board"}},
                                 "Prioriteringstavler"),
                    **_errors(401, 404),
                },
            }},
            "/boards/{board_id}/results": {"get": {
                "summary": "En prioriteringstavles resultat: pr. tema vægtet gennemsnit, "
                "median, spredning, antal scorende og inhabile, enighed, placering (delte "
                "placeringer som delte), fordelingen af scorerne 1–5 og arbejdsgruppens "
                "anbefaling",
                "description": "Før tavlen er lukket findes der intet resultat (404: scoringen "
                "er blind). Efter lukningen for sekretariatet; efter offentliggørelsen for "
                "tavlens medlemmer og, hvis valgt, regionens øvrige brugere. Andre får 404. "
                "De enkelte medlemmers scorer kommer aldrig med.",
                "operationId": "getBoardResults",
                "parameters": [_path_id("board_id")],
                "responses": {
                    "200": _json({"$ref": "#/components/schemas/BoardResults"}, "Resultat"),
                    **_errors(401, 404),
                },
            }},
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Personlig token fra `flask --app webapp api-token`"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
                "Board": {
                    "type": "object",
                    "required": ["id", "title", "state", "deadline", "themes", "criteria",
                                 "members", "results_available"],
                    "properties": {
                        "id": {"type": "integer"}, "title": {"type": "string"},
                        "state": {"type": "string",
                                  "enum": ["draft", "open", "closed", "published"]},
                        "deadline": {"type": "string", "format": "date-time"},
                        "themes": {"type": "integer"}, "criteria": {"type": "integer"},
                        "members": {"type": "integer"},
                        "members_done": {"type": "integer", "description": "Kun sekretariatet"},
                        "results_available": {"type": "boolean"}}},
                "BoardResults": {
                    "type": "object", "required": ["board", "criteria", "thresholds", "themes"],
                    "properties": {
                        "board": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "title": {"type": "string"},
                            "cycle_id": {"type": "integer"},
                            "state": {"type": "string", "enum": ["closed", "published"]},
                            "closed_at": {"type": "string", "format": "date-time",
                                          "nullable": True},
                            "published_at": {"type": "string", "format": "date-time",
                                             "nullable": True},
                            "conclusion": {"type": "string", "description": "Markdown"},
                            "publish_to_region": {"type": "boolean"},
                            "members": {"type": "integer"}}},
                        "criteria": {"type": "array", "items": {
                            "type": "object", "required": ["id", "title", "weight"],
                            "properties": {"id": {"type": "integer"},
                                           "title": {"type": "string"},
                                           "weight": {"type": "integer"}}}},
                        "thresholds": {"type": "object", "properties": {
                            "agreed_max": {"type": "number",
                                           "description": "Enighed: spredning højst dette"},
                            "mixed_max": {"type": "number",
                                          "description": "Blandet: spredning højst dette"},
                            "min_scorers": {"type": "integer"},
                            "standout_cut": {"type": "integer",
                                             "description": "Pladser i øverste/nederste "
                                                            "tredjedel"}}},
                        "themes": {"type": "array", "items": {
                            "type": "object",
                            "required": ["id", "title", "rank", "tied", "recommendation",
                                         "mean", "median", "spread", "scorers", "abstentions",
                                         "distribution", "standout", "for_theme_day"],
                            "properties": {
                                "id": {"type": "integer"}, "title": {"type": "string"},
                                "group": {"type": "string"},
                                "rank": {"type": "integer", "nullable": True},
                                "tied": {"type": "boolean"},
                                "recommendation": {"type": "string", "enum": [
                                    "recommended", "not_recommended", "none"]},
                                "recommendation_label": {"type": "string"},
                                "mean": {"type": "number", "nullable": True},
                                "median": {"type": "number", "nullable": True},
                                "spread": {"type": "number", "nullable": True},
                                "scorers": {"type": "integer"},
                                "abstentions": {"type": "integer"},
                                "scores": {"type": "integer"},
                                "consensus": {"type": "string", "nullable": True, "enum": [
                                    "agreed", "mixed", "disagreed", "too_few", None]},
                                "consensus_label": {"type": "string", "nullable": True},
                                "distribution": {"type": "object", "additionalProperties": {
                                    "type": "integer"}, "description": "Antal scorer pr. "
                                                                       "værdi 1–5"},
                                "standout": {"type": "string", "nullable": True,
                                             "enum": ["high", "low", None]},
                                "for_theme_day": {"type": "boolean"}}}}}},
                "Workshop": {
                    "type": "object", "required": ["id", "cycle_id", "title",
                                                   "signup_deadline"],
                    "properties": {
                        "id": {"type": "integer"}, "cycle_id": {"type": "integer"},
                        "title": {"type": "string"},
                        "starts_at": {"type": "string", "nullable": True, "format": "date-time"},
                        "ends_at": {"type": "string", "format": "date-time"},
                        "place": {"type": "string", "nullable": True},
                        "signup_deadline": {"type": "string", "format": "date-time"},
                        "input_deadline": {"type": "string", "nullable": True,
                                           "format": "date-time"}}},
                "WorkshopDetail": {"allOf": [
                    {"$ref": "#/components/schemas/Workshop"},
                    {"type": "object", "required": ["programme", "sessions"], "properties": {
                        "programme": {"type": "string"},
                        "sessions": {"type": "array", "items": {
                            "type": "object", "required": ["id", "title", "themes"],
                            "properties": {
                                "id": {"type": "integer"}, "title": {"type": "string"},
                                "picks_min": {"type": "integer"},
                                "picks_max": {"type": "integer"},
                                "themes": {"type": "array", "items": {
                                    "type": "object",
                                    "required": ["id", "title", "signed_up", "waiting"],
                                    "properties": {
                                        "id": {"type": "integer"},
                                        "title": {"type": "string"},
                                        "description": {"type": "string"},
                                        "capacity": {"type": "integer", "nullable": True},
                                        "minimum": {"type": "integer", "nullable": True},
                                        "closed": {"type": "boolean"},
                                        "signed_up": {"type": "integer"},
                                        "waiting": {"type": "integer"},
                                        "below_minimum": {"type": "boolean"},
                                        "participants": {"type": "array", "items": {
                                            "$ref": "#/components/schemas/WorkshopPerson"}},
                                        "waiting_list": {"type": "array", "items": {
                                            "$ref": "#/components/schemas/WorkshopPerson"}},
                                        "mix": {"type": "object", "additionalProperties": {
                                            "type": "integer"}}}}}}}}}}]},
                "WorkshopPerson": {"type": "object", "required": ["name"], "properties": {
                    "name": {"type": "string"},
                    "organisation": {"type": "string", "nullable": True}}},
                "ConsultationResponses": {
                    "type": "object", "required": ["consultation", "parties", "responses"],
                    "properties": {
                        "consultation": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "title": {"type": "string"},
                            "deadline": {"type": "string", "format": "date-time"},
                            "publication": {"type": "string", "enum": ["invited", "public"]}}},
                        "parties": {"type": "integer"},
                        "responses": {"type": "array", "items": {"type": "object", "properties": {
                            "id": {"type": "integer"}, "party": {"type": "string"},
                            "no_comments": {"type": "boolean"},
                            "general_text": {"type": "string"},
                            "submitted_at": {"type": "string", "nullable": True,
                                             "format": "date-time"},
                            "is_late": {"type": "boolean"},
                            "comments": {"type": "array", "items": {"type": "object"}},
                            "attachments": {"type": "array", "items": {"type": "object"}}}}},
                    }},
                "CouncilApproval": {
                    "type": "object",
                    "required": ["id", "organisation_id", "party", "council", "state",
                                 "state_label", "meeting_date", "meeting_body", "agenda_url",
                                 "meeting_after_deadline", "decided_on", "remarks",
                                 "rejection_reason", "minutes_url"],
                    "properties": {
                        "id": {"type": "integer"}, "organisation_id": {"type": "integer"},
                        "party": {"type": "string"}, "council": {"type": "string"},
                        "state": {"type": "string", "enum": [
                            "pending", "scheduled", "approved", "approved_with_remarks",
                            "rejected", "postponed"]},
                        "state_label": {"type": "string"},
                        "meeting_date": {"type": "string", "format": "date", "nullable": True},
                        "meeting_body": {"type": "string", "nullable": True},
                        "agenda_url": {"type": "string", "nullable": True},
                        "meeting_after_deadline": {"type": "boolean"},
                        "decided_on": {"type": "string", "format": "date", "nullable": True},
                        "remarks": {"type": "string", "nullable": True},
                        "rejection_reason": {"type": "string", "nullable": True},
                        "minutes_url": {"type": "string", "nullable": True},
                        "internal_note": {"type": "string", "nullable": True,
                                          "description": "Kun sekretariatet"},
                        "recorded_by": {"type": "string", "nullable": True,
                                        "description": "Kun sekretariatet"},
                        "recorded_at": {"type": "string", "format": "date-time",
                                        "nullable": True, "description": "Kun sekretariatet"},
                        "on_behalf": {"type": "boolean", "description": "Kun sekretariatet"}}},
                "CycleApprovals": {
                    "type": "object",
                    "required": ["cycle", "round", "status", "approvals", "version_changes"],
                    "properties": {
                        "cycle": {"$ref": "#/components/schemas/Cycle"},
                        "round": {"type": "object", "nullable": True,
                                  "required": ["id", "opened_at", "deadline", "days_left",
                                               "text_version"],
                                  "properties": {
                                      "id": {"type": "integer"},
                                      "opened_at": {"type": "string", "format": "date-time"},
                                      "deadline": {"type": "string", "format": "date-time"},
                                      "days_left": {"type": "integer"},
                                      "text_version": {"type": "object", "properties": {
                                          "id": {"type": "integer"},
                                          "label": {"type": "string"},
                                          "text_title": {"type": "string"}}}}},
                        "status": {"type": "object", "nullable": True,
                                   "required": ["kind", "label", "approved", "total"],
                                   "properties": {
                                       "kind": {"type": "string", "enum": [
                                           "in_force", "rejected", "in_progress"]},
                                       "label": {"type": "string"},
                                       "approved": {"type": "integer"},
                                       "total": {"type": "integer"}}},
                        "approvals": {"type": "array", "items": {
                            "$ref": "#/components/schemas/CouncilApproval"}},
                        "version_changes": {"type": "array", "items": {
                            "type": "object",
                            "required": ["decided_at", "from_version", "to_version",
                                         "approvals_stand", "reason"],
                            "properties": {
                                "decided_at": {"type": "string", "format": "date-time"},
                                "from_version": {"type": "string"},
                                "to_version": {"type": "string"},
                                "approvals_stand": {"type": "boolean"},
                                "reason": {"type": "string", "nullable": True}}}}}},
                "CycleFocusAreas": {
                    "type": "object", "required": ["cycle", "focus_areas"],
                    "properties": {
                        "cycle": {"$ref": "#/components/schemas/Cycle"},
                        "focus_areas": {"type": "array", "items": {
                            "$ref": "#/components/schemas/FocusArea"}}}},
                "FocusArea": {
                    "type": "object",
                    "required": ["id", "number", "title", "vision", "background",
                                 "initiatives"],
                    "properties": {
                        "id": {"type": "integer"}, "number": {"type": "integer"},
                        "title": {"type": "string"},
                        "vision": {"type": "string", "description": "Markdown"},
                        "background": {"type": "string", "description": "Markdown"},
                        "initiatives": {"type": "array", "items": {
                            "$ref": "#/components/schemas/Initiative"}}}},
                "Initiative": {
                    "type": "object",
                    "required": ["id", "letter", "title", "description", "lead_organisation",
                                 "status", "status_label", "status_report", "status_date"],
                    "properties": {
                        "id": {"type": "integer"}, "letter": {"type": "string"},
                        "title": {"type": "string"},
                        "description": {"type": "string", "description": "Markdown"},
                        "lead_organisation": {
                            "allOf": [{"$ref": "#/components/schemas/OrganisationRef"}],
                            "nullable": True, "description": "Tovholderen"},
                        "status": {"type": "string",
                                   "enum": ["not_started", "in_progress", "done"]},
                        "status_label": {"type": "string"},
                        "status_report": {"type": "string", "nullable": True},
                        "status_date": {"type": "string", "format": "date",
                                        "nullable": True}}},
                "Error": {"type": "object", "required": ["error", "status"], "properties": {
                    "error": {"type": "string"}, "status": {"type": "integer"}}},
                "Region": {"type": "object", "required": ["id", "code", "name"], "properties": {
                    "id": {"type": "integer"}, "code": {"type": "string"},
                    "name": {"type": "string"}}},
                "Cycle": {"type": "object",
                          "required": ["id", "region_id", "title", "first_year", "last_year",
                                       "state"],
                          "properties": {
                              "id": {"type": "integer"}, "region_id": {"type": "integer"},
                              "title": {"type": "string"}, "first_year": {"type": "integer"},
                              "last_year": {"type": "integer"},
                              "state": {"type": "string", "enum": ["draft", "open", "closed"]}}},
                "CycleDetail": {"allOf": [
                    {"$ref": "#/components/schemas/Cycle"},
                    {"type": "object", "required": ["milestones"], "properties": {
                        "milestones": {"type": "array",
                                       "items": {"$ref": "#/components/schemas/Milestone"}}}},
                ]},
                "Milestone": {"type": "object", "required": ["id", "kind", "title", "ends_at"],
                              "properties": {
                                  "id": {"type": "integer"},
                                  "kind": {"type": "string", "enum": [
                                      "kickoff", "workshop", "theme_day", "questionnaire",
                                      "consultation", "draft", "approval", "other"]},
                                  "title": {"type": "string"},
                                  "starts_at": {"type": "string", "format": "date-time",
                                                "nullable": True},
                                  "ends_at": {"type": "string", "format": "date-time"},
                                  "place": {"type": "string"},
                                  "description": {"type": "string"}}},
                "Questionnaire": {
                    "type": "object",
                    "required": ["id", "cycle_id", "title", "opens_at", "closes_at",
                                 "cloned_from_id"],
                    "properties": {
                        "id": {"type": "integer"}, "cycle_id": {"type": "integer"},
                        "title": {"type": "string"},
                        "opens_at": {"type": "string", "format": "date-time", "nullable": True},
                        "closes_at": {"type": "string", "format": "date-time"},
                        "cloned_from_id": {"type": "integer", "nullable": True}}},
                "Consultation": {
                    "type": "object",
                    "required": ["id", "cycle_id", "milestone_id", "title", "state",
                                 "starts_at", "deadline", "days", "short_deadline_reason",
                                 "publication", "text_version", "answered", "invited"],
                    "properties": {
                        "id": {"type": "integer"}, "cycle_id": {"type": "integer"},
                        "milestone_id": {"type": "integer"}, "title": {"type": "string"},
                        "state": {"type": "string", "enum": ["draft", "opened"]},
                        "starts_at": {"type": "string", "format": "date-time",
                                      "nullable": True},
                        "deadline": {"type": "string", "format": "date-time"},
                        "days": {"type": "integer", "nullable": True,
                                 "description": "Høringsperiodens længde i dage"},
                        "short_deadline_reason": {"type": "string", "nullable": True},
                        "publication": {"type": "string", "enum": ["invited", "public"]},
                        "text_version": {
                            "type": "object", "required": ["id", "label", "text"],
                            "properties": {
                                "id": {"type": "integer"}, "label": {"type": "string"},
                                "text": {"type": "object", "required": ["id", "title"],
                                         "properties": {"id": {"type": "integer"},
                                                        "title": {"type": "string"}}}}},
                        "answered": {"type": "integer"},
                        "invited": {"type": "integer"}}},
                "ConsultationDetail": {"allOf": [
                    {"$ref": "#/components/schemas/Consultation"},
                    {"type": "object", "required": ["letter", "parties"], "properties": {
                        "letter": {"type": "string", "description": "Markdown"},
                        "parties": {"type": "array", "items": {
                            "type": "object", "required": ["id", "name"],
                            "properties": {
                                "id": {"type": "integer"}, "name": {"type": "string"},
                                "organisation_id": {"type": "integer", "nullable": True},
                                "external": {"type": "boolean"},
                                "state": {"type": "string", "enum": [
                                    "not_started", "draft", "submitted", "no_comments",
                                    "overdue"]},
                                "deadline": {"type": "string", "format": "date-time"},
                                "extended": {"type": "boolean"},
                                "submitted_at": {"type": "string", "format": "date-time",
                                                 "nullable": True},
                                "late": {"type": "boolean"}}}}}},
                ]},
                "OrganisationRef": {"type": "object", "required": ["id", "name"], "properties": {
                    "id": {"type": "integer"}, "name": {"type": "string"}}},
                "QuestionnaireStatus": {
                    "type": "object", "required": ["questionnaire", "recipients"],
                    "properties": {
                        "questionnaire": {"$ref": "#/components/schemas/Questionnaire"},
                        "recipients": {"type": "array", "items": {
                            "type": "object",
                            "required": ["organisation", "status", "submitted_at",
                                         "submitted_by", "extended_until"],
                            "properties": {
                                "organisation": {"$ref": "#/components/schemas/OrganisationRef"},
                                "status": {"type": "string", "enum": [
                                    "not_started", "draft", "submitted", "reopened"],
                                    "description": "Hvor modtageren står; en forlænget "
                                                   "frist står i extended_until"},
                                "submitted_at": {"type": "string", "format": "date-time",
                                                 "nullable": True,
                                                 "description": "Seneste indsendelse"},
                                "submitted_by": {"type": "string", "nullable": True},
                                "extended_until": {"type": "string", "format": "date-time",
                                                   "nullable": True}}}}}},
                "QuestionnaireResponses": {
                    "type": "object",
                    "required": ["questionnaire", "questions", "target_groups", "responses"],
                    "properties": {
                        "questionnaire": {"$ref": "#/components/schemas/Questionnaire"},
                        "questions": {"type": "array", "items": {
                            "type": "object", "required": ["key", "type", "label"],
                            "properties": {
                                "key": {"type": "string"},
                                "type": {"type": "string", "enum": [
                                    "short_text", "long_text", "integer", "decimal", "date",
                                    "yes_no", "single_choice", "multiple_choice", "scale",
                                    "grid"]},
                                "label": {"type": "string"},
                                "choices": {"type": "array", "items": {"type": "string"}},
                                "columns": {"type": "array", "items": {
                                    "type": "object", "required": ["key", "label", "type"],
                                    "properties": {"key": {"type": "string"},
                                                   "label": {"type": "string"},
                                                   "type": {"type": "string"}}}}}}},
                        "target_groups": {"type": "array", "items": {
                            "type": "object", "required": ["id", "name", "audience", "active"],
                            "properties": {"id": {"type": "integer"}, "name": {"type": "string"},
                                           "audience": {"type": "string",
                                                        "enum": ["children_youth", "adults"]},
                                           "active": {"type": "boolean"}}}},
                        "responses": {"type": "array", "items": {
                            "type": "object",
                            "required": ["organisation", "submitted_at", "submitted_by",
                                         "answers"],
                            "properties": {
                                "organisation": {"$ref": "#/components/schemas/OrganisationRef"},
                                "submitted_at": {"type": "string", "format": "date-time"},
                                "submitted_by": {"type": "string", "nullable": True},
                                "answers": {"type": "object", "additionalProperties": True}}}}}},
            },
        },
    }

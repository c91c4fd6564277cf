"""The OpenAPI 3 document for /api/v1/."""

from __future__ import annotations

from typing import Any

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    texts = {401: "Ikke logget ind, eller ugyldig token", 404: "Findes ikke i din region"}
    return {str(c): _json(ERROR, texts[c]) for c in codes}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Aftalehjul API",
            "version": "1",
            "description": "Læseadgang til regioner, cyklusser og milepæle. Alt er afgrænset "
            "til den region, som den kaldende person hører til. Tider er ISO 8601 i UTC.",
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
                "summary": "Cyklusser i din region",
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
        },
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer",
                           "description": "Personlig token fra `flask --app webapp api-token`"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            },
            "schemas": {
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
            },
        },
    }

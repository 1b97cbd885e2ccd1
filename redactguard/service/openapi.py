"""The service's OpenAPI 3.1 document (served at /openapi.json; docs/deploy.md shows how to use it).

Written out rather than generated: the request bodies are streamed multipart forms that the
service parses itself (`uploads.py`), and the scan report's schema already exists as a JSON
Schema (`report/report.schema.json`, contract §4); it is embedded here, its `$defs` moved to
`components.schemas`, so that one file describes every response.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

__all__ = ["OUTCOMES", "REDACT_MEANINGS", "openapi_document"]

#: Exit codes (contract §3) as the service names them, with what each means for the caller.
OUTCOMES: dict[int, tuple[str, str]] = {
    0: ("clean", "every document was fully checked and nothing at or above fail_on was found"),
    1: ("blocked", "at least one document must not be disclosed to this recipient as it is"),
    2: ("usage_error", "the request is wrong (order, recipient or options); nothing was checked"),
    3: ("unreadable", "nothing blocked, but at least one document could not be fully checked: fail closed"),
}
REDACT_MEANINGS = {
    0: "every copy was written and verified clean (the zip)",
    1: "a copy failed verification and none is returned",
    3: "a document could not be fully read, so no copy is returned",
}


def _report_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The report schema, and its definitions renamed into components."""
    text = files("redactguard.report").joinpath("report.schema.json").read_text("utf-8")
    text = text.replace('"#/$defs/', '"#/components/schemas/Report_')
    schema = json.loads(text)
    defs = schema.pop("$defs", {})
    schema.pop("$schema", None)
    schema.pop("$id", None)
    return schema, {f"Report_{name}": value for name, value in defs.items()}


def _form(redact: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "order": {"type": "string", "format": "binary",
                  "description": "The confidentiality order (YAML or JSON, contract §1), as a file or text."},
        "recipient": {"type": "string", "description": "The party the documents are going to (an id from the order)."},
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "One or more documents, or zip bundles; the file names become the report's paths."},
    }
    if redact:
        properties["label"] = {"type": "string", "default": "[WITHHELD]",
                               "description": 'Replacement text, or "reason" for each item\'s reason.'}
    else:
        properties.update({
            "fail_on": {"type": "string", "enum": ["block", "review", "never"], "default": "block"},
            "ocr": {"type": "string", "enum": ["auto", "always", "never"], "default": "auto"},
            "generic": {"type": "string", "enum": ["true", "false"], "default": "true",
                        "description": "false: look only for the order's items."},
        })
    required = ["order", "recipient", "files"] if redact else ["files"]
    return {"required": True, "content": {"multipart/form-data": {
        "schema": {"type": "object", "required": required, "properties": properties}}}}


def _json(schema_ref: str, description: str) -> dict[str, Any]:
    return {"description": description, "headers": {"X-Redactguard-Exit-Code": {"$ref": "#/components/headers/ExitCode"}},
            "content": {"application/json": {"schema": {"$ref": schema_ref}}}}


def _errors() -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "400": {"description": "A bad request: the order, the recipient, an option or the form (exit code 2)", **error},
        "401": {"description": "No bearer token, or the wrong one", **error},
        "408": {"description": "The upload did not arrive within the request's time limit", **error},
        "413": {"description": "The upload is over the size limit", **error},
        "415": {"description": "The body is not multipart/form-data", **error},
        "500": {"description": "An internal error; the documents were not fully checked (exit code 3)", **error},
        "503": {"description": "Every slot is busy; retry after the Retry-After seconds", **error},
    }


@cache
def openapi_document(version: str) -> dict[str, Any]:
    report, report_defs = _report_schema()
    exit_code = {"type": "integer", "enum": sorted(OUTCOMES)}
    outcome = {"type": "string", "enum": [name for name, _ in OUTCOMES.values()]}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "redactguard",
            "version": version,
            "description": "Check court documents against a confidentiality order before they leave, or "
                           "get redacted copies verified clean. Exit codes are those of the command line "
                           "(contract §3). No document text is ever logged.",
        },
        "security": [{"bearer": []}],
        "paths": {
            "/healthz": {"get": {
                "summary": "Is the service up", "security": [],
                "responses": {"200": {"description": "Up", "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/Health"}}}}},
            }},
            "/v1/scan": {"post": {
                "summary": "Check documents for a recipient",
                "requestBody": _form(redact=False),
                "responses": {"200": _json("#/components/schemas/ScanResult",
                                           "The check ran: exit_code 0, 1 or 3 and the report"),
                              **_errors()},
            }},
            "/v1/redact": {"post": {
                "summary": "Redacted copies for a recipient, verified clean",
                "requestBody": _form(redact=True),
                "responses": {"200": {
                    "description": "exit_code 0: a zip of the verified copies, each with its `.redaction.json` "
                                   "log, and `redaction-report.json`; otherwise (1 or 3) the JSON report of what failed. "
                                   + "; ".join(f"{k}: {v}" for k, v in REDACT_MEANINGS.items()),
                    "headers": {"X-Redactguard-Exit-Code": {"$ref": "#/components/headers/ExitCode"}},
                    "content": {
                        "application/zip": {"schema": {"type": "string", "format": "binary"}},
                        "application/json": {"schema": {"$ref": "#/components/schemas/RedactResult"}},
                    },
                }, **_errors()},
            }},
        },
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "The token given to `redactguard serve` (REDACTGUARD_TOKEN or --token-file)."}},
            "headers": {"ExitCode": {"description": "The command line's exit code for this request",
                                     "schema": exit_code}},
            "schemas": {
                "Health": {"type": "object", "required": ["status", "version"], "properties": {
                    "status": {"const": "ok"}, "version": {"type": "string"},
                    "busy": {"type": "integer"}, "slots": {"type": "integer"}}},
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "string"}, "exit_code": exit_code, "outcome": outcome,
                    "meaning": {"type": "string"}}},
                "ScanResult": {"type": "object", "required": ["exit_code", "outcome", "meaning", "report"],
                               "properties": {"exit_code": exit_code, "outcome": outcome, "meaning": {"type": "string"},
                                              "report": {"$ref": "#/components/schemas/Report"}}},
                "RedactResult": {"type": "object", "required": ["exit_code", "outcome", "meaning", "report"],
                                 "properties": {"exit_code": exit_code, "outcome": outcome,
                                                "meaning": {"type": "string"},
                                                "report": {"$ref": "#/components/schemas/RedactionReport"}}},
                "RedactionReport": {"type": "object", "required": ["schema", "documents"], "properties": {
                    "schema": {"const": "redactguard.redaction/1"}, "case": {"type": "string"},
                    "recipient": {"type": "string"},
                    "documents": {"type": "array", "items": {"type": "object", "required": ["input", "status"],
                                                             "properties": {
                                                                 "input": {"type": "string"},
                                                                 "output": {"type": ["string", "null"]},
                                                                 "status": {"enum": ["written", "failed", "unreadable"]},
                                                             }}}}},
                "Report": report,
                **report_defs,
            },
        },
    }

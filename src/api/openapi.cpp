// The OpenAPI 3.1 description of every route. api_test checks that each route registered in
// app/routes.cpp appears here with its method, so the two cannot drift apart.
#include "api/system_api.hpp"

namespace motcua::api {

const std::string& OpenApiDocument() {
  static const std::string kDocument = R"json({
  "openapi": "3.1.0",
  "info": {
    "title": "motcua API",
    "version": "1",
    "description": "Public administration service platform: procedure catalogue, organisation, operations. Errors are RFC 9457 problem+json with Vietnamese (title_vi, detail_vi) and English (title, detail) messages."
  },
  "paths": {
    "/api/v1/procedures": {
      "get": {
        "summary": "Search and list procedures",
        "parameters": [
          {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "Free text, Vietnamese with or without diacritics, abbreviations, English"},
          {"name": "field", "in": "query", "schema": {"type": "string"}},
          {"name": "level", "in": "query", "schema": {"$ref": "#/components/schemas/Level"}},
          {"name": "online", "in": "query", "schema": {"$ref": "#/components/schemas/OnlineLevel"}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 100000, "default": 0}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}}
        ],
        "responses": {
          "200": {"description": "Matching procedures", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProcedureList"}}}},
          "400": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/calendar/days": {"get": {"summary": "Each date of a range (at most 366 days): a working day, or why not (weekend, holiday, day off, with its Vietnamese name)", "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}, {"name": "to", "in": "query", "required": true, "schema": {"type": "string", "format": "date"}}], "responses": {"200": {"description": "Dates", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}, "working": {"type": "boolean"}, "reason": {"type": "object", "properties": {"kind": {"type": "string", "enum": ["weekend", "holiday", "day_off", "unit_closed"]}, "name": {"type": "string"}}}}}}, "working_days": {"type": "integer"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/calendar/due-date": {"get": {"summary": "The due date of a time limit in working days or hours from a receipt, with the default working hours (Monday-Friday 08:00-12:00, 13:00-17:00): when the count started and why, and the days skipped with their reasons", "parameters": [{"name": "received_at", "in": "query", "required": true, "schema": {"type": "string"}, "description": "2026-12-02T09:30:00+07:00 or ...Z"}, {"name": "days", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000}}, {"name": "hours", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 8000}}, {"name": "cut_off", "in": "query", "schema": {"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}}], "responses": {"200": {"description": "The due date", "content": {"application/json": {"schema": {"type": "object", "properties": {"received_at": {"type": "string"}, "counting_from": {"type": "string"}, "counting_rule": {"type": "string", "enum": ["in_working_hours", "later_same_day", "after_cut_off", "after_closing", "closed_day"]}, "working_hours": {"type": "integer"}, "due_at": {"type": "string"}, "skipped_days": {"type": "array", "items": {"type": "object"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/notices": {
      "get": {
        "summary": "Public notices, newest first: those of a service point and the city-wide ones",
        "parameters": [
          {"name": "service_point", "in": "query", "schema": {"type": "string"}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}
        ],
        "responses": {
          "200": {"description": "Notices", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Notice"}}}}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "503": {"$ref": "#/components/responses/Problem"}
        }
      },
      "post": {
        "summary": "Publish a notice (administrators and unit leaders); answered 201 once it is durable, and announced on topic notices.<service point> (or notices.all) as event notice.published",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["text_vi"], "additionalProperties": false, "properties": {"service_point": {"type": ["string", "null"]}, "text_vi": {"type": "string", "maxLength": 500}, "text_en": {"type": "string", "maxLength": 500}}}}}},
        "responses": {
          "201": {"description": "The published notice", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Notice"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "401": {"$ref": "#/components/responses/Problem"},
          "403": {"$ref": "#/components/responses/Problem"},
          "415": {"$ref": "#/components/responses/Problem"},
          "503": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/auth/sign-in": {
      "post": {
        "summary": "Sign in with a login and password (and a TOTP code when enrolled). Sets the HttpOnly session cookie; returns the CSRF token, and the session token itself only with want_token. 429 with Retry-After when the account is locked or the address made too many failed attempts",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["login", "password"], "properties": {"login": {"type": "string"}, "password": {"type": "string"}, "totp_code": {"type": "string"}, "want_token": {"type": "boolean"}}}}}},
        "responses": {"200": {"description": "Signed in", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignedIn"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "429": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/v1/auth/oidc/start": {"get": {"summary": "Citizens: sign in through the configured OpenID provider (authorization code flow with PKCE). 302 to the provider", "parameters": [{"name": "return", "in": "query", "schema": {"type": "string"}, "description": "A path of this site to come back to; default /tai-khoan"}], "responses": {"302": {"description": "To the provider"}, "400": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/oidc/callback": {"get": {"summary": "The provider's redirect back: the code is exchanged, the ID token's signature and claims checked, the citizen signed in (an account is made at the first sign-in). 302 to the return path with the session cookie", "parameters": [{"name": "code", "in": "query", "schema": {"type": "string"}}, {"name": "state", "in": "query", "schema": {"type": "string"}}], "responses": {"302": {"description": "Signed in"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/methods": {"get": {"summary": "Which ways of signing in this installation offers", "responses": {"200": {"description": "Methods", "content": {"application/json": {"schema": {"type": "object", "properties": {"local": {"type": "boolean"}, "citizen_registration": {"type": "boolean"}, "provider": {"type": "boolean", "description": "GET /api/v1/auth/oidc/start is available"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/register": {"post": {"summary": "Register a local citizen account with the 12-digit ID number (stored only as a keyed hash), a full name and a password; then sign in with the ID number as login. 403 when local accounts are off; 429 when an address registers too often", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["id_number", "full_name", "password"], "properties": {"id_number": {"type": "string", "pattern": "^[0-9]{12}$"}, "full_name": {"type": "string"}, "password": {"type": "string", "minLength": 10}}}}}}, "responses": {"201": {"description": "Registered", "content": {"application/json": {"schema": {"type": "object", "properties": {"account": {"$ref": "#/components/schemas/Account"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "429": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/sign-out": {"post": {"summary": "End this session", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"204": {"description": "Signed out"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/sign-out-everywhere": {"post": {"summary": "End every session of the account", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"204": {"description": "Signed out everywhere"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/me": {"get": {"summary": "Who is signed in, and the session's CSRF token", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"200": {"description": "The principal", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SignedIn"}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/password": {
      "post": {
        "summary": "Change the password (also the forced change of an initial password); ends every session of the account",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["current_password", "new_password"], "properties": {"current_password": {"type": "string"}, "new_password": {"type": "string", "minLength": 10}}}}}},
        "responses": {"204": {"description": "Changed"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/v1/auth/totp": {"post": {"summary": "Begin enrolling a TOTP second factor (RFC 6238, SHA-1, 6 digits, 30 s): a secret and an otpauth:// URI for an authenticator app", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"201": {"description": "The secret to enrol", "content": {"application/json": {"schema": {"type": "object", "properties": {"secret": {"type": "string"}, "uri": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/totp/confirm": {"post": {"summary": "Turn the second factor on with a current code", "security": [{"bearer": []}, {"sessionCookie": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["code"], "properties": {"code": {"type": "string"}}}}}}, "responses": {"204": {"description": "Enabled"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/auth/totp/disable": {"post": {"summary": "Turn the second factor off with a current code", "security": [{"bearer": []}, {"sessionCookie": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["code"], "properties": {"code": {"type": "string"}}}}}}, "responses": {"204": {"description": "Disabled"}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/accounts": {
      "get": {"summary": "Accounts (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"200": {"description": "Accounts", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}},
      "post": {
        "summary": "Create an account (administrators). Without a password, an initial one is generated, returned once, and must be changed at the first sign-in",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["login", "display_name", "role"], "properties": {"login": {"type": "string"}, "display_name": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "unit": {"type": "string"}, "password": {"type": "string"}}}}}},
        "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "properties": {"account": {"$ref": "#/components/schemas/Account"}, "initial_password": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "409": {"$ref": "#/components/responses/Problem"}, "415": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/v1/accounts/{login}/disable": {"post": {"summary": "Disable an account and end its sessions (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "parameters": [{"name": "login", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/accounts/{login}/enable": {"post": {"summary": "Enable and unlock an account (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "parameters": [{"name": "login", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The account", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/accounts/{login}/reset-password": {"post": {"summary": "A new generated initial password; unlocks; ends every session (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "parameters": [{"name": "login", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The initial password, shown once", "content": {"application/json": {"schema": {"type": "object", "properties": {"initial_password": {"type": "string"}}}}}}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/api-keys": {
      "get": {"summary": "API keys of machine clients, without their secrets (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "responses": {"200": {"description": "Keys", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/ApiKey"}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}},
      "post": {"summary": "Create an API key; its secret is returned once (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "additionalProperties": false, "required": ["name", "role"], "properties": {"name": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "unit": {"type": "string"}}}}}}, "responses": {"201": {"description": "The key and its secret", "content": {"application/json": {"schema": {"type": "object", "properties": {"key": {"$ref": "#/components/schemas/ApiKey"}, "secret": {"type": "string"}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}
    },
    "/api/v1/api-keys/{id}": {"delete": {"summary": "Revoke an API key (administrators)", "security": [{"bearer": []}, {"sessionCookie": []}], "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"204": {"description": "Revoked"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "404": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/api/v1/audit": {
      "get": {
        "summary": "Search the audit trail, newest first (administrators and monitoring city-wide; unit leaders within their unit). action ending in '.' is a prefix (account.)",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "parameters": [{"name": "actor", "in": "query", "schema": {"type": "string"}}, {"name": "action", "in": "query", "schema": {"type": "string"}}, {"name": "target", "in": "query", "schema": {"type": "string"}}, {"name": "unit", "in": "query", "schema": {"type": "string"}}, {"name": "from", "in": "query", "schema": {"type": "string", "format": "date-time"}}, {"name": "to", "in": "query", "schema": {"type": "string", "format": "date-time"}}, {"name": "before", "in": "query", "schema": {"type": "integer"}}, {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 500, "default": 50}}],
        "responses": {"200": {"description": "Records", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"seq": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"}, "role": {"type": "string"}, "unit": {"type": "string"}, "action": {"type": "string"}, "target": {"type": "string"}, "request_id": {"type": "string"}, "client": {"type": "string"}, "details": {"type": "object"}}}}}}}}}, "400": {"$ref": "#/components/responses/Problem"}, "401": {"$ref": "#/components/responses/Problem"}, "403": {"$ref": "#/components/responses/Problem"}, "503": {"$ref": "#/components/responses/Problem"}}
      }
    },
    "/api/v1/audit/verify": {
      "get": {
        "summary": "Recompute the audit trail's hash chain and check its signed heads (administrators, monitoring): any edited, deleted or reordered record, or a trail cut behind a signed head, is reported",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "responses": {
          "200": {"description": "The verification", "content": {"application/json": {"schema": {"type": "object", "properties": {"ok": {"type": "boolean"}, "records": {"type": "integer"}, "signed_heads": {"type": "integer"}, "first_bad": {"type": "integer", "description": "seq of the first record found wrong; 0 when ok"}, "problem": {"type": "string"}, "problem_vi": {"type": "string"}}}}}},
          "401": {"$ref": "#/components/responses/Problem"},
          "403": {"$ref": "#/components/responses/Problem"},
          "503": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/events": {
      "get": {
        "summary": "Live event stream (Server-Sent Events): each event has an id, a type (e.g. catalog.changed) and JSON data; reconnect with Last-Event-ID to receive what was missed",
        "parameters": [
          {"name": "topics", "in": "query", "schema": {"type": "string"}, "description": "Comma-separated topics (e.g. catalog,queue.B01; a trailing * matches a prefix: queue.*); none means every topic"},
          {"name": "last_event_id", "in": "query", "schema": {"type": "integer", "minimum": 0}, "description": "Resume after this event id (the Last-Event-ID header does the same)"},
          {"name": "Last-Event-ID", "in": "header", "schema": {"type": "string"}}
        ],
        "responses": {
          "200": {"description": "An endless text/event-stream; a comment line every 15 s keeps it open", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "503": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/procedures/import": {
      "post": {
        "summary": "Import procedures (all or nothing); needs the administrator bearer token",
        "security": [{"bearer": []}, {"sessionCookie": []}],
        "parameters": [
          {"name": "effective_from", "in": "query", "schema": {"type": "string", "format": "date"}, "description": "Date from which changed fees and time limits apply; default today"}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/ProcedureRecord"}}}}},
        "responses": {
          "200": {"description": "Import report", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ImportReport"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "401": {"$ref": "#/components/responses/Problem"},
          "403": {"$ref": "#/components/responses/Problem"},
          "413": {"$ref": "#/components/responses/Problem"},
          "415": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/procedures/{code}": {
      "get": {
        "summary": "One procedure with the rules in force on a date",
        "parameters": [
          {"name": "code", "in": "path", "required": true, "schema": {"type": "string"}},
          {"name": "on", "in": "query", "schema": {"type": "string", "format": "date"}}
        ],
        "responses": {
          "200": {"description": "The procedure", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ProcedureDetail"}}}},
          "400": {"$ref": "#/components/responses/Problem"},
          "404": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/api/v1/fields": {
      "get": {
        "summary": "Fields (lĩnh vực) of the catalogue with counts",
        "responses": {"200": {"description": "Fields", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"name_vi": {"type": "string"}, "name_en": {"type": "string"}, "count": {"type": "integer"}}}}}}}}}}
      }
    },
    "/api/v1/units": {
      "get": {
        "summary": "Administrative units",
        "responses": {"200": {"description": "Units", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Unit"}}}}}}}}
      }
    },
    "/api/v1/service-points": {
      "get": {
        "summary": "Service points: centre branches, commune/ward offices, postal agents",
        "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["centre_branch", "commune_office", "postal_agent"]}}],
        "responses": {
          "200": {"description": "Service points", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/ServicePoint"}}}}}}},
          "400": {"$ref": "#/components/responses/Problem"}
        }
      }
    },
    "/healthz": {"get": {"summary": "Liveness", "responses": {"200": {"description": "The process serves"}}}},
    "/readyz": {"get": {"summary": "Readiness: the database answers", "responses": {"200": {"description": "Ready"}, "503": {"$ref": "#/components/responses/Problem"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "Text exposition format", "content": {"text/plain": {}}}}}},
    "/api/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3.1"}}}}
  },
  "components": {
    "securitySchemes": {
      "bearer": {"type": "http", "scheme": "bearer", "description": "A session token (sign-in with want_token) or an API key (mck_...)"},
      "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "motcua_session", "description": "Set by sign-in; writes also need the X-CSRF-Token header with the session's csrf_token"}
    },
    "responses": {
      "Problem": {"description": "RFC 9457 problem", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    },
    "schemas": {
      "Notice": {"type": "object", "properties": {"id": {"type": "integer"}, "service_point": {"type": ["string", "null"]}, "text_vi": {"type": "string"}, "text_en": {"type": "string"}, "published_at": {"type": "string", "format": "date-time"}}},
      "Level": {"type": "string", "enum": ["commune", "city", "central_police"]},
      "OnlineLevel": {"type": "string", "enum": ["full", "partial", "none"]},
      "Problem": {
        "type": "object",
        "required": ["type", "status", "title", "title_vi", "detail", "detail_vi", "request_id"],
        "properties": {
          "type": {"type": "string"}, "status": {"type": "integer"},
          "title": {"type": "string"}, "title_vi": {"type": "string"},
          "detail": {"type": "string"}, "detail_vi": {"type": "string"},
          "field": {"type": "string"}, "request_id": {"type": "string"}
        }
      },
      "Segment": {"type": "object", "properties": {"text": {"type": "string"}, "match": {"type": "boolean"}}},
      "ProcedureSummary": {
        "type": "object",
        "properties": {
          "code": {"type": "string"}, "has_national_code": {"type": "boolean"},
          "name_vi": {"type": "string"}, "name_en": {"type": "string"},
          "field": {"type": "string"}, "field_en": {"type": "string"},
          "level": {"$ref": "#/components/schemas/Level"}, "online": {"$ref": "#/components/schemas/OnlineLevel"},
          "agency": {"type": "string"},
          "processing_days": {"type": ["integer", "null"], "description": "Working days; null = to be confirmed"},
          "fee_vnd": {"type": ["integer", "null"], "description": "VND; null = to be confirmed"},
          "rules_effective_from": {"type": ["string", "null"], "format": "date"},
          "score": {"type": "number"},
          "highlight": {"type": "object", "properties": {"name_vi": {"type": "array", "items": {"$ref": "#/components/schemas/Segment"}}, "name_en": {"type": "array", "items": {"$ref": "#/components/schemas/Segment"}}}}
        }
      },
      "ProcedureList": {
        "type": "object",
        "properties": {
          "total": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
          "confident": {"type": "boolean", "description": "false when the best match is weak (likely out of scope)"},
          "items": {"type": "array", "items": {"$ref": "#/components/schemas/ProcedureSummary"}}
        }
      },
      "ProcedureDetail": {
        "allOf": [{"$ref": "#/components/schemas/ProcedureSummary"}],
        "properties": {
          "documents": {"type": "array", "items": {"type": "string"}},
          "keywords": {"type": "array", "items": {"type": "string"}},
          "notes": {"type": "string"}, "source": {"type": "string"},
          "rule_history": {"type": "array", "items": {"type": "object", "properties": {"effective_from": {"type": "string", "format": "date"}, "processing_days": {"type": ["integer", "null"]}, "fee_vnd": {"type": ["integer", "null"]}}}}
        }
      },
      "ProcedureRecord": {
        "type": "object",
        "required": ["name_vi", "name_en", "field", "level", "online", "agency", "processing_days", "fee_vnd"],
        "properties": {
          "code": {"type": ["string", "null"]}, "name_vi": {"type": "string"}, "name_en": {"type": "string"},
          "field": {"type": "string"}, "level": {"$ref": "#/components/schemas/Level"},
          "processing_days": {"type": ["integer", "null"]}, "fee_vnd": {"type": ["integer", "null"]},
          "online": {"$ref": "#/components/schemas/OnlineLevel"},
          "documents": {"type": "array", "items": {"type": "string"}},
          "keywords": {"type": "array", "items": {"type": "string"}},
          "agency": {"type": "string"}, "source": {"type": ["string", "null"]}, "notes": {"type": ["string", "null"]}
        }
      },
      "Role": {"type": "string", "enum": ["citizen", "reception_officer", "processing_officer", "unit_leader", "monitoring", "administrator", "agent"]},
      "Account": {"type": "object", "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "display_name": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "unit": {"type": "string"}, "disabled": {"type": "boolean"}, "must_change_password": {"type": "boolean"}, "second_factor": {"type": "boolean"}, "locked_until": {"type": "string"}, "created_at": {"type": "string"}}},
      "ApiKey": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "unit": {"type": "string"}, "created_at": {"type": "string"}, "revoked_at": {"type": "string"}}},
      "SignedIn": {"type": "object", "properties": {"account": {"type": "object", "properties": {"id": {"type": "integer"}, "login": {"type": "string"}, "role": {"$ref": "#/components/schemas/Role"}, "role_title": {"type": "string"}, "unit": {"type": "string"}, "via": {"type": "string", "enum": ["session", "api_key"]}, "must_change_password": {"type": "boolean"}}}, "csrf_token": {"type": "string"}, "expires_at": {"type": "string"}, "token": {"type": "string"}}},
      "ImportReport": {"type": "object", "properties": {"added": {"type": "integer"}, "updated": {"type": "integer"}, "new_rules": {"type": "integer"}, "unchanged": {"type": "integer"}, "effective_from": {"type": "string", "format": "date"}}},
      "Unit": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string", "enum": ["province", "commune", "ward"]}, "parent_code": {"type": ["string", "null"]}}},
      "ServicePoint": {"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "kind": {"type": "string"}, "unit_code": {"type": "string"}, "address": {"type": "string"}, "counters": {"type": "integer"}, "fields": {"type": "array", "items": {"type": "string"}}, "hours": {"type": "array", "items": {"type": "object"}}}}
    }
  }
})json";
  return kDocument;
}

}  // namespace motcua::api

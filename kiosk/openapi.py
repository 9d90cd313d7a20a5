"""OpenAPI description of the queue API (merged into /api/v1/openapi.json; a test keeps it true)."""

from typing import Any

from tambon.api import describe, error_response

TICKET: dict[str, Any] = {
    "type": "object",
    "required": ["id", "number", "service", "status", "issued_at"],
    "properties": {
        "id": {"type": "string", "description": "Unguessable public id"},
        "number": {"type": "string", "examples": ["A007"]},
        "service": {"type": "string"},
        "service_name_th": {"type": "string"},
        "service_name_en": {"type": "string"},
        "status": {"type": "string", "enum": ["waiting", "called", "serving", "parked", "completed", "no_show",
                                              "cancelled"]},
        "status_th": {"type": "string"},
        "priority": {"type": "boolean"},
        "issued_at": {"type": "string", "format": "date-time"},
        "called_at": {"type": ["string", "null"], "format": "date-time"},
        "finished_at": {"type": ["string", "null"], "format": "date-time"},
        "recalls": {"type": "integer"},
        "waiting_ahead": {"type": "integer"},
        "business_date": {"type": "string", "format": "date"},
        "counter": {"type": ["object", "null"]},
        "status_url": {"type": "string"},
        "line_link_code": {"type": ["string", "null"], "description": "Only when LINE is configured (notify/): "
                           "the one-time code to send to the office's LINE OA; null once the ticket is called"},
    },
}

ISSUED: dict[str, Any] = {
    "type": "object",
    "required": ["id", "number", "service", "issued_at", "waiting_ahead", "status_url"],
    "properties": {k: TICKET["properties"][k] for k in
                   ("id", "number", "service", "service_name_th", "service_name_en", "priority", "issued_at",
                    "waiting_ahead", "status_url")},
}
ISSUED["properties"]["print"] = {"$ref": "#/components/schemas/PrintStatus"}


def _json(schema_ref: str, description: str = "OK") -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_ref}"}}}}


def _body(properties: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": required}}}}


COUNTER_PARAM = {"name": "counter", "in": "path", "required": True,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}}
TICKET_PARAM = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
STAFF_ERRORS = {"401": error_response("No or bad credentials"), "403": error_response("Role may not do this"),
                "404": error_response("Unknown counter or ticket"),
                "409": error_response("Illegal transition, counter busy, or the ticket was changed by "
                                      "another request just now (ticket_changed)"),
                "422": error_response("Invalid value")}


def _counter_action(summary: str, body: dict | None = None) -> dict:
    op = {"summary": summary, "tags": ["counters"], "security": [{"bearer": []}], "parameters": [COUNTER_PARAM],
          "responses": {"200": _json("TicketEnvelope"), **STAFF_ERRORS}}
    if body:
        op["requestBody"] = body
    return {"post": op}


def describe_queue_api() -> None:
    describe({
        "/api/v1/services": {"get": {"summary": "Services with waiting counts", "tags": ["queue"],
                                     "responses": {"200": {"description": "OK"}}}},
        "/api/v1/counters": {"get": {"summary": "Counters and the ticket each is serving", "tags": ["queue"],
                                     "responses": {"200": {"description": "OK"}}}},
        "/api/v1/queue": {"get": {"summary": "Queue snapshot", "tags": ["queue"],
                                  "description": "Shared by callers asking at about the same moment: at most 1 s "
                                                 "old (generated_at says when it was read). For every change as "
                                                 "it happens, connect to the /display Socket.IO stream.",
                                  "responses": {"200": {"description": "OK"}}}},
        "/api/v1/tickets": {"post": {
            "summary": "Take a ticket (public, rate-limited except for kiosks)", "tags": ["tickets"],
            "requestBody": _body({"service": {"type": "string"}, "priority": {"type": "boolean"}}, ["service"]),
            "responses": {"201": _json("IssuedTicket", "Ticket issued"),
                          "400": error_response("Malformed JSON"),
                          "404": error_response("Unknown service"),
                          "415": error_response("Not JSON"),
                          "422": error_response("Service closed or invalid field"),
                          "429": error_response("Rate limited")}}},
        "/api/v1/tickets/{id}": {"get": {
            "summary": "Public status of one ticket (no personal data)", "tags": ["tickets"],
            "parameters": [TICKET_PARAM],
            "responses": {"200": _json("Ticket"), "404": error_response("Unknown ticket")}}},
        "/api/v1/tickets/{id}/resume": {"post": {
            "summary": "Put a parked ticket back in line", "tags": ["tickets"], "security": [{"bearer": []}],
            "parameters": [TICKET_PARAM], "responses": {"200": _json("TicketEnvelope"), **STAFF_ERRORS}}},
        "/api/v1/tickets/{id}/cancel": {"post": {
            "summary": "Cancel an unfinished ticket", "tags": ["tickets"], "security": [{"bearer": []}],
            "parameters": [TICKET_PARAM],
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"reason": {"type": "string"}}}}}},
            "responses": {"200": _json("TicketEnvelope"), **STAFF_ERRORS}}},
        "/api/v1/tickets/{id}/events": {"get": {
            "summary": "A ticket's event trail (staff)", "tags": ["tickets"], "security": [{"bearer": []}],
            "parameters": [TICKET_PARAM], "responses": {"200": {"description": "OK"}, **STAFF_ERRORS}}},
        "/api/v1/waiting": {"get": {
            "summary": "Today's waiting and parked tickets (staff), a page at a time", "tags": ["queue"],
            "security": [{"bearer": []}],
            "parameters": [
                {"name": "counter", "in": "query", "required": False, "schema": {"type": "integer"},
                 "description": "only the services this counter serves, in its order"},
                {"name": "offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
                {"name": "limit", "in": "query", "required": False,
                 "schema": {"type": "integer", "minimum": 1, "maximum": 200}}],
            "responses": {"200": {"description": "tickets, total, offset, limit"}, **STAFF_ERRORS}}},
        "/api/v1/counters/{counter}/next": {"post": {
            "summary": "Call the next ticket; 204 when nobody waits", "tags": ["counters"],
            "security": [{"bearer": []}], "parameters": [COUNTER_PARAM],
            "responses": {"200": _json("TicketEnvelope"), "204": {"description": "Nobody waits"},
                          **STAFF_ERRORS}}},
        "/api/v1/counters/{counter}/call": _counter_action(
            "Call a chosen waiting or parked ticket out of order", _body({"ticket": {"type": "string"}}, ["ticket"])),
        "/api/v1/counters/{counter}/recall": _counter_action("Announce the called ticket again"),
        "/api/v1/counters/{counter}/start": _counter_action("The called citizen arrived: start serving"),
        "/api/v1/counters/{counter}/complete": _counter_action("Service finished"),
        "/api/v1/counters/{counter}/no-show": _counter_action("The called citizen did not come"),
        "/api/v1/counters/{counter}/park": _counter_action("Put the current ticket on hold"),
        "/api/v1/counters/{counter}/transfer": _counter_action(
            "Send the current ticket to another service (keeps its place)",
            _body({"service": {"type": "string"}}, ["service"])),
    }, {
        "Ticket": TICKET,
        "IssuedTicket": ISSUED,
        "TicketEnvelope": {"type": "object", "required": ["ticket"],
                           "properties": {"ticket": {"$ref": "#/components/schemas/Ticket"}}},
    })

"""The API's uniform error contract, installed on the NinjaAPI object by config/api.py.

Every error answer has the documented `ErrorResponse` body ({"detail": [{"param", "loc", "msg"}]}): 404s, ninja's
HttpErrors (unparsable body, 401/403/429 …) and validation errors (whose `loc` items become strings). The OpenAPI
document lists these statuses on every operation that can return them, so what is documented is what is returned."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja.errors import HttpError

ERROR_REF = {"$ref": "#/components/schemas/ErrorResponse"}


def error_body(msg: str, param: str = "", loc: list | None = None) -> dict:
    return {"detail": [{"param": param, "loc": [str(x) for x in (loc or [])], "msg": str(msg)}]}


def install(api) -> None:
    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body(_("Not found")), status=404)

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        response = api.create_response(request, error_body(exc.message), status=exc.status_code)
        if exc.status_code == 401:
            response["WWW-Authenticate"] = "Bearer"
        return response

    original = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        return document_errors(original(*args, **kwargs))

    api.get_openapi_schema = get_openapi_schema


def _response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


def document_errors(schema: dict) -> dict:
    """Add the error statuses an operation can answer with to its documented responses (never replacing one)."""
    schema.setdefault("components", {}).setdefault("schemas", {})
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            has_input = bool(operation.get("parameters") or operation.get("requestBody"))
            if has_input:
                responses.setdefault(400, _response(gettext_noop("Bad request: a parameter or the body is invalid")))
            if "{" in path:
                responses.setdefault(404, _response(gettext_noop("Not found")))
            if operation.get("security"):
                responses.setdefault(401, _response(gettext_noop("Missing or invalid credentials")))
                responses.setdefault(403, _response(gettext_noop("Not allowed for this account")))
            if method.lower() in ("post", "put", "patch", "delete"):
                responses.setdefault(429, _response(gettext_noop("Too many requests")))
    return schema

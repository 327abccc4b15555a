"""Shared pieces of the public list endpoints: pagination, `modified_since`, documented error and 304 responses."""

from __future__ import annotations

from django.utils.translation import gettext_noop
from ninja import Field, Query, Router, Schema
from pydantic import create_model

from kompass.core.api_errors import ApiParameterError
from kompass.core.api_filters import ModifiedSince, since
from kompass.core.api_schemas import ErrorResponse

MAX_LIMIT = 500



class ListParams(ModifiedSince):
    limit: int = Field(100, ge=1, le=MAX_LIMIT, description=gettext_noop("Page size (1–500)"), examples=[50])
    offset: int = Field(0, ge=0, le=10_000_000, description=gettext_noop("Number of items to skip"), examples=[0])


def page(qs_or_list, params: ListParams, item) -> dict:
    """One page of a queryset or list: {count, limit, offset, items} with `item` applied to each row."""
    if isinstance(qs_or_list, list):
        count = len(qs_or_list)
    else:
        count = qs_or_list.count()
    rows = qs_or_list[params.offset:params.offset + params.limit]
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": [item(r) for r in rows]}


def choice(name: str, value: str, allowed) -> str:
    value = (value or "").strip()
    if value and value not in allowed:
        raise ApiParameterError({name: f"Unknown value '{value[:80]}'; allowed: {', '.join(sorted(allowed))}."})
    return value


def responses(schema) -> dict:
    """The documented responses of a public list: 200, 304 (ETag) and 400."""
    return {200: schema, 304: None, 400: ErrorResponse}


PAGINATION = gettext_noop("Supports `limit`/`offset` pagination, `modified_since` for incremental sync and "
                          "`If-None-Match` (answers 304 when nothing changed).")
ERRORS = gettext_noop("Errors: **400** – A parameter has a wrong type or an unknown value; `detail[].param` names it. "
                      "**304** – Not modified: the `If-None-Match` header carries the current ETag of this response.")


def describe(text: str, example: str) -> str:
    """The OpenAPI description of a public list (English; the API reference page shows each paragraph translated)."""
    return f"{text}\n\n{PAGINATION}\n\nExample: `GET /api/v1/{example}`\n\n{ERRORS}"


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The `{count, limit, offset, items}` page schema of a list, under its own OpenAPI component name."""
    return create_model(name, __base__=Schema, count=(int, ...), limit=(int, ...), offset=(int, ...),
                        items=(list[item], ...))


def public_list(router: Router, path: str, *, module: str, name: str, item: type[Schema], page_name: str, summary: str,
                text: str, example: str, rows, serialize, filters: type[ListParams] = ListParams, **options):
    """Register one public list endpoint: `rows(filters)` (validated query parameters -> queryset or list),
    paged by `page` with `serialize` applied to each row, the documented 200/304/400 responses, and the
    operation id `<module with underscores>_<name>`, as a plain function `name` in `module` would have (stable for
    clients and the schema snapshot)."""

    def endpoint(request, filters):
        return 200, page(rows(filters), filters, serialize)

    endpoint.__annotations__ = {"filters": Query[filters]}
    endpoint.__name__, endpoint.__module__ = name, module
    router.get(path, response=responses(page_schema(item, page_name)), summary=summary,
               description=describe(text, example), operation_id=f"{module.replace('.', '_')}_{name}",
               **options)(endpoint)
    return endpoint


__all__ = ["ListParams", "MAX_LIMIT", "choice", "describe", "page", "page_schema", "public_list", "responses",
           "since"]

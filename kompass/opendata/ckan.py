"""A read-only subset of the CKAN 2.10 Action API (/api/3/action/ and /api/action/), answering with CKAN's
envelope, package dictionaries and error types so that CKAN clients (ckanapi) and harvesters read the catalogue.

Supported: package_list, package_search (q, fq, rows, start, sort), package_show, organization_list,
organization_show, group_list, group_show, current_package_list_with_resources, status_show, license_list."""

from __future__ import annotations

import datetime
import json
import re
import uuid

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from kompass.core.text import german_slug
from kompass.core.urls import absolute_url
from kompass.opendata import catalog, datasets, formats, licences
from kompass.strategy.selectors import current_strategy_or_none

CKAN_VERSION = "2.10.4"
NAMESPACE = uuid.UUID("6f1c9a0e-1d7b-4f0e-9a57-0a6f6b3c2d10")
MAX_ROWS = 1000


class ActionError(Exception):
    def __init__(self, status: int, type_: str, message: str = "", fields: dict | None = None):
        self.status, self.type, self.message, self.fields = status, type_, message, fields or {}


def _id(kind: str, name: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{name}"))


def _ts(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    return value.isoformat()


class Context:
    """What every action needs: the strategy, its datasets, licence, organisation and groups."""

    def __init__(self, request):
        from kompass.opendata.views import base_url

        self.strategy = current_strategy_or_none()
        self.base = base_url(request)
        self.datasets = datasets.all_datasets(self.strategy, self.base) if self.strategy else []
        self.licence = licences.for_strategy(self.strategy) if self.strategy else licences.DEFAULT
        publisher = catalog.publisher_name(self.strategy) if self.strategy else ""
        self.org = {
            "id": _id("organization", publisher), "name": german_slug(publisher, fallback="kompass"),
            "title": publisher,
            "display_name": publisher, "type": "organization", "state": "active", "approval_status": "approved",
            "is_organization": True, "description": self.strategy.name if self.strategy else "",
            "image_url": "", "image_display_url": "",
            "created": _ts(self.strategy.created_at) if self.strategy else None,
        }

    def group(self, key: str) -> dict:
        title_de, title_en = datasets.GROUPS[key]
        return {"id": _id("group", key), "name": key, "title": title_de, "display_name": title_de,
                "description": title_en, "type": "group", "state": "active", "is_organization": False,
                "approval_status": "approved", "image_url": "", "image_display_url": ""}

    def package(self, ds: datasets.Dataset) -> dict:
        pkg_id = _id("package", ds.key)
        resources = []
        for pos, dist in enumerate(formats.distributions(ds, self.licence)):
            resources.append({
                "id": _id("resource", dist.id), "package_id": pkg_id, "name": dist.title, "description": "",
                "format": dist.format_label if dist.kind != "datapackage" else "JSON",
                "mimetype": dist.media_type, "url": self.base + dist.path, "size": dist.size,
                "created": _ts(ds.issued or ds.modified), "last_modified": _ts(ds.modified), "metadata_modified":
                _ts(ds.modified), "position": pos, "state": "active", "url_type": None, "resource_type": None,
                "cache_url": None, "hash": "", "datastore_active": False, "mimetype_inner": None,
            })
        tags = [{"id": _id("tag", kw), "name": kw, "display_name": kw, "state": "active", "vocabulary_id": None}
                for kw in ds.keywords]
        extras = [{"key": "frequency", "value": f"{catalog.EU}frequency/{ds.frequency}"},
                  {"key": "theme", "value": json.dumps([f"{catalog.EU}data-theme/{t}" for t in ds.themes])},
                  {"key": "uri", "value": f"{self.base}/catalog/datasets/{ds.key}"},
                  {"key": "spatial_uri", "value": json.dumps([f"{self.base}/districts/{d.slug}/"
                                                              for d in ds.districts])}]
        if ds.temporal:
            extras += [{"key": "temporal_start", "value": ds.temporal[0].isoformat()},
                       {"key": "temporal_end", "value": ds.temporal[1].isoformat()}]
        return {
            "id": pkg_id, "name": ds.key, "title": ds.title, "notes": ds.description, "type": "dataset",
            "state": "active", "private": False, "isopen": True, "version": None,
            "url": self.base + ds.landing_path if ds.landing_path else "",
            "author": self.org["title"], "author_email": None, "maintainer": self.org["title"],
            "maintainer_email": None, "license_id": self.licence.id, "license_title": self.licence.title,
            "license_url": self.licence.url, "metadata_created": _ts(ds.issued or ds.modified),
            "metadata_modified": _ts(ds.modified), "creator_user_id": None, "owner_org": self.org["id"],
            "organization": self.org, "groups": [self.group(ds.group)] if ds.group else [],
            "tags": tags, "num_tags": len(tags), "extras": extras, "resources": resources,
            "num_resources": len(resources), "relationships_as_object": [], "relationships_as_subject": [],
        }

    def find(self, ident: str) -> datasets.Dataset:
        for ds in self.datasets:
            if ident in (ds.key, _id("package", ds.key)):
                return ds
        raise ActionError(404, "Not Found Error", "Not found")


# --- parameters ---------------------------------------------------------------------------------------------

def _int(params: dict, name: str, default: int, lo: int = 0, hi: int | None = None) -> int:
    raw = params.get(name, default)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ActionError(409, "Validation Error", fields={name: ["Invalid integer"]}) from None
    if value < lo or (hi is not None and value > hi):
        raise ActionError(409, "Validation Error",
                          fields={name: [f"Must be between {lo} and {hi}" if hi else f"Must be at least {lo}"]})
    return value


def _bool(params: dict, name: str) -> bool:
    return str(params.get(name, "")).lower() in {"1", "true", "yes", "on"}


def _str(params: dict, name: str) -> str:
    value = params.get(name, "")
    if not isinstance(value, str | int | float):
        raise ActionError(409, "Validation Error", fields={name: ["Must be a string"]})
    return str(value).replace("\x00", "")[:1000]


FQ_TERM = re.compile(r'(?P<neg>[-+]?)(?P<field>[a-z_]+):(?P<value>"[^"]*"|\[[^\]]*\]|\S+)')


def _matches_fq(pkg: dict, fq: str) -> bool:
    for m in FQ_TERM.finditer(fq):
        field, value, neg = m["field"], m["value"].strip('"'), m["neg"] == "-"
        if value.startswith("["):
            lo, _to, hi = (value.strip("[]").split(" ") + ["*", "TO", "*"])[:3]
            stamp = (pkg.get(field) or "")[:26]
            ok = (lo == "*" or stamp >= lo.rstrip("Z")[:26]) and (hi == "*" or stamp <= hi.rstrip("Z")[:26])
        elif field in {"organization", "owner_org"}:
            ok = value in {pkg["organization"]["name"], pkg["owner_org"]}
        elif field == "groups":
            ok = value in {g["name"] for g in pkg["groups"]}
        elif field == "tags":
            ok = value in {t["name"] for t in pkg["tags"]}
        elif field == "res_format":
            ok = value.lower() in {r["format"].lower() for r in pkg["resources"]}
        else:
            ok = str(pkg.get(field, "")) == value
        if ok == neg:
            return False
    return True


def _matches_q(pkg: dict, q: str) -> bool:
    if not q or q.strip() in {"*:*", "*"}:
        return True
    if ":" in q and FQ_TERM.fullmatch(q.strip()):
        return _matches_fq(pkg, q)
    text = " ".join([pkg["name"], pkg["title"], pkg["notes"] or "", *(t["name"] for t in pkg["tags"])]).lower()
    return all(word in text for word in q.lower().split())


# `id asc` is what ckanext-harvest's CKAN harvester pages by (stable order while datasets change).
SORT_KEYS = {"metadata_modified": "metadata_modified", "metadata_created": "metadata_created", "name": "name",
             "id": "id", "title_string": "title", "title": "title", "score": "metadata_modified"}


def _sort(pkgs: list[dict], sort: str) -> list[dict]:
    for clause in reversed([c.strip() for c in (sort or "score desc, metadata_modified desc").split(",") if c]):
        bits = clause.split()
        key = SORT_KEYS.get(bits[0])
        if key is None or (len(bits) > 1 and bits[1].lower() not in {"asc", "desc"}):
            raise ActionError(409, "Validation Error", fields={"sort": [f"Cannot sort by '{clause}'"]})
        pkgs = sorted(pkgs, key=lambda p, k=key: p.get(k) or "", reverse=len(bits) > 1 and bits[1].lower() == "desc")
    return pkgs


# --- actions ------------------------------------------------------------------------------------------------

def package_list(ctx: Context, params: dict):
    names = sorted(ds.key for ds in ctx.datasets)
    offset = _int(params, "offset", 0)
    limit = _int(params, "limit", len(names), lo=0)
    return names[offset:offset + limit]


def package_show(ctx: Context, params: dict):
    ident = _str(params, "id") or _str(params, "name")
    if not ident:
        raise ActionError(409, "Validation Error", fields={"id": ["Missing value"]})
    return ctx.package(ctx.find(ident))


def package_search(ctx: Context, params: dict):
    rows = _int(params, "rows", 10, 0, MAX_ROWS)
    start = _int(params, "start", 0)
    q, fq, sort = _str(params, "q"), _str(params, "fq"), _str(params, "sort")
    pkgs = [ctx.package(ds) for ds in ctx.datasets]
    hits = [p for p in pkgs if _matches_q(p, q) and _matches_fq(p, fq)]
    hits = _sort(hits, sort)
    return {"count": len(hits), "sort": sort or "score desc, metadata_modified desc", "facets": {},
            "search_facets": {}, "results": hits[start:start + rows]}


def current_package_list_with_resources(ctx: Context, params: dict):
    limit = _int(params, "limit", MAX_ROWS, 0, MAX_ROWS)
    offset = _int(params, "offset", 0)
    pkgs = _sort([ctx.package(ds) for ds in ctx.datasets], "metadata_modified desc")
    return pkgs[offset:offset + limit]


def organization_list(ctx: Context, params: dict):
    if not ctx.strategy:
        return []
    org = {**ctx.org, "package_count": len(ctx.datasets)}
    return [org] if _bool(params, "all_fields") else [org["name"]]


def organization_show(ctx: Context, params: dict):
    ident = _str(params, "id")
    if not ctx.strategy or ident not in {ctx.org["name"], ctx.org["id"]}:
        raise ActionError(404, "Not Found Error", "Not found")
    result = {**ctx.org, "package_count": len(ctx.datasets), "users": [], "extras": [], "tags": [], "groups": []}
    if _bool(params, "include_datasets"):
        result["packages"] = [ctx.package(ds) for ds in ctx.datasets]
    return result


def _groups(ctx: Context) -> list[str]:
    return sorted({ds.group for ds in ctx.datasets if ds.group})


def group_list(ctx: Context, params: dict):
    keys = _groups(ctx)
    if _bool(params, "all_fields"):
        return [{**ctx.group(k), "package_count": sum(ds.group == k for ds in ctx.datasets)} for k in keys]
    return keys


def group_show(ctx: Context, params: dict):
    ident = _str(params, "id")
    for key in _groups(ctx):
        if ident in {key, _id("group", key)}:
            return {**ctx.group(key), "package_count": sum(ds.group == key for ds in ctx.datasets),
                    "users": [], "extras": [], "tags": [], "groups": []}
    raise ActionError(404, "Not Found Error", "Not found")


def status_show(ctx: Context, params: dict):
    return {"ckan_version": CKAN_VERSION, "site_title": f"Kompass – {ctx.strategy.name}" if ctx.strategy else "Kompass",
            "site_description": "Read-only CKAN Action API of a Kompass instance", "site_url": ctx.base,
            "error_emails_to": None, "locale_default": "de", "extensions": ["kompass_dcat_ap_de"]}


def license_list(ctx: Context, params: dict):
    return [{"id": lic.id, "title": lic.title, "url": lic.url, "od_conformance": "approved",
             "osd_conformance": "not reviewed", "status": "active", "domain_data": True, "domain_content": False,
             "domain_software": False, "family": "", "maintainer": "", "is_generic": False, "is_okd_compliant": True,
             "is_osi_compliant": False} for lic in licences.LICENCES]


ACTIONS = {f.__name__: f for f in (package_list, package_show, package_search, current_package_list_with_resources,
                                    organization_list, organization_show, group_list, group_show, status_show,
                                    license_list)}


def _params(request) -> dict:
    params = {k: v for k, v in request.GET.items()}
    if request.method == "POST":
        if request.content_type == "application/json" and request.body:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                raise ActionError(400, "Bad Request", "Bad request - JSON Error: could not parse the body") from None
            if not isinstance(body, dict):
                raise ActionError(400, "Bad Request", "Bad request - JSON Error: the body must be an object")
            params.update(body)
        else:
            params.update({k: v for k, v in request.POST.items()})
    return params


@csrf_exempt
def action(request, action: str):
    help_url = absolute_url(f"/api/3/action/help_show?name={action}", request)
    try:
        if request.method not in {"GET", "POST", "HEAD"}:
            raise ActionError(400, "Bad Request", "Bad request - only GET and POST are supported")
        func = ACTIONS.get(action)
        if func is None:
            raise ActionError(400, "Bad Request", f"Bad request - Action name not known: {action[:100]}")
        result = func(Context(request), _params(request))
    except ActionError as exc:
        error = {"__type": exc.type, **exc.fields}
        if exc.message:
            error["message"] = exc.message
        return JsonResponse({"help": help_url, "success": False, "error": error}, status=exc.status)
    return JsonResponse({"help": help_url, "success": True, "result": result})


def api_root(request):
    return HttpResponse(json.dumps({"version": 3}), content_type="application/json")

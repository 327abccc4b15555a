"""The public API object. Routers live in the domain apps; this file only wires them together."""

from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from config.api_examples import add_examples
from kompass.core.api_contract import install as install_error_contract
from kompass.core.api_errors import ApiParameterError
from kompass.core.fragments import install_shared_api_answers
from kompass.lifecycle.api import router as lifecycle_router
from kompass.lottery.api import router as lottery_router
from kompass.measures.api import router as measures_router
from kompass.monitoring.api import router as monitoring_router
from kompass.opendata.api.monitoring import router as opendata_monitoring_router
from kompass.opendata.api.public import router as opendata_public_router
from kompass.organisations.api import router as organisations_router
from kompass.participation.api import router as participation_router
from kompass.strategy.api import router as strategy_router

api = NinjaAPI(
    title="Kompass API",
    version="1.0.0",
    description="Open, read-only access to a city's digital strategy: its framework, organisations and measures. "
                "All data is public and licensed as stated at /data/.",
    urls_namespace="api-v1",
)
api.add_router("/", strategy_router, tags=["strategy"])
api.add_router("/", organisations_router, tags=["organisations"])
api.add_router("/", measures_router, tags=["measures"])
api.add_router("/", lifecycle_router, tags=["lifecycle"])
api.add_router("/", monitoring_router, tags=["monitoring"])
api.add_router("/", participation_router, tags=["participation"])
api.add_router("/", lottery_router, tags=["lottery"])
api.add_router("/", opendata_monitoring_router, tags=["monitoring"])
api.add_router("/", opendata_public_router, tags=["open data"])
install_error_contract(api)
install_shared_api_answers(api)  # public reads' finished answers until the next write (ADR 0083)
_schema_with_errors = api.get_openapi_schema
api.get_openapi_schema = lambda *args, **kwargs: add_examples(_schema_with_errors(*args, **kwargs))


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    """Bad parameters are a client error (400) whose body names each offending parameter."""
    detail = [
        {"param": str(err.get("loc", ["", ""])[-1]), "loc": [str(x) for x in err.get("loc", [])],
         "msg": err.get("msg", "")}
        for err in exc.errors
    ]
    return api.create_response(request, {"detail": detail}, status=400)


@api.exception_handler(ApiParameterError)
def parameter_error(request, exc: ApiParameterError):
    detail = [{"param": param, "loc": ["query", param], "msg": str(msg)} for param, msg in exc.errors.items()]
    return api.create_response(request, {"detail": detail or [{"msg": _("Bad request")}]}, status=400)

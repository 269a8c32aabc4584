"""The one django-ninja API. Each app contributes a router from its own ``api.py``;
this module only assembles them (no app imports ``api``)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import django_auth

from chuangfu.core.api_schemas import validation_error_body
from chuangfu.core.errors import DomainError

api = NinjaAPI(
    title="创服 Chuangfu API",
    version="1",
    description="特色创业型社区服务平台接口。Staff endpoints use the session (with CSRF); public ones say so.",
    auth=django_auth,
    urls_namespace="api",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError):
    return api.create_response(
        request, {"code": exc.code, "message": str(exc.message), "details": exc.details}, status=exc.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError):
    """Bad values from a service: 400 with every field's Chinese message."""
    fields = exc.message_dict if hasattr(exc, "error_dict") else {}
    messages = [m for msgs in fields.values() for m in msgs] if fields else exc.messages
    return api.create_response(
        request, {"code": "invalid", "message": "；".join(messages), "details": {"fields": fields}}, status=400
    )


@api.exception_handler(RequestValidationError)
def request_validation_error(request: HttpRequest, exc: RequestValidationError):
    """A request that does not fit the schema (a number beyond its column, a date in year 1, a
    missing field): 422 with every field's message in the user's language."""
    return api.create_response(request, validation_error_body(exc.errors), status=422)


def _mount() -> None:
    from chuangfu.registry.api import router as registry_router

    api.add_router("/registry/", registry_router)

    from chuangfu.desk.api import router as desk_router

    api.add_router("/desk/", desk_router)

    from chuangfu.activities.api import router as activities_router

    api.add_router("/activities/", activities_router)

    from chuangfu.policies.api import router as policies_router

    api.add_router("/policies/", policies_router)

    from chuangfu.subsidies.api import router as subsidies_router

    api.add_router("/subsidies/", subsidies_router)

    from chuangfu.governance.api import router as governance_router

    api.add_router("/governance/", governance_router)

    from chuangfu.ecosystem.api import router as ecosystem_router

    api.add_router("/ecosystem/", ecosystem_router)


_mount()

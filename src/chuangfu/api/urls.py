"""The one django-ninja API. Each app contributes a router from its own ``api.py``;
this module only assembles them (no app imports ``api``)."""

import time

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled
from ninja.errors import ValidationError as RequestValidationError
from ninja.security import HttpBearer, django_auth
from ninja.throttling import BaseThrottle

from chuangfu.core import api_tokens
from chuangfu.core.api_schemas import validation_error_body
from chuangfu.core.errors import DomainError
from chuangfu.core.roles import install_operation_check

# Every error the API answers has this shape (core.api_schemas.ErrorOut); the schema says so
# for each operation (see ChuangfuAPI.get_openapi_schema).
ERROR_STATUSES = {
    400: "请求内容有误 (bad request)",
    401: "未登录或令牌无效、已过期、已吊销 (no valid session or token)",
    403: "无权执行此操作，或令牌不含此接口 (not allowed, or not in the token's operations)",
    404: "不存在或不在您的管辖范围内 (not found, or outside your jurisdiction)",
    409: "与当前状态冲突 (conflicts with the record's state)",
    422: "参数不符合接口定义 (parameters do not match the schema)",
    429: "请求过于频繁 (too many requests)",
}


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer cf_…``: a service account's token (core.api_tokens)."""

    def authenticate(self, request, token):
        row = api_tokens.authenticate(token)
        if row is None:
            return None
        request.user = row.account
        request.api_token = row
        request.token_operations = frozenset(row.operations)  # the role table's check reads it
        return row.account


class TokenRateThrottle(BaseThrottle):
    """At most ``RATE`` requests a minute per token (sessions are people: not throttled here)."""

    RATE = 600

    def allow_request(self, request) -> bool:
        row = getattr(request, "api_token", None)
        if row is None:
            return True
        from django.core.cache import cache

        key = f"api-token-rate:{row.prefix}:{int(time.time() // 60)}"
        added = cache.add(key, 1, 70)
        count = 1 if added else cache.incr(key)
        return count <= self.RATE

    def wait(self):
        return 60


class ChuangfuAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return api_tokens.operation_key(operation.view_func)

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        error_ref = {"$ref": "#/components/schemas/ErrorOut"}
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", _error_out_schema())
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                public = not operation.get("security")
                for status, description in ERROR_STATUSES.items():
                    if (public and status in (401, 403)) or status in responses or str(status) in responses:
                        continue
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": error_ref}},
                    }
        return schema


def _error_out_schema() -> dict:
    from chuangfu.core.api_schemas import ErrorOut

    return ErrorOut.model_json_schema()


api = ChuangfuAPI(
    title="创服 Chuangfu API",
    version="1",
    description=(
        "特色创业型社区服务平台接口。工作人员使用会话（带 CSRF）；其他系统使用服务账号的接口令牌："
        "`Authorization: Bearer cf_…`，令牌限定管辖区划、可调用的接口（operationId）和有效期，由平台管理员签发和吊销。"
        " Staff use the session (with CSRF); other systems use a service account's token"
        " (Bearer), limited to a jurisdiction, a set of operations (by operationId) and an expiry."
    ),
    auth=[ApiTokenAuth(), django_auth],
    throttle=[TokenRateThrottle()],
    urls_namespace="api",
)
api_tokens.register_schema(api.get_openapi_schema)  # the token page lists the operations


def _error(request, status: int, code: str, message: str, details: dict | None = None):
    return api.create_response(request, {"code": code, "message": message, "details": details or {}}, status=status)


@api.exception_handler(AuthenticationError)
def not_authenticated(request: HttpRequest, exc):
    return _error(request, 401, "unauthenticated", _("请登录，或在 Authorization 头中提供有效的接口令牌。"))


@api.exception_handler(AuthorizationError)
@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc):
    return _error(request, 403, "forbidden", _("您无权执行此操作。"))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc):
    return _error(request, 404, "not_found", _("没有找到，或不在您的管辖范围内。"))


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc):
    return _error(request, 429, "throttled", _("请求过于频繁，请稍后再试。"))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError):
    """Other errors ninja raises itself (an unreadable body: 400), in the same shape."""
    if exc.status_code == 400:
        return _error(request, 400, "unreadable", _("无法解析请求内容，请发送 JSON。"))
    return _error(request, exc.status_code, "error", str(exc))


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
install_operation_check(api)

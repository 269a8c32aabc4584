"""Role-table rows of the project's own pages: home, accounts, notifications, audit, API docs, admin site."""

from .models import Role
from .roles import ANYONE, SIGNED_IN, page

ROWS = [
    page("home", SIGNED_IN, own_records="a resident's own requests, applications and registrations"),
    page("healthz", ANYONE),
    page("set_language", ANYONE),
    page("javascript-catalog", ANYONE),
    # accounts
    page("login", ANYONE),
    page("logout", ANYONE),
    page("register", ANYONE),
    page("register_verify", ANYONE),
    page("register_finish", ANYONE),
    page("password_reset_sms", ANYONE),
    page("password_reset_sms_verify", ANYONE),
    page("password_reset_sms_finish", ANYONE),
    page("password_change", SIGNED_IN),
    page("password_change_done", SIGNED_IN),
    page("core:notifications", SIGNED_IN),
    page("core:audit_list", Role.ADMIN, Role.LEADER, why="the audit log: who did what, for supervision"),
    # An export job is its requester's own: any account that may start one follows it here, and
    # another account's job (another town's too) is "not found".
    page("core:export_status", SIGNED_IN, why="the requester follows their own export"),
    page("core:export_download", SIGNED_IN, why="the requester downloads their own export"),
    # Service accounts' API tokens: issued and revoked by an administrator of the account's town.
    page("core:api_tokens", Role.ADMIN, why="API tokens for other systems: the town administrator's"),
    page("core:api_token_revoke", Role.ADMIN),
    # Django's admin site: configuration by the platform administrator; the site then applies
    # its own model permissions.
    page("admin:*", Role.ADMIN, delegated=True),
    # The API's schema and docs (each operation's row lives in its app's access.py).
    page("api:openapi-json", ANYONE, why="the schema documents every operation"),
    page("api:openapi-view", ANYONE),
    page("api:api-root", ANYONE),
    # Uploaded files served by Django itself in development (a web server serves them in production):
    # public pages show case photos, so the table cannot narrow it; personal files do not belong here
    # (issue 12.5).
    page("django.views.static.serve", ANYONE),
]

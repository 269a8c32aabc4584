"""Signing in with a username or a verified mobile number, and locking out per account.

Both are wired in settings: ``AUTHENTICATION_BACKENDS`` names ``UsernameOrMobileBackend``
and ``AXES_USERNAME_CALLABLE`` names ``axes_username``, so failed attempts count against the
account whichever identifier was typed (five tries by username plus five by mobile would
otherwise give an attacker ten).
"""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router

from .crypto import lookup_hash
from .identifiers import validate_mobile
from .models import User


def user_for_login(identifier: str) -> User | None:
    """The account an identifier names: a verified mobile first, then a username."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    try:
        mobile = validate_mobile(identifier)
    except ValidationError:
        mobile = ""
    if mobile:
        user = User.objects.filter(mobile_hash=lookup_hash(mobile), mobile_verified_at__isnull=False).first()
        if user is not None:
            return user
    return User.objects.filter(username=identifier).first()


class UsernameOrMobileBackend(ModelBackend):
    """``ModelBackend`` that also accepts a verified mobile number in the username field."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = user_for_login(username)
        if user is None:
            # Same cost as a real check, so response time does not tell which names exist.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """The signed-in account, read on every request with one plain statement: the ORM's
        ``get`` spent more time building the query than the database spent answering it
        (docs/decisions.md, decision 32). Same answer as ``ModelBackend.get_user``."""
        try:
            pk = User._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        connection = connections[router.db_for_read(User)]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in User._meta.concrete_fields)
        sql = f"SELECT {columns} FROM {quote(User._meta.db_table)} WHERE {quote(User._meta.pk.column)} = %s"
        found = next(iter(User.objects.raw(sql, [pk])), None)
        return found if found is not None and self.user_can_authenticate(found) else None


def axes_username(request, credentials) -> str:
    """The name axes counts failures under: the account's username when the identifier is known."""
    typed = (credentials or {}).get("username") or getattr(request, "POST", {}).get("username", "")
    typed = (typed or "").strip()
    user = user_for_login(typed)
    if user is not None:
        return user.username
    try:
        # An unknown mobile is stored (and logged) by axes as a keyed hash, never as typed.
        return "m-" + lookup_hash(validate_mobile(typed))[:20]
    except ValidationError:
        return typed

"""The database backends of our own (``sqlite3``) and helpers for reads Django's ORM makes dear."""

from django.db import connection


def wrapped_cursor(raw):
    """Django's cursor wrapper around a psycopg cursor of our own (binary results, a pipeline):
    the query is logged when queries are, and the execute wrappers apply, as for any other."""
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)

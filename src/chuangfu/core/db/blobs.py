"""Large binary columns read as bytes in one statement, cheaply on PostgreSQL too.

Django's psycopg backend reads results in text format, in which PostgreSQL sends a ``bytea`` as
hex — twice its size on the wire, decoded again in Python. A policy's stored id lists are a few
MB each at a million subjects and tens of MB at city scale, read on every list page and by every
match (decision 40), so on PostgreSQL ``read_blobs`` asks for them in binary format: a cursor of
psycopg's own (server-side binding, binary results), run through Django's cursor wrapper so the
query is logged and the execute wrappers apply like any other. Other databases read them through
the ORM as before.
"""

from django.db import connection

from . import wrapped_cursor


def read_blobs(model, pk, fields: list[str] | tuple[str, ...]) -> dict[str, bytes] | None:
    """{field: bytes} of the ``BinaryField`` columns ``fields`` of ``model``'s row ``pk``, or
    None when there is no such row."""
    columns = [model._meta.get_field(name).column for name in fields]
    if connection.vendor != "postgresql":
        row = model.objects.filter(pk=pk).values_list(*fields).first()
        return None if row is None else {name: bytes(value) for name, value in zip(fields, row)}
    import psycopg

    quote = connection.ops.quote_name
    sql = (
        f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} = %s"
    )
    connection.ensure_connection()
    raw = psycopg.Cursor(connection.connection)
    raw.format = psycopg.pq.Format.BINARY
    with wrapped_cursor(raw) as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    return None if row is None else {name: bytes(value) for name, value in zip(fields, row)}

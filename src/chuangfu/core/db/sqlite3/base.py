"""Django's SQLite backend, reading numbers a column should never have held without failing.

SQLite stores whatever it is given: a decimal beyond the column's ``max_digits`` (written
before the platform bounded its inputs, or by hand) is stored, and Django's reader then raises
``InvalidOperation`` on every page that reads the row, the edit page included, so the value
cannot even be repaired. This reader returns such a value unrounded instead; forms and
``core.bounds.check_row`` refuse to save it again, so the user sees it and can correct it.
PostgreSQL refuses such values itself.
"""

import decimal

from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.operations import DatabaseOperations as SQLiteOperations


class DatabaseOperations(SQLiteOperations):
    def get_decimalfield_converter(self, expression):
        convert = super().get_decimalfield_converter(expression)
        create_decimal = decimal.Context(prec=15).create_decimal_from_float

        def converter(value, expression, connection):
            try:
                return convert(value, expression, connection)
            except decimal.InvalidOperation:
                return create_decimal(value) if isinstance(value, float) else decimal.Decimal(value)

        return converter


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

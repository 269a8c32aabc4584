"""The database session store, read with one plain statement.

Every signed-in request reads its session row. Django's store builds that read through the ORM
(a queryset, its compilation and a model instance) to use one column; measured in process that
was ~0.2 ms of a ~3 ms page, against ~0.03 ms for the same statement through a cursor
(docs/decisions.md, decision 32). Writing, expiry and the table are Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        if self.session_key is None:  # no cookie, or one Django's key check refused
            return {}
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote('session_data')} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:  # unknown or expired: as Django's store, forget the key so a new one is made
            self._session_key = None
            return {}
        return self.decode(row[0])

"""What this app tells the apps above it, which it does not import (docs/architecture.md).

``grant_imported``: a row of a grant list was imported — the grant recorded now, or found from an
earlier import (``created``) — sent with ``grant`` (a ``Grant`` of source 导入名单) and ``actor``. The
subsidies app gives it the obligations of its version (life after payment); receivers must be
idempotent, since importing the same list again sends it again.
"""

from django.dispatch import Signal

grant_imported = Signal()

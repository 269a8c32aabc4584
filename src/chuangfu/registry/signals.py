"""Signals the registry sends for writes that bypass ``post_save`` (bulk imports), so the apps
above it (stored policy matches) can follow."""

from django.dispatch import Signal

# Sent after an insurance extract's batch commits: ``people`` and ``enterprises`` (ids) it touched.
insurance_imported = Signal()

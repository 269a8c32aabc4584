"""Queue work of the ecosystem: the quarterly import's handler lives beside what it runs
(``services.incubation.run_quarterly_import``); importing it here registers it in the worker."""

from .services.incubation import run_quarterly_import

__all__ = ["run_quarterly_import"]

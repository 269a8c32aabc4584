"""Names that are data, entered in Chinese and optionally in English (an indicator, a scorecard line).

The interface is translated by gettext; a name an administrator types is not. Such a model keeps an
optional ``<field>_en`` beside the Chinese field, and pages show the English one on English pages when
it is filled — the Chinese one otherwise, so nothing is ever blank.
"""

from django.utils.translation import get_language


def in_language(chinese: str, english: str) -> str:
    """``english`` on an English page when there is one, else ``chinese``."""
    if english and (get_language() or "").startswith("en"):
        return english
    return chinese

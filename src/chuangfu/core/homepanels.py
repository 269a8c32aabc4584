"""Panels on the "my work" page. Each app registers a function ``(user) -> Panel | None``."""

from collections.abc import Callable
from dataclasses import dataclass, field

_PROVIDERS: list[Callable] = []


@dataclass
class Panel:
    title: str
    items: list = field(default_factory=list)  # [{"label", "count", "url", "tone"}]
    template: str = ""
    context: dict = field(default_factory=dict)
    order: int = 100


def register_panel(provider: Callable) -> Callable:
    _PROVIDERS.append(provider)
    return provider


def panels_for(user) -> list[Panel]:
    panels = [p for p in (provider(user) for provider in _PROVIDERS) if p is not None]
    return sorted(panels, key=lambda p: p.order)

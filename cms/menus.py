"""Extension point for the signed-in user's menu.

The site knows nothing of courses or exams; those apps register the links
each person should see (``register_account_menu``) from their AppConfig.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MenuLink:
    label: str
    url: str
    order: int = 100


_providers: list[Callable] = []


def register_account_menu(provider: Callable) -> Callable:
    """``provider(request)`` returns the MenuLinks for the request's user."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def account_menu_links(request) -> list[MenuLink]:
    links = [link for provider in _providers for link in provider(request)]
    return sorted(links, key=lambda link: link.order)

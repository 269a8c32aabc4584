"""What a visitor can do next from a policy's public page, offered by the apps above (a hook, so the
policy library does not import them): the subsidies app offers 在本平台申请 for a policy whose
version in force carries an application form.

An app registers ``fn(policy, version, user) -> (label, url) | None`` from its ``AppConfig.ready``.
"""

from collections.abc import Callable

_ACTIONS: list[Callable] = []


def register_policy_action(fn: Callable) -> Callable:
    if fn not in _ACTIONS:
        _ACTIONS.append(fn)
    return fn


def actions_for(policy, version, user) -> list[tuple[str, str]]:
    found = []
    for fn in _ACTIONS:
        action = fn(policy, version, user)
        if action is not None:
            found.append(action)
    return found

"""What an evaluation needs besides the rule: the date, the policy ("本政策"), and lookups of
policy codes and jurisdiction codes, read from the database once per evaluation."""

import datetime
from dataclasses import dataclass, field

from chuangfu.core.models import Jurisdiction

from ..models import Policy


@dataclass
class Context:
    on: datetime.date
    policy_code: str = ""  # the policy whose rule this is: "self" in a "granted" condition
    _policies: dict | None = field(default=None, repr=False)
    _places: dict | None = field(default=None, repr=False)
    _texts: dict = field(default_factory=dict, repr=False)

    def for_policy(self, code: str) -> "Context":
        """The same date and lookups, for another policy's rule (lookups are read once)."""
        self._policy_table()
        self._place_table()
        return Context(on=self.on, policy_code=code, _policies=self._policies, _places=self._places, _texts=self._texts)

    def text_of(self, node: dict, language: str, make) -> str:
        """A condition's wording in ``language``, made by ``make()`` once for this context and the
        ones ``for_policy`` derives from it. The wording reads only the node and these lookups,
        which do not change while the context lives; a subject's page words the same few hundred
        conditions for every subject, and the library's context outlives the request (decision 40).
        The node is kept with its text, so its ``id`` cannot be another node's while cached."""
        key = (language, id(node))
        if key not in self._texts:
            self._texts[key] = (node, make())
        return self._texts[key][1]

    def policy_code_of(self, reference: str) -> str:
        return self.policy_code if reference == "self" else reference

    def _policy_table(self) -> dict:
        if self._policies is None:
            self._policies = {
                code: (pk, title) for code, pk, title in Policy.objects.values_list("code", "id", "title")
            }
        return self._policies

    def policy_id(self, reference: str) -> int | None:
        entry = self._policy_table().get(self.policy_code_of(reference))
        return entry[0] if entry else None

    def policy_title(self, reference: str) -> str:
        code = self.policy_code_of(reference)
        entry = self._policy_table().get(code)
        return entry[1] if entry else code

    def _place_table(self) -> dict:
        if self._places is None:
            self._places = {
                code: (path, name) for code, path, name in Jurisdiction.objects.values_list("code", "path", "name")
            }
        return self._places

    def place_path(self, code: str) -> str | None:
        entry = self._place_table().get(str(code))
        return entry[0] if entry else None

    def place_name(self, code_or_path: str) -> str:
        code = str(code_or_path).rsplit("/", 1)[-1]
        entry = self._place_table().get(code)
        return entry[1] if entry else code

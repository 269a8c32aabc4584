"""Role-table rows of the registry (see ``chuangfu.core.roles``).

People are personal data: the desk, unit liaisons, reviewers, the leadership and the administrator
read them; a carrier operator (a private incubator) and a mentor do not. Enterprises are also read
by carrier operators (they host them); carriers and mentors by every staff role.
"""

from chuangfu.core.models import FULL_PERSONAL_DATA_ROLES, Role
from chuangfu.core.roles import STAFF, operation, page

PEOPLE = (Role.DESK_STAFF, Role.UNIT_LIAISON, Role.REVIEWER, Role.LEADER, Role.ADMIN)
ENTERPRISES = (*PEOPLE, Role.CARRIER_OPERATOR)
EDITORS = (Role.DESK_STAFF, Role.ADMIN)


def _entity(key: str, readers, editors) -> list:
    return [
        page(f"registry:{key}_list", readers),
        page(f"registry:{key}_count", readers),
        page(f"registry:{key}_export", readers),
        page(f"registry:{key}_detail", readers),
        page(f"registry:{key}_create", EDITORS),
        page(f"registry:{key}_edit", editors),
        page(f"registry:{key}_delete", EDITORS),
    ]


ROWS = [
    *_entity("person", PEOPLE, EDITORS),
    *_entity("enterprise", ENTERPRISES, EDITORS),
    *_entity("carrier", STAFF, EDITORS),
    *_entity("mentor", STAFF, EDITORS),
    page("registry:person_reveal", FULL_PERSONAL_DATA_ROLES, why="a full view of an identifier, audited"),
    page("registry:enterprise_link", EDITORS),
    page("registry:enterprise_unlink", EDITORS),
    page("registry:enterprise_premises_add", EDITORS),
    page("registry:enterprise_premises_edit", EDITORS),
    page("registry:enterprise_premises_remove", EDITORS),
    page("registry:import_start", EDITORS),
    page("registry:import_template", EDITORS),
    page("registry:import_status", EDITORS),
    page("registry:import_preview", EDITORS),
    page("registry:import_confirm", EDITORS),
    page("registry:import_report", EDITORS),
    operation("registry.person_list", PEOPLE),
    operation("registry.person_detail", PEOPLE),
    operation("registry.person_create", EDITORS),
    operation("registry.person_update", EDITORS),
    operation("registry.enterprise_list", ENTERPRISES),
    operation("registry.enterprise_detail", ENTERPRISES),
    operation("registry.enterprise_create", EDITORS),
    operation("registry.enterprise_update", EDITORS),
    operation("registry.carrier_list", STAFF),
    operation("registry.carrier_detail", STAFF),
    operation("registry.mentor_list", STAFF),
    operation("registry.mentor_detail", STAFF),
]

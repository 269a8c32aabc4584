"""How a person is linked to an enterprise, as both evaluations read it: which relations make
someone a founder, and the small integer each relation is coded as in ``frame.Frames.links``.

Its own module so that the frame (which reads the links) and the fact catalogue (which tests
them) share it without importing each other."""

from chuangfu.registry.models import EnterprisePerson

FOUNDER_RELATIONS = (EnterprisePerson.Relation.LEGAL_REPRESENTATIVE, EnterprisePerson.Relation.FOUNDER)

# How ``frame.Frames.links`` codes a link's relation.
LINK_CODES = {
    EnterprisePerson.Relation.LEGAL_REPRESENTATIVE: 1,
    EnterprisePerson.Relation.FOUNDER: 2,
    EnterprisePerson.Relation.EMPLOYEE: 3,
}

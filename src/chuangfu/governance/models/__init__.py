"""Governance (组织领导与工作协同): the bodies that run the work plan and their members.

Rows hold data and their own invariants only; every write goes through ``services``. Split by entity:

- ``bodies``  the leadership group, its office, the joint meeting, working groups; terms and members

Import from this package (``from chuangfu.governance.models import Body``), not from the modules.
"""

from .bodies import POSITION_ORDER, Body, BodyKind, Membership, Position, Term

__all__ = ["POSITION_ORDER", "Body", "BodyKind", "Membership", "Position", "Term"]

"""Scoping that cannot be forgotten (core.scopes, decision 33): inside a request a town-owned model
is read within a declared jurisdiction scope; outside one nothing changes."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import models

from chuangfu.core import request_scope, roles, scopes
from chuangfu.core.models import Jurisdiction, Role
from chuangfu.core.roles import ANYONE, Table, page
from chuangfu.core.scopes import ScopeError, every_town, scope_to
from chuangfu.desk.models import Category, Ticket, TicketAssignment
from chuangfu.desk.services import ticket_submit_public
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.scopes_urls")]

TEST_ROWS = [
    page("scopes_careless", ANYONE),
    page("scopes_public", ANYONE, every_town="test: a public page of published records of every town"),
    page("scopes_declared", ANYONE),
    page("scopes_related", ANYONE),
    page("scopes_task", ANYONE),
]


@pytest.fixture(autouse=True)
def _test_rows(monkeypatch):
    real = roles.table()
    monkeypatch.setattr(roles, "table", lambda: Table([*real.pages.values(), *real.operations.values(), *TEST_ROWS]))


@pytest.fixture
def town():
    return factories.town()


@pytest.fixture
def other_town():
    return factories.town("310115125")


def ticket(jurisdiction, n=1):
    made, _ = ticket_submit_public(
        jurisdiction=jurisdiction,
        category=Category.objects.filter(jurisdiction=jurisdiction).first(),
        description=f"想了解创业补贴的申请条件（{n}）。",
        requester_name="李娜",
        requester_mobile=f"1371234{jurisdiction.pk % 10}{n:03d}",
    )
    return made


@pytest.fixture
def tickets(town, other_town):
    return ticket(town, 1), ticket(other_town, 2)


def test_an_anonymous_request_that_reads_a_town_owned_model_without_a_declaration_fails_loudly(client, tickets):
    with pytest.raises(ScopeError) as raised:
        client.get("/__scopes/careless")
    assert "desk.Ticket" in str(raised.value) and "every_town" in str(raised.value)
    client.raise_request_exception = False
    assert client.get("/__scopes/careless").status_code == 500


def test_a_resident_declares_nothing_either(client, tickets):
    client.force_login(factories.user(Role.ENTREPRENEUR))
    with pytest.raises(ScopeError):
        client.get("/__scopes/careless")


def test_a_town_clerks_careless_page_shows_only_its_own_towns_records(client, tickets):
    own, other = tickets
    client.force_login(factories.user(Role.DESK_STAFF, own.jurisdiction))
    assert client.get("/__scopes/careless").json() == {"tickets": [own.pk]}
    client.force_login(factories.user(Role.LEADER, other.jurisdiction))
    assert client.get("/__scopes/careless").json() == {"tickets": [other.pk]}


def test_a_village_account_reads_its_towns_records_not_a_sibling_towns(client, tickets, town):
    own, _other = tickets
    client.force_login(factories.user(Role.DESK_STAFF, factories.village(town)))
    assert client.get("/__scopes/careless").json() == {"tickets": [own.pk]}


def test_a_district_account_a_platform_admin_and_a_superuser_see_every_town(client, tickets):
    everything = {"tickets": sorted(t.pk for t in tickets)}
    client.force_login(factories.user(Role.LEADER, factories.district()))
    assert client.get("/__scopes/careless").json() == everything
    admin = factories.user(Role.ADMIN, None)
    admin.jurisdiction = None
    admin.save()
    client.force_login(admin)
    assert client.get("/__scopes/careless").json() == everything
    root = factories.user(Role.ENTREPRENEUR, None, is_superuser=True)
    client.force_login(root)
    assert client.get("/__scopes/careless").json() == everything


def test_a_page_whose_row_or_view_declares_every_town_reads_every_town(client, tickets):
    everything = {"tickets": sorted(t.pk for t in tickets)}
    assert client.get("/__scopes/public").json() == everything
    assert client.get("/__scopes/declared").json() == everything
    client.force_login(factories.user(Role.DESK_STAFF, tickets[0].jurisdiction))
    assert client.get("/__scopes/public").json() == everything  # staff see a public page as the public do


def test_every_town_must_say_why():
    for reason in ("", "   ", None):
        with pytest.raises(TypeError, match="reason"):
            every_town(reason)
    with pytest.raises(TypeError):
        every_town()
    with pytest.raises(TypeError, match="reason"):
        page("x:y", ANYONE, every_town=" ")


def test_outside_a_request_nothing_is_enforced_and_a_declaration_nests(tickets, town, other_town):
    own, other = tickets
    assert scopes.current() is scopes.EVERY_TOWN
    assert set(Ticket.objects.all()) == {own, other}
    with scope_to([town.pk]):
        assert list(Ticket.objects.all()) == [own]
        with every_town("test: nested"):
            assert set(Ticket.objects.all()) == {own, other}
        assert list(Ticket.objects.all()) == [own]
    assert set(Ticket.objects.all()) == {own, other}


def test_a_management_command_reads_every_town(tickets, town, tmp_path, monkeypatch):
    seen = []
    from chuangfu.indicators import services

    def compute(jurisdiction, year):
        seen.append((scopes.current(), set(Ticket.objects.values_list("pk", flat=True))))
        raise SystemExit(0)

    monkeypatch.setattr(services, "compute_town_year", compute)
    with pytest.raises(SystemExit):
        call_command("dossier", town=town.code, year=2026, out=str(tmp_path / "d.docx"))
    assert seen == [(scopes.EVERY_TOWN, {t.pk for t in tickets})]


def test_a_queue_task_queued_by_a_request_reads_as_a_task(client, tickets):
    """huey's immediate mode runs the task inside the anonymous request: it must not inherit it."""
    assert client.get("/__scopes/task").json() == {"counted": 2}


def test_related_managers_are_scoped_and_following_a_foreign_key_is_not(client, tickets):
    own, other = tickets
    unit = factories.unit("市场监管所", own.jurisdiction)
    assignment = TicketAssignment.objects.create(
        ticket=own, unit=unit, role=TicketAssignment.Role.LEAD, accept_due=own.answer_due
    )
    clerk = factories.user(Role.DESK_STAFF, own.jurisdiction)
    client.force_login(clerk)
    body = client.get(f"/__scopes/related/{own.pk}").json()
    assert body == {"assignments": [assignment.pk], "prefetched": [assignment.pk], "ticket_of_first": own.pk}
    client.force_login(factories.user(Role.DESK_STAFF, other.jurisdiction))
    assert client.get(f"/__scopes/related/{own.pk}").json() == {
        "assignments": [],
        "prefetched": [],
        "ticket_of_first": None,
    }
    client.logout()
    with pytest.raises(ScopeError, match=r"desk\.TicketAssignment"):
        client.get(f"/__scopes/related/{own.pk}")
    with scope_to([own.jurisdiction_id]):
        assert assignment.ticket == own  # the base manager: plain
        assert list(own.assignments.all()) == [assignment]
    with scope_to([other.jurisdiction_id]):
        assert assignment.ticket == own
        assert list(own.assignments.all()) == []


def test_with_nothing_declared_a_queryset_can_be_built_and_emptied_but_not_read(tickets, rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    middleware = request_scope.ScopeMiddleware(lambda request: seen.append(read()) or "done")
    seen = []

    def read():
        qs = Ticket.objects.filter(status__isnull=False).exclude(pk=0)  # built: no SQL yet
        assert list(qs.none()) == [] and not qs.none().exists()
        for run in (list, len, bool, lambda q: q.count(), lambda q: q.exists(), lambda q: q.first()):
            with pytest.raises(ScopeError):
                run(qs)
        with pytest.raises(ScopeError):
            list(Jurisdiction.objects.filter(ticket__in=qs))  # as a subquery of a plain model too
        with pytest.raises(ScopeError):
            qs.update(description="x")
        with pytest.raises(ScopeError):
            Ticket.objects.get_or_create(pk=tickets[0].pk)
        return "refused"

    assert middleware(request) == "done" and seen == ["refused"]
    assert scopes.current() is scopes.EVERY_TOWN  # left as it was


def test_writes_and_locks_work_within_the_scope(tickets, town):
    own, other = tickets
    with scope_to(request_scope.account_scope(factories.user(Role.DESK_STAFF, town))):
        assert Ticket.objects.select_for_update().get(pk=own.pk) == own
        with pytest.raises(Ticket.DoesNotExist):
            Ticket.objects.select_for_update().get(pk=other.pk)
        assert list(TicketAssignment.objects.select_for_update().filter(ticket=other)) == []
        made = ticket(town, 3)
        assert made.pk in set(Ticket.objects.values_list("pk", flat=True))


def test_the_scope_follows_an_api_tokens_account(client, tickets, town, other_town, monkeypatch):
    """The token is authenticated inside ninja, after the middlewares: the careless operation
    below still reads the token's town only."""
    from chuangfu.core import api_tokens
    from chuangfu.core.views.tokens import api_operations
    from chuangfu.desk import selectors

    monkeypatch.setattr(selectors, "ticket_list", lambda *, actor, filters: Ticket.objects.all())
    _row, token = api_tokens.token_issue(
        actor=factories.user(Role.ADMIN, factories.district()),
        name="接口",
        jurisdiction=other_town,
        role=Role.DESK_STAFF,
        operations=["desk.ticket_list"],
        days=30,
        known=set(api_operations()),
    )
    listed = client.get("/api/desk/tickets", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert listed.status_code == 200
    assert [t["id"] for t in listed.json()["items"]] == [tickets[1].pk]


# Models that have a foreign key to core.Jurisdiction and are NOT town-owned in the sense of
# "a town sees its own subtree only" — each with the reason. Every other such model must use
# TownScopedManager, or this test fails and names it.
NOT_TOWN_SCOPED = {
    "core.Jurisdiction": "the places themselves (its parent), read by every page that names one",
    "core.User": "accounts: signing in and the role table read them before any scope exists",
    "core.Unit": "who's who: a unit's name is public (the status page names the handling unit) and "
    "towns dispatch to the district's units; lists of units are scoped by their selectors",
    "core.AuditEntry": "platform-wide entries have no jurisdiction (null); the audit pages scope by selector",
    "core.ApiToken": "looked up by its hash to authenticate, before an account exists",
    "core.Job": "read by the person who started it (core.views.exports), jurisdiction may be null",
    "ecosystem.DistrictBounds": "a district's map rectangle: reference data every town's pages check against",
    "policies.Policy": "a city's or district's policy is seen by every town under it, not its own subtree only",
}


def test_every_model_with_a_jurisdiction_is_town_scoped_or_listed_with_its_reason():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("chuangfu."):
            continue
        owned = [
            f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey) and f.related_model is Jurisdiction
        ]
        label = model._meta.label
        if owned and not scopes.is_town_scoped(model) and label not in NOT_TOWN_SCOPED:
            missing.append(label)
    assert not missing, (
        f"town-owned models without TownScopedManager: {missing}. Give each "
        '`objects = TownScopedManager("jurisdiction")` (core.scopes) or list it in NOT_TOWN_SCOPED with the reason.'
    )
    for label in NOT_TOWN_SCOPED:
        assert not scopes.is_town_scoped(apps.get_model(label)), f"{label} is scoped: take it off the list"


def test_the_net_adds_no_statement_to_a_staff_page(client, tickets, django_assert_num_queries):
    clerk = factories.user(Role.DESK_STAFF, tickets[0].jurisdiction)
    client.force_login(clerk)
    client.get("/__scopes/careless")
    # session, account, the account's jurisdictions (visible_jurisdiction_ids), the tickets
    with django_assert_num_queries(4):
        client.get("/__scopes/careless")

"""Deliberately careless views for ``test_scopes.py``: they read town-owned records without
scoping them, as a new view might by omission. Mounted only by those tests, beside the site's URLs."""

from django.http import JsonResponse
from django.urls import path
from huey.contrib.djhuey import db_task

from chuangfu.core.scopes import every_town
from chuangfu.desk.models import Ticket, TicketAssignment
from chuangfu.urls import urlpatterns as site_urlpatterns


def careless(request):
    return JsonResponse({"tickets": sorted(Ticket.objects.values_list("pk", flat=True))})


def careless_related(request, pk):
    ticket = Ticket._base_manager.get(pk=pk)
    assignments = list(ticket.assignments.all())
    prefetched = Ticket.objects.filter(pk=pk).prefetch_related("assignments")
    return JsonResponse(
        {
            "assignments": sorted(a.pk for a in assignments),
            "prefetched": sorted(a.pk for t in prefetched for a in t.assignments.all()),
            "ticket_of_first": assignments[0].ticket_id if assignments else None,
        }
    )


@every_town("test: a page that reads every town's tickets, declared on the view")
def declared_on_the_view(request):
    return careless(request)


@db_task()
def count_tickets():
    return Ticket.objects.count() + 0 * TicketAssignment.objects.count()


def queues_a_task(request):
    return JsonResponse({"counted": count_tickets()()})


urlpatterns = [
    path("__scopes/careless", careless, name="scopes_careless"),
    path("__scopes/public", careless, name="scopes_public"),
    path("__scopes/declared", declared_on_the_view, name="scopes_declared"),
    path("__scopes/related/<int:pk>", careless_related, name="scopes_related"),
    path("__scopes/task", queues_a_task, name="scopes_task"),
    *site_urlpatterns,
]

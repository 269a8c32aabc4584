from django.urls import path

from .views import staff as views

app_name = "desk"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("export/", views.export, name="export"),
    path("bulk-dispatch/", views.bulk_dispatch, name="bulk_dispatch"),
    path("new/", views.intake, name="intake"),
    path("new/suggest/", views.intake_suggest, name="intake_suggest"),
    path("figures/", views.figures_dashboard, name="figures"),
    path("tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("tickets/<int:pk>/act/<slug:name>/", views.ticket_act, name="ticket_act"),
    path("tickets/<int:pk>/mobile/", views.reveal_mobile, name="reveal_mobile"),
    path("tickets/<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]

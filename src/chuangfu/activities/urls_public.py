"""Public pages, mounted at /events/: no account needed except where marked."""

from django.urls import path

from .views import competitions, jobs, mentoring, public

app_name = "events"
urlpatterns = [
    path("", public.activity_list, name="list"),
    path("mine/", public.my_registrations, name="mine"),
    path("sms-code/", public.send_code, name="send_code"),
    path("<int:pk>/", public.activity_detail, name="detail"),
    path("<int:pk>/register/", public.register, name="register"),
    path("t/<str:key>/", public.ticket, name="ticket"),
    path("t/<str:key>/qr.png", public.ticket_qr, name="ticket_qr"),
    path("t/<str:key>/event.ics", public.ticket_ics, name="ticket_ics"),
    path("t/<str:key>/cancel/", public.ticket_cancel, name="ticket_cancel"),
    path("t/<str:key>/accept/", public.ticket_accept, name="ticket_accept"),
    path("t/<str:key>/feedback/", public.feedback, name="feedback"),
    path("jobs/", jobs.public_list, name="jobs"),
    path("jobs/new/", jobs.public_post, name="job_post"),
    path("jobs/<int:pk>/interest/", jobs.public_interest, name="job_interest"),
    path("mentoring/", mentoring.public_request, name="mentoring"),
    path("mentoring/sessions/<int:pk>/rate/", mentoring.public_rate, name="mentoring_rate"),
    path("<int:pk>/enter/", competitions.public_enter, name="competition_enter"),
]

from django.urls import path

from .views import aftercare as v

app_name = "aftercare"
urlpatterns = [
    # staff
    path("obligations/", v.obligation_list, name="obligations"),
    path("obligations/<int:pk>/", v.obligation_detail, name="obligation"),
    path("obligations/<int:pk>/check/", v.obligation_check, name="obligation_check"),
    path("obligations/<int:pk>/mark/<slug:name>/", v.obligation_mark, name="obligation_mark"),
    path("obligations/<int:pk>/correct/", v.obligation_correct, name="obligation_correct"),
    path("obligations/<int:pk>/report/", v.report_on_behalf, name="report_on_behalf"),
    path("recoveries/", v.recovery_list, name="recoveries"),
    path("recoveries/<int:pk>/", v.recovery_detail, name="recovery"),
    path("recoveries/<int:pk>/act/<slug:name>/", v.recovery_act, name="recovery_act"),
    path("recoveries/<int:pk>/repay/", v.repayment_record, name="repay"),
    path("terms/<int:version_id>/", v.terms_edit, name="terms"),
    # the beneficiary
    path("mine/", v.mine, name="mine"),
    path("mine/<int:pk>/", v.my_obligation, name="my_obligation"),
    path("mine/<int:pk>/report/", v.report_submit, name="report"),
]

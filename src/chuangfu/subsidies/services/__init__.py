"""Every write of the subsidies app, one function per use case, by stage:
``notices`` (公示 and objections) and ``disbursements`` (拨付); ``timeline`` fires an application
transition with its timeline step and the applicant's notification."""

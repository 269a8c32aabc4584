"""The subsidy pages: ``applicant`` (apply, correct, follow), ``staff`` (queue, review, forms),
``notices`` (公示 and objections, staff and public), ``disbursements`` (拨付) and ``reports``."""

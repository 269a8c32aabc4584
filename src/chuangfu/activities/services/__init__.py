"""Every write of the activities app, one function per use case, split by entity:

- ``activities``     create, edit, clone, series, questions, lifecycle, schedule, summary, photos
- ``registrations``  register, approve, cancel, waiting list and offers, walk-ins, reminders
- ``checkins``       check-in by QR token or from the list
- ``verification``   SMS codes that prove a mobile for public registration
- ``feedback``       ratings after the activity and the invitations to give one
- ``jobs``           job postings, interest, hires
- ``mentoring``      mentoring requests, ranked mentor proposals, sessions
- ``competitions``   entries, criteria, judges, blind scoring, ranking, nominations

Each function takes keyword-only parameters, runs in one transaction and leaves audit entries.
Time-dependent ones take ``now`` so the clock can be controlled in tests.
"""

"""Pages: ``public`` (the list, registration, tickets, ratings), ``staff`` (running an
activity), ``checkin``, ``jobs``, ``mentoring`` and ``competitions``. All thin: parse, call
one service or selector, render."""

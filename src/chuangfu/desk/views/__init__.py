"""The desk's pages: ``staff`` (queues, a ticket, intake, figures) and ``public`` (ask, look up, rate)."""

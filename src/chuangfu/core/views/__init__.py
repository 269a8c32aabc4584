"""Core's pages: ``home`` (the "my work" page, notifications, the health check), ``accounts``
(sign-in, registration and password reset by text message), ``audit`` (the audit log and record
histories), ``exports`` (an export's progress and its file) and ``tokens`` (API tokens)."""

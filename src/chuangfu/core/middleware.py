from .audit import current_ip


class AuditContextMiddleware:
    """Makes the client address available to ``log_action`` without passing the request down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)

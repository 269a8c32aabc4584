"""How a refused request reaches the user, once for every page (the API has ninja's handler).

- ``NotFound`` anywhere in a view becomes a 404 (``DomainErrorMiddleware``).
- A ``DomainError`` a view does not handle becomes the user's message: an htmx request gets the
  refusal as its fragment, a form post goes back to the page it came from with the message on
  top, anything else gets the refused page with the error's status.
- A view that shows the error *on its form* wraps the service call in ``errors_on(form)``;
  a view whose htmx answer has its own shape for an error names it with ``@refused_with``.
"""

import contextlib
import functools
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError, NotFound


class DomainErrorMiddleware:
    """Turns the domain's two exceptions into responses, so views need no ``except`` for them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(str(exception.message)) from None
        if isinstance(exception, DomainError):
            return domain_error_response(request, exception)
        return None


def domain_error_response(request, exc: DomainError):
    """What the user sees of a refusal no view handled (see the module docstring)."""
    message = str(exc.message)
    if getattr(request, "htmx", False):
        # htmx swaps only 2xx answers: the refusal is the fragment, in the place the request targets.
        return render(request, "core/_refused.html", {"message": message, "code": exc.code})
    if request.method == "POST":
        back = request.META.get("HTTP_REFERER", "")
        if back and url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            messages.error(request, message)
            return HttpResponseRedirect(back)
    return render(request, "core/refused.html", {"message": message, "code": exc.code}, status=exc.status)


@dataclass
class Refusal:
    """What ``errors_on`` caught, if anything: ``error`` is the exception (its ``status``, ``code``)."""

    error: Exception | None = None

    def __bool__(self) -> bool:
        return self.error is not None

    @property
    def status(self) -> int:
        return getattr(self.error, "status", 400) if self.error is not None else 200

    @property
    def code(self) -> str | None:
        return getattr(self.error, "code", None)

    @property
    def details(self) -> dict:
        return getattr(self.error, "details", None) or {}


def put_error(form, exc: Exception, field: str | None = None) -> None:
    """Show a service's refusal on ``form``: on ``field`` when given, else on the field the error
    names (``details["field"]`` or a ``ValidationError``'s dict), else above the form."""
    if isinstance(exc, ValidationError):
        if hasattr(exc, "error_dict") and field is None:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(field, exc.messages)
        return
    if field is None:
        named = exc.details.get("field")
        field = named if named in form.fields else None
    form.add_error(field, str(exc.message))


@contextlib.contextmanager
def errors_on(form, field: str | None = None, *, apply=put_error):
    """Inside the block, a service's ``DomainError`` or ``ValidationError`` lands on ``form`` and the
    block is left; ``NotFound`` still becomes a 404. Put the success path (message, redirect) inside
    the block and the form's page after it::

        with errors_on(form):
            thing = thing_create(actor=request.user, **form.cleaned_data)
            return redirect(thing)
        return render(request, "page.html", {"form": form})
    """
    refusal = Refusal()
    try:
        yield refusal
    except NotFound:
        raise
    except (DomainError, ValidationError) as exc:
        refusal.error = exc
        if field is None:
            apply(form, exc)
        else:
            apply(form, exc, field)


def refused_with(render_error):
    """A view whose answer to a refusal has its own shape (an htmx panel that keeps its counts):
    ``render_error(request, exc, *args, **kwargs)`` renders it. ``NotFound`` is still a 404."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            try:
                return view(request, *args, **kwargs)
            except NotFound:
                raise
            except DomainError as exc:
                return render_error(request, exc, *args, **kwargs)

        return wrapper

    return decorator

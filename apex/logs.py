"""Structured logs: every record is one JSON line, whoever logs it.

structlog renders the app's own events (``structlog.stdlib.get_logger``) and
the standard library's records (Django's ``django.request`` and
``django.server``, allauth, anything using ``logging.getLogger``) through the
same processors, installed as the console handler's formatter by
``settings.LOGGING``. A traceback is a field of its record (``exception``),
never lines of its own. ``apex.middleware`` binds the request id in a
context variable, so every record logged while a request is handled
carries ``request_id``.
"""

import logging

import structlog

# Run for every record, structlog's own and the standard library's alike.
_SHARED_PROCESSORS: list = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    # django.request and django.server pass the status; their other extras
    # (the request, the socket) are objects, not log fields.
    structlog.stdlib.ExtraAdder(allow=["status_code"]),
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def json_formatter() -> logging.Formatter:
    """The console handler's formatter (``settings.LOGGING``): one JSON object per line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED_PROCESSORS,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            # ensure_ascii (the default) escapes newlines too: a traceback stays on its line.
            structlog.processors.JSONRenderer(),
        ],
    )


def configure_structlog() -> None:
    """Hand structlog's events to the standard library, whose handlers and levels apply."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_SHARED_PROCESSORS,
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )

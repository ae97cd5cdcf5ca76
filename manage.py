#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "apex.settings")
    # manage.py is the developer's entry point, so DEBUG defaults on here.
    # The web server (wsgi/asgi) keeps DEBUG off by default, and production
    # sets DEBUG=0 for its commands too (the image does).
    os.environ.setdefault("DEBUG", "1")
    # Commands (migrate, backups, imports) are long by nature: the statement
    # timeout protects web requests, so here it is off unless set.
    os.environ.setdefault("DB_STATEMENT_TIMEOUT", "0")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

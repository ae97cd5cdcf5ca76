"""Forget idempotency keys old enough that no resend can still arrive (``racing.idempotency``)."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from racing.models import IdempotencyKey


class Command(BaseCommand):
    help = "Delete idempotency keys older than --days (default 30): a phone's queue resends within days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=30, help="keep keys this many days (at least 1)")

    def handle(self, *args: Any, days: int, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days must be 1 or more: a key is what stops a resend saving twice.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Deleted {deleted} idempotency key(s) older than {days} days.")

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from api import services

IDLE_SECONDS = 5


class Command(BaseCommand):
    help = "Send due webhook deliveries (signed, retried with backoff); loops until stopped unless --once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Send what is due now, then stop.")

    def handle(self, *args: Any, once: bool, **options: Any) -> None:
        while True:
            sent = services.deliveries_send_due()
            for delivery in sent:
                outcome = delivery.status
                if delivery.status == delivery.Status.PENDING:
                    outcome = f"retry at {delivery.next_attempt_at:%H:%M:%S}"
                reason = f" ({delivery.last_error})" if delivery.last_error else ""
                self.stdout.write(f"delivery {delivery.pk} {delivery.event} → {outcome}{reason}")
            if once:
                self.stdout.write(f"{len(sent)} deliveries attempted.")
                return
            if not sent:
                time.sleep(IDLE_SECONDS)

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from sims import integrity


class Command(BaseCommand):
    help = (
        "Check sim profiles for problems the site cannot prevent on its own: missing identifiers, "
        "identifiers that differ only in case or spaces, links without linked_at, verified profiles "
        "without a linked user, results pointing at nothing. Exits 1 when it finds any."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = integrity.find_problems()
        total = 0
        for check, found in problems.items():
            total += len(found)
            if found:
                self.stdout.write(self.style.WARNING(f"{check.title}: {len(found)}"))
                for line in found[:20]:
                    self.stdout.write(f"  {line}")
                if len(found) > 20:
                    self.stdout.write(f"  … and {len(found) - 20} more")
            else:
                self.stdout.write(f"{check.title}: none")
        if total:
            raise CommandError(f"{total} problem(s) found.")
        self.stdout.write(self.style.SUCCESS("All sim profiles are consistent."))

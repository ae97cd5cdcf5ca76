from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from api import services
from api.models import ApiToken
from profiles.models import User


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (its last line): it is stored hashed and never shown again."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="What uses the token.")
        parser.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)

    def handle(self, *args: Any, username: str, name: str, scope: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        name = name.strip()
        max_length = ApiToken._meta.get_field("name").max_length or 100
        if not name or len(name) > max_length or "\x00" in name:
            raise CommandError(f"--name: give 1 to {max_length} characters.")
        token, raw = services.token_create(user=user, name=name, scope=scope)
        self.stderr.write(f"Created {token.get_scope_display().lower()} token “{token.name}” for {username}.")
        self.stdout.write(raw)

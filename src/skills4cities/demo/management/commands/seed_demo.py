from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skills4cities.demo.services import demo_password, demo_seed


class Command(BaseCommand):
    help = "Create the demo organisations and users (idempotent). Passwords come from DEMO_PASSWORD."

    def handle(self, *args: Any, **options: Any) -> None:
        users = demo_seed()
        self.stdout.write(f"Demo logins (password: {demo_password()}):")
        for user in users:
            roles = ", ".join(str(role.label) for role in user.roles)
            admin = " + site admin" if user.superuser else ""
            self.stdout.write(f"  {user.username:<18} {roles}{admin} · {user.organisation}")

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from skills4cities.curriculum.services import curriculum_pending_folders, curriculum_reference_load
from skills4cities.esco.services import esco_load_bundle
from skills4cities.exams.services import item_bank_reference_load
from skills4cities.frameworks.interchange.document import DocumentErrors
from skills4cities.frameworks.services import reference_load


class Command(BaseCommand):
    help = "Load or update the shipped reference content: ESCO concepts, e-CF 4.0 and the Skills4Cities framework."

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                release = esco_load_bundle()
                results = reference_load()
                curricula = curriculum_reference_load()
                item_banks = item_bank_reference_load()
        except DocumentErrors as exc:
            raise CommandError(f"The reference content is invalid; nothing was loaded.\n{exc}") from None
        if release is None:
            self.stdout.write("ESCO: the shipped release is already loaded (unchanged).")
        else:
            self.stdout.write(
                f"ESCO {release.version}: {release.skills} skills, {release.occupations} occupations"
                f" ({release.obsoleted} marked obsolete)."
            )
        for result in results:
            framework = result.framework
            state = "loaded" if result.created else "unchanged"
            self.stdout.write(
                f"{framework.slug} {framework.version}: {state} ({framework.roles.count()} roles, "
                f"{framework.units.count()} units, {framework.elements.count()} elements)."
            )
        for loaded in curricula:
            self.stdout.write(f"{loaded.summary()}.")
        for folder in curriculum_pending_folders():
            self.stdout.write(f"Curriculum {folder}: not loaded, curriculum.yaml is not there yet.")
        for bank in item_banks:
            self.stdout.write(f"{bank.summary()}.")

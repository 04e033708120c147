"""Calibrate the item bank's IRT parameters (2PL, girth) from the answers of finished exams (docs/adr/0015)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from skills4cities.exams.services import items_calibrate


class Command(BaseCommand):
    help = (
        "Fit 2PL parameters to the answers of finished certification exams and adaptive tests and store them on "
        "the items with enough responses (irt_source=calibrated); says how many were calibrated and why others "
        "were not."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        report = items_calibrate(actor=None)
        self.stdout.write(report.summary())
        for key in report.calibrated if options["verbosity"] > 1 else []:
            self.stdout.write(f"  calibrated {key}")
        for key in report.rejected:
            self.stdout.write(f"  kept the previous parameters of {key}: the fit is outside the admissible range")

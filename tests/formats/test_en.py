"""English dates are written the European way (day, month, year; 24-hour clock)."""

from __future__ import annotations

import datetime

from django.template import Context, Template
from django.utils import formats, translation


def test_english_dates_are_day_month_year() -> None:
    moment = datetime.datetime(2026, 11, 5, 14, 30)  # noqa: DTZ001 - formatting only
    with translation.override("en"):
        assert formats.date_format(moment.date()) == "5 November 2026"
        assert formats.date_format(moment.date(), "SHORT_DATE_FORMAT") == "05/11/2026"
        assert formats.date_format(moment, "DATETIME_FORMAT") == "5 November 2026, 14:30"
        assert formats.date_format(moment, "SHORT_DATETIME_FORMAT") == "05/11/2026 14:30"
        assert formats.time_format(moment.time()) == "14:30"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
        rendered = Template('{{ day|date:"SHORT_DATE_FORMAT" }} · {{ day|date }}').render(
            Context({"day": moment.date()})
        )
        assert rendered == "05/11/2026 · 5 November 2026"


def test_other_languages_keep_their_own_formats() -> None:
    with translation.override("de"):
        assert formats.date_format(datetime.date(2026, 11, 5)) == "5. November 2026"


def test_english_date_input_accepts_day_first() -> None:
    from django import forms

    field = forms.DateField()
    with translation.override("en"):
        assert field.clean("25/11/2026") == datetime.date(2026, 11, 25)
        assert field.clean("2026-11-25") == datetime.date(2026, 11, 25)

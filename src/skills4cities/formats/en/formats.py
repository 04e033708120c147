"""English as written in Europe: day-month-year dates and a 24-hour clock, weeks starting on Monday.

Django's ``en`` formats are American (11/25/2026, "Nov. 25, 2026"); the platform's users are in Europe.
"""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-11-25 (the HTML date input)
    "%d/%m/%Y",  # 25/11/2026
    "%d/%m/%y",  # 25/11/26
    "%d.%m.%Y",  # 25.11.2026
    "%d %B %Y",  # 25 November 2026
    "%d %b %Y",  # 25 Nov 2026
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3

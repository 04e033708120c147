"""Locale formats that override Django's defaults (``FORMAT_MODULE_PATH``)."""

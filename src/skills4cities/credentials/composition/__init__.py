"""Pure functions that build the JSON(-LD) documents we sign and publish (STYLE.md: never on models).

Nothing here touches the database, the clock or a key: callers pass plain data in and get dicts out, so the
same inputs always give the same document.
"""

"""The one error the command reports: a sentence for a person, no traceback."""


class CommandError(Exception):
    """Something the user must fix; the message says what. Nothing has been written."""

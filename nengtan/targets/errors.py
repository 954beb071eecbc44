"""Errors of the targets area: a message a park officer can act on."""


from nengtan.errors import InputError


class TargetsError(InputError):
    """A user mistake or missing input in targets, budgets, scenarios or assessment.

    The message says what is wrong, where, and how to fix it; the CLI prints it on one line.
    """

"""One exception tree for every mistake a user can fix. Each carries the HTTP status the API answers
with, so the CLI has one handler (a one-line message, exit 2) and the API has one (RFC 9457 problem
details with that status). Messages say what, where and how to fix, and name no CLI flag or route."""

from __future__ import annotations


class NengtanError(Exception):
    """Root of the user-fixable errors."""

    status = 400


class InputError(NengtanError, ValueError):
    """A value the user gave that nengtan cannot accept (a unit, a code, a period, a file)."""

    status = 422


class NotFoundError(NengtanError, LookupError):
    """Something the user named that does not exist (an enterprise, a scope, a factor set)."""

    status = 404


class NoDataError(NotFoundError):
    """The year or scope asked for has no data: a result would be an empty table or a 0 % share."""


class NotInitialisedError(NengtanError):
    """The data home has no registry yet."""

    status = 409


class StateError(NengtanError):
    """The request conflicts with what is stored (a signed-off year, a running writer)."""

    status = 409

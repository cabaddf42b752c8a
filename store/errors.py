"""Errors raised by the store.  Every message names the file or row and says what to do."""


class ProjectError(Exception):
    """Base class: something about the project file or a requested change is not possible."""


class NotAProjectError(ProjectError):
    """The file is not a FrameLens project (not SQLite, another application's database, damaged)."""


class NewerVersionError(ProjectError):
    """The project was written by a newer FrameLens whose schema this version does not know."""


class ReadOnlyError(ProjectError):
    """The project (or its folder) cannot be written."""


class ValidationError(ProjectError):
    """A requested change breaks an invariant (offsets outside the text, quote mismatch, …)."""


class ConflictError(ProjectError):
    """An undo or merge cannot apply because the rows changed since."""


class SearchQueryError(ProjectError):
    """A full-text search query could not be understood."""

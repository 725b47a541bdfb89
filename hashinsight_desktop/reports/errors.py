"""Report failures a user can act on (bad parameters, an unwritable output path)."""


class ReportError(Exception):
    """A report cannot be built as asked; the message names what to change."""


class ReportWriteError(ReportError):
    """The output file cannot be written (missing folder, no permission, disk full)."""

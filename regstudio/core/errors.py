"""Errors the engine raises for bad input; each carries a one-line message for the user."""


class RegstudioError(Exception):
    """Bad input or usage: the message is one line naming the file, row, column or flag."""


class DataError(RegstudioError):
    """A data file or a column choice cannot be used."""


class ModelFileError(RegstudioError):
    """A model file is missing, corrupt, of another format or version, or inconsistent."""


class SettingsError(RegstudioError):
    """A hyperparameter or model setting is out of range or does not apply."""

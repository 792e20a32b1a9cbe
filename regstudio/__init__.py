"""regstudio: learn regression and classification by watching gradient descent train."""

__version__ = "0.1.0"

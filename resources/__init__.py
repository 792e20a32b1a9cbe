"""Data files shipped with regstudio (sample data sets); read them with importlib.resources."""

"""The engine: pure numpy, no Qt (a test enforces it)."""

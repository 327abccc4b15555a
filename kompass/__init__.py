"""Kompass: an open-source platform for a city's participatory, learning digital strategy."""

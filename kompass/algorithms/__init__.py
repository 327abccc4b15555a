"""Pure algorithms (no Django, no Kompass app imports; enforced by import-linter).

Each subpackage takes plain Python / NumPy data in and returns plain data out, so that it can be tested with
property tests and reused outside the web application.
"""

"""Deployment checks of Kompass (filled in below)."""

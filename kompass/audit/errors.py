"""Errors of the audit layer that the layers above re-use (no Django imports here)."""


class MissingActor(TypeError):
    """A service or an audit event was given no actor: a programming error, never a user's.

    Pass a user or a `core.actors.SystemActor` (for example `system_actor("account deletion")`), never None.
    `kompass.core.permissions.MissingActor` is this class."""

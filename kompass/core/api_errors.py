class ApiParameterError(Exception):
    """A query parameter has a value the API does not know; mapped to HTTP 400 naming the parameter."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))

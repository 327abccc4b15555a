from kompass.strategy.selectors import current_strategy_or_none


def portal(request):
    """The current strategy for the page frame (one cached query per request)."""
    if not hasattr(request, "_kompass_strategy"):
        request._kompass_strategy = current_strategy_or_none()
    return {"strategy": request._kompass_strategy}

"""Translatable labels for statuses, methods, trends and components."""

from django.utils.translation import gettext_lazy as _

STATUS_LABELS = {
    "achieved": _("Target achieved"),
    "on_track": _("On track"),
    "acceleration_needed": _("Acceleration needed"),
    "limited_progress": _("Limited progress"),
    "deterioration": _("Deterioration"),
    "not_achieved": _("Target not achieved"),
    "not_computable": _("Not assessable yet"),
    "": _("No indicators"),
}
METHOD_LABELS = {
    "open_sdg": _("Open SDG (Statistics Canada)"),
    "eurostat": _("Eurostat"),
    "destatis": _("Destatis weather symbols"),
    "linear": _("Linear achievement"),
    "binary": _("Binary (achieved or not)"),
    "roll_up": _("Roll-up of the level below"),
}
TREND_LABELS = {1: _("improving"), -1: _("worsening"), 0: _("flat or unknown")}
TREND_SYMBOLS = {1: "↗", -1: "↘", 0: "→"}
COMPONENT_LABELS = {
    "base_value": _("Base value"), "base_time": _("Base year"), "current_value": _("Current value"),
    "current_time": _("Current year"), "target_value": _("Target value"), "target_time": _("Target year"),
    "ratio": _("Ratio"), "growth_rate": _("Growth rate"), "cagr_actual": _("Actual growth rate (CAGR)"),
    "cagr_required": _("Required growth rate (CAGR)"), "achievement": _("Achievement"),
    "time_share": _("Share of time elapsed"), "n_points": _("Data points"), "direction": _("Direction"),
    "natural_limit": _("Natural limit"), "years_elapsed": _("Years elapsed"),
    "cagr_observed": _("Observed growth rate (CAGR)"), "projection": _("Projected value at the target year"),
    "shortfall_share": _("Shortfall as share of the gap"), "mean_annual_change": _("Mean annual change"),
    "base_value_used": _("Base value used"), "current_value_used": _("Current value used"),
    "baseline_source": _("Source of the base value"), "parity_transform": _("Falling target mirrored"),
    "sign": _("Sign of the direction"), "target_value_used": _("Target value used"),
    "thresholds": _("Thresholds of the status"),
    # Components and threshold names the methods report beyond the primary ones (algorithms.progress), and the
    # words some of them take as values: every key a page can show has a label, so no code reaches a page.
    "baseline_ignored": _("Base value not used"), "gap": _("Remaining gap to the target"),
    "growth": _("Growth per year"), "limit_factor": _("Share of the way to the natural limit"),
    "natural_limit_applies": _("Natural limit applied"), "natural_limit_ignored": _("Natural limit"),
    "shortfall": _("Shortfall of the projection"), "target_time_passed": _("Target year has passed"),
    "variant": _("Variant of the method"), "window_points": _("Values in the window"),
    "window_size": _("Size of the window"), "window_start_time": _("Window starts in"),
    "years_to_target": _("Years until the target year"), "zero_base_replaced": _("Base value 0 replaced"),
    "zero_target_replaced": _("Target value 0 replaced"), "achieved": STATUS_LABELS["achieved"],
    "limited": STATUS_LABELS["limited_progress"], "significant_progress": _("Significant progress"),
    "moderate_progress": _("Moderate progress"), "insufficient_progress": _("Insufficient progress"),
    "moderate_movement_away": _("Moderate movement away from the target"), "sun": _("Sun"),
    "slightly_cloudy": _("Slightly cloudy"),
}
PRIMARY_COMPONENTS = ["base_time", "base_value", "current_time", "current_value", "target_time", "target_value",
                      "years_elapsed", "cagr_observed", "cagr_required", "growth_rate", "ratio", "achievement",
                      "time_share", "mean_annual_change", "projection", "shortfall_share"]
VALUE_LABELS = {"with_target": _("with a target"), "without_target": _("without a target")}

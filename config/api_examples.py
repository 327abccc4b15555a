"""One example request for every read operation of the public API, shown in its OpenAPI description as
"Example: `GET …`" (operations that carry their own example keep it). The slugs are those of the Berlin strategy
and its example monitoring data (`data/`); `tests/api/test_documented_examples.py` requests every example and
checks the answer against the documented response schema."""

EXAMPLES = {
    "kompass_strategy_api_get_strategy": "/api/v1/strategy",
    "kompass_organisations_api_list_organisations": "/api/v1/organisations?limit=20",
    "kompass_measures_api_list_measures": "/api/v1/measures?q=sensoren&limit=10",
    "kompass_measures_api_get_measure": "/api/v1/measures/bodenfeuchte-sensoren-strassenbaeume",
    "kompass_lifecycle_api_list_phases": "/api/v1/phases",
    "kompass_lifecycle_api_measure_phase": "/api/v1/measures/bodenfeuchte-sensoren-strassenbaeume/phase",
    "kompass_lifecycle_api_list_candidates": "/api/v1/candidates?limit=20",
    "kompass_lifecycle_api_get_candidate": "/api/v1/candidates/{slug}",
    "kompass_lifecycle_api_list_decisions": "/api/v1/decisions?limit=20",
    "kompass_lifecycle_api_list_lessons": "/api/v1/lessons?limit=20",
    "kompass_monitoring_api_get_indicator": "/api/v1/monitoring/indicators/bsp-sensoren-installiert",
    "kompass_participation_api_list_ideas": "/api/v1/ideas?limit=20",
    "kompass_participation_api_get_idea": "/api/v1/ideas/{idea_id}",
    "kompass_participation_api_list_comments": "/api/v1/ideas/{idea_id}/comments",
    "kompass_participation_api_list_consultations": "/api/v1/consultations",
    "kompass_participation_api_get_consultation": "/api/v1/consultations/{slug}",
    "kompass_participation_api_get_opinion_map": "/api/v1/consultations/{slug}/opinion-map",
    "kompass_lottery_api_panel_audit": "/api/v1/lottery/panels/{slug}/audit",
}


def add_examples(schema: dict) -> dict:
    """Write the example of each read operation into its description (once)."""
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            example = EXAMPLES.get(operation.get("operationId", "")) if method == "get" else None
            if example and "Example: `" not in operation.get("description", ""):
                text = operation.get("description", "") or operation.get("summary", "")
                operation["description"] = f"{text}\n\nExample: `GET {example}`".strip()
    return schema

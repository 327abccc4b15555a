"""Health, readiness, metrics and structured logs (issue 12)."""

import json
import logging

import pytest
from django.test import override_settings

from kompass.ops import health, requestid
from kompass.ops.logs import JsonFormatter


@pytest.mark.django_db
def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db
def test_readyz_reports_each_check(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_fails_without_database(client, monkeypatch):
    def broken():
        raise RuntimeError("connection refused")

    monkeypatch.setattr(health, "_database", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error: RuntimeError"


@pytest.mark.django_db
def test_readyz_is_degraded_but_ready_without_cache(client, monkeypatch):
    def broken():
        raise ConnectionError("redis down")

    monkeypatch.setattr(health, "_cache", broken)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


@pytest.mark.django_db
def test_metrics_count_requests_by_view_and_report_queue(client):
    client.get("/values/")
    client.get("/values/")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    text = response.content.decode()
    line = next(li for li in text.splitlines() if li.startswith("kompass_http_requests_total{")
                and 'view="portal:values"' in li and 'status="200"' in li)
    assert float(line.rsplit(" ", 1)[1]) >= 2
    assert 'kompass_http_request_duration_seconds_bucket{le="0.005",view="portal:values"}' in text
    assert 'kompass_jobs{status="queued"}' in text
    assert "kompass_task_queue_oldest_age_seconds" in text
    assert "kompass_state_up 1.0" in text


@pytest.mark.django_db
def test_metrics_refused_from_elsewhere_unless_token(client):
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    with override_settings(KOMPASS_METRICS_TOKEN="s3cret-token"):
        assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
        ok = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-token")
        assert ok.status_code == 200
        assert client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403


def test_json_formatter_writes_one_json_object_with_request_id():
    record = logging.LogRecord("kompass.test", logging.WARNING, __file__, 1, "hallo %s", ("Welt",), None)
    token = requestid.bind("abc123def456")
    try:
        requestid.RequestIdFilter().filter(record)
    finally:
        requestid.unbind(token)
    data = json.loads(JsonFormatter().format(record))
    assert data["message"] == "hallo Welt"
    assert data["level"] == "WARNING" and data["logger"] == "kompass.test"
    assert data["request_id"] == "abc123def456"
    # UTC with its offset, the same instant as the record (the process itself runs in Europe/Berlin)
    from datetime import datetime

    stamp = datetime.fromisoformat(data["time"])
    assert stamp.utcoffset().total_seconds() == 0
    assert abs(stamp.timestamp() - record.created) < 0.001


@pytest.mark.django_db
def test_request_log_line_carries_the_request_id(client, caplog):
    with override_settings(KOMPASS_REQUEST_LOG=True), caplog.at_level(logging.INFO, logger="kompass.request"):
        response = client.get("/values/", HTTP_X_REQUEST_ID="proxy-given-id-0001")
        bad = client.get("/values/", HTTP_X_REQUEST_ID="evil id\nwith newline")
    assert response["X-Request-ID"] == "proxy-given-id-0001"
    assert bad["X-Request-ID"] != "evil id\nwith newline" and len(bad["X-Request-ID"]) == 32
    records = [r for r in caplog.records if r.name == "kompass.request"]
    first = records[0]
    assert first.request_id == "proxy-given-id-0001"
    assert (first.method, first.path, first.status, first.view) == ("GET", "/values/", 200, "portal:values")
    assert first.duration_ms >= 0

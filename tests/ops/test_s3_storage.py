"""Media on S3-compatible object storage through django-storages, against moto's server mode (issue 12)."""


import pytest
from django.core.files.base import ContentFile

from tests.ops.tools import free_port


@pytest.fixture
def s3(monkeypatch):
    moto_server = pytest.importorskip("moto.server")
    import boto3

    port = free_port(18800)
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    for key, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                       "AWS_DEFAULT_REGION": "eu-central-1"}.items():
        monkeypatch.setenv(key, value)
    import uuid

    endpoint = f"http://127.0.0.1:{port}"
    bucket = f"kompass-media-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1").create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    yield endpoint, bucket
    server.stop()


def _settings_for(endpoint: str, bucket: str) -> dict:
    """What config/settings.py builds for MEDIA_STORAGE=s3 (same code path, evaluated with this environment)."""
    import os
    import runpy

    env = {"MEDIA_STORAGE": "s3", "AWS_S3_ENDPOINT_URL": endpoint, "AWS_STORAGE_BUCKET_NAME": bucket,
           "AWS_S3_REGION_NAME": "eu-central-1"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return runpy.run_path(str(__import__("config.settings").settings.__file__))["STORAGES"]
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.mark.django_db
def test_media_files_round_trip_through_s3(s3, settings):
    import boto3
    from django.core.files.storage import storages

    endpoint, bucket = s3
    settings.STORAGES = _settings_for(endpoint, bucket)
    assert settings.STORAGES["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    storage = storages["default"]
    name = storage.save("jobs/2026/12/bericht.pdf", ContentFile(b"%PDF-1.4 Bericht"))
    assert name == "jobs/2026/12/bericht.pdf"
    assert storage.exists(name)
    with storage.open(name, "rb") as fh:
        assert fh.read() == b"%PDF-1.4 Bericht"
    assert storage.save(name, ContentFile(b"zweite")) != name  # never overwrites another upload
    url = storage.url(name)
    assert url.startswith(f"{endpoint}/{bucket}/media/") and ("Signature=" in url)  # signed URLs only
    objects = boto3.client("s3", endpoint_url=endpoint, region_name="eu-central-1").list_objects_v2(Bucket=bucket)
    assert "media/jobs/2026/12/bericht.pdf" in {o["Key"] for o in objects["Contents"]}
    storage.delete(name)
    assert not storage.exists(name)


@pytest.mark.django_db
def test_job_result_file_is_stored_in_s3(s3, settings):
    from django.core.files.storage import storages

    from kompass.jobs.models import Job

    settings.STORAGES = _settings_for(*s3)
    job = Job.objects.create(kind="test", title="Bericht")
    job.result_file.save("bericht.csv", ContentFile(b"a;b\n1;2\n"), save=True)
    job.refresh_from_db()
    assert storages["default"].exists(job.result_file.name)
    assert job.result_file.open("rb").read() == b"a;b\n1;2\n"

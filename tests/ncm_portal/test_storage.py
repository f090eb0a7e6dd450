"""Media on local disk by default or in an S3-compatible bucket: the switch, and that the portal
needs no file paths, so files still go out only through its permission-checking views."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import InMemoryStorage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils._os import safe_join

ROOT = Path(__file__).resolve().parents[2]

SHOW = (
    "import django, json; django.setup(); "
    "from django.core.files.storage import storages; d = storages['default']; "
    "print(json.dumps([type(d).__module__ + '.' + type(d).__name__, "
    "getattr(d, 'bucket_name', None), getattr(d, 'endpoint_url', None), "
    "getattr(d, 'location', None), getattr(d, 'querystring_auth', None), "
    "getattr(d, 'default_acl', 'n/a'), getattr(d, 'file_overwrite', None), "
    "getattr(d, 'region_name', None)]))"
)


def _settings_with(**variables):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "NCM_MEDIA"))
    }
    environment.update(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="ncm_portal.settings", **variables)
    return subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_local_disk_is_the_default():
    result = _settings_with()
    assert result.returncode == 0, result.stderr
    backend = json.loads(result.stdout.strip().splitlines()[-1])[0]
    assert backend == "django.core.files.storage.filesystem.FileSystemStorage"


def test_the_switch_selects_a_private_s3_bucket_without_touching_the_network():
    result = _settings_with(
        NCM_MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="ncm-media",
        AWS_S3_ENDPOINT_URL="https://objects.ministry.example",
        AWS_S3_REGION_NAME="eu-west-1",
        AWS_ACCESS_KEY_ID="key-id",
        AWS_SECRET_ACCESS_KEY="secret",
        AWS_LOCATION="portal",
        # No proxy, no credentials file: any network access would fail the import below.
        AWS_CONFIG_FILE="/nonexistent",
        AWS_SHARED_CREDENTIALS_FILE="/nonexistent",
    )
    assert result.returncode == 0, result.stderr
    backend, bucket, endpoint, location, signed, acl, overwrite, region = json.loads(
        result.stdout.strip().splitlines()[-1]
    )
    assert backend == "storages.backends.s3.S3Storage"
    assert (bucket, endpoint, location, region) == (
        "ncm-media",
        "https://objects.ministry.example",
        "portal",
        "eu-west-1",
    )
    # No public-read ACL; any address ever produced is signed; nothing is overwritten.
    assert acl is None and signed is True and overwrite is False


def test_an_unknown_storage_or_a_bucket_without_a_name_is_refused():
    result = _settings_with(NCM_MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "NCM_MEDIA_STORAGE must be 'local' or 's3'" in result.stderr
    result = _settings_with(NCM_MEDIA_STORAGE="s3", AWS_STORAGE_BUCKET_NAME="")
    assert result.returncode != 0
    assert "NCM_MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


class PathlessStorage(InMemoryStorage):
    """Files kept in memory, with no path on disk: as on object storage."""

    def path(self, name):
        raise NotImplementedError("This backend doesn't support absolute paths.")

    def _relative_path(self, name):  # the in-memory tree's own bookkeeping, without path()
        return os.path.relpath(safe_join(self.location, name), self.location)


@pytest.fixture
def pathless_storage(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.ncm_portal.test_storage.PathlessStorage"},
    }
    storages._storages.pop("default", None)
    yield storages["default"]
    storages._storages.pop("default", None)


@pytest.mark.django_db
def test_datasets_are_read_and_documents_served_without_file_paths(
    client, pathless_storage, focal_point, institution, secretariat, member
):
    from coordination import services
    from inventories.models import CustomsRecord
    from tests.inventories.helpers import csv_bytes, customs_row, receive

    with pytest.raises(NotImplementedError):
        pathless_storage.path("anything")
    version = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    assert version.status == "validated", version.error
    assert CustomsRecord.objects.filter(version=version).count() == 2
    assert pathless_storage.exists(version.raw_file.name)

    body = services.body_create(actor=secretariat, name="Secretariat only", kind="technical")
    document = services.document_upload(
        actor=secretariat,
        title="Draft",
        category="report",
        audience="secretariat",
        file=SimpleUploadedFile("draft.pdf", b"%PDF-1.7 draft"),
        language="en",
        body=body,
    )
    url = reverse("coordination:document-download", args=[document.pk, 1])
    client.force_login(secretariat)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.7 draft"
    # Through the portal, so its audience still applies.
    client.force_login(member)
    assert client.get(url).status_code == 403

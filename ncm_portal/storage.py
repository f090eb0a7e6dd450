"""Where uploaded and rendered files live: local disk by default, an S3-compatible bucket with
``NCM_MEDIA_STORAGE=s3`` (see settings). Code reads files through the storage API; the few
readers that need a real path (the dataset reader) ask :func:`local_path` for one."""

import os
import shutil
import tempfile
from contextlib import contextmanager

COPY_CHUNK = 1024 * 1024


@contextmanager
def local_path(field_file):
    """A path on this machine for a stored file while the block runs: the file itself on local
    disk, otherwise a temporary copy fetched from the storage and removed afterwards."""
    try:
        path = field_file.path
    except NotImplementedError:  # object storage has no paths
        path = None
    if path is not None:
        yield path
        return
    suffix = os.path.splitext(field_file.name)[1]
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="ncm-") as copy:
        with field_file.storage.open(field_file.name, "rb") as source:
            shutil.copyfileobj(source, copy, COPY_CHUNK)
        copy.flush()
        yield copy.name

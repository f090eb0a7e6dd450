from inventories.ingest.progress import progress_get

from .datasets import (
    dataset_receive,
    find_duplicate,
    schedule_save,
    token_authenticate,
    token_create,
    token_revoke,
    version_confirm_replacement,
    version_map_columns,
    version_retry,
    version_review,
)
from .ingest import rejected_rows_csv, resume_stalled, version_process

__all__ = [
    "dataset_receive",
    "find_duplicate",
    "progress_get",
    "rejected_rows_csv",
    "resume_stalled",
    "schedule_save",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "version_confirm_replacement",
    "version_map_columns",
    "version_process",
    "version_retry",
    "version_review",
]

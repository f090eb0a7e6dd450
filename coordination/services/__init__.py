"""Every write of the coordination app: the registry, workplans and progress, reminders."""

from .registry import (
    body_create,
    body_secretariat,
    body_set_secretariat,
    body_update,
    designation_create,
    designation_end,
    focal_point_permissions_sync,
    institution_create,
    institution_update,
    membership_add,
    membership_change_role,
    membership_end,
    person_create,
    person_update,
)

__all__ = [
    "body_create",
    "body_secretariat",
    "body_set_secretariat",
    "body_update",
    "designation_create",
    "designation_end",
    "focal_point_permissions_sync",
    "institution_create",
    "institution_update",
    "membership_add",
    "membership_change_role",
    "membership_end",
    "person_create",
    "person_update",
]

from .workplans import (  # noqa: E402
    activity_create,
    progress_report_submit,
    revision_adopt,
    revision_circulate,
    revision_draft,
    round_close,
    round_open,
    task_create,
    task_update,
    workplan_create,
    workplan_snapshot,
)

__all__ += [
    "activity_create",
    "progress_report_submit",
    "revision_adopt",
    "revision_circulate",
    "revision_draft",
    "round_close",
    "round_open",
    "task_create",
    "task_update",
    "workplan_create",
    "workplan_snapshot",
]

from .reminders import (  # noqa: E402
    notification_mark_read,
    preferences_set,
    reminders_due,
    send_digests,
    send_due_reminders,
)

__all__ += [
    "notification_mark_read",
    "preferences_set",
    "reminders_due",
    "send_digests",
    "send_due_reminders",
]

from .meetings import (  # noqa: E402
    action_item_add,
    agenda_item_add,
    attendance_record,
    calendar_token_renew,
    calendar_token_revoke,
    document_add_version,
    document_circulate,
    document_mark_read,
    document_upload,
    external_event_save,
    invitees,
    meeting_cancel,
    meeting_convene,
    meeting_create,
    meeting_mark_held,
    meeting_update,
    minutes_approve,
    minutes_circulate,
    minutes_item_update,
    minutes_open,
    reply_record,
)

__all__ += [
    "action_item_add",
    "agenda_item_add",
    "attendance_record",
    "calendar_token_renew",
    "calendar_token_revoke",
    "document_add_version",
    "document_circulate",
    "document_mark_read",
    "document_upload",
    "external_event_save",
    "invitees",
    "meeting_cancel",
    "meeting_convene",
    "meeting_create",
    "meeting_mark_held",
    "meeting_update",
    "minutes_approve",
    "minutes_circulate",
    "minutes_item_update",
    "minutes_open",
    "reply_record",
]

from .accounts import (  # noqa: E402
    account_role_sync,
    invitation_accept,
    invitation_revoke,
    invitation_send,
)

__all__ += ["account_role_sync", "invitation_accept", "invitation_revoke", "invitation_send"]

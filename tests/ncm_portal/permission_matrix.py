# ruff: noqa: E501 - the matrix reads best one aligned row per URL.
"""Who may open what: the expected answer of every URL pattern of the portal to every role.

Read by ``test_permission_matrix.py``. Each row gives, for one URL name and one method, the status
for the seven roles in the order of ``ROLES``:

    anonymous   nobody signed in
    viewer      the Viewer role (read-only)
    member      the Member role: the principal representative of institution A in the NCM
    focal_point the Focal point of institution A (A sits in the NCM; every object in a URL that
                belongs to an institution belongs to A)
    other_focal_point  the Focal point of institution B (B does not sit in the NCM)
    secretariat the Secretariat role, serving the NCM and the NIP committees
    administrator  a superuser in the Administrator group

A status is an HTTP status code, or LOGIN: a redirect to the sign-in page
(``/accounts/login/?next=...``). A 302 is any other redirect (a form or button that did its work,
or refused with a message, and sends the user back to a page).

Every URL gets a GET. A view that only accepts POST also gets a POST, with no data or with the
minimal data that reaches its permission check (see ``POST_DATA`` in the test module); a GET
there answers 405.

Anonymous visitors go to the sign-in page except on the public pages: sign-in, password reset,
the health check, the language switch, the iCalendar feeds (a secret token in the address stands
in for the session) and the dataset API (a key in the Authorization header stands in for it).

To add a URL: add its row here (and its objects in ``PK_OF`` / ``OTHER_KWARGS`` of the test
module if it takes arguments). Write the status the page *should* answer; if the portal answers
otherwise and the page is wrong, add the case to ``XFAIL`` with the reason.
"""

LOGIN = "login"

ROLES = (
    "anonymous",
    "viewer",
    "member",
    "focal_point",
    "other_focal_point",
    "secretariat",
    "administrator",
)

# URL patterns left out of the matrix, by the start of their route:
# - the Django admin site: its own login and permission system (is_staff, model permissions),
#   not the portal's pages; tests/coordination/test_login_required.py covers its sign-in.
# Static files are served by WhiteNoise's middleware and media files only through portal views
# (document, letter and dataset downloads), so neither has a URL pattern to leave out.
EXCLUDED_PREFIXES = ("admin/",)

# fmt: off
_TABLE = {
    # --- Public pages ---------------------------------------------------------------------------
    #                                     anon   viewer member fp     fp(B)  secr   admin
    "healthz":                   {"GET": (200,   200,   200,   200,   200,   200,   200)},
    "set_language":              {"GET": (302,   302,   302,   302,   302,   302,   302)},
    "login":                     {"GET": (200,   200,   200,   200,   200,   200,   200)},
    # The code page after the password: with no sign-in waiting for a code, back to sign-in.
    "login-code":                {"GET": (302,   302,   302,   302,   302,   302,   302)},
    "password_reset":            {"GET": (200,   200,   200,   200,   200,   200,   200)},
    "password_reset_done":       {"GET": (200,   200,   200,   200,   200,   200,   200)},
    # A valid link moves the token into the session and redirects to the set-password form.
    "password_reset_confirm":    {"GET": (302,   302,   302,   302,   302,   302,   302)},
    "password_reset_complete":   {"GET": (200,   200,   200,   200,   200,   200,   200)},
    # An invitation's link: a page that says whether the link still works, for whoever opens it.
    "invitation-accept":         {"GET": (200,   200,   200,   200,   200,   200,   200)},
    "calendar-public":           {"GET": (200,   200,   200,   200,   200,   200,   200)},
    # The member's own feed address: the token is the credential, whoever asks.
    "calendar-feed":             {"GET": (200,   200,   200,   200,   200,   200,   200)},
    # The API answers to a key, never to a session (the keys are in TOKEN_CASES below).
    "inventories:api-push":      {"GET": (405,   405,   405,   405,   405,   405,   405),
                                  "POST": (401,  401,   401,   401,   401,   401,   401)},
    "inventories:api-version":   {"GET": (401,   401,   401,   401,   401,   401,   401)},
    "inventories:api-openapi":   {"GET": (200,   200,   200,   200,   200,   200,   200)},

    # --- The signed-in user's own account -------------------------------------------------------
    #                                     anon   viewer member fp     fp(B)  secr   admin
    "logout":                    {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                  "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "profile":                   {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "password_change":           {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "password_change_done":      {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    # Two-step sign-in is offered to the secretariat and administrators only. Backup codes are
    # shown once, right after they are made (a plain GET finds none and goes back); turning it
    # off needs a code (none sent: refused with a message).
    "two-factor":                {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "two-factor-setup":          {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "two-factor-backup-codes":   {"GET": (LOGIN, 403,   403,   403,   403,   302,   302)},
    "two-factor-disable":        {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                  "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},

    # --- Coordination: the registry -------------------------------------------------------------
    # Everyone signed in reads the registry; the secretariat keeps it; a focal point edits their
    # own institution (A) and its contacts; the secretariat changes only the bodies it serves.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:dashboard":                 {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:institution-list":          {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:institution-create":        {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:institution-detail":        {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:institution-update":        {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "coordination:person-create":             {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "coordination:designation-create":        {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:person-detail":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:person-update":             {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    # Only the secretariat invites; the delegate already signs in, so it answers with a message.
    "coordination:person-invite":             {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:person-invitation-revoke":  {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:designation-end":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:designation-letter":        {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:body-list":                 {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:body-create":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:body-detail":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:body-update":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:body-terms-of-reference":   {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:membership-create":         {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:membership-end":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:membership-role":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:membership-letter":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:convention-list":           {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:mandate-matrix":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- Coordination: workplans, tasks, revisions, progress rounds -----------------------------
    # Everyone signed in reads plans; whoever manages the body (its secretariat) changes them;
    # the lead institution's focal point (and the secretariat) reports progress on a task.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:workplan-list":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:workplan-create":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:workplan-detail":           {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:workplan-print":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:workplan-export":           {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:activity-create":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:activity-tasks":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:task-create":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:task-list":                 {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:task-detail":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:task-update":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:revision-draft":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:revision-compare":          {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:revision-detail":           {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:revision-circulate":        {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    # The draft is not circulated yet: the secretariat is refused with a message (302).
    "coordination:revision-adopt":            {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:round-create":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:round-detail":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:round-close":               {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:progress-report-create":    {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "coordination:scorecard":                 {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:workplan-scorecard":        {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- Coordination: meetings and minutes -----------------------------------------------------
    # Everyone signed in reads meetings and minutes; the body's secretariat runs them. A reply is
    # the invited person's own (the member here) or the secretariat's on their behalf.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:meeting-list":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:meeting-create":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:meeting-detail":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:meeting-join":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:meeting-update":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:meeting-convene":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:meeting-cancel":            {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    # The meeting is ahead: the secretariat is told it cannot be held yet (302).
    "coordination:meeting-held":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:meeting-ics":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:agenda-create":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:reply-create":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  302,   403,   403,   302,   302)},
    "coordination:attendance-save":           {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:minutes-open":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:minutes-detail":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:minutes-circulate":         {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:minutes-approve":           {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:minutes-item-save":         {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:action-create":             {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},

    # --- Coordination: documents ----------------------------------------------------------------
    # The document in the URLs is for the NCM's members: institution A's people (the member and
    # A's focal point) and the secretariat see it; the viewer and B's focal point do not.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:document-list":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:document-create":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:document-detail":           {"GET": (LOGIN, 403,   200,   200,   403,   200,   200)},
    "coordination:document-download":         {"GET": (LOGIN, 403,   200,   200,   403,   200,   200)},
    "coordination:document-version-create":   {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:document-circulate":        {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},

    # --- Coordination: calendar -----------------------------------------------------------------
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:calendar":                  {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:calendar-day":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:calendar-feeds":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:calendar-token-renew":      {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "coordination:calendar-token-revoke":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "coordination:event-create":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},

    # --- Coordination: ballots ------------------------------------------------------------------
    # The open ballot's electorate is institution A, represented by the member. The POST names
    # A's elector: the member's vote is cast (200, the receipt); a focal point, who is no voter
    # for A, is sent back to the ballot (302); a user with no person record is refused (403).
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:ballot-list":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:ballot-create":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:ballot-detail":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:ballot-vote":               {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  200,   302,   302,   403,   403)},
    # Already open: the secretariat is told so (302).
    "coordination:ballot-open":               {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "coordination:ballot-cancel":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:ballot-close-early":        {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "coordination:ballot-record":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- Coordination: notifications -------------------------------------------------------------
    # The notification in the URL is the member's; anyone else opening it marks nothing and is
    # sent to their own list.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:notification-list":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "coordination:notification-open":         {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "coordination:notification-read-all":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "coordination:notification-preferences":  {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- NIP cycles -----------------------------------------------------------------------------
    # Everyone signed in who may see bodies reads; the secretariat serving the lead body manages;
    # the one serving the technical committee reviews; the people of the lead body's member
    # institutions (A: the member and A's focal point) comment in the open consultation.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "nip_lifecycle:cycle-list":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:cycle-create":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:cycle-detail":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:amendment-add":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:cycle-deadline":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:priority-detail":          {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:criteria-weights":         {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:issue-add":                {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:issue-score":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:objective-add":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:cycle-workplan":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:action-add":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:draft-detail":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:section-add":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:section-revise":           {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:consultation-detail":      {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:consultation-toggle":      {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    # Comments come from member institutions, not from the secretariat or the administrator.
    "nip_lifecycle:comment-add":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  302,   302,   403,   403,   403)},
    "nip_lifecycle:comment-resolve":          {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:transmission-record":      {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:package-request":          {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:package-progress":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:package-download":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:step-detail":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "nip_lifecycle:step-update":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:step-start":               {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:step-submit":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:step-review":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:step-approve":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:step-complete":            {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:checklist-add":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:checklist-mark":           {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "nip_lifecycle:deliverable-add":          {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "nip_lifecycle:deliverable-attach":       {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},

    # --- Inventories: datasets ------------------------------------------------------------------
    # A dataset's rows, rejected rows and raw file: its institution (A's focal point), the
    # secretariat (uploads for anyone, reviews) and the administrator. Upload and API keys: a
    # focal point for their own institution (so B's focal point too, for B).
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "inventories:index":                      {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:type-detail":                {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:type-template":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:upload":                     {"GET": (LOGIN, 403,   403,   200,   200,   200,   200)},
    "inventories:dataset-list":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:dataset-detail":             {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "inventories:version-detail":             {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "inventories:version-progress":           {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    # The version needs no mapping: those who may map it are sent back to it (302).
    "inventories:version-map":                {"GET": (LOGIN, 403,   403,   302,   403,   302,   302)},
    "inventories:version-retry":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   302,   302)},
    # The version is not held back: those who may confirm are sent back to it with a message.
    "inventories:version-confirm-replacement": {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   302,   302)},
    # .../review/submit/: the institution (or the secretariat for it) submits for review.
    "inventories:version-review":             {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   302,   302)},
    "inventories:version-rejected":           {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "inventories:version-raw":                {"GET": (LOGIN, 403,   403,   200,   403,   200,   200)},
    "inventories:version-rows":               {"GET": (LOGIN, 403,   403,   404,   403,   404,   404)},  # no ?n=: no rows named
    "inventories:review-queue":               {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:schedule-list":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:schedule-create":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:schedule-edit":              {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:token-list":                 {"GET": (LOGIN, 403,   403,   200,   200,   200,   200)},
    "inventories:token-revoke":               {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   302,   302)},

    # --- Inventories: reference data the secretariat keeps, read by everyone signed in ----------
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "inventories:national-code-list":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:national-code-create":       {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:national-code-edit":         {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:emission-factor-list":       {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:emission-factor-create":     {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:emission-factor-edit":       {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:emission-factor-import":     {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "inventories:chemical-list":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:chemical-detail":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:hs-code-list":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- Inventories: what accepted data says, read by everyone signed in ------------------------
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "inventories:data-customs":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:data-customs-lines":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:data-monitoring":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:data-pcb":                   {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:data-waste-movements":       {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "inventories:data-releases":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- The audit history: who changed what, for the secretariat and administrators ----------------
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "coordination:audit-log":                 {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},

    # --- Reporting ------------------------------------------------------------------------------
    # The performance report names institutions that miss meetings and deadlines: for those who
    # run the mechanism and its members, not for viewers.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "reporting:performance":                  {"GET": (LOGIN, 403,   200,   200,   200,   200,   200)},
    "reporting:performance-pdf":              {"GET": (LOGIN, 403,   200,   200,   200,   200,   200)},
    "reporting:performance-obligations":      {"GET": (LOGIN, 403,   200,   200,   200,   200,   200)},

    # --- Article 15 national reports --------------------------------------------------------------
    # Everyone signed in reads them; the secretariat and administrators run them; section B-II is
    # assigned to institution A, whose focal point alone answers and submits it; only the person
    # designated as official contact point approves (nobody here). POST-only views answer 405 to
    # a GET.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "reporting:article15-list":               {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:article15-detail":             {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:article15-section":            {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:article15-start":              {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:national-report-list":         {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:national-report-start":        {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:article15-prefill":            {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:article15-approve":            {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   403,   403)},
    "reporting:article15-mark-submitted":     {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "reporting:article15-correct":            {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "reporting:article15-assign":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "reporting:article15-answer":             {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   403,   302)},
    "reporting:article15-group-attribute":    {"GET": (LOGIN, 403,   403,   404,   403,   403,   404)},
    "reporting:article15-group-withdraw":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   404,   403,   403,   404)},
    "reporting:article15-section-submit":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   302,   403,   403,   302)},
    "reporting:article15-section-review":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:article15-output-request":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 302,  302,   302,   302,   302,   302)},
    "reporting:article15-output-status":      {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:article15-output-download":    {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},

    # --- Obligations under the conventions ----------------------------------------------------------
    # Everyone signed in reads them; the secretariat and administrators plan them, open Rotterdam
    # obligations and record any as met (nobody here holds a convention role). The import response
    # is being prepared: nobody may approve or transmit it yet.
    #                                                  anon   viewer member fp     fp(B)  secr   admin
    "reporting:obligations":                  {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:obligations-convention":       {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:obligations-plan":             {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:obligations-open":             {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "reporting:obligations-complete":         {"GET": (LOGIN, 403,   403,   403,   403,   200,   200)},
    "reporting:import-response":              {"GET": (LOGIN, 200,   200,   200,   200,   200,   200)},
    "reporting:import-response-draft":        {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
    "reporting:import-response-approve":      {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   403,   403)},
    "reporting:import-response-transmit":     {"GET": (LOGIN, 405,   405,   405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   403,   403)},
    "reporting:import-response-export-notification": {"GET": (LOGIN, 405, 405, 405,   405,   405,   405),
                                               "POST": (LOGIN, 403,  403,   403,   403,   302,   302)},
}
# fmt: on

MATRIX: dict[str, dict[str, dict[str, int | str]]] = {
    name: {method: dict(zip(ROLES, row, strict=True)) for method, row in methods.items()}
    for name, methods in _TABLE.items()
}

# Requests that carry no session but a credential of their own: (case, URL name, method,
# credential, expected status). Credentials: "none", "key" (an API key of institution A, whose
# dataset version is in the URL), "other key" (an API key of institution B), "unknown token".
TOKEN_CASES = [
    ("api-version without a key", "inventories:api-version", "GET", "none", 401),
    ("api-version with the institution's key", "inventories:api-version", "GET", "key", 200),
    (
        "api-version with another institution's key",
        "inventories:api-version",
        "GET",
        "other key",
        404,
    ),
    ("api-push without a key", "inventories:api-push", "POST", "none", 401),
    ("api-push with a key but no file", "inventories:api-push", "POST", "key", 400),
    ("calendar-feed with an unknown token", "calendar-feed", "GET", "unknown token", 404),
]

# (URL name, method, role) -> why the portal answers otherwise today. Each is a known bug: the
# case is marked xfail(strict=True), so fixing the page makes the mark fail and come out.
XFAIL: dict[tuple[str, str, str], str] = {}

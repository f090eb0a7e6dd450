"""Admin mixins every app may use: rows that are ended, never deleted, and rows that change
only through the portal's services."""


class NoDeleteMixin:
    """The registry is the mechanism's memory: rows are ended, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceOnlyMixin(NoDeleteMixin):
    """Rows with a life of their own (ballots, designations, memberships, meetings and their
    attendance, tasks, revisions, progress reports) change only through the portal's pages,
    whose services check permissions and state, lock, and write the audit trail. The admin shows
    them read-only: nothing here can open or close a ballot, end a designation or mark a task
    done around those checks."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NipLifecycleConfig(AppConfig):
    name = "nip_lifecycle"
    verbose_name = _("NIP review and update")

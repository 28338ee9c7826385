from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "saldo.staff"
    label = "staff"
    verbose_name = "Peran petugas"

    def ready(self) -> None:
        from saldo.staff.roles import roles_sync_after_migrate

        # The data migration made the groups; after every migrate (and after a test database is
        # flushed) they are made again if missing and get the permissions of models added since.
        post_migrate.connect(roles_sync_after_migrate, sender=self, dispatch_uid="saldo.staff.roles_sync")

from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import pre_save


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = "Workflow"

    def ready(self) -> None:
        from workflow.tokens import end_tokens_on_credential_change

        # A signal because Django's own forms and commands save users (see workflow.tokens).
        pre_save.connect(
            end_tokens_on_credential_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="workflow.end_tokens_on_credential_change",
        )

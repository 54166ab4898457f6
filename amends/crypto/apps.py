from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "amends.crypto"
    label = "crypto"
    verbose_name = "Encryption"

    def ready(self) -> None:
        # Importing the module registers the checks; a wrong key must stop the process
        # before the first request, not at the first decryption.
        from amends.crypto import checks  # noqa: F401

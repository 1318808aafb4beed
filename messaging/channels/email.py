from django.conf import settings
from django.core.mail import send_mail

from .base import Channel, ChannelError


class EmailChannel(Channel):
    """Django's mail backend (SMTP in production)."""

    kind = "email"

    def send(self, *, address, text, subject, template_key, values):
        if "@" not in address:
            raise ChannelError(f"not an e-mail address: {address}", retry=False)
        try:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
        except OSError as exc:  # SMTP down, refused: try again later
            raise ChannelError(f"{type(exc).__name__}: {exc}", retry=True)
        return ""

"""Real mail servers on 127.0.0.1 for the e-mail tests: an SMTP server (aiosmtpd) that keeps what
it accepts or refuses with the reply it is given, and a server that accepts connections and never
says a word (the client's timeout must end the attempt). Messages go through Django's real SMTP
backend to these; nothing of the sending path is mocked."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class Recorder:
    """The handler: ``refuse`` (e.g. ``"550 5.7.1 Not today"``) answers every DATA with it,
    ``refuse_recipients`` every RCPT."""

    received: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)
    refuse: str | None = None
    refuse_recipients: str | None = None
    try_later: int = 0  # answer this many DATA commands "451 try again later" first

    async def handle_RCPT(  # noqa: N802
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.refuse_recipients:
            return self.refuse_recipients
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.refuse:
            return self.refuse
        if self.try_later > 0:
            self.try_later -= 1
            return "451 4.3.0 Try again later"
        self.recipients.append(list(envelope.rcpt_tos))
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    host: str
    port: int
    recorder: Recorder

    @property
    def received(self) -> list[EmailMessage]:
        return self.recorder.received


@contextmanager
def smtp_server() -> Iterator[SmtpServer]:
    recorder = Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(host="127.0.0.1", port=port, recorder=recorder)
    finally:
        controller.stop()


@contextmanager
def silent_server() -> Iterator[int]:
    """A port whose server completes the TCP handshake (the kernel does, from the backlog) and
    never sends the SMTP greeting."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


def use_smtp(settings: Any, port: int, *, timeout: float = 5.0) -> None:
    """Point Django's real SMTP backend at 127.0.0.1:``port``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = timeout


def parts(message: EmailMessage) -> dict[str, Any]:
    """The text, HTML and attachments (filename -> text) of a received message."""
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    return {
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "attachments": attachments,
    }

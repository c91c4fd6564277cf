"""A real SMTP server on loopback (aiosmtpd) for the mail tests."""

from __future__ import annotations

import asyncio
import socket
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Inbox:
    """Collects what the server receives; can be told to refuse messages."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[Any] = []
        self.refuse = False
        self.hang = 0.0  # seconds to stall before answering, without taking the message

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 4.3.0 Try again later"
        if self.hang:
            await asyncio.sleep(self.hang)
            return "451 4.3.0 Took too long"
        self.envelopes.append(envelope)
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 OK"


class SMTPServer:
    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

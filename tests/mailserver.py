"""A real SMTP server on loopback (aiosmtpd) for the mail tests."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def text_body(message: Message) -> str:
    """The plain-text part of a received message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


class Inbox:
    """Collects what the server receives; can be told to refuse messages, to stall after a
    number of them, or to run a test's code while a sender waits for its answer. aiosmtpd's
    default limits hold: a line over 1,000 characters is refused ("500 Line too long")."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.envelopes: list[Any] = []
        self.refuse = False
        self.refused: list[Message] = []  # what a refusal turned away, to compare attempts
        self.hang = 0.0  # seconds to stall before answering, without taking the message
        # Take this many, then hold the next one unanswered until `release` is set.
        self.stall_after: int | None = None
        self.release = threading.Event()
        self.arrived = 0  # messages that reached the server, taken or not
        # Run (in a worker thread) with each message before the server takes it: a test acts
        # "while a batch is being sent".
        self.before_reply: Callable[[Message], None] | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.arrived += 1
        message = message_from_bytes(envelope.original_content)
        if self.refuse:
            self.refused.append(message)
            return "451 4.3.0 Try again later"
        loop = asyncio.get_running_loop()
        if self.stall_after is not None and len(self.messages) >= self.stall_after:
            await loop.run_in_executor(None, self.release.wait, 30)
        if self.before_reply is not None:
            await loop.run_in_executor(None, self.before_reply, message)
        if self.hang:
            await asyncio.sleep(self.hang)
            return "451 4.3.0 Took too long"
        self.envelopes.append(envelope)
        self.messages.append(message)
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

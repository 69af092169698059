"""An ``OutgoingMail`` row as an RFC 5322 message: text with an HTML alternative."""

from __future__ import annotations

import base64
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from api.models import OutgoingMail


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    # An address with non-ASCII letters (chloé@...) needs SMTPUTF8 (RFC 6531), not an
    # encoded word, which would make it a different address.
    is_ascii = mail.recipient.isascii() and sender.isascii()
    message = EmailMessage(policy=policy.default if is_ascii else policy.SMTPUTF8)
    message["From"] = sender
    message["To"] = mail.recipient
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(mail.created_dt)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(f"mail{mail.id}", domain=domain)
    # Tell auto-responders (RFC 3834) and our outbox which mail this is.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Clustermeet-Kind"] = mail.kind
    message["X-Clustermeet-Mail-Id"] = str(mail.id)
    for name, value in (mail.headers or {}).items():
        message[name] = value
    message.set_content(mail.text_body)
    if mail.html_body:
        message.add_alternative(mail.html_body, subtype="html")
    for attachment in mail.attachments or []:
        maintype, _, subtype = str(attachment["mimetype"]).partition("/")
        content = base64.b64decode(attachment["content"])
        message.add_attachment(
            content, maintype=maintype, subtype=subtype, filename=attachment["filename"]
        )
    # After the parts: making a message multipart moves Content-* headers into its first part.
    message["Content-Language"] = mail.language
    return message


def plain_address(recipient: str) -> str:
    """The bare address, for checks; raises ValueError on something that is not one."""
    address = Address(addr_spec=parseaddr(recipient)[1])
    if not address.username or not address.domain:
        raise ValueError(f"not an e-mail address: {recipient!r}")
    return address.addr_spec

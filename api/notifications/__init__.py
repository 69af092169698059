"""E-mail to participants and organisers.

A notification is rendered from Jinja templates (text and HTML, in the recipient's
language), stored as an ``OutgoingMail`` row in the transaction of the change it
reports, and sent after the commit by the background task ``clustermeet.send_mail``:
through SMTP when ``CLUSTERMEET_SMTP_HOST`` is set, otherwise as ``.eml`` files in the
instance folder's outbox (``clustermeet mail outbox`` reads them).
"""

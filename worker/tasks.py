"""Tasks take ids and call one function; the logic lives in ``api.solving``, ``api.webhooks``."""

from __future__ import annotations

from celery import Task, shared_task

from api.background.runner import BACKGROUND_QUEUE
from api.background.tasks import RetryLater
from api.notifications.delivery import SEND_MAIL_TASK, send_mail
from api.solving.execute import run_job
from api.solving.runner import RUN_JOB_TASK
from api.webhooks.delivery import DELIVER_TASK, deliver


# acks_late + reject_on_worker_lost: the message is acknowledged only after the job has
# finished, so a worker that dies mid-solve hands the job back to the broker, and
# run_job's one-transaction results make running it again safe.
@shared_task(name=RUN_JOB_TASK, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run_job_task(job_id: int) -> str:
    return run_job(job_id)


# The delivery names its own backoff (WEBHOOK_RETRY_BASE_S doubling), which the retry keeps.
@shared_task(
    name=DELIVER_TASK, bind=True, acks_late=True, ignore_result=True, queue=BACKGROUND_QUEUE
)
def deliver_webhook_task(self: Task, delivery_id: int) -> None:
    try:
        deliver(delivery_id)
    except RetryLater as exc:
        raise self.retry(countdown=exc.delay_s, max_retries=None) from exc


# The row counts attempts and stops raising RetryLater once it gives up, so Celery's own
# limit is only a backstop; the backoff doubles from 30 s up to 6 h, with jitter.
@shared_task(
    name=SEND_MAIL_TASK,
    acks_late=True,
    ignore_result=True,
    queue=BACKGROUND_QUEUE,
    autoretry_for=(RetryLater,),
    retry_backoff=30,
    retry_backoff_max=6 * 3600,
    retry_jitter=True,
    max_retries=None,
)
def send_mail_task(mail_id: int) -> str:
    return send_mail(mail_id)

"""``kai-match webhooks deliver``: send the outbox's due deliveries (cron, or a worker loop)."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from kai_match.cli.engine import configured_engine
from kai_match.config import get_settings

webhooks_app = typer.Typer(help="Webhook deliveries (docs/partners.md).", no_args_is_help=True)


@webhooks_app.command("purge")
def purge(
    days: Annotated[
        int | None,
        typer.Option(min=1, help="Keep this many days (default KAI_WEBHOOK_RETENTION_DAYS)"),
    ] = None,
) -> None:
    """Forget finished deliveries and their events older than the retention period."""
    from datetime import timedelta

    from sqlmodel import Session

    from kai_match.models.common import utcnow
    from kai_match.webhooks import outbox

    settings = get_settings()
    keep = days or settings.webhook_retention_days
    engine = configured_engine()
    try:
        with Session(engine) as session, session.begin():
            deliveries, events = outbox.purge(session, utcnow() - timedelta(days=keep))
    finally:
        engine.dispose()
    typer.echo(f"{deliveries} deliveries and {events} events older than {keep} days removed")


@webhooks_app.command("deliver")
def deliver(
    once: Annotated[
        bool, typer.Option("--once", help="Send what is due now, then exit (for cron)")
    ] = False,
) -> None:
    """Deliver due webhooks; without --once keep polling every KAI_WEBHOOK_POLL_SECONDS."""
    from kai_match.webhooks.dispatcher import Dispatcher
    from kai_match.webhooks.secret_box import SecretBox

    settings = get_settings()
    engine = configured_engine()
    dispatcher = Dispatcher(
        engine, settings, SecretBox(settings.webhook_secret_keys, engine=engine)
    )
    try:
        if once:
            typer.echo(f"{dispatcher.drain()} delivery attempts")
            return
        while True:
            if not dispatcher.run_once():
                time.sleep(settings.webhook_poll_seconds)
    finally:
        dispatcher.client.close()
        engine.dispose()

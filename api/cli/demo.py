from __future__ import annotations

import os
from contextlib import nullcontext

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select

from api.accounts.feeds import event_feed, reveal
from api.background.runner import ThreadBackgroundRunner, background_runner
from api.demo.build import build_demo_event, demo_participant_sign_in
from api.demo.outputs import write_outputs
from api.demo.report import (
    print_event_summary,
    print_recommendations,
    print_requests,
    print_schedules,
    print_web_sign_in,
)
from api.demo.scenarios import SCENARIOS, run_scenario
from api.demo.simulate import simulate_requests
from api.demo.solve import DemoStepFailed, baseline_figures, run_and_publish
from api.extensions import db
from api.models import Event, Organiser, OutgoingMail
from api.models.enums import JobKind


@click.command("demo")
@click.option(
    "--participants",
    "n_participants",
    default=None,
    type=click.IntRange(20, 5000),
    help="How many participants to register (default: 300, or the scenario's size).",
)
@click.option(
    "--scenario",
    type=click.Choice(sorted(SCENARIOS)),
    default=None,
    help="Build and run one kind of event instead of the default demo (see docs/events.md).",
)
@click.option(
    "--out",
    "out_dir",
    default="out",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Where to write the outputs.",
)
@click.option("--seed", default=2027, show_default=True, help="Seed of the generated event.")
@click.option(
    "--time-limit",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1, 600),
    help="Seconds for each solver.",
)
@with_appcontext
def demo(
    n_participants: int | None, scenario: str | None, out_dir: str, seed: int, time_limit: float
) -> None:
    """Build a realistic cluster event, match, schedule, and write the outputs."""
    from api import MIGRATIONS_DIR

    console = Console()
    # The demo's people have made-up addresses: its mail always goes to the outbox.
    current_app.config["SMTP_HOST"] = ""
    upgrade(directory=MIGRATIONS_DIR)
    if scenario is not None:
        _run_scenario(console, scenario, n_participants, seed, time_limit, out_dir)
        return
    runner = background_runner()
    # Mail waits until the demo's long transactions are done (SQLite has one writer).
    hold = runner.paused() if isinstance(runner, ThreadBackgroundRunner) else nullcontext()
    with hold:
        event_id, organiser_key = _run_demo(console, n_participants, out_dir, seed, time_limit)
    with console.status("Sending the demo's mail to the outbox..."):
        if isinstance(runner, ThreadBackgroundRunner):
            runner.join(timeout=600)
    _print_mail_and_links(console, event_id, organiser_key)


def _run_demo(
    console: Console, n_participants: int | None, out_dir: str, seed: int, time_limit: float
) -> tuple[int, str]:
    with console.status("Registering participants and building the programme..."):
        built = build_demo_event(n_participants or 300, seed)
        db.session.commit()
    event = built.event
    print_event_summary(console, event)

    with console.status("Recommending, requesting and answering..."):
        simulation = simulate_requests(event, seed)
        db.session.commit()
    print_recommendations(console, event, simulation.recommendations)
    print_requests(console, event)

    try:
        with console.status("Solving the agenda (sessions to rooms and times)..."):
            agenda = run_and_publish(event, JobKind.AGENDA, {"time_limit": time_limit})
        with console.status("Solving the meeting schedule (slots and tables)..."):
            meetings = run_and_publish(event, JobKind.MEETINGS, {"time_limit": time_limit})
    except DemoStepFailed as exc:
        raise click.ClickException(str(exc)) from exc
    print_schedules(console, agenda, meetings, baseline_figures(event))

    os.makedirs(out_dir, exist_ok=True)
    with console.status(f"Writing outputs to {out_dir}/ ..."):
        written = write_outputs(event, built.organiser_key, out_dir)
    console.rule("Outputs")
    console.print(
        f"{len(written.files)} files in {os.path.abspath(out_dir)}: agenda.frab.json, "
        "schedule.xml, ical/ (one calendar per participant), html/ (schedules, table plans, "
        "grid, statistics), exports/ (CSV and XLSX, the funders' report.xlsx), stats.json, "
        "instances/."
    )
    for failure in written.failures:
        console.print(f"[red]not written[/]: {failure}")
    return event.id, built.organiser_key


def _print_mail_and_links(console: Console, event_id: int, organiser_key: str) -> None:
    event = db.session.get(Event, event_id)
    assert event is not None
    organiser = db.session.get(Organiser, event.organiser_id)
    assert organiser is not None
    page_link = reveal(event_feed(event, organiser))
    db.session.commit()
    mails = db.session.scalar(select(func.count(OutgoingMail.id))) or 0
    outbox = current_app.config["MAIL_OUTBOX_DIR"]
    console.rule("Mail")
    console.print(
        f"{mails} mails (registration, requests, answers, published agendas with .ics) "
        f"written to {outbox}/.\nRead them with: [bold]clustermeet mail outbox[/] "
        "(then --show ID), or open the .eml files in any mail program."
    )
    console.print(
        f"\nDatabase: {current_app.config['SQLALCHEMY_DATABASE_URI']}\n"
        f"Organiser API key for this demo: [bold]{organiser_key}[/]\n"
        f"Try: clustermeet run, then open http://127.0.0.1:5000/api/docs (event id "
        f"{event.id}) or the printable pages by their page link, "
        f"http://127.0.0.1:5000/feeds/{page_link}/stats (also /grid)."
    )
    participant, token = demo_participant_sign_in(event)
    db.session.commit()
    print_web_sign_in(console, event, organiser_key, participant, token)


def _run_scenario(
    console: Console,
    name: str,
    n_participants: int | None,
    seed: int,
    time_limit: float,
    out_dir: str,
) -> None:
    spec = SCENARIOS[name]
    console.rule(f"Scenario {name}: {spec.title}")
    console.print(spec.description)
    with console.status("Building, matching and solving like an organiser..."):
        try:
            run = run_scenario(name, n_participants, seed, time_limit)
        except DemoStepFailed as exc:
            raise click.ClickException(str(exc)) from exc
    for step in run.steps:
        console.print(step)
    table = Table(title="What the organiser checks")
    table.add_column("figure")
    table.add_column("value", justify="right")
    for key, value in run.check.counts.items():
        table.add_row(key.replace("_", " "), str(value))
    console.print(table)
    if run.check.problems:
        for problem in run.check.problems[:50]:
            console.print(f"[red]problem[/]: {problem}")
        raise click.ClickException(f"{len(run.check.problems)} problems found")
    console.print(
        "[green]All checks hold[/]: no double booking, working hours, links, stands, rules."
    )
    os.makedirs(out_dir, exist_ok=True)
    with console.status(f"Writing outputs to {out_dir}/ ..."):
        written = write_outputs(run.built.event, run.built.organiser_key, out_dir)
    console.print(f"{len(written.files)} files in {os.path.abspath(out_dir)}")
    for failure in written.failures:
        console.print(f"[red]not written[/]: {failure}")

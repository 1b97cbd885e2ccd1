"""The command line (contract §3): parse flags, call the library, map results to exit codes.

No logic lives here: everything a command does is one import away in the library. Errors of
our own types become a one-line message and exit 2; anything unexpected becomes exit 3 (the
documents were not fully checked) with the exception's type only, never its message, which
could quote document text.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

from . import __version__
from .findings import FAIL_ON

EXIT_OK, EXIT_BLOCKED, EXIT_USAGE, EXIT_UNREADABLE = 0, 1, 2, 3


def _guard(fn: Callable[..., int]) -> Callable[..., None]:
    """Run a command body, turning our errors into messages and exit codes."""
    from functools import wraps

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from .errors import RedactguardError

        try:
            code = fn(*args, **kwargs)
        except RedactguardError as exc:
            click.echo(f"redactguard: error: {exc}", err=True)
            code = exc.exit_code
        except KeyboardInterrupt:
            click.echo("redactguard: interrupted; nothing was marked clean", err=True)
            code = EXIT_UNREADABLE
        except Exception as exc:  # never a traceback: it could quote a protected value
            import logging

            logging.getLogger("redactguard.cli").debug("internal error: %s", type(exc).__name__)
            click.echo(
                f"redactguard: internal error ({type(exc).__name__}); the documents were not fully "
                "checked. Please report this with the command you ran (not the documents).",
                err=True,
            )
            code = EXIT_UNREADABLE
        sys.exit(code)

    return wrapper


def run() -> None:
    """The `redactguard` command (pyproject's console script, and `python -m redactguard`).

    When the command is done, what is still alive is frozen out of the garbage collector's sight
    (`gc.freeze`): Python's shutdown then does not walk the loaded libraries and models in its
    last collections, a few tenths of a second per command once Presidio is loaded (docs/ci.md).
    A reader of stdout that goes away (`redactguard scan ... | head`) gets no traceback: every
    write is `click.echo`, which flushes, so the error surfaces inside the command (exit 3 from
    `_guard`; click's own exit 1 for `--help` and `--version`) and nothing is left to flush at exit.
    """
    try:
        main()
    finally:
        import gc

        gc.freeze()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="redactguard")
@click.option("-v", "--verbose", is_flag=True, help="Debug log on stderr (paths, counts and codes; never document text).")
@click.option("--config", "config_path", type=click.Path(path_type=str, dir_okay=False, exists=True),
              help="Defaults for the flags (default: .redactguard.toml or [tool.redactguard] of pyproject.toml, here or above).")
@click.pass_context
def main(ctx: click.Context, verbose: bool, config_path: str | None) -> None:
    """Check outgoing court documents against a confidentiality order.

    Flags given here win over REDACTGUARD_<FLAG> environment variables, which win over the
    configuration file (docs/deploy.md, "Configuration").
    """
    _configure(ctx, config_path)
    from .diagnostics import disable_debug_log, enable_debug_log, quiet_log

    handler = enable_debug_log(sys.stderr) if verbose else quiet_log()
    ctx.call_on_close(lambda: disable_debug_log(handler))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--order", "order_path", type=click.Path(path_type=str), help="Confidentiality order (.yaml/.json).")
@click.option("--recipient", help="Party the documents are going to (an id from the order).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "html"]), default="text", show_default=True)
@click.option("--output", type=click.Path(path_type=str, dir_okay=False), help="Write the report here instead of stdout.")
@click.option("--fail-on", type=click.Choice(FAIL_ON), default="block", show_default=True)
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes (default: all cores).")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
@click.option("--no-generic", is_flag=True, help="Look only for the order's items.")
@click.option("--model", default="default", show_default=True, help="spaCy pipeline: default (models/), a name or path, or none.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True)
@click.option("--ocr-lang", default="eng", show_default=True, help="Tesseract languages for pictures, e.g. eng+cym (Welsh: tesseract-ocr-cym).")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="Seconds allowed per document; past it the document fails closed.")
@click.option("--scheduler", default=None, help="Run on Dask: tcp://HOST:PORT, or local (a cluster of --jobs workers).")
@click.option("--ship-bytes/--no-ship-bytes", default=None, help="With --scheduler: send documents' bytes to the workers, or have them read the paths (default: send only if they cannot see the paths).")
@click.option("--baseline", type=click.Path(path_type=str, dir_okay=False),
              help="Suppress findings recorded in this baseline: review ones, and block ones accepted in an audit (listed in the summary).")
@click.option("--write-baseline", type=click.Path(path_type=str, dir_okay=False),
              help="Record this run's findings in a baseline (audits of findings still found are kept); block ones need `baseline audit`.")
@_guard
def scan(
    paths: tuple[str, ...], order_path: str | None, recipient: str | None, fmt: str, output: str | None,
    fail_on: str, jobs: int | None, no_progress: bool, no_generic: bool, model: str, ocr: str, ocr_lang: str,
    timeout: float | None, scheduler: str | None, ship_bytes: bool | None, baseline: str | None, write_baseline: str | None,
) -> int:
    """Check PATH... (files, folders, .zip bundles) and report what must not be disclosed."""
    from .api import scan as run_scan
    from .errors import UsageError
    from .order import load_order
    from .report import render

    if ship_bytes is not None and scheduler is None:
        raise UsageError("--ship-bytes and --no-ship-bytes go with --scheduler")
    if output and not os.path.isdir(os.path.dirname(os.path.abspath(output))):
        raise UsageError(f"--output: the folder for {output} does not exist")
    if write_baseline and not os.path.isdir(os.path.dirname(os.path.abspath(write_baseline))):
        raise UsageError(f"--write-baseline: the folder for {write_baseline} does not exist")
    from . import baseline as baselines

    pipeline = None if model == "none" else model
    order = load_order(order_path) if order_path else None
    if order is not None:
        from .diagnostics import protect_order

        protect_order(order)
    reviewed = baselines.load_baseline(baseline) if baseline else None
    previous = reviewed  # audits a rewritten baseline keeps: those of --baseline, else of the file replaced
    if write_baseline and previous is None and os.path.exists(write_baseline):
        previous = baselines.load_baseline(write_baseline)  # never overwrite what is not a baseline
    with _executor(scheduler, jobs, timeout, ship_bytes) as executor, _progress(enabled=not no_progress) as progress:
        report = run_scan(
            list(paths), order, recipient, generic=not no_generic,
            model=pipeline, ocr=ocr, ocr_lang=ocr_lang, timeout=timeout, jobs=jobs,
            executor=executor, progress=progress,
        )
    _hint_ocr_install(report)
    if write_baseline:
        _write_baseline(baselines.record(report, previous), write_baseline)
    if reviewed is not None:
        for note in baselines.mismatches(reviewed, report):
            click.echo(f"redactguard: note: {note}", err=True)
        report = baselines.apply_baseline(report, reviewed)
    text = render(report, fmt)
    if output:
        from .atomic import write_atomic

        write_atomic(output, text.encode("utf-8"))
    else:
        click.echo(text, nl=False)
    return report.exit_code(fail_on)


def _write_baseline(recorded: Any, path: str) -> None:
    """Write a baseline and say what it will and will not suppress."""
    from .baseline import write_baseline

    count = write_baseline(recorded, path)
    blocks = [e for e in recorded.entries if e.severity == "block"]
    pending = sum(not e.accepted for e in blocks)
    click.echo(f"redactguard: baseline {path}: {count} entries, {len(blocks)} block"
               + (f" ({pending} not accepted: they suppress nothing until `redactguard baseline audit {path}`)" if pending else ""),
               err=True)


def _hint_ocr_install(report: Any) -> None:
    """Once per run, whatever the number of documents: what to install when OCR was missing."""
    if any(p.code == "ocr_unavailable" for doc in report.documents for p in doc.problems):
        from .ocr import INSTALL_HINT

        click.echo(f"redactguard: OCR is not available, so pictures were not read: {INSTALL_HINT}", err=True)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option("--order", "order_path", required=True, type=click.Path(path_type=str), help="Confidentiality order.")
@click.option("--recipient", required=True, help="Party the copies are for.")
@click.option("--output", type=click.Path(path_type=str, dir_okay=False), help="Output file (one input).")
@click.option("--output-dir", type=click.Path(path_type=str, file_okay=False), help="Output folder (any number of inputs).")
@click.option("--force", is_flag=True, help="Overwrite existing outputs.")
@click.option("--label", default="[WITHHELD]", show_default=True, help='Replacement text, or "reason" for each item\'s reason.')
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--ocr-lang", default="eng", show_default=True, help="Tesseract languages for pictures, e.g. eng+cym.")
@click.option("--propose", "make_proposals", is_flag=True,
              help="Write proposals to review (PDF: /Redact marks and XFDF; DOCX: tracked deletions); nothing removed.")
@click.option("--apply-reviewed", "reviewed", is_flag=True, help="INPUT... are reviewed proposals: write their true redactions.")
@click.option("--allow-reviewer-override", is_flag=True,
              help="With --apply-reviewed: go on where a reviewer rejected a withheld match (still redacted; logged).")
@click.option("--override-reason", metavar="TEXT", help="Why the override is allowed (recorded in the redaction log).")
@_guard
def redact(
    inputs: tuple[str, ...], order_path: str, recipient: str, output: str | None, output_dir: str | None,
    force: bool, label: str, fmt: str, ocr_lang: str, make_proposals: bool, reviewed: bool,
    allow_reviewer_override: bool, override_reason: str | None,
) -> int:
    """Write copies of INPUT... with everything withheld from RECIPIENT removed, verified clean;
    or, with --propose, copies marked for review, and with --apply-reviewed, their redactions."""
    import json

    from .diagnostics import protect_order
    from .errors import UsageError
    from .order import load_order
    from .proposals import INTERNAL_ONLY, apply_reviewed, propose
    from .redaction import redact as run_redact

    if make_proposals and reviewed:
        raise UsageError("give --propose or --apply-reviewed, not both")
    if (allow_reviewer_override or override_reason) and not reviewed:
        raise UsageError("--allow-reviewer-override and --override-reason go with --apply-reviewed")
    if make_proposals and (output is not None or output_dir is None):
        raise UsageError("--propose writes into --output-dir DIR")
    loaded = load_order(order_path)
    protect_order(loaded)
    common: dict[str, Any] = {"force": force, "label": label, "ocr_lang": ocr_lang}
    if make_proposals:
        click.echo(f"redactguard: {INTERNAL_ONLY}", err=True)
        report = propose(list(inputs), loaded, recipient, output_dir=str(output_dir), **common)
    elif reviewed:
        report = apply_reviewed(list(inputs), loaded, recipient, output=output, output_dir=output_dir, **common,
                                allow_override=allow_reviewer_override, override_reason=override_reason)
    else:
        report = run_redact(list(inputs), loaded, recipient, output=output, output_dir=output_dir, **common)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        done = "marked" if make_proposals else "removed"
        for doc in report.documents:
            head = {"written": "PROPOSED" if make_proposals else "WRITTEN", "failed": "FAILED", "unreadable": "UNREADABLE",
                    "skipped": "SKIPPED"}[doc.status]
            target = f" -> {doc.output}" if doc.output else " (no output kept)"
            click.echo(f"{head:<10} {doc.input}{target}: {len(doc.removals)} {done}")
            for p in doc.problems:
                click.echo(f"    problem {p.code}: {p.message}")
            for r in doc.residues:
                what = "rejected by the reviewer:" if r.check == "review" else f"residue ({r.check})"
                click.echo(f"    {what} {r.item} at {r.location.describe()}: {r.excerpt}")
            override = (doc.review or {}).get("override")
            if override:
                click.echo(f"    reviewer override for {', '.join(override['items'])} (redacted all the same): {override['reason']}")
    return report.exit_code()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--token-file", type=click.Path(path_type=str, dir_okay=False, exists=True),
              help="File holding the bearer token (default: the REDACTGUARD_TOKEN variable).")
@click.option("--insecure-local", is_flag=True, help="No token, on 127.0.0.1 only (a service for this machine's own programs).")
@click.option("--max-upload-mb", type=click.IntRange(min=1), default=256, show_default=True, help="Largest request body.")
@click.option("--request-timeout", type=click.FloatRange(min=1), default=900.0, show_default=True,
              help="Seconds for a whole request; past it every document fails closed.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=300.0, show_default=True, help="Seconds allowed per document.")
@click.option("--jobs", type=click.IntRange(min=1), default=None, help="Worker processes per request (default: all cores).")
@click.option("--max-requests", type=click.IntRange(min=1), default=2, show_default=True,
              help="Requests worked on at once; more are answered 503 with Retry-After.")
@click.option("--model", default="default", show_default=True, help="spaCy pipeline: default, a name or path, or none.")
@click.option("--ocr", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Default OCR mode (a request may ask for another).")
@click.option("--work-dir", type=click.Path(path_type=str, file_okay=False, exists=True),
              help="Where each request's private folder is made (default: the system's temporary folder).")
@_guard
def serve(
    host: str, port: int, token_file: str | None, insecure_local: bool, max_upload_mb: int, request_timeout: float,
    timeout: float, jobs: int | None, max_requests: int, model: str, ocr: str, work_dir: str | None,
) -> int:
    """Run the HTTP service: POST /v1/scan, POST /v1/redact, GET /healthz (docs/deploy.md)."""
    from .errors import UsageError

    try:
        from .service import ServiceSettings
        from .service import serve as run_service
    except ImportError as exc:
        raise UsageError(f"the service needs its libraries ({exc.name}): pip install 'redactguard'") from None
    token = os.environ.get("REDACTGUARD_TOKEN") or None
    if token_file:
        with open(token_file, encoding="utf-8") as fh:
            token = fh.read().strip() or None
    settings = ServiceSettings(
        host=host, port=port, token=token, insecure_local=insecure_local,
        max_upload_bytes=max_upload_mb * 1024 * 1024, request_timeout=request_timeout, timeout=timeout,
        jobs=jobs, max_requests=max_requests, model=None if model == "none" else model, ocr=ocr, work_dir=work_dir,
    )
    run_service(settings)  # refuses unprotected settings (exit 2) before it listens
    return EXIT_OK


@main.group()
def order() -> None:
    """Work with confidentiality order files."""


@order.command("check")
@click.argument("file", type=click.Path(path_type=str))
@_guard
def order_check(file: str) -> int:
    """Validate FILE and summarise it (never printing a protected value)."""
    from .order import load_order

    loaded = load_order(file)
    kinds: dict[str, int] = {}
    for item in loaded.items:
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
    listing = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "none"
    click.echo(f"{file}: valid order for case {loaded.case}")
    click.echo(f"  protected items: {len(loaded.items)} ({listing})")
    click.echo(f"  parties: {', '.join(sorted(loaded.parties)) or 'none declared'}")
    click.echo(f"  disclosed to: {', '.join(loaded.disclose_to)}")
    click.echo(f"  allow entries: {len(loaded.allow)}")
    return EXIT_OK


@order.command("new")
@_guard
def order_new() -> int:
    """Print a commented order template to start from."""
    from .order import TEMPLATE

    click.echo(TEMPLATE, nl=False)
    return EXIT_OK


@main.group()
def baseline() -> None:
    """Review and audit baseline files (docs/baselines.md)."""


@baseline.command("show")
@click.argument("file", type=click.Path(path_type=str, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_guard
def baseline_show(file: str, fmt: str) -> int:
    """List FILE's entries: what, where, masked excerpt, fingerprint and audit (never a value)."""
    import json

    from .baseline import load_baseline

    loaded = load_baseline(file)
    if fmt == "json":
        click.echo(json.dumps(loaded.to_dict(), indent=2, ensure_ascii=False))
        return EXIT_OK
    click.echo(f"{file}: case {loaded.case or '(not recorded)'}, recipient {loaded.recipient or '(none)'}, "
               f"{len(loaded.entries)} entries")
    for entry in loaded.entries:
        click.echo(entry.describe())
    return EXIT_OK


@baseline.command("audit")
@click.argument("file", type=click.Path(path_type=str, dir_okay=False))
@click.option("--order", "order_path", required=True, type=click.Path(path_type=str),
              help="The baseline's order: checked against it, and names and reasons are screened for its values.")
@click.option("--reviewer", help="Who decides (asked for when not given).")
@click.option("--reason", help="Why (with --accept, --reject or --accept-all-review).")
@click.option("--accept", "accept", multiple=True, metavar="FINGERPRINT",
              help="Accept this entry (repeatable; at most one block entry per command).")
@click.option("--reject", "reject", multiple=True, metavar="FINGERPRINT", help="Reject this entry (repeatable).")
@click.option("--accept-all-review", is_flag=True, help="Accept every unaudited review entry (never a block one).")
@click.option("--all", "revisit", is_flag=True, help="Interactive: walk audited entries too, not only unaudited ones.")
@_guard
def baseline_audit(
    file: str, order_path: str, reviewer: str | None, reason: str | None, accept: tuple[str, ...],
    reject: tuple[str, ...], accept_all_review: bool, revisit: bool,
) -> int:
    """Accept or reject FILE's entries, recording reviewer, reason and time.

    Without --accept, --reject or --accept-all-review, walks the entries and asks for each.
    An accepted block entry suppresses its finding for the baseline's recipient; an unaudited
    one suppresses only review findings; a rejected one suppresses nothing.
    """
    from . import baseline as baselines
    from .diagnostics import protect_order
    from .errors import UsageError
    from .order import load_order

    loaded_order = load_order(order_path)
    protect_order(loaded_order)
    current = baselines.load_baseline(file)
    baselines.check_order(current, loaded_order)
    if accept or reject or accept_all_review:
        if not reviewer or not reason:
            raise UsageError("--reviewer and --reason go with --accept, --reject and --accept-all-review")
        if revisit:
            raise UsageError("--all is for the interactive audit")
        after = baselines.decide(current, accept=accept, reject=reject, accept_all_review=accept_all_review,
                                 reviewer=reviewer, reason=reason, order=loaded_order)
        code = EXIT_OK
    elif reason:
        raise UsageError("--reason goes with --accept, --reject or --accept-all-review; the interactive audit asks for each")
    else:
        if reviewer is not None:
            reviewer = baselines.screen_reviewer(reviewer, loaded_order)
        after, code = _audit_walk(current, loaded_order, reviewer, revisit)
    changed = [a for a, b in zip(after.entries, current.entries, strict=True) if a.audit != b.audit]
    if changed:
        baselines.write_baseline(after, file)
    accepted = sum(e.accepted for e in changed)
    click.echo(f"{file}: this audit accepted {accepted} and rejected {len(changed) - accepted}; "
               f"{sum(e.audit is None for e in after.entries)} of {len(after.entries)} entries unaudited", err=True)
    return code


def _audit_walk(current: Any, order: Any, reviewer: str | None, revisit: bool) -> tuple[Any, int]:
    """The interactive audit: each entry shown masked, a decision and a reason asked for.

    Decisions made before the input ends (or `q`) are kept; an ended input exits 2.
    """
    from .baseline import ACCEPT, REJECT, audit, screen_reviewer
    from .errors import UsageError

    walk = [e for e in current.entries if revisit or e.audit is None]
    try:
        while reviewer is None:
            try:
                reviewer = screen_reviewer(click.prompt("Reviewer (your name)"), order)
            except UsageError as exc:
                click.echo(f"redactguard: {exc}", err=True)
        for n, entry in enumerate(walk, 1):
            click.echo(f"\n[{n}/{len(walk)}] {entry.describe()}")
            if entry.severity == "block":
                click.echo(f"  Accepting lets a scan for {current.recipient or '(no recipient)'} pass with this withheld item in it.")
            choice = click.prompt("Decision: [a]ccept, [r]eject, [s]kip, [q]uit", type=click.Choice(["a", "r", "s", "q"]))
            if choice == "q":
                break
            if choice == "s":
                continue
            while True:
                try:
                    current = audit(current, entry.fingerprint, ACCEPT if choice == "a" else REJECT,
                                    reviewer=reviewer, reason=click.prompt("Reason"), order=order)
                    break
                except UsageError as exc:
                    click.echo(f"redactguard: {exc}", err=True)
    except click.Abort:
        click.echo("redactguard: the audit ended before every entry was decided; decisions made are kept", err=True)
        return current, EXIT_USAGE
    return current, EXIT_OK


def _executor(scheduler: str | None, jobs: int | None, timeout: float | None, ship_bytes: bool | None) -> Any:
    """The Dask executor for --scheduler (a context manager), else none: the local pool."""
    from contextlib import nullcontext

    if scheduler is None:
        return nullcontext(None)
    from .errors import UsageError

    try:
        from .dask import dask_executor
    except ImportError:
        raise UsageError("--scheduler needs the Dask extra: pip install 'redactguard[dask]'") from None
    return dask_executor(scheduler, jobs=jobs, timeout=timeout, ship_bytes=ship_bytes)


class _progress:
    """A rich progress bar on stderr when it is a terminal; silent otherwise. Never shows text."""

    def __init__(self, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Callable[[int, int, int], None] | None:
        if not self.enabled:
            return None
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._bar = Progress(
            TextColumn("scanning"), BarColumn(), MofNCompleteColumn(), TextColumn("documents"),
            TextColumn("{task.fields[pages]} pages"), TimeElapsedColumn(), transient=True,
            console=Console(stderr=True),  # stdout carries the report alone (`scan > report.json`)
        )
        self._bar.__enter__()
        self._task = self._bar.add_task("scan", total=None, pages=0)
        pages = [0]

        def update(done: int, total: int, doc_pages: int) -> None:
            pages[0] += doc_pages
            self._bar.update(self._task, completed=done, total=total, pages=pages[0])

        return update

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)


def _configure(ctx: click.Context, config_path: str | None) -> None:
    """Load the flags' defaults for the subcommands (`redactguard.config`)."""
    from pathlib import Path

    from .config import find_config, load_defaults, read_config
    from .errors import UsageError

    try:
        if config_path:
            table = read_config(Path(config_path))
            found = (Path(config_path), table) if table is not None else None
        else:
            found = find_config(Path.cwd())
        if found is None:
            return
        commands = {name: command.params for name, command in main.commands.items() if name in ("scan", "redact", "serve")}
        ctx.default_map = load_defaults(found[0], found[1], commands)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


def _environment_names() -> None:
    """Every flag of `scan`, `redact` and `serve` reads REDACTGUARD_<FLAG> (`--fail-on`: REDACTGUARD_FAIL_ON)."""
    from .config import env_name

    for command in (scan, redact, serve):
        for param in command.params:
            name = env_name(param)
            if name is not None and isinstance(param, click.Option):
                param.envvar = name
                param.show_envvar = True


_environment_names()

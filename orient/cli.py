"""The ``orient`` command: parses arguments and calls one library function.

Exit codes: 0 ok, 1 a data or report failure (or a company failed in a batch),
2 usage error.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from orient.errors import OrientError

log = logging.getLogger("orient")

TEMPLATE = """\
# company.yaml: the profile orient reads for one company.
# Fill in the survey codebook below, then run:  orient validate {folder}
# Only `name` is required; the survey enables stages I-IV (without it, a folder of
# operational tables gets the operations stage only), every other section a part of the report.

name: {name}
currency: EUR            # ISO code used for money in the report
language: en             # report language: en or ru
competitor: Main Competitor Ltd   # the main competitor rated in the survey

survey:
  file: survey.csv       # .csv/.tsv/.txt, .xlsx/.xlsm/.xls, .parquet, .sav/.zsav, .dta, or a
                         # database URL: sqlite:///survey.db, postgresql+psycopg://user@host/db
  # read:                # only when detection is not enough:
  #   encoding: cp1251   #   utf-8, cp1251, cp1252, latin-1, utf-16 (detected)
  #   max_mb: 4096       #   file size limit in MB (default 2048)
  #   sep: ";"           #   , ; tab or | (detected)
  #   decimal: ","       #   . or , (detected)
  #   sheet: Survey      #   workbook sheet, name or 0-based position (default: the first)
  #   header_rows: 2     #   rows above the data (Qualtrics' 3, SurveyMonkey's 2 are recognised)
  #   names_row: 1       #   which of them names the columns (default 1)
  #   table: responses   #   database source: the table to read,
  #   query: "select * from responses where wave = 2026"   # or a query
  #   url_env: ORIENT_DB_URL   # the database URL from this environment variable (then no file:)
  id: respondent_id      # one row per respondent; ids must be unique
  customer_id: customer_id   # joins finance.csv (optional)
  weight: weight         # respondent weights > 0 (optional)
  wave: wave             # survey wave, e.g. 2025, 2026 (optional)
  segment: segment       # customer segment (optional); several: [segment, region, plan]
  scale: {{min: 1, max: 5}}   # scale ends of the attribute ratings (leave out for a .sav/.dta:
                         # its value labels give each column's scale and don't-know codes)
  overall: overall_satisfaction   # overall satisfaction, on the same scale
  # overall_scale: {{min: 0, max: 1, labels: {{satisfied: 1, "neutral or dissatisfied": 0}}}}
  #                      # the overall item's own scale and labels, when not the scale above
  loyalty:
    recommend: recommend   # likelihood to recommend, 0-10 (optional)
    # recommend_scale: {{min: 1, max: 5}}   # when not 0-10: no NPS, its mean and top-2-box
    repurchase: repurchase # intention to buy again, on the scale (optional)
  attributes:            # key: label (default: the .sav/.dta variable label or the
                         # question text), own rating column, competitor rating column
    delivery:
      label: Delivery reliability
      own: delivery
      competitor: delivery_competitor
    price:
      label: Price
      own: price
      competitor: price_competitor
    service:
      label: Customer service
      own: service
  missing_codes: ["Don't know", 99]   # answers that mean no rating, in EVERY rating column
  # attribute_missing_codes: [0]      # ... in the attribute columns only (0 = not applicable)
  # item_missing_codes: {{delivery: [0]}}   # ... in the named columns only

# tables:                # optional tables, when not <name>.csv in the folder
#   finance: {{file: client.xlsx, read: {{sheet: Finance}}}}
#   deals: {{read: {{url_env: ORIENT_CRM_URL, table: deals}}}}

reporting:
  min_base: 30           # segments with fewer respondents are not reported
  confidence: 0.95       # confidence level of every interval

# analysis:                # stage III settings (defaults shown)
#   driver_method: shapley # shapley, relative_weights, beta, correlation, kruskal
#   binary_method: logit   # a two-point overall: logit (McFadden R2) or lpm (linear probability)
#   ordinal_method: linear # 3-7 ordered answers: linear (R2) or ordered_logit (McFadden R2)
#   bootstrap: 500         # resamples of the importance intervals (0: none)
#   seed: 0                # the bootstrap's random seed

# Stage I: goals in balanced-scorecard perspectives (customer, process, people, financial).
# kpi is computed from the data where it can be (satisfaction_index, nps, retention_rate,
# revenue, revenue_per_customer, margin); otherwise give `current:`.
goals:
  satisfaction:
    perspective: customer
    kpi: satisfaction_index
    baseline: 65
    target: 70
    weight: 3
    owner: Commercial Director
  service_cost:
    perspective: process
    kpi: cost_per_contact
    unit: EUR
    baseline: 4.8
    target: 4.0
    current: 4.5
    direction: lower
    weight: 1
    owner: Operations Director
    attributes: [service]
    intent: cut_cost

# Stage I: segment economics; keys are the survey's segment values.
# segments:
#   Business: {{growth: 4.0}}   # market growth, % a year

# Stage IV: the house of quality (requirements are the attribute keys above).
# qfd:
#   characteristics:
#     otif: {{label: On time in full, unit: "%", direction: maximise, current: 88, competitor: 92, target: 95}}
#     price_index: {{label: Price index, unit: index, direction: minimise, current: 104, target: 100}}
#   relationships:            # attribute -> characteristic -> 0, 1, 3 or 9
#     delivery: {{otif: 9}}
#     price: {{price_index: 9}}
#   correlations:             # the roof: ++ + - --
#     - [otif, price_index, "-"]

# Stage IV: the action plan (attributes stage III says to improve or keep).
# actions:
#   value_per_point: 250000   # yearly value of +1 point of mean overall satisfaction
#   items:
#     delivery: {{action: New dispatch planning, owner: Logistics Director, kpi: OTIF, kpi_target: 95, target: 4.2, deadline: 2027-06-30, cost: 120000}}

# Stage IV: investment appraisal (frontline vs back-office systems).
# investments:
#   discount_rate: 0.1
#   years: 3
#   items:
#     - {{name: Customer portal, kind: frontline, cost: 80000, annual_benefit: 60000, running_cost: 8000}}

# Optional tables, each used when its file is in the folder (see README):
#   finance.csv  customer_id, revenue, cost, retained
#   calls.csv    interval_start, offered, answered, answered_in_target, abandoned, aht_s
#   claims.csv   claim_id, received, category [, amount_claimed, resolved, amount_settled,
#                response, timely, disputed, responded, product, channel]
#   quality.csv  subgroup, value [, characteristic]  or  subgroup, inspected, defective
#   deals.csv    deal_id, manager, client, stage, created, outcome, planned_amount, ...
# A table in the client's own column names: map orient's names to the export's.
# tables:
#   deals:
#     file: pipeline.csv
#     join: {{file: products.csv, on: product}}   # a lookup by key (optional)
#     columns: {{deal_id: opportunity_id, manager: sales_agent, stage: deal_stage,
#               created: engage_date, closed: close_date, amount: close_value, client: account}}
#   claims:
#     file: complaints.csv
#     columns:
#       claim_id: Complaint ID
#       received: Date received
#       category: Issue
#       product: Product
#       channel: Submitted via
#       response: Company response to consumer
#       timely: "Timely response?"
#       disputed: "Consumer disputed?"

# Quality control (quality.csv): run rules, phase I revision, EWMA and CUSUM settings;
# complaints: the company's own deadline to close one (the share closed within it is shown).
# quality:
#   rules: nelson            # Nelson's eight rules; default western_electric (four)
#   revise_limits: true      # trial limits recomputed without the subgroups beyond them
#   ewma_lambda: 0.2         # EWMA weight; ewma_nsigmas: 3
#   cusum_k: 0.5             # CUSUM allowance and decision interval, in standard errors
#   cusum_h: 5
# service:
#   claim_target_days: 30

# The sales pipeline: open stages in order, and the CRM's stage values mapped to
# won, lost or one of those stages (the outcome column is then derived).
# crm:
#   stages: [Lead, Proposal]
#   stage_values: {{Won: won, Lost: lost, Engaging: Proposal, Prospecting: Lead}}
"""

SURVEY_HEADER = (
    "respondent_id,customer_id,weight,wave,segment,overall_satisfaction,recommend,"
    "repurchase,delivery,delivery_competitor,price,price_competitor,service\n"
)


def _validate(args) -> int:
    import warnings

    from orient.data.company import left_out_summary, load_company, overview
    from orient.errors import OrientWarning
    from orient.report.texts import missing_data_notes
    from orient.stages import STAGES, missing_data, survey_counts

    with warnings.catch_warnings():  # its cautions are listed under Notes, not as warnings
        warnings.simplefilter("ignore", OrientWarning)
        company = load_company(args.company_dir, _settings(args))
    table = overview(company)
    width = max(map(len, table["item"]))
    print(f"{company.name}: the company folder is valid.")
    for item, value in table.itertuples(index=False):
        print(f"  {item:<{width}}  {value}")
    missing = {stage: missing_data(company, stage) for stage in STAGES}
    counts = survey_counts(company)
    for note in missing_data_notes(missing, company.language, counts):
        print(note)
    if "complete_answers" in missing.get("priorities", ()) and not missing["satisfaction"]:
        from orient.report.texts import _texts
        from orient.satisfaction.narrative import note as stage_two_note

        title = _texts(company.language)["stages"]["satisfaction"]
        n, k = counts["complete"], counts["drivers"]
        print(f"{title}: {stage_two_note('no_chain', company.language, n=n, k=k)}")
    notes = company.notes()
    if notes:
        print("Notes:")
        print("\n".join(f"  {note}" for note in notes))
    lo = left_out_summary(company)
    if len(lo):
        print("Rows left out:")
        for r in lo.itertuples(index=False):
            print(f"  {r.file}: {r.rows} row(s), {r.reason} (first: row {r.first_row})")
    return 0


def _new(args) -> int:
    folder = Path(args.company_dir)
    if args.from_files:
        from orient.data.draft import draft_company

        target = draft_company(folder, args.from_files, args.name)
        print(f"Drafted {target} from {', '.join(Path(f).name for f in args.from_files)}.")
        print(
            "Each '# guess:' in it is orient's reading of the data; check them, then run "
            f"`orient validate {folder}`."
        )
        return 0
    target = folder / "company.yaml"
    if target.exists():
        print(f"error: {target} already exists; orient new does not overwrite it.", file=sys.stderr)
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    name = args.name or folder.name
    target.write_text(TEMPLATE.format(name=_yaml_str(name), folder=folder), encoding="utf-8")
    survey = folder / "survey.csv"
    if not survey.exists():
        survey.write_text(SURVEY_HEADER, encoding="utf-8")
    print(f"Created {target} and {survey.name} (header only).")
    print(
        "Fill in survey.csv (one row per respondent) and the codebook, then run "
        f"`orient validate {folder}`."
    )
    return 0


def _yaml_str(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


_STEPS = {
    "summary": "headline numbers computed",
    "html": "report.html laid out",
    "pdf": "report.pdf drawn",
}


class _Progress:
    """Each step of one report on stderr as it is done, with the time since the start."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.start = time.monotonic()

    def __call__(self, step: str) -> None:
        if not self.quiet:
            what = _STEPS.get(step, f"notebook {step} run")
            print(f"{time.monotonic() - self.start:7.1f} s  {what}", file=sys.stderr, flush=True)


def _report_kernels() -> int:
    """Two kernels for one report where the machine has two processors or more for
    this process: the wait is shorter by a third, the CPU time a little longer."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 if cpus >= 2 else 1


def _report(args) -> int:
    from orient.report import build

    progress = _Progress(args.quiet)
    path = build(
        args.company_dir,
        args.output,
        pdf=not args.no_pdf,
        progress=progress,
        kernels=args.kernels or _report_kernels(),
        settings=_settings(args),
        **_timeouts(args),
    )
    print(f"Report written: {path}")
    return 0


def _batch(args) -> int:
    from orient import batch

    outcomes = batch.run(
        args.companies_dir,
        args.output,
        workers=args.workers,
        scheduler=args.scheduler,
        send_inputs=not args.shared_inputs,
        force=args.force,
        pdf=not args.no_pdf,
        settings=_settings(args),
        **_timeouts(args),
    )
    failed = (
        outcomes[outcomes["status"] == "failed"] if "status" in outcomes else outcomes.iloc[0:0]
    )
    print(
        f"{len(outcomes) - len(failed)} of {len(outcomes)} companies ok; "
        f"details in {Path(args.output) / 'batch.json'}"
    )
    for row in failed.itertuples(index=False):
        print(f"  failed: {row.company}: {getattr(row, 'error', '')}", file=sys.stderr)
    return 1 if len(failed) else 0


def _settings(args) -> dict:
    from orient.data.settings import parse_settings

    return parse_settings(args.set)


def _add_set(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a company.yaml key by its dotted path with a YAML value, checked as "
        "the file is (repeatable): --set analysis.bootstrap=200 --set language=ru",
    )


def _network(args) -> int:
    from orient.networkview import network

    result = network(args.reports_dir, args.output, language=args.language, first=args.first)
    print(
        f"Network of {len(result.summaries)} companies written: "
        f"{result.paths['network.html']} (table: {result.paths['network.parquet'].name}, "
        f"{result.paths['network.csv'].name})"
    )
    for m in result.missing:
        print(f"  missing: {m.company}: {m.reason}", file=sys.stderr)
    return 0


def _first(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1; got {text!r}")
    return value


def _timeouts(args) -> dict:
    return {"timeout": args.timeout, "company_timeout": args.company_timeout or None}


def _seconds(text: str) -> float:
    value = float(text)
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"expected a number of seconds >= 0; got {text!r}")
    return value


def _add_timeouts(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "--timeout",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="seconds one notebook cell may run (default: company.yaml's "
        "reporting.timeout_s, else 600); a cell that takes longer fails its company, "
        "without a retry",
    )
    s.add_argument(
        "--company-timeout",
        type=_seconds,
        default=1800.0,
        metavar="SECONDS",
        help="seconds all of one company's notebooks may run (default 1800; 0: no limit)",
    )


def _sample(args) -> int:
    from orient.synth import make_samples

    for slug in make_samples(args.output):
        print(f"wrote {Path(args.output) / slug}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="orient", description="Customer-orientation playbook.")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    s = sub.add_parser("validate", help="check a company folder and summarise it")
    s.add_argument("company_dir")
    _add_set(s)
    s.set_defaults(func=_validate)

    s = sub.add_parser("new", help="start a company folder from a commented template")
    s.add_argument("company_dir")
    s.add_argument("--name", help="the company's name")
    s.add_argument(
        "--from",
        dest="from_files",
        nargs="+",
        metavar="FILE",
        help="the client's exports (survey, finance, calls, claims, quality, deals): "
        "copied into the folder and read for a draft company.yaml",
    )
    s.set_defaults(func=_new)

    s = sub.add_parser("report", help="build the report of one company")
    s.add_argument("company_dir")
    s.add_argument("-o", "--output", default="reports", help="output folder (default: reports)")
    s.add_argument("--no-pdf", action="store_true", help="skip report.pdf")
    s.add_argument(
        "-q", "--quiet", action="store_true", help="print only where the report was written"
    )
    s.add_argument(
        "--kernels",
        type=int,
        choices=(1, 2),
        default=None,
        help="kernels the stage notebooks run in at once (default: 2 on a machine with "
        "two processors or more, else 1)",
    )
    _add_timeouts(s)
    _add_set(s)
    s.set_defaults(func=_report)

    s = sub.add_parser("batch", help="build the reports of every company folder under a folder")
    s.add_argument("companies_dir")
    s.add_argument("-o", "--output", default="reports", help="output folder (default: reports)")
    s.add_argument("--workers", type=int, default=None, help="parallel processes")
    s.add_argument("--scheduler", default=None, help="Dask scheduler address, tcp://HOST:8786")
    s.add_argument(
        "--shared-inputs",
        action="store_true",
        help="with --scheduler: the workers read the company folders at these paths "
        "(a shared folder) instead of being sent their files",
    )
    s.add_argument("--force", action="store_true", help="rebuild unchanged companies too")
    s.add_argument("--no-pdf", action="store_true", help="skip report.pdf (faster)")
    _add_timeouts(s)
    _add_set(s)
    s.set_defaults(func=_batch)

    s = sub.add_parser(
        "network", help="compare the companies of a batch: league tables, percentiles, movers"
    )
    s.add_argument("reports_dir", help="the output folder of `orient batch`")
    s.add_argument(
        "-o", "--output", default=None, help="output folder (default: REPORTS_DIR itself)"
    )
    s.add_argument(
        "--language",
        choices=["en", "ru"],
        default=None,
        help="report language (default: the companies' shared language, else en)",
    )
    s.add_argument(
        "--first",
        type=_first,
        default=3,
        metavar="K",
        help="how many of each company's first items to improve count as its priorities "
        "(default 3)",
    )
    s.set_defaults(func=_network)

    s = sub.add_parser("sample", help="write the sample companies")
    s.add_argument("output", nargs="?", default="data/companies")
    s.set_defaults(func=_sample)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.func in (_report, _batch):
        _stop_on_signals()
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C or SIGTERM: kernels and workers are ended by now
        return _stopped()
    except OrientError as exc:
        return _fail(exc)
    except BrokenPipeError:  # the reader closed stdout (``| head``): stop quietly
        _quiet_stdout()
        return 1
    except OSError as exc:  # unreadable or unwritable files and folders
        return _fail(_os_problem(exc))
    except RecursionError:
        return _fail(
            "a file is nested too deep to read (a YAML or JSON value inside 1,000 others?)"
        )


_signal = {"number": None}


def _stop_on_signals() -> None:
    """SIGTERM stops the run as Ctrl-C does: a KeyboardInterrupt that shuts the kernels
    down on its way out, and no retry afterwards."""
    import signal

    from orient.report.kernel import STOP

    def stop(signum, frame):
        _signal["number"] = signum
        if STOP.is_set():  # a second signal while stopping: leave at once
            return
        STOP.set()
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def _stopped() -> int:
    """Exit code 128 + the signal (130 for Ctrl-C, 143 for SIGTERM), one line on stderr."""
    import signal

    from orient.report.kernel import STOP_SIGNAL

    number = _signal["number"] or (STOP_SIGNAL[0] if STOP_SIGNAL else signal.SIGINT)
    print(f"error: stopped by {signal.Signals(number).name}", file=sys.stderr)
    return 128 + int(number)


def _fail(problem: object) -> int:
    """One line on stderr, exit code 1; a closed stdout (``| head``) ends quietly."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_stdout()
        return 1
    print(f"error: {problem}", file=sys.stderr)
    return 1


def _os_problem(exc: OSError) -> str:
    where = f": {exc.filename}" if exc.filename else ""
    reason = exc.strerror or type(exc).__name__
    return f"{reason.lower()}{where}"


def _quiet_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so the exit flush does not raise again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

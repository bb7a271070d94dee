"""Local tooling for the provider: python -m sandbox COMMAND [--help].

serve          the SageMaker emulator, Cloud Control API and CloudFormation API on 127.0.0.1
lambda         the Lambda Invoke API stand-in that runs the handlers
seed           create the endpoints and models the contract inputs refer to
cfn-test       `cfn test` with its STS look-up answered by the emulator
contract-test  emulator + Lambda stand-in + seed + cfn test in one command
rehearse       create, update and delete a template's stack against the emulator
reliability    fault soak, crashes, invalid input, out-of-band changes, privileges, secrets
bench          stabilization against the published provider, list at scale, per-invocation cost
cloudcontrol-demo  one lifecycle through the Cloud Control API, with progress lines
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import TYPE_CHECKING, TypeAlias

from sandbox.arguments import (
    endpoint_url,
    fraction,
    key_value,
    non_negative_float,
    port,
    positive_float,
    positive_int,
    writable_file,
)
from sandbox.server import CONTROL
from sandbox.server.loopback import interrupt

PASS_THROUGH = ("cfn-test", "contract-test")
INTERRUPTED = 130  # the shell's code for a command ended by Ctrl-C
if TYPE_CHECKING:
    Subparsers: TypeAlias = argparse._SubParsersAction[argparse.ArgumentParser]


def fault_options_problem(args: argparse.Namespace) -> str | None:
    """What is wrong with serve's fault options together, if anything: rates without a seed
    would be ignored, and rates adding up past 1 mean no share of calls."""
    rates = {"--throttle-rate": args.throttle_rate, "--server-error-rate": args.server_error_rate}
    if args.fault_seed is None:
        given = [flag for flag, rate in rates.items() if rate]
        if given:
            verb = "needs" if len(given) == 1 else "need"
            return f"{' and '.join(given)} {verb} --fault-seed N (fault injection is seeded so a run repeats)"
    elif sum(rates.values()) > 1:
        return f"--throttle-rate and --server-error-rate add up to more than 1 (got {sum(rates.values()):g})"
    return None


def serve(args: argparse.Namespace) -> int:
    from sandbox.local_aws import LocalAWS

    CONTROL.set_durations(args.transition_seconds)
    if args.fault_seed is not None:
        CONTROL.set_faults(args.fault_seed, args.throttle_rate, args.server_error_rate)
    server = LocalAWS(args.port, args.time_scale)
    return server.serve_until_interrupted(
        f"SageMaker emulator, Cloud Control API and CloudFormation API listening on {server.url}",
        f"  export AWS_ENDPOINT_URL={server.url}",
    )


def serve_lambda(args: argparse.Namespace) -> int:
    from sandbox.lambda_runtime.local_lambda import LocalLambda

    handler_logs: logging.Handler = (
        logging.FileHandler(args.log_file, encoding="utf-8") if args.log_file else logging.StreamHandler(sys.stderr)
    )
    handler_logs.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler_logs], force=True)
    server = LocalLambda(args.port, args.endpoint_url, args.time_scale)
    return server.serve_until_interrupted(
        f"Lambda stand-in listening on {server.url} (SDK endpoint {args.endpoint_url})"
    )


def seed(args: argparse.Namespace) -> int:
    from botocore.exceptions import BotoCoreError

    from sandbox.suites.contract import seed_inputs

    try:
        count = seed_inputs(args.endpoint_url)
    except BotoCoreError as error:  # nothing listening there, most often
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"seeded prerequisites of {count} input sets at {args.endpoint_url}")
    return 0


def cfn_test(args: argparse.Namespace) -> int:
    from sandbox.suites.contract import run_cfn_test

    return run_cfn_test(args.emulator_url, args.extra)


def contract_test(args: argparse.Namespace) -> int:
    from sandbox.suites.contract import contract_test as run

    return run(args.extra, args.time_scale)


def rehearse(args: argparse.Namespace) -> int:
    from sandbox.cloudformation.wire.rehearse import rehearse as run

    return run(
        args.template,
        args.update,
        dict(args.parameter),
        keep=args.keep,
        time_scale=args.time_scale,
        stack_name=args.stack_name,
        stack_tags=dict(args.tag),
        detect_drift=args.detect_drift,
        endpoint_url=args.endpoint_url,
    )


def reliability(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sandbox.suites.reliability import main as run

    default = "build/reliability-quick.md" if args.quick else "docs/reliability.md"
    return run(args.quick, Path(args.output or default))


def cloudcontrol_demo(args: argparse.Namespace) -> int:
    from sandbox.suites.cloudcontrol_demo import main as run

    return run(args.time_scale, args.transition_seconds)


def bench(args: argparse.Namespace) -> int:
    from pathlib import Path

    from sandbox.suites.bench import main as run

    return run(args.samples, Path(args.output))


def add_serve(commands: Subparsers) -> None:
    command = commands.add_parser(
        "serve", help="run the SageMaker emulator, Cloud Control and CloudFormation APIs on 127.0.0.1"
    )
    command.add_argument("--port", type=port, default=5123, help="0 picks a free port")
    command.add_argument(
        "--transition-seconds",
        type=non_negative_float,
        default=0.0,
        help="duration of every transitional status (Creating, Starting, ...)",
    )
    command.add_argument("--fault-seed", type=int, default=None, help="enable seeded fault injection")
    command.add_argument(
        "--throttle-rate", type=fraction, default=0.0, help="share of calls answered ThrottlingException (0-1)"
    )
    command.add_argument(
        "--server-error-rate", type=fraction, default=0.0, help="share of calls answered InternalFailure (0-1)"
    )
    command.add_argument(
        "--time-scale",
        type=positive_float,
        default=1.0,
        help="multiplier on the callback delays Cloud Control and CloudFormation stacks honour (1 = real time)",
    )
    command.set_defaults(run=serve, problem=fault_options_problem, parser=command)


def add_lambda(commands: Subparsers) -> None:
    command = commands.add_parser("lambda", help="serve the Lambda Invoke API for the handlers on 127.0.0.1")
    command.add_argument("--port", type=port, default=3001, help="0 picks a free port")
    command.add_argument(
        "--endpoint-url", type=endpoint_url, default="http://127.0.0.1:5123", help="where the handlers' SDK calls go"
    )
    command.add_argument(
        "--log-file",
        type=writable_file(make_parents=False),
        help="write the handlers' log lines here instead of stderr",
    )
    command.add_argument("--time-scale", type=positive_float, default=1.0, help="multiplier on the SDK's retry backoff")
    command.set_defaults(run=serve_lambda)


def add_contract_commands(commands: Subparsers) -> None:
    seed_cmd = commands.add_parser("seed", help="create the endpoints and models the contract inputs refer to")
    seed_cmd.add_argument("--endpoint-url", type=endpoint_url, default="http://127.0.0.1:5123")
    seed_cmd.set_defaults(run=seed)
    cfn_test_cmd = commands.add_parser(
        "cfn-test", help="cfn test, with STS answered by the emulator; other arguments go to cfn test"
    )
    cfn_test_cmd.add_argument("--emulator-url", type=endpoint_url, default="http://127.0.0.1:5123")
    cfn_test_cmd.set_defaults(run=cfn_test)
    contract_cmd = commands.add_parser(
        "contract-test", help="emulator + Lambda stand-in + cfn test, then stop both; other arguments go to pytest"
    )
    contract_cmd.add_argument(
        "--time-scale",
        type=positive_float,
        default=1.0,
        help="multiplier on transitions, callback delays, SDK backoff and the handlers' clock (1 = real time)",
    )
    contract_cmd.set_defaults(run=contract_test)


def add_rehearse(commands: Subparsers) -> None:
    command = commands.add_parser(
        "rehearse", help="create (and update, and delete) a template's stack against the emulator"
    )
    command.add_argument("template", help="CloudFormation template, YAML or JSON")
    command.add_argument("--update", metavar="TEMPLATE2", help="then update the stack to this template")
    command.add_argument("--parameter", type=key_value, action="append", default=[], metavar="KEY=VALUE")
    command.add_argument(
        "--tag", type=key_value, action="append", default=[], metavar="KEY=VALUE", help="stack-level tag"
    )
    command.add_argument("--keep", action="store_true", help="leave the stack in place instead of deleting it")
    command.add_argument(
        "--time-scale",
        type=float,
        default=0.02,
        help="multiplier on emulated durations and callback delays (1 = real time)",
    )
    command.add_argument("--stack-name", default="rehearsal")
    command.add_argument(
        "--detect-drift", action="store_true", help="compare each experiment with its template before deleting"
    )
    command.add_argument(
        "--endpoint-url",
        type=endpoint_url,
        help="use this running `python -m sandbox serve` instead of starting an emulator",
    )
    command.set_defaults(run=rehearse)


def add_suites(commands: Subparsers) -> None:
    reliability_cmd = commands.add_parser("reliability", help="fault soak, crashes, bad input, privileges, secrets")
    reliability_cmd.add_argument("--quick", action="store_true", help="the same checks with fewer iterations")
    reliability_cmd.add_argument(
        "--output",
        type=writable_file(make_parents=True),
        help="report path (default docs/reliability.md, quick: build/...)",
    )
    reliability_cmd.set_defaults(run=reliability)

    demo_cmd = commands.add_parser(
        "cloudcontrol-demo", help="one experiment's whole lifecycle through the Cloud Control API, with progress"
    )
    demo_cmd.add_argument("--time-scale", type=positive_float, default=1.0, help="passed to serve (1 = real time)")
    demo_cmd.add_argument("--transition-seconds", type=non_negative_float, default=1.0, help="passed to serve")
    demo_cmd.set_defaults(run=cloudcontrol_demo)
    bench_cmd = commands.add_parser("bench", help="stabilization vs the published provider, list at scale, costs")
    bench_cmd.add_argument(
        "--samples", type=positive_int, default=15, help="warm invocations timed for the latency median"
    )
    bench_cmd.add_argument("--output", type=writable_file(make_parents=True), default="docs/performance.md")
    bench_cmd.set_defaults(run=bench)


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="python -m sandbox", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = root.add_subparsers(dest="command", required=True)
    for add in (add_serve, add_lambda, add_contract_commands, add_rehearse, add_suites):
        add(commands)
    return root


def main(argv: list[str] | None = None) -> int:
    command_line = parser()
    args, extra = command_line.parse_known_args(argv)
    if extra and args.command not in PASS_THROUGH:
        command_line.error(f"unrecognized arguments: {' '.join(extra)}")
    args.extra = extra
    problem = args.problem(args) if "problem" in args else None
    if problem:
        args.parser.error(problem)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    signal.signal(signal.SIGTERM, interrupt)  # `timeout`, `kill`, CI: stop what was started, as on Ctrl-C
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print(f"python -m sandbox {args.command}: interrupted; servers it started were stopped", file=sys.stderr)
        return INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

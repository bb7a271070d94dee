"""Command line: `python -m sandbox serve --port PORT [--transition-seconds S]`."""

from __future__ import annotations

import argparse
import sys
import threading

from .control import CONTROL
from .server import EmulatorServer


def serve(args: argparse.Namespace) -> int:
    CONTROL.set_durations(args.transition_seconds)
    if args.fault_seed is not None:
        CONTROL.set_faults(args.fault_seed, args.throttle_rate, args.server_error_rate)
    server = EmulatorServer(args.port).start()
    print(f"SageMaker emulator listening on {server.url}", flush=True)
    print(f"  export AWS_ENDPOINT_URL={server.url}", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the SageMaker emulator on 127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=5123)
    serve_cmd.add_argument(
        "--transition-seconds",
        type=float,
        default=0.0,
        help="duration of every transitional status (Creating, Starting, ...)",
    )
    serve_cmd.add_argument("--fault-seed", type=int, default=None, help="enable seeded fault injection")
    serve_cmd.add_argument("--throttle-rate", type=float, default=0.0)
    serve_cmd.add_argument("--server-error-rate", type=float, default=0.0)
    serve_cmd.set_defaults(run=serve)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    sys.exit(main())

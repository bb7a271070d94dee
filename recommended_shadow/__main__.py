"""python -m recommended_shadow JOB --endpoint-name NAME --output FILE [options]

Reads a COMPLETED Inference Recommender job, prints its recommendations with the chosen one
marked (*), reads the endpoint's current production variant, and writes a CloudFormation
template (or, with --format parameters, a parameter file for examples/recommended-shadow.yaml)
that shadow-tests the chosen instance type beside production. --promote writes the update
that stops the test and promotes the shadow. Exit status 0 on success, 1 when the job, the
constraints or the endpoint do not allow a shadow test, 2 for bad arguments; on failure
nothing is written.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .aws import sagemaker_client
from .endpoint import check_model, check_name_free, production_variant
from .errors import CommandError
from .job import read_job
from .plan import ShadowPlan
from .selection import Constraints, choose
from .table import table
from .template import render

BAD_ARGUMENTS, FAILED = 2, 1


def bounded_int(low: int, high: int | None = None) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if value < low or (high is not None and value > high):
            span = f"{low} to {high}" if high is not None else f"{low} or more"
            raise argparse.ArgumentTypeError(f"expected a whole number {span}, got {text!r}")
        return value

    return parse


def parser() -> argparse.ArgumentParser:
    command = argparse.ArgumentParser(
        prog="python -m recommended_shadow", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    command.add_argument("job_name", metavar="JOB", help="the Inference Recommender job's name")
    command.add_argument(
        "--endpoint-name", required=True, metavar="NAME", help="the InService endpoint to shadow-test on"
    )
    command.add_argument(
        "--output", required=True, metavar="FILE", help="file to write (the template or the parameter file)"
    )
    command.add_argument(
        "--format",
        choices=("template", "parameters"),
        default="template",
        help="a whole template (default), or a parameter file for examples/recommended-shadow.yaml",
    )
    command.add_argument("--promote", action="store_true", help="write the stop-and-promote stage instead")
    rule = command.add_argument_group("selection (default: the lowest CostPerInference)")
    rule.add_argument("--max-latency-ms", type=bounded_int(1), metavar="MS", help="ModelLatency at most this")
    rule.add_argument(
        "--min-invocations", type=bounded_int(1), metavar="N", help="MaxInvocations (per minute) at least this"
    )
    rule.add_argument("--recommendation-id", metavar="ID", help="take this recommendation instead of applying the rule")
    shadow = command.add_argument_group("the shadow test")
    shadow.add_argument(
        "--sampling",
        type=bounded_int(1, 100),
        default=100,
        metavar="PERCENT",
        help="percent of requests mirrored, 1 to 100 (default: 100)",
    )
    shadow.add_argument(
        "--model-name", metavar="MODEL", help="an existing model for the shadow variant (default: the job's model)"
    )
    shadow.add_argument(
        "--production-variant", metavar="VARIANT", help="which production variant to shadow, if there are several"
    )
    shadow.add_argument("--experiment-name", metavar="NAME", help="default: ENDPOINT-shadow")
    shadow.add_argument(
        "--role-arn", metavar="ARN", help="role for the experiment and the new model (default: the job's role)"
    )
    aws = command.add_argument_group("AWS (as the AWS CLI takes them)")
    aws.add_argument("--region", metavar="REGION")
    aws.add_argument("--profile", metavar="PROFILE")
    aws.add_argument(
        "--endpoint-url", metavar="URL", help="SageMaker endpoint URL (default: AWS_ENDPOINT_URL, else AWS's)"
    )
    return command


def plan_shadow(args: argparse.Namespace, sagemaker: Any) -> ShadowPlan:
    """Read everything and decide; print the table. CommandError on anything that blocks the test."""
    job = read_job(sagemaker, args.job_name)
    constraints = Constraints(args.max_latency_ms, args.min_invocations)
    try:
        choice = choose(job.recommendations, constraints, args.recommendation_id)
    except CommandError:
        if job.recommendations:
            print(f"Recommendations of job {job.name} (none chosen):")
            print("\n".join(table(job.recommendations, None)))
        raise
    print(f"Recommendations of job {job.name} (* chosen):")
    print("\n".join(table(job.recommendations, choice)))
    production = production_variant(sagemaker, args.endpoint_name, args.production_variant, args.promote)
    model_name = args.model_name or (None if job.model_package_arn else job.model_name)
    if model_name is None and job.model_package_arn is None:
        raise CommandError(f"job {job.name} names no model or model package; give --model-name")
    if model_name is not None:
        check_model(sagemaker, model_name)
    experiment_name = args.experiment_name or f"{args.endpoint_name}-shadow"
    if not args.promote:
        check_name_free(sagemaker, experiment_name)
    return ShadowPlan(
        job=job,
        chosen=choice.chosen,
        production=production,
        experiment_name=experiment_name,
        role_arn=args.role_arn or job.role_arn,
        sampling=args.sampling,
        model_name=model_name,
        model_package_arn=None if model_name else job.model_package_arn,
    )


def write_atomically(path: Path, text: str) -> None:
    """The whole file or none of it: a reader never sees a half-written template."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    sagemaker = sagemaker_client(args.region, args.profile, args.endpoint_url)
    plan = plan_shadow(args, sagemaker)
    text = render(plan, args.format, args.promote)
    try:
        write_atomically(Path(args.output), text)
    except OSError as error:
        raise CommandError(f"cannot write {args.output}: {error.strerror or error}") from None
    stage = "stop-and-promote update" if args.promote else "shadow test"
    print(f"Chose {plan.chosen.recommendation_id}: {plan.instance_type} x{plan.chosen.instance_count}")
    print(
        f"Production: {plan.production.variant_name} ({plan.production.model_name}, "
        f"{plan.production.instance_type} x{plan.production.instance_count}) on {plan.production.endpoint_name}"
    )
    print(f"Wrote the {stage} {'parameter file' if args.format == 'parameters' else 'template'} to {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    command = parser()
    args = command.parse_args(argv)
    if args.recommendation_id and (args.max_latency_ms or args.min_invocations):
        command.error("--recommendation-id chooses by itself; drop --max-latency-ms / --min-invocations")
    try:
        return run(args)
    except CommandError as error:
        print(f"error: {error}", file=sys.stderr)
        print(f"nothing was written to {args.output}", file=sys.stderr)
        return FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

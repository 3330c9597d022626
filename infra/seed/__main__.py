"""Seed a deployed stack: python -m infra.seed --stack-outputs outputs.json [--stack Sunlight]

Uses the default boto3 session (AWS_PROFILE / AWS_REGION or the usual credential chain)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from infra.seed import read_stack_outputs, seed_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.seed", description="Load the demo catalog and demo users.")
    parser.add_argument(
        "--stack-outputs", type=Path, required=True, help="file written by `cdk deploy --outputs-file`"
    )
    parser.add_argument("--stack", help="stack name in that file (default: Sunlight, or the only one)")
    args = parser.parse_args(argv)
    try:
        outputs = read_stack_outputs(args.stack_outputs, args.stack)
        report = seed_all(outputs, boto3.Session())
    except (OSError, ValueError, BotoCoreError, ClientError) as error:
        print(f"seed: {error}", file=sys.stderr)
        return 2
    print(report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Seed a deployment: python -m infra.seed --stack-outputs outputs.json [--stack NAME]
loads the demo catalog and demo users; with --first-admin USERNAME --name 姓名 it creates only the
first administrator of a real deployment (a temporary password, printed once).

Uses the default boto3 session (AWS_PROFILE / AWS_REGION or the usual credential chain)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from infra.seed import create_first_admin, read_stack_outputs, seed_all
from sunlight.services.ports import UserExists


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.seed", description="Load the demo catalog and demo users.")
    parser.add_argument(
        "--stack-outputs", type=Path, required=True, help="file written by `cdk deploy --outputs-file`"
    )
    parser.add_argument("--stack", help="one stack's outputs only (default: the app's stacks together)")
    parser.add_argument("--first-admin", metavar="USERNAME",
                        help="create only this administrator (real deployments: no demo data, no demo users)")
    parser.add_argument("--name", default="系统管理员", help="the administrator's full name (with --first-admin)")
    parser.add_argument("--endpoint-url", help="an emulator's URL (moto) instead of AWS")
    args = parser.parse_args(argv)
    try:
        outputs = read_stack_outputs(args.stack_outputs, args.stack)
        if args.first_admin:
            password = create_first_admin(outputs, boto3.Session(), args.first_admin, args.name, endpoint_url=args.endpoint_url)
            print(f"Administrator {args.first_admin.strip().lower()} created. Temporary password (shown once): {password}\n"
                  "Sign in to the web app with it and choose a new password; then load the catalog and create the staff accounts.")
            return 0
        report = seed_all(outputs, boto3.Session(), endpoint_url=args.endpoint_url)
    except UserExists:
        print(f"seed: the user {args.first_admin} already exists", file=sys.stderr)
        return 1
    except (OSError, ValueError, BotoCoreError, ClientError) as error:
        print(f"seed: {error}", file=sys.stderr)
        return 2
    print(report.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())

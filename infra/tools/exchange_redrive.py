"""Move the exchange's dead-letter messages back to its FIFO queue (operations, after the cause of the
failures is fixed — the DLQ alarm says when):

    python -m infra.tools.exchange_redrive                      # the deployed stack's queues (CloudFormation outputs)
    python -m infra.tools.exchange_redrive --state-file F       # a local system's (`python -m infra.local --state-file F`)
    python -m infra.tools.exchange_redrive --queue-url Q --dlq-url D [--max N] [--dry-run]

Each message keeps its body, so its message id: the receiver de-duplicates it if it did get it, and
the sender records the acknowledgement (a given-up message counts as acknowledged, no longer failed).
It goes back into its own group (MessageGroupId = the entity) in the order the DLQ gives. The
deduplication id is the message id plus the DLQ message's id: a rerun after an interruption does not
queue a message twice within SQS's 5-minute window, and a message redriven earlier can be redriven again.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import boto3

from infra import constants

QUEUE_OUTPUT = "ExchangeQueueUrl"
DLQ_OUTPUT = "ExchangeDeadLetterQueueUrl"


def redrive(sqs: Any, queue_url: str, dlq_url: str, max_messages: int | None = None, dry_run: bool = False) -> list[str]:
    """Moves up to `max_messages` (all by default); returns the message ids moved (or that would be)."""
    moved: list[str] = []
    listed: list[str] = []  # a dry run's receipts: made visible again at the end
    while max_messages is None or len(moved) < max_messages:
        batch = min(10, (max_messages - len(moved)) if max_messages is not None else 10)
        answer = sqs.receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=batch, AttributeNames=["All"],
                                     VisibilityTimeout=60, WaitTimeSeconds=1)
        messages = answer.get("Messages", [])
        if not messages:
            break
        for message in messages:
            message_id = json.loads(message["Body"])["message_id"]
            group = message.get("Attributes", {}).get("MessageGroupId") or json.loads(message["Body"])["entity_id"]
            moved.append(message_id)
            if dry_run:
                listed.append(message["ReceiptHandle"])
                continue
            sqs.send_message(QueueUrl=queue_url, MessageBody=message["Body"], MessageGroupId=group,
                             MessageDeduplicationId=f"{message_id}.{message['MessageId']}"[:128])
            sqs.delete_message(QueueUrl=dlq_url, ReceiptHandle=message["ReceiptHandle"])
    for receipt in listed:
        sqs.change_message_visibility(QueueUrl=dlq_url, ReceiptHandle=receipt, VisibilityTimeout=0)
    return moved


def _queue_urls(args: argparse.Namespace) -> tuple[str, str, dict[str, Any]]:
    if args.queue_url and args.dlq_url:
        return args.queue_url, args.dlq_url, {}
    if args.state_file:
        state = json.loads(Path(args.state_file).read_text(encoding="utf-8"))
        outputs = state["outputs"]
        return outputs[QUEUE_OUTPUT], outputs[DLQ_OUTPUT], {"endpoint_url": state["moto_url"], "region_name": state["region"]}
    stack = boto3.client("cloudformation").describe_stacks(StackName=constants.COMPUTE_STACK_NAME)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    return outputs[QUEUE_OUTPUT], outputs[DLQ_OUTPUT], {}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.tools.exchange_redrive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--state-file", help="a local system's state file (python -m infra.local --state-file)")
    parser.add_argument("--queue-url")
    parser.add_argument("--dlq-url")
    parser.add_argument("--max", type=int, default=None, help="move at most this many messages")
    parser.add_argument("--dry-run", action="store_true", help="list the message ids, move nothing")
    args = parser.parse_args(argv)
    queue_url, dlq_url, client_args = _queue_urls(args)
    if client_args.get("endpoint_url"):
        client_args.update(aws_access_key_id="testing", aws_secret_access_key="testing")
    moved = redrive(boto3.client("sqs", **client_args), queue_url, dlq_url, args.max, args.dry_run)
    verb = "would move" if args.dry_run else "moved"
    print(f"{verb} {len(moved)} message(s) from the dead-letter queue back to the exchange queue")
    for message_id in moved:
        print(f"  {message_id}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

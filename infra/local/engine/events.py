"""EventBridge and EventBridge Scheduler deliveries that moto does not make.

moto stores rules and schedules but (a) fails in put_events (not implemented) for Lambda and
Step Functions targets, and (b) never fires `rate()`/`cron()` rules or Scheduler schedules. Here
(a) moto's rule delivery is patched so those targets are delivered asynchronously, like
EventBridge does, and (b) a clock thread fires due rules and schedules (`at()`, `rate()`,
`cron()`), reading them from moto's backends so schedules that handlers create at run time fire
too. Other target types keep moto's own delivery.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import boto3

log = logging.getLogger(__name__)

TICK_SECONDS = 1.0
_OWN_TARGET_SERVICES = ("lambda", "states")


def _arn_service(arn: str) -> str:
    parts = arn.split(":")
    return parts[2] if len(parts) > 2 else ""


def _iso(value: Any) -> str:
    if isinstance(value, int | float):
        value = datetime.fromtimestamp(value, UTC)
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


class TargetDelivery:
    """Delivers an event to Lambda and Step Functions targets through moto, on worker threads."""

    def __init__(self, session: boto3.Session, moto_url: str) -> None:
        self._lambda = session.client("lambda", endpoint_url=moto_url)
        self._stepfunctions = session.client("stepfunctions", endpoint_url=moto_url)
        self._sqs = session.client("sqs", endpoint_url=moto_url)

    def deliver(self, target_arn: str, payload: str, source: str) -> None:
        threading.Thread(target=self._deliver, args=(target_arn, payload, source),
                         name=f"deliver-{source}", daemon=True).start()

    def _deliver(self, target_arn: str, payload: str, source: str) -> None:
        service = _arn_service(target_arn)
        try:
            if service == "lambda":
                self._lambda.invoke(FunctionName=target_arn, InvocationType="Event", Payload=payload.encode())
            elif service == "states":
                self._stepfunctions.start_execution(stateMachineArn=target_arn, name=str(uuid.uuid4()),
                                                    input=payload)
            elif service == "sqs":
                queue_name = target_arn.rsplit(":", 1)[-1]
                queue_url = self._sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]
                self._sqs.send_message(QueueUrl=queue_url, MessageBody=payload)
            else:
                log.warning("%s: target %s is not delivered locally", source, target_arn)
                return
            log.info("%s → %s", source, target_arn.rsplit(":", 1)[-1])
        except Exception:  # a failed async delivery is logged, as EventBridge would retry/drop it
            log.exception("%s: delivery to %s failed", source, target_arn)


def target_input(target: dict[str, Any], event: Any) -> str:
    """What EventBridge sends a target: Input, InputPath, InputTransformer or the whole event."""
    if target.get("Input") is not None:
        return target["Input"]
    if target.get("InputPath"):
        value: Any = event
        for key in target["InputPath"].lstrip("$").strip(".").split("."):
            value = value.get(key) if key and isinstance(value, dict) else value
        return json.dumps(value)
    if target.get("InputTransformer"):
        from moto.events.models import EventTemplateParser

        transformer = target["InputTransformer"]
        parsed = EventTemplateParser.parse(input_template=transformer.get("InputTemplate"),
                                           input_paths_map=transformer.get("InputPathsMap", {}), event=event)
        return parsed if isinstance(parsed, str) else json.dumps(parsed)
    return json.dumps(event)


# -- (a) patched rule delivery ----------------------------------------------------------------------

_installed: dict[str, Any] = {}


def install_rule_delivery(delivery: TargetDelivery) -> None:
    from moto.events.models import Rule

    if _installed:
        raise RuntimeError("rule delivery is already installed")
    original = Rule.send_to_targets

    def send_to_targets(rule: Any, original_event: Any, transform_input: bool = True) -> None:
        if rule.state != "ENABLED" or not rule.event_pattern.matches_event(original_event):
            return
        ours = [t for t in rule.targets if _arn_service(t["Arn"]) in _OWN_TARGET_SERVICES]
        theirs = [t for t in rule.targets if t not in ours]
        if theirs:  # moto delivers the rest (logs, SQS, archives, buses) on a copy of the rule
            clone = copy.copy(rule)
            clone.targets = theirs
            original(clone, original_event, transform_input)
        event = {**original_event, "time": _iso(original_event.get("time"))}
        event.pop("ingestion-time", None)
        for target in ours:
            delivery.deliver(target["Arn"], target_input(target, event), f"rule {rule.name}")

    _installed.update(original=original)
    Rule.send_to_targets = send_to_targets  # type: ignore[assignment]  # same call, looser types


def uninstall_rule_delivery() -> None:
    from moto.events.models import Rule

    if _installed:
        Rule.send_to_targets = _installed.pop("original")


# -- (b) the clock ----------------------------------------------------------------------------------

_RATE = re.compile(r"rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\((\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})\)")
_NAMES = {name: i for i, name in enumerate(
    ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)}
_NAMES.update({name: i for i, name in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"], start=1)})


def _cron_field(spec: str, low: int, high: int) -> set[int] | None:
    """Values of one cron field; None means any (* or ?). W and # are not supported; L (the last
    day of the month) is handled by cron_matches."""
    if spec in ("*", "?"):
        return None
    values: set[int] = set()
    for part in spec.split(","):
        step = 1
        if "/" in part:
            part, step_text = part.split("/")
            step = int(step_text)
        if part == "*":
            start, end = low, high
        elif "-" in part:
            start, end = (int(_NAMES.get(p.upper(), p)) for p in part.split("-"))
        else:
            start = int(_NAMES.get(part.upper(), part))
            end = high if step > 1 else start
        values.update(range(start, end + 1, step))
    return values


def cron_matches(expression: str, moment: datetime) -> bool:
    """EventBridge cron(minutes hours day-of-month month day-of-week year) at a whole minute."""
    fields = expression[len("cron("):-1].split()
    if len(fields) != 6:
        raise ValueError(f"not an EventBridge cron expression: {expression}")
    bounds = [(0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199)]
    if fields[2].upper() == "L":  # the last day of the month: tomorrow is in another month
        if (moment + timedelta(days=1)).month == moment.month:
            return False
        fields[2] = "*"
    actual = [moment.minute, moment.hour, moment.day, moment.month, moment.isoweekday() % 7 + 1, moment.year]
    return all(values is None or value in values for values, value in
               zip((_cron_field(f, *b) for f, b in zip(fields, bounds, strict=True)), actual, strict=True))


class Clock:
    """Fires EventBridge schedule rules and Scheduler schedules on real time."""

    def __init__(self, delivery: TargetDelivery, account_id: str, region: str,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.delivery = delivery
        self.account_id = account_id
        self.region = region
        self.now = now
        self._next_rate: dict[str, datetime] = {}  # rule/schedule arn → next rate() firing
        self._last_cron_minute: dict[str, datetime] = {}
        self._fired_at: set[str] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="local-clock", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(TICK_SECONDS):
            try:
                self.tick()
            except Exception:  # the clock must keep going
                log.exception("schedule tick failed")

    def tick(self) -> None:
        now = self.now()
        for rule in self._schedule_rules():
            if self._due(rule.arn, rule.scheduled_expression, now, UTC):
                event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                         "source": "aws.events", "account": self.account_id, "time": _iso(now),
                         "region": self.region, "resources": [rule.arn], "detail": {}}
                for target in rule.targets:
                    self.delivery.deliver(target["Arn"], target_input(target, event), f"rule {rule.name}")
        for group, schedule in self._schedules():
            zone = ZoneInfo(schedule.schedule_expression_timezone or "UTC")
            if self._due(schedule.arn, schedule.schedule_expression, now, zone):
                target = schedule.target
                self.delivery.deliver(target["Arn"], target.get("Input") or "{}", f"schedule {schedule.name}")
                if schedule.schedule_expression.startswith("at(") and schedule.action_after_completion == "DELETE":
                    group.delete_schedule(schedule.name)

    def fire_rate_rules_now(self) -> int:
        """Fire every rate() schedule rule at once (after the demo clock moved forward), and
        restart their periods from now. Returns how many rules fired."""
        now = self.now()
        fired = 0
        for rule in self._schedule_rules():
            if not _RATE.fullmatch(rule.scheduled_expression):
                continue
            self._next_rate.pop(rule.arn, None)
            self._due(rule.arn, rule.scheduled_expression, now, UTC)  # re-arm from now
            event = {"version": "0", "id": str(uuid.uuid4()), "detail-type": "Scheduled Event",
                     "source": "aws.events", "account": self.account_id, "time": _iso(now),
                     "region": self.region, "resources": [rule.arn], "detail": {}}
            for target in rule.targets:
                self.delivery.deliver(target["Arn"], target_input(target, event), f"rule {rule.name}")
            fired += 1
        return fired

    def _due(self, arn: str, expression: str, now: datetime, zone: Any) -> bool:
        if match := _AT.fullmatch(expression):
            when = datetime.fromisoformat(match.group(1)).replace(tzinfo=zone)
            if when <= now and arn not in self._fired_at:
                self._fired_at.add(arn)
                return True
            return False
        if match := _RATE.fullmatch(expression):
            amount, unit = int(match.group(1)), match.group(2).rstrip("s")
            period = timedelta(**{f"{unit}s": amount})
            due = self._next_rate.setdefault(arn, now + period)
            if now >= due:
                self._next_rate[arn] = now + period
                return True
            return False
        if expression.startswith("cron("):
            minute = now.astimezone(zone).replace(second=0, microsecond=0)
            if self._last_cron_minute.get(arn) != minute and cron_matches(expression, minute):
                self._last_cron_minute[arn] = minute
                return True
            return False
        log.warning("schedule expression %r is not supported locally", expression)
        self._fired_at.add(arn)
        return False

    # moto's backends are read directly: rules and schedules created at run time fire too.
    def _schedule_rules(self) -> list[Any]:
        from moto.events.models import events_backends

        backend = events_backends[self.account_id][self.region]
        return [rule for bus in list(backend.event_buses.values()) for rule in list(bus.rules.values())
                if rule.scheduled_expression and rule.state == "ENABLED"]

    def _schedules(self) -> list[tuple[Any, Any]]:
        from moto.scheduler.models import scheduler_backends

        backend = scheduler_backends[self.account_id][self.region]
        return [(group, schedule) for group in list(backend.schedule_groups.values())
                for schedule in list(group.schedules.values()) if schedule.state == "ENABLED"]

"""The local engine: a synthesized CloudFormation template run on moto, for any application.

Template reading and intrinsics (template.py), provisioning into moto (provision.py), the REST API
gateway (gateway.py), Lambda dispatch (lambda_dispatch.py) over a `Runtime` (runtime.py: a process
per function, or in-process for tests on an in-process moto), EventBridge rules and schedules
(events.py), EMF metrics (emf.py), what Cognito does around sign-up (cognito_local.py), fixes to
moto (moto_fixes.py), CloudFront's response headers (response_headers.py).

Nothing here imports the application (`sunlight`, `functions`, `infra.constants`, the seed):
infra/local/runner.py composes the engine with them (tests/unit/test_local_engine_imports.py).
"""

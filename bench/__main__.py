"""`make bench`: every benchmark, one after the other."""

from bench import cold_imports, dynamodb_calls, local_system

for name, bench in (("Cold imports", cold_imports), ("DynamoDB calls per operation", dynamodb_calls), ("Local system", local_system)):
    print(f"\n== {name} ==")
    bench.main()

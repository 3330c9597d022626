"""CloudFormation allows 500 resources per stack: the API invokes each of its functions with one
permission, not one per method, so routes can keep being added."""

from __future__ import annotations

from infra import constants

MAX_RESOURCES = 500


def test_one_invoke_permission_per_api_function_and_room_left_in_the_stack(synthesized):
    functions = {spec: synthesized.logical_id("AWS::Lambda::Function", spec.function_id) for spec in constants.API_FUNCTIONS}
    api = synthesized.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    from_gateway = [p["Properties"] for p in synthesized.resources_of_type("AWS::Lambda::Permission").values()
                    if p["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    assert sorted(p["FunctionName"]["Fn::GetAtt"][0] for p in from_gateway) == sorted(functions.values())
    for permission in from_gateway:
        assert {"Ref": api} in permission["SourceArn"]["Fn::Join"][1]
        assert permission["SourceArn"]["Fn::Join"][1][-1] == "/*/*/*"
    methods = [m["Properties"] for m in synthesized.resources_of_type("AWS::ApiGateway::Method").values() if m["Properties"]["HttpMethod"] != "OPTIONS"]
    assert len(methods) == len(constants.ROUTES)
    assert all(m["Integration"]["Type"] == "AWS_PROXY" for m in methods)
    # 484 with the five API functions (460 before them); the stack split of issue 11 (stateful
    # data apart from compute) is what makes room again.
    assert len(synthesized.resources) < MAX_RESOURCES, len(synthesized.resources)

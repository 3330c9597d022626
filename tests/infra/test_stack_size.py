"""CloudFormation allows 500 resources per stack: the API invokes its function with one permission,
not one per method, so routes can keep being added."""

from __future__ import annotations

from infra import constants

MAX_RESOURCES = 500


def test_one_invoke_permission_for_the_whole_api_and_room_left_in_the_stack(synthesized):
    function = synthesized.logical_id("AWS::Lambda::Function", constants.API_FUNCTION_ID)
    api = synthesized.logical_id("AWS::ApiGateway::RestApi", constants.API_ID)
    from_gateway = [p["Properties"] for p in synthesized.resources_of_type("AWS::Lambda::Permission").values()
                    if p["Properties"]["Principal"] == "apigateway.amazonaws.com"]
    assert len(from_gateway) == 1
    (permission,) = from_gateway
    assert permission["FunctionName"] == {"Fn::GetAtt": [function, "Arn"]}
    assert {"Ref": api} in permission["SourceArn"]["Fn::Join"][1]
    assert permission["SourceArn"]["Fn::Join"][1][-1] == "/*/*/*"
    methods = [m["Properties"] for m in synthesized.resources_of_type("AWS::ApiGateway::Method").values() if m["Properties"]["HttpMethod"] != "OPTIONS"]
    assert len(methods) == len(constants.ROUTES)
    assert all(m["Integration"]["Type"] == "AWS_PROXY" and function in str(m["Integration"]["Uri"]) for m in methods)
    # 460 after the WAF, the upload check, the cursor key and the route policy; the stack split of
    # issue 11 (stateful data apart from compute, one function per audience) is what makes room.
    assert len(synthesized.resources) < MAX_RESOURCES - 35, len(synthesized.resources)

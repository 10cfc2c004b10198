"""schemathesis hooks for scripts/fuzz-openapi.sh (loaded through SCHEMATHESIS_HOOKS).

OpenAPI 3.0's `allowEmptyValue: true` says a query parameter may be sent empty (`?status=`);
our APIs read an empty filter as no filter. schemathesis does not implement the keyword, so
its negative cases whose value goes on the wire as an empty string (`""`, or an object or
array that serializes to nothing) would count as invalid input wrongly accepted: they are
dropped here, for the parameters that declare the keyword only.
"""

import schemathesis


def _sent_empty(value):
    return value is None or value == "" or value == [] or value == {}


@schemathesis.hook
def filter_case(context, case):
    query = case.query or {}
    for parameter in getattr(case.operation.query, "items", []):
        definition = getattr(parameter, "definition", {}) or {}
        if (
            definition.get("allowEmptyValue")
            and parameter.name in query
            and _sent_empty(query[parameter.name])
        ):
            return False
    return True

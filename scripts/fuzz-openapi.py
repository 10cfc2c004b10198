#!/usr/bin/env python3
"""Companion of scripts/fuzz-openapi.sh; standard library only.

  login      logs in with the admin login request a product prints at start (METHOD URL BODY)
             and writes the schemathesis configuration that logs in the same way (dynamic
             auth, re-login on 401) for every bearer scheme of the product's OpenAPI document.
  malformed  sends hand-made bad requests to every operation of an OpenAPI document and
             checks the answers: malformed JSON, bodies that are not objects, wrong property
             types, bodies over the size limit, odd Unicode, path ids and query values of the
             wrong shape, garbage tokens. Each must get a 4xx the operation documents (400,
             401 or 413 where the case is unambiguous) with a body of the document's own
             `components.schemas.Error` (each product has its error dialect), and nothing may
             answer 5xx.

Everything is derived from the document, so a new product needs no change here.
"""

import argparse
import http.client
import json
import re
import sys
import urllib.parse

# The body size limit the documents promise (axum's default): 2 MiB.
BODY_LIMIT = 2 * 1024 * 1024
TOKEN_KEYS = ("token", "accessToken", "access_token", "access")


# ---------------------------------------------------------------------------------------------
# HTTP


class Reply:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body

    def json(self):
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def send(base, method, target, body=None, headers=None, chunked=False):
    """One request on a fresh connection; `target` is sent exactly as given."""
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    failed = None
    try:
        try:
            write_request(conn, method, target, body, headers, chunked)
        except ConnectionError as e:
            # A server may answer (413, 403) before the body is all sent, then close: its
            # answer is read if it came.
            failed = e
        response = conn.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    except (ConnectionError, http.client.HTTPException) as e:
        return Reply(0, {}, str(failed or e).encode())
    finally:
        conn.close()


def write_request(conn, method, target, body, headers, chunked):
    if chunked:
        conn.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.putheader("Transfer-Encoding", "chunked")
        conn.endheaders()
        step = 64 * 1024
        for i in range(0, len(body), step):
            piece = body[i : i + step]
            conn.send(b"%x\r\n%s\r\n" % (len(piece), piece))
        conn.send(b"0\r\n\r\n")
    else:
        conn.request(method, target, body=body, headers=headers or {})


def parse_login(spec):
    """`METHOD URL BODY`, as the local server prints it."""
    method, url, body = spec.split(" ", 2)
    return method.upper(), url, json.loads(body)


def find_token(value, pointer=""):
    """The JSON pointer and value of the first string under a token key."""
    if isinstance(value, dict):
        for key in TOKEN_KEYS:
            if isinstance(value.get(key), str):
                return pointer + "/" + key, value[key]
        for key, child in value.items():
            found = find_token(child, pointer + "/" + key.replace("~", "~0").replace("/", "~1"))
            if found:
                return found
    return None


def log_in(spec):
    method, url, body = parse_login(spec)
    parts = urllib.parse.urlsplit(url)
    base = f"{parts.scheme}://{parts.netloc}"
    reply = send(base, method, parts.path or "/", json.dumps(body).encode(),
                 {"Content-Type": "application/json"})
    found = find_token(reply.json())
    if reply.status != 200 or not found:
        raise SystemExit(f"login {method} {url} answered {reply.status}: {reply.body[:300]!r}")
    return found


# ---------------------------------------------------------------------------------------------
# The OpenAPI document


class Document:
    def __init__(self, doc):
        self.doc = doc

    def resolve(self, schema):
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            node = self.doc
            for part in schema["$ref"].lstrip("#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            seen += 1
        return schema or {}

    def operations(self):
        for path, item in self.doc.get("paths", {}).items():
            shared = item.get("parameters", [])
            for method, op in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    params = [self.resolve(p) for p in shared + op.get("parameters", [])]
                    yield method.upper(), path, op, params

    def conforms(self, schema, value, depth=0):
        """Whether `value` has the shape `schema` requires: types, required properties,
        nested objects and arrays, `oneOf`/`anyOf` branches. Enough for error bodies."""
        schema = self.resolve(schema)
        if depth > 16:
            return True
        branches = schema.get("oneOf") or schema.get("anyOf")
        if branches:
            return any(self.conforms(b, value, depth + 1) for b in branches)
        kind = schema.get("type")
        python_types = {"object": dict, "array": list, "string": str, "boolean": bool}
        if kind in python_types and not isinstance(value, python_types[kind]):
            return False
        if kind in ("integer", "number") and (
            isinstance(value, bool) or not isinstance(value, (int, float))
        ):
            return False
        if isinstance(value, dict):
            if any(name not in value for name in schema.get("required", [])):
                return False
            properties = schema.get("properties", {})
            extra = schema.get("additionalProperties")
            for name, item in value.items():
                if name in properties:
                    if not self.conforms(properties[name], item, depth + 1):
                        return False
                elif isinstance(extra, dict) and not self.conforms(extra, item, depth + 1):
                    return False
        if isinstance(value, list) and "items" in schema:
            return all(self.conforms(schema["items"], v, depth + 1) for v in value)
        return True

    def error_schema(self):
        return self.doc.get("components", {}).get("schemas", {}).get("Error")

    def security_schemes(self):
        return self.doc.get("components", {}).get("securitySchemes", {})

    def types(self, schema):
        """The JSON types `schema` admits (`None`: any)."""
        schema = self.resolve(schema)
        found = set()
        if "type" in schema:
            found.add(schema["type"])
        for key in ("anyOf", "oneOf"):
            if key in schema:
                for sub in schema[key]:
                    sub_types = self.types(sub)
                    if sub_types is None:
                        return None
                    found |= sub_types
        for sub in schema.get("allOf", []):
            sub_types = self.types(sub)
            if sub_types is not None:
                found |= sub_types
        if not found:
            return None
        if schema.get("nullable"):
            found.add("null")
        if "number" in found:
            found.add("integer")
        return found

    def properties(self, schema):
        schema = self.resolve(schema)
        props = dict(schema.get("properties", {}))
        for sub in schema.get("allOf", []):
            props.update(self.properties(sub))
        return props

    def example(self, media, schema):
        """A plausible body: the documented example, else one built from property examples."""
        if "example" in media:
            return media["example"]
        for example in media.get("examples", {}).values():
            if "value" in example:
                return example["value"]
        schema = self.resolve(schema)
        if "example" in schema:
            return schema["example"]
        body = {}
        for name, prop in self.properties(schema).items():
            prop = self.resolve(prop)
            if "example" in prop:
                body[name] = prop["example"]
        return body


# ---------------------------------------------------------------------------------------------
# Checks


class Checker:
    def __init__(self, doc, base, login, callers=None, verbose=False):
        self.verbose = verbose
        self.doc = doc
        self.base = base.rstrip("/")
        # Who the protected operations are called as: the demo admin, unless the operation
        # refuses that role and a caller of another role (`callers`, role -> login) is let in.
        self.login = login
        self.callers = callers or {}
        self.failures = []
        self.count = 0
        # Protected operations the current login's role may not call: their 403 comes
        # before the checks, which run again as a caller of another role.
        self.forbidden = set()

    def auth(self, op):
        """The current login's bearer header if `op` is protected: a fresh session for each
        request, so that a logout among the checks cannot spoil the next one."""
        if not (op.get("security") and self.login):
            return {}
        return {"Authorization": f"Bearer {log_in(self.login)[1]}"}

    def check(self, label, op, reply, expected=None, allow_success=False):
        """`reply` must be a documented answer of `op`: a 4xx with the error JSON (one of
        `expected` if given), or, if `allow_success`, a 2xx; never a 5xx."""
        self.count += 1
        documented = set(op.get("responses", {}))
        problems = []
        status = reply.status
        if status == 403 and "403" in documented and op.get("security") and self.login:
            self.forbidden.add(" ".join(label.split(" ")[:2]))
            return
        if status == 0:
            problems.append(f"connection failed ({reply.body.decode(errors='replace')})")
        elif status >= 500:
            problems.append("server error")
        elif 200 <= status < 300 and not allow_success:
            problems.append("accepted")
        elif str(status) not in documented and "default" not in documented:
            problems.append("status not documented")
        elif expected and status not in expected:
            problems.append(f"expected {sorted(expected)}")
        if 400 <= status < 500:
            body = reply.json()
            schema = self.doc.error_schema()
            if schema is None:
                problems.append("the document has no components.schemas.Error")
            elif not isinstance(body, dict) or not self.doc.conforms(schema, body):
                problems.append("the body is not the document's Error")
            content_type = {k.lower(): v for k, v in reply.headers.items()}.get("content-type", "")
            if not content_type.startswith("application/json"):
                problems.append(f"content type {content_type!r}")
        shown = reply.body[:200].decode(errors="replace")
        if self.verbose:
            print(f"{'FAIL' if problems else 'ok  '} {label}: {status} {shown[:100]}")
        if problems:
            self.failures.append(f"{label}: {status} {shown} -- {', '.join(problems)}")

    def run(self):
        operations = list(self.doc.operations())
        for operation in operations:
            self.sweep(*operation)
        admin = self.login
        for operation in operations:
            key = " ".join(operation[:2])
            for role, login in self.callers.items():
                if key not in self.forbidden:
                    break
                self.forbidden.discard(key)
                self.login = login
                self.sweep(*operation)
                if key not in self.forbidden:
                    print(f"{key}: swept as a caller of role {role}")
            self.login = admin
        for operation in sorted(self.forbidden):
            print(f"warning: {operation} refuses every role signed in (403): not swept")
        return self.failures

    def sweep(self, method, path, op, params):
        ids = {p["name"]: self.path_example(p) for p in params if p.get("in") == "path"}
        target = fill(path, ids)
        self.bodies(method, path, op, target)
        self.path_ids(method, path, op, params, ids)
        self.queries(method, path, op, params, target)
        if op.get("security"):
            self.tokens(method, path, op, target)

    def bodies(self, method, path, op, target):
        request_body = op.get("requestBody")
        if not request_body:
            return
        request_body = self.doc.resolve(request_body)
        media = request_body.get("content", {}).get("application/json")
        if media is None:
            return
        schema = media.get("schema", {})

        def post(label, raw, expected=None, allow_success=False, content_type=None,
                 chunked=False):
            headers = {**self.auth(op), "Content-Type": content_type or "application/json"}
            reply = send(self.base, method, target, raw, headers, chunked)
            self.check(f"{method} {path} {label}", op, reply, expected, allow_success)

        # Malformed JSON: 400.
        for raw in [b"{", b'{"a":}', b"{'a': 1}", b'{"a": 1,}', b"nul", b'{"a": tru}',
                    b'{"a": 1}}', b"\x00", b"\xff\xfe{}", b'{"a": "\xc3"}', b'{"a": 1e400}',
                    b"[" * 10_000, b'{"a":' * 10_000]:
            post(f"malformed JSON {raw[:16]!r}", raw, {400})
        # Valid JSON that is not an object: 400.
        for raw in [b"[]", b"[1]", b'["0700000000"]', b'"text"', b"42", b"true", b"null"]:
            post(f"non-object body {raw!r}", raw, {400})
        # A property of the wrong type: a documented 4xx.
        example = self.doc.example(media, schema)
        if isinstance(example, dict):
            for name, prop in self.doc.properties(schema).items():
                for wrong in wrong_values(self.doc.types(prop)):
                    body = {**example, name: wrong}
                    post(f"{name}={json.dumps(wrong)}", json.dumps(body).encode())
            # Odd Unicode: lone surrogates are not text (400); odd but valid text may be
            # accepted, never a 5xx.
            for name, prop in self.doc.properties(schema).items():
                if "string" not in (self.doc.types(prop) or {"string"}):
                    continue
                for escaped in ["\\ud800", "\\udfff", "a\\udc00b", "\\ud800\\ud800"]:
                    raw = json.dumps({**example, name: "@"}).replace('"@"', f'"{escaped}"')
                    post(f"{name} with lone surrogate {escaped}", raw.encode(), {400})
                for odd in ["\u202e\u200b\u200f\ufeff", "a\u0000b", "\uffff\ufffe",
                            "e\u0301\u0327", "\U0001f600\u200d\U0001f4a9", "\u0085\u2028\u3000"]:
                    body = json.dumps({**example, name: odd}).encode()
                    post(f"{name}={odd!r}", body, allow_success=True)
        # Size: 2 MiB is read, one byte more is 413 (with or without Content-Length).
        at_limit = b"{}" + b" " * (BODY_LIMIT - 2)
        post("body of exactly 2 MiB", at_limit, allow_success=True)
        over = b'{"x": "' + b"a" * (BODY_LIMIT - 8) + b'"}'
        assert len(over) == BODY_LIMIT + 1
        post("body of 2 MiB + 1 byte", over, {413})
        post("chunked body over 2 MiB", over + b" " * 1000, {413}, chunked=True)
        # Not JSON at all.
        post("text/plain body", json.dumps(example).encode(), content_type="text/plain",
             allow_success=True)

    def path_example(self, param):
        """An id of the documented shape for the other checks: the parameter's example,
        else 1 (integer ids)."""
        schema = self.doc.resolve(param.get("schema", {}))
        return str(param.get("example", schema.get("example", "1")))

    def path_ids(self, method, path, op, params, ids):
        """Ids of the wrong shape: for integer ids, and for string ids with a pattern,
        each value the pattern refuses."""
        for param in params:
            if param.get("in") != "path":
                continue
            schema = self.doc.resolve(param.get("schema", {}))
            pattern = schema.get("pattern")
            integer = {"integer"} >= (self.doc.types(schema) or {"string"})
            if not integer and pattern is None:
                continue
            for raw in ["abc", "1.5", "-1", "0", "1e3", "+1", "%201", "0x1", "1%00", "%00",
                        "%FF", "%ED%A0%80", "%E2%80%AE1", "%EF%BC%91", "%2F", "%2e%2e", "%ZZ",
                        "%25", "99999999999999999999", "1" * 10_000, "a" * 10_000]:
                if not integer and re.fullmatch(pattern, urllib.parse.unquote(raw)):
                    continue
                target = fill(path, {**ids, param["name"]: raw})
                reply = send(self.base, method, target, b"{}",
                             {**self.auth(op), "Content-Type": "application/json"})
                self.check(f"{method} {path} {param['name']}={raw[:24]}", op, reply, {400, 404})

    def queries(self, method, path, op, params, target):
        for param in params:
            if param.get("in") != "query":
                continue
            schema = self.doc.resolve(param.get("schema", {}))
            for raw in ["abc", "1.5", "-1", "0", "1e3", "0x10", "TRUE", "%00", "%FF",
                        "%ED%A0%80", "%E2%80%AE", "%EF%BC%91", "9" * 10_000]:
                value = urllib.parse.unquote(raw, errors="replace")
                query = f"{target}?{urllib.parse.quote(param['name'])}={raw}"
                reply = send(self.base, method, query, None, self.auth(op))
                valid = conforms(self.doc, schema, value)
                self.check(f"{method} {path}?{param['name']}={raw[:24]}", op, reply,
                           None if valid else {400}, allow_success=valid)

    def tokens(self, method, path, op, target):
        for header in ["x", "Bearer", "Bearer ", "Bearer a.b.c", "Basic YTpi",
                       "Bearer " + "a" * 10_000, "Bearer \xe9\xff",
                       "Bearer eyJhbGciOiJub25lIn0.eyJ1c2VySWQiOjF9."]:
            reply = send(self.base, method, target, b"{}",
                         {"Authorization": header, "Content-Type": "application/json"})
            self.check(f"{method} {path} Authorization: {header[:24]!r}", op, reply, {401})


def fill(path, values):
    return re.sub(r"\{([^}]+)\}", lambda m: values.get(m.group(1), "1"), path)


def wrong_values(types):
    """Values of a JSON type `types` does not admit."""
    if types is None:
        return []
    candidates = [("string", "x"), ("integer", 7), ("number", 1.5), ("boolean", True),
                  ("object", {}), ("array", []), ("null", None)]
    return [value for kind, value in candidates if kind not in types]


def conforms(doc, schema, text):
    """Whether a query value `text` satisfies a scalar parameter schema."""
    schema = doc.resolve(schema)
    kind = schema.get("type")
    if "enum" in schema:
        return text in [str(v).lower() if isinstance(v, bool) else str(v) for v in schema["enum"]]
    if kind == "integer":
        if not re.fullmatch(r"-?[0-9]+", text):
            return False
        number = int(text)
        bits = {"int32": 31, "int64": 63}.get(schema.get("format"))
        if bits and not -(2**bits) <= number < 2**bits:
            return False
        return schema.get("minimum", number) <= number <= schema.get("maximum", number)
    if kind == "number":
        try:
            float(text)
            return True
        except ValueError:
            return False
    if kind == "boolean":
        return text in ("true", "false")
    return True


# ---------------------------------------------------------------------------------------------
# Commands


def command_login(args):
    doc = Document(json.load(open(args.openapi)))
    method, url, body = parse_login(args.login)
    pointer, token = log_in(args.login)
    lines = ["# Written by scripts/fuzz-openapi.py: log in as the demo admin, again on a 401.",
             "[cache]", "enabled = false", ""]
    dynamic = all(isinstance(v, str) for v in body.values())
    for name, scheme in doc.security_schemes().items():
        if scheme.get("type") != "http" or scheme.get("scheme", "").lower() != "bearer":
            continue
        if dynamic:
            payload = ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in body.items())
            lines += [f"[auth.dynamic.openapi.{json.dumps(name)}]",
                      f"path = {json.dumps(urllib.parse.urlsplit(url).path)}",
                      f"method = {json.dumps(method.lower())}",
                      f"payload = {{ {payload} }}",
                      f"extract_selector = {json.dumps(pointer)}", ""]
        else:
            lines += [f"[auth.openapi.{json.dumps(name)}]", f"bearer = {json.dumps(token)}", ""]
    with open(args.config_out, "w") as out:
        out.write("\n".join(lines))


def command_malformed(args):
    doc = Document(json.load(open(args.openapi)))
    callers = dict(caller.split("=", 1) for caller in args.caller)
    checker = Checker(doc, args.base, args.login, callers, args.verbose)
    failures = checker.run()
    for failure in failures:
        print(f"FAIL {failure}")
    print(f"{checker.count} malformed requests, {len(failures)} failures")
    return 1 if failures else 0


def main():
    if hasattr(sys, "set_int_max_str_digits"):
        sys.set_int_max_str_digits(0)  # query values of 10 000 digits are compared as numbers
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    login = sub.add_parser("login")
    login.add_argument("--openapi", required=True, help="the product's OpenAPI document (file)")
    login.add_argument("--login", required=True, help="METHOD URL JSON-BODY")
    login.add_argument("--config-out", required=True, help="schemathesis.toml to write")
    malformed = sub.add_parser("malformed")
    malformed.add_argument("--openapi", required=True, help="the product's OpenAPI document (file)")
    malformed.add_argument("--base", required=True, help="http://HOST:PORT")
    malformed.add_argument("--login", help="METHOD URL JSON-BODY of an admin login")
    malformed.add_argument("--caller", action="append", default=[],
                           help="ROLE=METHOD URL JSON-BODY: a login of that role, for the "
                                "operations the admin may not call (repeatable)")
    malformed.add_argument("--verbose", action="store_true", help="print every request")
    args = parser.parse_args()
    if args.command == "login":
        command_login(args)
        return 0
    return command_malformed(args)


if __name__ == "__main__":
    sys.exit(main())

"""localstripe on 127.0.0.1 only, in memory, with Stripe's idempotency keys.

localstripe's own entry point binds every interface and pickles its store to
/tmp/localstripe.pickle after each write (two instances would share that file); this starts
the same aiohttp app on one loopback port and keeps the store in memory.

localstripe ignores the `Idempotency-Key` header, which the payment port relies on; the
middleware below adds what Stripe documents: a POST repeated with a key already seen (for
the same API key) answers the first response, with `Idempotent-Replayed: true`, and changes
nothing. Keys are kept for the server's lifetime (Stripe keeps them 24 hours).
"""

import sys

from aiohttp import web
from localstripe import resources
from localstripe.server import app

_seen: dict[tuple[str, str], tuple[int, bytes, str]] = {}


@web.middleware
async def idempotency(request: web.Request, handler):
    key = request.headers.get("Idempotency-Key")
    if request.method != "POST" or not key:
        return await handler(request)
    scope = (request.headers.get("Authorization", ""), key)
    if scope in _seen:
        status, body, content_type = _seen[scope]
        response = web.Response(status=status, body=body, content_type=content_type)
        response.headers["Idempotent-Replayed"] = "true"
        return response
    response = await handler(request)
    # Stripe does not keep a key whose request failed on its side (5xx), so a retry runs.
    if response.status < 500 and isinstance(response, web.Response):
        _seen[scope] = (response.status, response.body, response.content_type)
    return response


def main() -> None:
    port = int(sys.argv[1])
    resources.store.dump_to_disk = lambda: None
    app.middlewares.append(idempotency)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()

"""localstripe on 127.0.0.1 only, in memory, with Stripe's idempotency keys.

localstripe's own entry point binds every interface and pickles its store to
/tmp/localstripe.pickle after each write (two instances would share that file); this starts
the same aiohttp app on one loopback port and keeps the store in memory.

localstripe ignores the `Idempotency-Key` header, which the payment port relies on; the
middleware below adds what Stripe documents: a POST repeated with a key already seen (for
the same API key) answers the first response, with `Idempotent-Replayed: true`, and changes
nothing. Keys are kept for the server's lifetime (Stripe keeps them 24 hours).

localstripe has no Checkout Sessions: `POST /v1/checkout/sessions` and
`GET /v1/checkout/sessions/{id}` below answer in Stripe's documented shape (the fields a
server reads: `id`, `url`, `mode`, `status`, `payment_status`, amounts, metadata), behind
localstripe's own API-key check. `POST /_config/checkout/sessions/{id}/complete` plays the
client paying on the page (test card 4242...): a subscription's customer, plan and
subscription are made in localstripe (which sends their own events), and the signed
`checkout.session.completed` goes to the registered endpoints like localstripe's events.
"""

import secrets
import sys
import time

from aiohttp import web
from localstripe import resources
from localstripe.errors import UserError
from localstripe.server import app, get_post_data, json_response
from localstripe.webhooks import schedule_webhook

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


_sessions: dict[str, dict] = {}

_MODES = ("payment", "subscription", "setup")


def _line_total(item: dict) -> int:
    price = item.get("price_data")
    if not isinstance(price, dict):
        raise UserError(400, "line_items[][price_data] is required (no Price objects here)")
    try:
        amount = int(price["unit_amount"])
        quantity = int(item.get("quantity", 1))
    except (KeyError, ValueError):
        raise UserError(400, "Invalid line_items[][price_data][unit_amount] or quantity")
    if amount < 0 or quantity < 1:
        raise UserError(400, "Invalid amount or quantity")
    if not isinstance(price.get("product_data"), dict) or not price["product_data"].get("name"):
        raise UserError(400, "line_items[][price_data][product_data][name] is required")
    return amount * quantity


async def create_checkout_session(request: web.Request) -> web.Response:
    data = await get_post_data(request)
    mode = data.get("mode")
    if mode not in _MODES:
        raise UserError(400, "Invalid mode: must be one of payment, subscription or setup")
    for url in ("success_url", "cancel_url"):
        value = data.get(url)
        if not isinstance(value, str) or not value.startswith(("http://", "https://")):
            raise UserError(400, f"Not a valid URL: {url}")
    items = data.get("line_items")
    if mode != "setup" and (not isinstance(items, list) or not items):
        raise UserError(400, "line_items is required in payment and subscription mode")
    total = sum(_line_total(item) for item in items or [])
    recurring = [i["price_data"].get("recurring") for i in items or []]
    if mode == "subscription" and not all(isinstance(r, dict) and r.get("interval") in ("day", "week", "month", "year") for r in recurring):
        raise UserError(400, "A subscription's prices need recurring[interval]")
    session_id = "cs_test_" + secrets.token_hex(24)
    now = int(time.time())
    session = {
        "id": session_id,
        "object": "checkout.session",
        "amount_subtotal": total,
        "amount_total": total,
        "cancel_url": data["cancel_url"],
        "client_reference_id": data.get("client_reference_id"),
        "created": now,
        "currency": (items or [{}])[0].get("price_data", {}).get("currency"),
        "customer": None,
        "customer_email": data.get("customer_email"),
        "expires_at": now + 24 * 3600,
        "livemode": False,
        "metadata": data.get("metadata") or {},
        "mode": mode,
        "payment_intent": None,
        "payment_status": "unpaid",
        "status": "open",
        "subscription": None,
        "success_url": data["success_url"],
        "url": f"https://checkout.stripe.com/c/pay/{session_id}",
        # Not Stripe's: what the stand-in was asked, for the tests to read back.
        "x_line_items": items or [],
        "x_subscription_data": data.get("subscription_data") or {},
    }
    _sessions[session_id] = session
    return json_response(session)


async def retrieve_checkout_session(request: web.Request) -> web.Response:
    session = _sessions.get(request.match_info["id"])
    if session is None:
        raise UserError(404, "No such checkout.session: " + request.match_info["id"])
    return json_response(session)


class _Exported:
    """What localstripe's Event takes as its object: anything with `_export()`."""

    def __init__(self, data: dict) -> None:
        self._data = data

    def _export(self) -> dict:
        return {k: v for k, v in self._data.items() if not k.startswith("x_")}


def _subscribe(session: dict) -> None:
    """Makes the subscription a paid subscription checkout makes, in localstripe."""
    method = resources.PaymentMethod._api_create(
        type="card",
        card={"number": "4242424242424242", "exp_month": "12", "exp_year": "2030", "cvc": "123"},
    )
    customer = resources.Customer._api_create(
        email=session.get("customer_email"),
        payment_method=method.id,
        invoice_settings={"default_payment_method": method.id},
    )
    price = session["x_line_items"][0]["price_data"]
    plan = resources.Plan._api_create(
        amount=price["unit_amount"],
        currency=price["currency"],
        interval=price["recurring"]["interval"],
        product={"name": price["product_data"]["name"]},
    )
    subscription = resources.Subscription._api_create(
        customer=customer.id,
        items=[{"plan": plan.id}],
        metadata=session["x_subscription_data"].get("metadata") or {},
    )
    session["customer"] = customer.id
    session["subscription"] = subscription.id


async def complete_checkout_session(request: web.Request) -> web.Response:
    session = _sessions.get(request.match_info["id"])
    if session is None:
        raise UserError(404, "No such checkout.session: " + request.match_info["id"])
    if session["status"] != "open":
        raise UserError(400, "This checkout.session is no longer open")
    if session["mode"] == "subscription":
        _subscribe(session)
    session.update(status="complete", payment_status="paid", url=None)
    schedule_webhook(resources.Event("checkout.session.completed", _Exported(session)))
    return json_response(session)


def main() -> None:
    port = int(sys.argv[1])
    resources.store.dump_to_disk = lambda: None
    app.middlewares.append(idempotency)
    app.router.add_post("/v1/checkout/sessions", create_checkout_session)
    app.router.add_get("/v1/checkout/sessions/{id}", retrieve_checkout_session)
    app.router.add_post("/_config/checkout/sessions/{id}/complete", complete_checkout_session)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


if __name__ == "__main__":
    main()

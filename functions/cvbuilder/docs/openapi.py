#!/usr/bin/env python3
"""Writes ../openapi.json, CV Builder's OpenAPI 3.0.3 document (from cvbuilder.md).

Kept as a script because the document repeats a few shapes on many operations (errors,
the résumé's fields): run it after changing this file, and commit both."""
import json
import pathlib

REF = lambda name: {"$ref": f"#/components/schemas/{name}"}
RESP = lambda name: {"$ref": f"#/components/responses/{name}"}
JSON = lambda schema, **extra: {"application/json": {"schema": schema, **extra}}


def text(max_length, nullable=False, min_length=None, **extra):
    schema = {"type": "string", "maxLength": max_length, **extra}
    if nullable:
        schema["nullable"] = True
    if min_length:
        schema["minLength"] = min_length
    return schema


DATE = {"type": "string", "format": "date", "example": "2020-01-15"}
NULL_DATE = {**DATE, "nullable": True}
# What forms::optional_url takes: blank, or http(s) on a dotted host or localhost (as
# Django's URLValidator), then visible ASCII.
WEB_ADDRESS = "https?://([A-Za-z0-9.-]*[A-Za-z0-9-]\\.[A-Za-z0-9-]+|localhost)(:[0-9]+)?([/?#][!-~]*)?"
URL = {"type": "string", "maxLength": 200, "nullable": True,
       "pattern": f"^({WEB_ADDRESS})?$",
       "example": "https://github.com/johndoe"}
TIME = {"type": "string", "format": "date-time", "example": "2025-10-29T10:30:00Z"}

ENTRY_COMMON = {"order": {"type": "integer", "minimum": 0, "maximum": 2147483647, "default": 0}}

experience_in = {
    "type": "object", "required": ["company", "position", "start_date"],
    "properties": {
        "id": {"type": "integer", "description": "Keeps this entry's id (one of the résumé's)."},
        "company": text(200, min_length=1), "position": text(200, min_length=1),
        "location": text(200, True), "start_date": DATE, "end_date": NULL_DATE,
        "is_current": {"type": "boolean", "default": False},
        "description": text(5000, True), **ENTRY_COMMON}}
education_in = {
    "type": "object", "required": ["institution", "degree", "start_date"],
    "properties": {
        "id": {"type": "integer"},
        "institution": text(200, min_length=1), "degree": text(200, min_length=1),
        "field_of_study": text(200, True), "location": text(200, True),
        "start_date": DATE, "end_date": NULL_DATE, "is_current": {"type": "boolean"},
        "grade": text(200, True), "description": text(5000, True), **ENTRY_COMMON}}
skill_in = {
    "type": "object", "required": ["name"],
    "properties": {
        "id": {"type": "integer"},
        "name": text(200, min_length=1),
        "level": {"type": "string", "enum": ["beginner", "intermediate", "advanced", "expert"],
                  "default": "intermediate"},
        "category": text(200, True), **ENTRY_COMMON}}


def with_id(schema):
    out = json.loads(json.dumps(schema))
    out["required"] = ["id", *out["required"], *[
        k for k in out["properties"] if k not in out["required"] and k != "id"]]
    out["properties"]["id"] = {"type": "integer"}
    for prop in out["properties"].values():
        prop.pop("minLength", None)
        prop.pop("default", None)
    return out


def object_list(description, example):
    return {"type": "array", "maxItems": 50, "description": description,
            "items": {"type": "object"}, "example": example}


LISTS_IN = {
    "experience_data": {"type": "array", "maxItems": 50, "items": experience_in,
                        "description": "Replaces the experiences; an entry equal to a current one (or naming its `id`) keeps its id."},
    "education_data": {"type": "array", "maxItems": 50, "items": education_in,
                       "description": "Replaces the education entries, ids kept as for experiences."},
    "skills_data": {"type": "array", "maxItems": 50, "items": skill_in,
                    "description": "Replaces the skills, ids kept as for experiences."},
    "languages_data": object_list("`{language, level}` objects.",
                                  [{"language": "Français", "level": "Natif"}]),
    "certifications_data": object_list("`{name, issuer, date}` objects.",
                                       [{"name": "PMP Certification", "issuer": "PMI", "date": "2019-11-20"}]),
    "projects_data": object_list("`{name, description, url}` objects.",
                                 [{"name": "Portfolio", "description": "Site web", "url": None}]),
    "custom_sections": object_list("`{title, content}` objects.",
                                   [{"title": "Bénévolat", "content": "Code for Good"}]),
}

resume_fields_in = {
    "template": {"type": "integer", "enum": [1, 2, 3], "example": 1},
    "full_name": text(200, min_length=1, example="Marie Dubois"),
    "email": {"type": "string", "format": "email", "maxLength": 254,
              "example": "marie.dubois@example.com"},
    "phone": text(20, True, example="+33699887766"),
    "address": text(200, True),
    "website": URL, "linkedin_url": URL, "github_url": URL,
    "title": text(200, True, example="Chef de Projet Digital"),
    "summary": text(10000, True),
    **LISTS_IN,
}

resume_out = {
    "type": "object",
    "required": ["id", "session_id", "user", "template", "full_name", "email", "phone",
                 "address", "website", "linkedin_url", "github_url", "photo", "title",
                 "summary", "experiences", "education", "skills", "languages_data",
                 "certifications_data", "projects_data", "custom_sections", "is_paid",
                 "payment_type", "can_export_without_watermark", "created_at", "updated_at",
                 "last_accessed"],
    "properties": {
        "id": {"type": "integer"},
        "session_id": {"type": "string", "nullable": True,
                       "description": "The anonymous session it belongs to (`null` once a user's)."},
        "user": {"type": "integer", "nullable": True},
        "template": {"type": "integer"},
        "full_name": {"type": "string"}, "email": {"type": "string"},
        **{k: {"type": "string", "nullable": True} for k in [
            "phone", "address", "website", "linkedin_url", "github_url", "photo", "title",
            "summary"]},
        "experiences": {"type": "array", "items": with_id(experience_in)},
        "education": {"type": "array", "items": with_id(education_in)},
        "skills": {"type": "array", "items": with_id(skill_in)},
        **{k: {"type": "array", "items": {"type": "object"}} for k in [
            "languages_data", "certifications_data", "projects_data", "custom_sections"]},
        "is_paid": {"type": "boolean"},
        "payment_type": {"type": "string", "enum": ["free", "single", "subscription"]},
        "can_export_without_watermark": {"type": "boolean"},
        "created_at": TIME, "updated_at": TIME, "last_accessed": TIME,
    },
}

user_out = {
    "type": "object",
    "required": ["id", "username", "email", "first_name", "last_name", "phone", "is_premium",
                 "subscription_type", "subscription_end_date", "created_at"],
    "properties": {
        "id": {"type": "integer"}, "username": {"type": "string"}, "email": {"type": "string"},
        "first_name": {"type": "string"}, "last_name": {"type": "string"},
        "phone": {"type": "string", "nullable": True}, "is_premium": {"type": "boolean"},
        "subscription_type": {"type": "string", "enum": ["monthly", "yearly"], "nullable": True},
        "subscription_end_date": {**TIME, "nullable": True}, "created_at": TIME,
    },
}

template_listed = {
    "type": "object",
    "required": ["id", "name", "description", "thumbnail", "is_premium", "is_active", "created_at"],
    "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"},
        "thumbnail": {"type": "string", "nullable": True,
                      "description": "No picture ships with the designs yet: `null`."},
        "is_premium": {"type": "boolean"}, "is_active": {"type": "boolean"}, "created_at": TIME,
    },
}
template_detail = json.loads(json.dumps(template_listed))
template_detail["required"] += ["template_html", "template_css"]
template_detail["properties"]["template_html"] = {
    "type": "string", "description": "The page, in Django template syntax."}
template_detail["properties"]["template_css"] = {"type": "string"}

password = lambda **extra: {"type": "string", "minLength": 1, "format": "password", **extra}

schemas = {
    "Error": {
        "type": "object", "minProperties": 1,
        "description": "Django REST Framework's errors: `{\"detail\": \"...\"}`, or every failing field with its messages (`{\"field\": [\"...\"]}`; a nested list's errors are one object per entry).",
        "properties": {"detail": {"type": "string"}, "code": {"type": "string"}},
        "additionalProperties": {"anyOf": [{"type": "string"}, {"type": "array"}]},
    },
    "RegisterRequest": {
        "type": "object", "required": ["username", "email", "password", "password2"],
        "properties": {
            "username": text(150, min_length=1, pattern="^[A-Za-z0-9_.@+-]+$", example="john_doe"),
            "email": {"type": "string", "format": "email", "maxLength": 254,
                      "example": "john.doe@example.com"},
            "password": password(example="SecurePass123!"),
            "password2": password(example="SecurePass123!"),
            "first_name": text(150, True, example="John"), "last_name": text(150, True, example="Doe"),
            "phone": text(20, True, example="+33612345678"),
        }},
    "Registered": {"type": "object", "required": ["user", "message"],
                   "properties": {"user": REF("User"), "message": {"type": "string"}}},
    "LoginRequest": {
        "type": "object", "required": ["email", "password"],
        "properties": {"email": text(254, min_length=1, example="john.doe@example.com"),
                       "password": password(example="SecurePass123!")}},
    "TokenPair": {"type": "object", "required": ["access", "refresh"],
                  "properties": {"access": {"type": "string"}, "refresh": {"type": "string"}}},
    "RefreshRequest": {"type": "object", "required": ["refresh"],
                       "properties": {"refresh": text(4096, min_length=1)}},
    "Access": {"type": "object", "required": ["access"],
               "properties": {"access": {"type": "string"}}},
    "User": user_out,
    "ProfilePatch": {
        "type": "object",
        "description": "The other fields are read-only and ignored.",
        "properties": {"first_name": text(150, example="Jean"), "last_name": text(150),
                       "phone": text(20, True, example="+33687654321")}},
    "ChangePasswordRequest": {
        "type": "object", "required": ["old_password", "new_password", "new_password2"],
        "properties": {"old_password": password(example="SecurePass123!"),
                       "new_password": password(example="NewSecurePass456!"),
                       "new_password2": password(example="NewSecurePass456!")}},
    "Message": {"type": "object", "required": ["message"],
                "properties": {"message": {"type": "string"}}},
    "Template": template_listed,
    "TemplateDetail": template_detail,
    "ResumeCreate": {"type": "object", "required": ["template", "full_name", "email"],
                     "properties": resume_fields_in},
    "ResumePatch": {"type": "object", "properties": resume_fields_in,
                    "description": "Only the fields sent change (auto-save)."},
    "Resume": resume_out,
    "JsonResume": {"type": "object", "description": "A JSON Resume 1.0.0 document (https://jsonresume.org/schema).",
                   "properties": {"basics": {"type": "object", "properties": {"name": {"type": "string"}, "email": {"type": "string"}}},
                                  "work": {"type": "array", "items": {"type": "object"}},
                                  "education": {"type": "array", "items": {"type": "object"}},
                                  "skills": {"type": "array", "items": {"type": "object"}}},
                   "example": {"basics": {"name": "John Doe", "email": "john.doe@example.com", "label": "Software Engineer"},
                               "work": [{"name": "Tech Company", "position": "Senior Engineer", "startDate": "2020-01"}],
                               "skills": [{"name": "Cloud", "level": "Advanced", "keywords": ["AWS"]}]}},
    "LinkedInImport": {"type": "object", "required": ["linkedin_url"],
                       "properties": {"linkedin_url": {"type": "string", "example": "https://www.linkedin.com/in/johndoe",
                                                       "description": "A public profile's address: `https://www.linkedin.com/in/<name>`."}}},
    "CheckoutRequest": {"type": "object", "required": ["payment_type", "success_url", "cancel_url"],
                        "properties": {
                            "payment_type": {"type": "string", "enum": ["single", "monthly", "yearly"]},
                            "resume_id": {"type": "integer", "format": "int64", "minimum": 1, "description": "Required for `single`.", "example": 1},
                            "success_url": {"type": "string", "maxLength": 2000, "pattern": f"^{WEB_ADDRESS}$", "example": "http://localhost:3000/payment/success"},
                            "cancel_url": {"type": "string", "maxLength": 2000, "pattern": f"^{WEB_ADDRESS}$", "example": "http://localhost:3000/payment/cancel"}}},
    "CheckoutUrl": {"type": "object", "required": ["url"],
                    "properties": {"url": {"type": "string", "format": "uri",
                                           "example": "https://checkout.stripe.com/c/pay/cs_test_a1b2c3d4e5f6g7h8i9j0"}}},
    "StripeEvent": {"type": "object", "required": ["id", "type", "data"],
                    "properties": {"id": {"type": "string", "example": "evt_1NqX"}, "type": {"type": "string", "example": "checkout.session.completed"},
                                   "data": {"type": "object", "properties": {"object": {"type": "object"}}}}},
    "WebhookReceived": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["success"]}},
                        "example": {"status": "success"}},
    "ExportRequest": {"type": "object",
                      "description": "Nothing to choose: `{}` or no body (other fields are ignored, as DRF does)."},
    "Exported": {"type": "object", "required": ["pdf_url", "has_watermark"],
                 "properties": {
                     "pdf_url": {"type": "string", "format": "uri",
                                 "description": "A private link to the PDF, valid 15 minutes.",
                                 "example": "https://files.example.com/cvbuilder/resumes/pdfs/1/0f4c2a9e/john_doe_cv_20251029.pdf?X-Amz-Expires=900&X-Amz-Signature=…"},
                     "has_watermark": {"type": "boolean"}}},
}

def error_response(description, example):
    return {"description": description, "content": JSON(REF("Error"), example=example)}

responses = {
    "BadRequest": error_response("Invalid input: every failing field at once.",
                                 {"email": ["Enter a valid email address."]}),
    "Unauthorized": error_response("No token, or one that is invalid, expired or of an ended session.",
                                   {"detail": "Given token not valid for any token type", "code": "token_not_valid"}),
    "NotFound": error_response("No such object, or not the caller's.", {"detail": "Not found."}),
    "Conflict": error_response("Another write changed it meanwhile; try again.",
                               {"detail": "The resource was changed by another request; try again."}),
    "PayloadTooLarge": error_response("The body is over 2 MiB.", {"detail": "Request body is too large."}),
    "UnsupportedMediaType": error_response("The body is not JSON.",
                                           {"detail": "Unsupported media type in request."}),
    "TooManyRequests": {**error_response("Throttled (100 requests per 15 minutes per IP; 5 logins or registrations).",
                                         {"detail": "Request was throttled. Expected available in 60 seconds."}),
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
    "ServiceUnavailable": {**error_response("The store cannot be reached; try again.",
                                            {"detail": "Service temporarily unavailable, try again later."}),
                           "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
}

BEARER = [{"bearerAuth": []}]
OPTIONAL = [{}, {"bearerAuth": []}]
ID = [{"name": "id", "in": "path", "required": True,
       "schema": {"type": "integer", "minimum": 1, "format": "int64"}, "example": 1}]


def op(tag, op_id, summary, ok, *, body=None, security=None, errors=(), params=None,
       description=None, body_optional=False):
    out = {"tags": [tag], "operationId": op_id, "summary": summary}
    if description:
        out["description"] = description
    if security is not None:
        out["security"] = security
    if params:
        out["parameters"] = params
    if body:
        out["requestBody"] = {"required": not body_optional, "content": JSON(REF(body))}
    codes = set(errors) | {"429", "503"}
    if body:
        # An optional body's content type is not checked: nothing else may come.
        codes |= {"400", "413"} if body_optional else {"400", "413", "415"}
    if security:
        codes.add("401")
    if params:
        codes.add("404")
    out["responses"] = {**ok, **{c: RESP(NAMES[c]) for c in sorted(codes)}}
    return out


NAMES = {"400": "BadRequest", "401": "Unauthorized", "404": "NotFound", "409": "Conflict",
         "413": "PayloadTooLarge", "415": "UnsupportedMediaType", "429": "TooManyRequests",
         "503": "ServiceUnavailable"}
ok = lambda code, description, schema: {code: {"description": description, "content": JSON(schema)}}
SESSION_NOTE = ("Anonymous or signed in. An anonymous visitor's résumés belong to their session: "
                "the `sessionid` cookie set with their first résumé, or the same key sent as the "
                "`X-Session-Id` header by clients that keep no cookies. Another owner's résumé is 404.")

paths = {
    "/api/auth/register/": {"post": op("Auth", "register", "Register", ok("201", "Registered.", REF("Registered")), body="RegisterRequest",
        description="Username and email unique, Django's password rules, `password2` must match. With an anonymous session, its résumés become the new user's.")},
    "/api/auth/login/": {"post": op("Auth", "login", "Log in by email", ok("200", "SimpleJWT's pair.", REF("TokenPair")), body="LoginRequest", errors=["401"],
        description="Wrong credentials: 401 `No active account found with the given credentials`. With an anonymous session, its résumés become the user's.")},
    "/api/auth/refresh/": {"post": op("Auth", "refresh", "A new access token", ok("200", "A new access token.", REF("Access")), body="RefreshRequest", errors=["401"],
        description="The refresh token stays valid until it expires (one day) or its session ends (a password change ends the others).")},
    "/api/auth/profile/": {
        "get": op("Auth", "profile", "The caller's profile", ok("200", "The profile.", REF("User")), security=BEARER),
        "patch": op("Auth", "updateProfile", "Change the profile", ok("200", "The profile after.", REF("User")), body="ProfilePatch", security=BEARER)},
    "/api/auth/change-password/": {"post": op("Auth", "changePassword", "Change the password", ok("200", "Changed.", REF("Message")), body="ChangePasswordRequest", security=BEARER,
        description="Checks the old password; every other session of the user ends.")},
    "/api/templates/": {"get": op("Templates", "listTemplates", "Every design", ok("200", "The designs.", {"type": "array", "items": REF("Template")}))},
    "/api/templates/free/": {"get": op("Templates", "freeTemplates", "The free designs", ok("200", "The free designs.", {"type": "array", "items": REF("Template")}))},
    "/api/templates/premium/": {"get": op("Templates", "premiumTemplates", "The premium designs", ok("200", "The premium designs.", {"type": "array", "items": REF("Template")}))},
    "/api/templates/{id}/": {"get": op("Templates", "getTemplate", "A design, with its HTML and CSS", ok("200", "The design.", REF("TemplateDetail")), params=ID)},
    "/api/resumes/": {
        "get": op("Resumes", "listResumes", "The caller's résumés", ok("200", "Newest first.", {"type": "array", "items": REF("Resume")}), security=OPTIONAL, description=SESSION_NOTE),
        "post": op("Resumes", "createResume", "A new résumé", ok("201", "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", REF("Resume")), body="ResumeCreate", security=OPTIONAL, description=SESSION_NOTE)},
    "/api/resumes/{id}/": {
        "get": op("Resumes", "getResume", "A résumé (records `last_accessed`)", ok("200", "The résumé.", REF("Resume")), security=OPTIONAL, params=ID, description=SESSION_NOTE),
        "patch": op("Resumes", "updateResume", "Auto-save: change the fields sent", ok("200", "The résumé after.", REF("Resume")), body="ResumePatch", security=OPTIONAL, params=ID, errors=["409"], description=SESSION_NOTE),
        "delete": op("Resumes", "deleteResume", "Delete a résumé", {"204": {"description": "Deleted."}}, security=OPTIONAL, params=ID, description=SESSION_NOTE)},
    "/api/resumes/{id}/export_json/": {
        "get": op("Resumes", "exportResumeJson", "The résumé as JSON Resume", ok("200", "A JSON Resume 1.0.0 document.", REF("JsonResume")), security=OPTIONAL, params=ID,
                  description="The résumé in the open JSON Resume format (jsonresume.org), which Reactive Resume and most résumé tools import. What JSON Resume has no field for (the design, custom sections, an education's place and description) is kept under `meta.cvbuilder`. " + SESSION_NOTE)},
    "/api/resumes/import_json/": {
        "post": op("Resumes", "importResumeJson", "A new résumé from a JSON Resume document", ok("201", "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", REF("Resume")), body="JsonResume", security=OPTIONAL,
                   description="Reads `basics` (name, label, email, phone, url, summary, location, LinkedIn and GitHub profiles), `work`, `education`, `skills` (a group's keywords become skills of its category), `languages`, `certificates`, `projects`; `volunteer`, `awards`, `publications`, `interests` and `references` become custom sections; `meta.cvbuilder` (this API's exports) restores the design and what JSON Resume has no field for. Dates may be `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; an entry without `endDate` is current. Errors are the create's, named by CV Builder's fields (`full_name` for `basics.name`, `experience_data` for `work`). " + SESSION_NOTE)},
    "/api/resumes/import_linkedin/": {
        "post": {**op("Resumes", "importLinkedIn", "A new résumé from LinkedIn", ok("201", "Created (with `Set-Cookie: sessionid=...` for a visitor who had no session).", REF("Resume")), body="LinkedInImport", security=OPTIONAL,
                      description="LinkedIn offers no open profile API: with the profile's URL alone, the résumé gets the URL and, for a signed-in user, their account's name and email; nothing is invented. LinkedIn's data export (Settings → Data privacy → Get a copy of your data) fills the rest: send `multipart/form-data` with `linkedin_url` (optional there) and the export's zip as `archive`, or its CSV files as `files` (Profile, Email Addresses, PhoneNumbers, Positions, Education, Skills, Languages, Certifications, Projects; each known by its header). Positions and schools without a start date (or a degree) are kept as text in a custom section to complete. A bad URL: `{\"linkedin_url\": [\"Invalid LinkedIn URL format.\"]}`. " + SESSION_NOTE),
                 "requestBody": {"required": True, "content": {
                     "application/json": {"schema": REF("LinkedInImport")},
                     "multipart/form-data": {"schema": {"type": "object", "properties": {
                         "linkedin_url": {"type": "string", "example": "https://www.linkedin.com/in/johndoe"},
                         "archive": {"type": "string", "format": "binary", "description": "LinkedIn's data export, as downloaded (zip, 4 MiB at most)."},
                         "files": {"type": "array", "items": {"type": "string", "format": "binary"}, "description": "CSV files of the export, one part each."}}}}}}}},
    "/api/payments/create-checkout/": {
        "post": op("Payments", "createCheckout", "A Stripe Checkout page", ok("200", "Where to send the client.", REF("CheckoutUrl")), body="CheckoutRequest", security=OPTIONAL,
                   description="`single` (4.99 €) pays for one résumé, which must be the caller's (a signed-in user's or the anonymous session's): another's, or a missing one, is `{\"resume_id\": [\"Resume with id 999 does not exist.\"]}`. `monthly` (9.99 €) and `yearly` (99.99 €) subscribe the signed-in user (401 without a token). The session's metadata name the résumé or the user; the webhook, not the return to `success_url`, unlocks them. The same checkout asked twice within the hour answers the same page. 503 when no Stripe key is configured.")},
    "/api/payments/webhook/": {
        "post": {"tags": ["Payments"], "operationId": "paymentsWebhook", "summary": "Stripe's events (called by Stripe only)",
                 "description": "The signature is checked on the raw body (`Stripe-Signature`, HMAC-SHA256, 300 s tolerance); each event is processed once (a replay answers 200 and changes nothing). `checkout.session.completed` of a paid `single` checkout unlocks its résumé (`is_paid`, `payment_type: single`). `customer.subscription.created`, `.updated`, `.deleted`, `invoice.payment_succeeded` and a subscription checkout's completion are settled by the subscription's state read from Stripe, whatever their order: `is_premium`, `subscription_type`, `subscription_end_date` and `subscription_status` follow it. `invoice.payment_failed` of the subscription's latest invoice takes premium away (`past_due`). Other events are acknowledged.",
                 "parameters": [{"name": "Stripe-Signature", "in": "header", "required": True, "schema": {"type": "string"},
                                 "example": "t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd"}],
                 "requestBody": {"required": True, "content": JSON(REF("StripeEvent"))},
                 "responses": {"200": {"description": "Acknowledged.", "content": JSON(REF("WebhookReceived"))},
                               "400": RESP("BadRequest"), "413": RESP("PayloadTooLarge"),
                               "429": RESP("TooManyRequests"), "503": RESP("ServiceUnavailable")}}},
    "/api/resumes/{id}/export_pdf/": {
        "post": op("Resumes", "exportResumePdf", "The résumé as a PDF", ok("200", "A link to the PDF.", REF("Exported")), body="ExportRequest", body_optional=True, security=OPTIONAL, params=ID,
                   description="Typesets the résumé in its template's design: every section, its fonts embedded, its text searchable. The watermark is added when the template is premium, the résumé was not paid for and the owner has no active subscription (`can_export_without_watermark` says which beforehand). " + SESSION_NOTE)},
}

doc = {
    "openapi": "3.0.3",
    "info": {"title": "CV Builder API", "version": "1.0.0",
             "description": "CV Builder's backend (`cvbuilder.md`), a Django REST Framework API: accounts with SimpleJWT tokens, the résumé designs, and résumés for signed-in users and anonymous visitors.\n\n**Errors** are Django REST Framework's: `{\"detail\": \"...\"}`, or `{\"field\": [\"...\"]}` naming every failing field at once. Paths end with a slash, as Django's."},
    "servers": [{"url": "/"}],
    "tags": [{"name": "Auth"}, {"name": "Templates"}, {"name": "Resumes"}, {"name": "Payments"}],
    "paths": paths,
    "components": {
        "schemas": schemas, "responses": responses,
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                                           "description": "`Authorization: Bearer <access>`, the access token of `/api/auth/login/` or `/api/auth/refresh/`."}},
    },
}

out = pathlib.Path(__file__).resolve().parent.parent / "openapi.json"
out.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")

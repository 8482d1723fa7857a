#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Write conf/openapi.json: the OpenAPI 3.1 description of the archive's
read and write API, its schemas the shipped JSON Schema's (conf/
newsevent.schema.json, copied into components so that the document stands
alone). The module serves it at BASE/openapi.json with its own base path in
`servers`. `make` runs this; a test checks the committed file is current.

Usage: make-openapi.py [OUT]   (default conf/openapi.json)
"""
import copy
import json
import os
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = {
    "text/html": {"schema": {"type": "string"}},
    "application/json": None,            # the resource's own schema
    "application/xml": {"schema": {"type": "string"}},
    "text/markdown": {"schema": {"type": "string"}},
}


def ref(name):
    return {"$ref": "#/components/schemas/%s" % name}


def problem(description):
    return {"description": description, "content": {
        "application/problem+json": {"schema": ref("problem")},
        "application/problem+xml": {"schema": {"type": "string"}},
        "text/html": {"schema": {"type": "string"}},
        "text/markdown": {"schema": {"type": "string"}}}}


def representations(schema_name, description):
    content = {}
    for media, body in FORMATS.items():
        content[media] = body or {"schema": ref(schema_name)}
    return {"description": description, "content": content,
            "headers": {"ETag": {"schema": {"type": "string"}},
                        "Last-Modified": {"schema": {"type": "string"}}}}


READ_ERRORS = {
    "304": {"description": "Not modified (If-None-Match, If-Modified-Since)"},
    "400": problem("A malformed query parameter"),
    "404": problem("Nothing here"),
    "406": problem("No representation the Accept header takes"),
    "412": problem("If-Match or If-Unmodified-Since failed"),
    "503": problem("The store cannot be reached; Retry-After says when to try again"),
}
WRITE_ERRORS = {
    "400": problem("The body is not JSON"),
    "401": {"description": "Apache's authentication asks for credentials"},
    "403": problem("No authenticated user"),
    "405": problem("Not a method of this resource"),
    "412": problem("If-Match or If-None-Match failed"),
    "413": problem("The body is larger than NewsEventWriteLimit"),
    "415": problem("The body is not application/json"),
    "422": problem("The record breaks the import's rules; detail names the field"),
    "503": problem("The store cannot take the change, or predates writes"),
}


def params(*names):
    known = {
        "year": {"pattern": "^[0-9]{4}$", "description": "YYYY"},
        "month": {"pattern": "^[0-9]{2}$", "description": "MM"},
        "day": {"pattern": "^[0-9]{2}$", "description": "DD"},
        "slug": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*(\\.(html|json|xml|md))?$",
                 "description": "the event's slug; .EXT fixes the format"},
        "topic": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*(\\.(html|json|xml|md))?$",
                  "description": "the topic's slug; .EXT fixes the format"},
        "feed_topic": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "description": "the topic's slug"},
    }
    out = []
    for n in names:
        k = known[n]
        out.append({"name": "topic" if n == "feed_topic" else n, "in": "path", "required": True, "description": k["description"],
                    "schema": {"type": "string", "pattern": k["pattern"]}})
    return out


def page_param():
    return {"name": "page", "in": "query", "required": False,
            "schema": {"type": "integer", "minimum": 1}}


def get(summary, schema_name, *names, paged=False, extra=None):
    op = {"summary": summary, "parameters": params(*names) + ([page_param()] if paged else [])
          + (extra or []),
          "responses": dict({"200": representations(schema_name, summary)}, **READ_ERRORS)}
    return op


def fixed(summary, media, description, *more):
    return {"summary": summary, "responses": dict({"200": {
        "description": description, "content": {media: {"schema": {"type": "string"}}}}},
        **{k: v for k, v in READ_ERRORS.items() if k in ("304", "404", "412", "503") + more})}


def operation_id(method, path):
    """getEvent, putEvent, ...: the method and the resource."""
    names = {"/": "Front", "/{year}/": "Year", "/{year}/{month}/": "Month",
             "/{year}/{month}/{day}/": "Day", "/{year}/{month}/{day}/{slug}": "Event",
             "/topics/{topic}": "Topic", "/search": "Search", "/feed.atom": "Feed",
             "/search.atom": "SearchFeed", "/topics/{topic}.atom": "TopicFeed", "/opensearch.xml": "OpenSearch",
             "/sitemap.xml": "SitemapIndex", "/{year}/{month}/sitemap.xml": "Sitemap",
             "/openapi.json": "OpenApi"}
    verb = {"x-move": "move"}.get(method, method)
    return verb + names[path]


def document():
    with open(os.path.join(REPO, "conf", "newsevent.schema.json")) as f:
        schema = json.load(f)
    schemas = copy.deepcopy(schema["$defs"])
    text = json.dumps(schemas).replace("#/$defs/", "#/components/schemas/")
    schemas = json.loads(text)
    schemas["record"] = {
        "description": "One event as `newsevent export` writes it and `import`, PUT and "
                       "POST read it.",
        "type": "object", "required": ["date", "headline"],
        "properties": {
            "date": ref("date"), "slug": ref("slug"), "category": {"type": "string"},
            "story": {"type": "string"}, "headline": ref("text"), "body": {"type": "string"},
            "image": {"type": "string", "format": "uri"},
            "sources": {"type": "array", "items": {
                "type": "object", "required": ["name", "url"],
                "properties": {"name": ref("text"),
                               "url": {"type": "string", "format": "uri"}}}},
            "topics": {"type": "array", "items": ref("text")},
            "updated": {"type": "string"}},
        "additionalProperties": False}
    event_write = {
        "put": {"summary": "Create or replace the event (NewsEventWrite On, an "
                           "authenticated user)",
                "parameters": params("year", "month", "day", "slug") + [
                    {"name": "If-Match", "in": "header", "schema": {"type": "string"}},
                    {"name": "If-None-Match", "in": "header", "schema": {"type": "string"}}],
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": ref("record")}}},
                "responses": dict({
                    "200": {"description": "Replaced: the event as stored",
                            "content": {"application/json": {"schema": ref("event")}}},
                    "201": {"description": "Created: the event as stored; Location names it",
                            "content": {"application/json": {"schema": ref("event")}}}},
                    **WRITE_ERRORS)},
        "delete": {"summary": "Delete the event: its URL then answers 410 Gone",
                   "parameters": params("year", "month", "day", "slug"),
                   "responses": dict({"204": {"description": "Deleted"},
                                      "404": problem("No event here")}, **WRITE_ERRORS)},
        "x-move": {"summary": "WebDAV MOVE (RFC 4918) to the Destination header's URL: the "
                              "old URL then answers 301",
                   "parameters": params("year", "month", "day", "slug") + [
                       {"name": "Destination", "in": "header", "required": True,
                        "schema": {"type": "string", "format": "uri"}},
                       {"name": "Overwrite", "in": "header", "schema": {"enum": ["T", "F"]}}],
                   "responses": dict({
                       "201": {"description": "Moved; Location names the new URL"},
                       "204": {"description": "Moved over an event (Overwrite: T)"},
                       "404": problem("No event here to move"),
                       "409": problem("An event is at the Destination"),
                       "502": problem("The Destination is on another server")},
                       **dict(WRITE_ERRORS, **{"400": problem("No Destination, or one "
                                                              "outside the archive"),
                                               "403": problem("No authenticated user, or "
                                                              "the event's own URL")}))},
    }
    event = get("One event", "event", "year", "month", "day", "slug")
    event["responses"]["301"] = {"description": "The event moved: Location names its URL"}
    event["responses"]["410"] = problem("The event was deleted")
    day_post = {"summary": "Add an event to the day; its slug is made from its headline",
                "parameters": params("year", "month", "day"),
                "requestBody": {"required": True, "content": {
                    "application/json": {"schema": ref("record")}}},
                "responses": dict({"201": {
                    "description": "Created: Location names the event",
                    "content": {"application/json": {"schema": ref("event")}}}},
                    **WRITE_ERRORS)}
    search_params = [
        {"name": "q", "in": "query", "required": True, "schema": {"type": "string"},
         "description": 'words, "phrases", -word, OR'},
        {"name": "sort", "in": "query", "schema": {"enum": ["relevance", "date"]}},
        {"name": "from", "in": "query", "schema": ref("date")},
        {"name": "to", "in": "query", "schema": ref("date")},
        {"name": "topic", "in": "query", "schema": ref("slug")}]
    paths = {
        "/": {"get": get("The front page: the latest days", "front")},
        "/{year}/": {"get": get("A year: its months with counts", "year", "year")},
        "/{year}/{month}/": {"get": get("A month: its days with their events", "month",
                                        "year", "month", paged=True)},
        "/{year}/{month}/{day}/": dict({"get": get("A day: its events by category", "day",
                                                   "year", "month", "day")},
                                       post=day_post),
        "/{year}/{month}/{day}/{slug}": dict({"get": event}, **event_write),
        "/topics/{topic}": {"get": get("A topic: its events newest first", "topic", "topic",
                                       paged=True)},
        "/search": {"get": get("Full-text search", "search", paged=True,
                               extra=search_params)},
        "/feed.atom": {"get": fixed("The archive's Atom feed", "application/atom+xml",
                                    "RFC 4287")},
        "/topics/{topic}.atom": {"get": dict(fixed("A topic's Atom feed", "application/atom+xml",
                                                   "RFC 4287"), parameters=params("feed_topic"))},
        "/search.atom": {"get": dict(fixed("A search's Atom feed", "application/atom+xml",
                                           "RFC 4287", "400"), parameters=search_params)},
        "/opensearch.xml": {"get": fixed("The OpenSearch 1.1 description",
                                         "application/opensearchdescription+xml",
                                         "OpenSearch 1.1")},
        "/sitemap.xml": {"get": fixed("The sitemap index", "application/xml",
                                      "sitemaps.org 0.9")},
        "/{year}/{month}/sitemap.xml": {"get": dict(fixed(
            "A month's sitemap", "application/xml", "sitemaps.org 0.9"),
            parameters=params("year", "month"))},
        "/openapi.json": {"get": fixed("This description", "application/vnd.oai.openapi+json",
                                       "OpenAPI 3.1")},
    }
    for path, item in paths.items():
        for method, op in item.items():
            op["operationId"] = operation_id(method, path)
            if method in ("put", "post", "delete", "x-move"):
                op["security"] = [{"editor": []}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "mod_newsevent", "version": "3",
                 "description": "A dated news archive served by Apache: every event at a "
                                "stable dated URL in HTML, JSON, XML and Markdown; lists, "
                                "search, feeds, sitemaps; writes for authenticated editors "
                                "where NewsEventWrite is on. URLs without an extension are "
                                "negotiated on Accept; .EXT fixes the format.",
                 "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"}},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": "/news", "description": "NewsEventBase"}],
        "paths": paths,
        "security": [{}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"editor": {
                "type": "http", "scheme": "basic",
                "description": "Apache's own authentication (any provider); writes need an "
                               "authenticated user where NewsEventWrite is on"}}},
    }


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, "conf", "openapi.json")
    text = json.dumps(document(), indent=2, ensure_ascii=False) + "\n"
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main()

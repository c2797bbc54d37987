// GET /api/v1/openapi.json: the OpenAPI 3 description of API.md. A test checks
// that every documented operation answers and every API route is documented.
#include <drogon/HttpAppFramework.h>

#include "web/controllers/route_groups.h"

namespace bookstore::web::api {
namespace {

constexpr std::string_view kOpenApi = R"json({
  "openapi": "3.0.3",
  "info": {"title": "BookStore API", "version": "1.0.0",
           "description": "Everything the BookStore pages do, as JSON. Money is a number with at most two decimals. Retries are safe: POST /api/v1/purchases and a purchase's payment, delivery and cancel accept an Idempotency-Key header (1-255 printable ASCII characters). The first request with a key is carried out and its status and body are stored for at least 24 hours (in the database: every replica knows them); a repeat from the same user with the same key, method, path and body gets them again with Idempotent-Replayed: true and changes nothing; the same key with another request is 422 idempotency_key_reused; a repeat while the first still runs is 409 conflict with Retry-After. A failure (5xx) stores nothing, so retrying it runs it again; a key whose request died with its replica is taken over by a repeat after 30 seconds."},
  "servers": [{"url": "/"}],
  "components": {
    "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "enum": ["invalid_json", "validation_failed", "unauthorized", "forbidden", "not_found", "conflict", "insufficient_stock", "payload_too_large", "unsupported_media_type", "too_many_requests", "unavailable", "internal"]},
        "message": {"type": "string"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
      "User": {"type": "object", "required": ["id", "name", "email", "is_admin"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "email": {"type": "string"}, "is_admin": {"type": "boolean"}}},
      "Book": {"type": "object", "required": ["id", "title", "author", "description", "price", "stock", "seller_id", "seller_name", "cover_url"], "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "author": {"type": "string"}, "description": {"type": "string"},
        "price": {"type": "number", "multipleOf": 0.01}, "stock": {"type": "integer"}, "seller_id": {"type": "integer"},
        "seller_name": {"type": "string"}, "cover_url": {"type": "string", "nullable": true}}},
      "BookInput": {"type": "object", "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 150}, "author": {"type": "string", "minLength": 1, "maxLength": 100},
        "description": {"type": "string", "maxLength": 10000}, "price": {"type": "number", "minimum": 0, "maximum": 1000000},
        "stock": {"type": "integer", "minimum": 0, "maximum": 1000000}}},
      "Payment": {"type": "object", "nullable": true, "properties": {"method": {"type": "string"}, "amount": {"type": "number"}, "status": {"type": "string"}}},
      "Delivery": {"type": "object", "nullable": true, "properties": {"provider_id": {"type": "integer"}, "provider_name": {"type": "string"}, "cost": {"type": "number"}}},
      "Purchase": {"type": "object", "required": ["id", "book_id", "book_title", "quantity", "total_price", "status", "payment", "delivery"], "properties": {
        "id": {"type": "integer"}, "book_id": {"type": "integer"}, "book_title": {"type": "string"}, "quantity": {"type": "integer"},
        "total_price": {"type": "number"}, "status": {"type": "string", "enum": ["Pending Payment", "Paid", "Shipped", "Cancelled"]},
        "payment": {"$ref": "#/components/schemas/Payment"}, "delivery": {"$ref": "#/components/schemas/Delivery"}}},
      "Provider": {"type": "object", "required": ["id", "name", "coverage_area", "cost"], "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"}, "coverage_area": {"type": "string"}, "cost": {"type": "number"}}},
      "List": {"type": "object", "required": ["items", "page", "per_page", "total"], "properties": {
        "items": {"type": "array", "items": {}}, "page": {"type": "integer"}, "per_page": {"type": "integer"}, "total": {"type": "integer"}}}
    },
    "parameters": {
      "id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 1}},
      "page": {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
      "per_page": {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
      "IdempotencyKey": {"name": "Idempotency-Key", "in": "header", "required": false, "description": "Makes a retry safe: the same request again with the same key is answered with the first one's stored status and body (header Idempotent-Replayed: true) and changes nothing; another request under the key is 422 idempotency_key_reused; while the first still runs, 409 conflict with Retry-After. Kept at least 24 hours.", "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"}}
    },
    "responses": {
      "Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  },
  "paths": {
    "/api/v1/users": {
      "post": {"summary": "Register", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["name", "email", "password"], "properties": {"name": {"type": "string"}, "email": {"type": "string"}, "password": {"type": "string", "minLength": 8}}}}}},
        "responses": {"201": {"description": "User", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}},
      "get": {"summary": "List users (admin)", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}],
        "responses": {"200": {"description": "List of User", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}}}, "401": {"$ref": "#/components/responses/Error"}, "403": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/tokens": {
      "post": {"summary": "Log in: get a bearer token", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["email", "password"], "properties": {"email": {"type": "string"}, "password": {"type": "string"}}}}}},
        "responses": {"201": {"description": "Token", "content": {"application/json": {"schema": {"type": "object", "properties": {"token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time", "description": "UTC; API_TOKEN_TTL_SECONDS after the login"}, "user": {"$ref": "#/components/schemas/User"}}}}}}, "401": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/tokens/current": {
      "delete": {"summary": "Log out: revoke this token", "security": [{"bearer": []}], "responses": {"204": {"description": "Revoked"}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/me": {
      "get": {"summary": "The caller", "security": [{"bearer": []}], "responses": {"200": {"description": "User", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/User"}}}}, "401": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/books": {
      "get": {"summary": "Catalog, newest first", "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}, {"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}],
        "responses": {"200": {"description": "List of Book", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}}}}},
      "post": {"summary": "Sell a book", "security": [{"bearer": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BookInput"}}}},
        "responses": {"201": {"description": "Book", "headers": {"Location": {"schema": {"type": "string"}}}, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}}}, "401": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/books/{id}": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "get": {"summary": "One book", "responses": {"200": {"description": "Book", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}}}, "404": {"$ref": "#/components/responses/Error"}}},
      "patch": {"summary": "Change a book (its seller): only the fields sent are written; with expected_stock (the stock the caller read) the change applies only while the stock is still that, else 409 stock_changed", "security": [{"bearer": []}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"allOf": [{"$ref": "#/components/schemas/BookInput"}, {"type": "object", "properties": {"expected_stock": {"type": "integer", "minimum": 0}}}]}}}},
        "responses": {"200": {"description": "Book", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}}}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}},
      "delete": {"summary": "Delete a book (archived when it has purchases)", "security": [{"bearer": []}], "responses": {"204": {"description": "Deleted or archived"}, "403": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/books/{id}/cover": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "put": {"summary": "Upload the cover (raw bytes)", "security": [{"bearer": []}], "requestBody": {"required": true, "content": {"image/jpeg": {"schema": {"type": "string", "format": "binary"}}, "image/png": {"schema": {"type": "string", "format": "binary"}}, "image/webp": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {"200": {"description": "Book", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Book"}}}}, "403": {"$ref": "#/components/responses/Error"}, "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}, "429": {"$ref": "#/components/responses/Error"}, "507": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/purchases": {
      "get": {"summary": "The caller's purchases", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}],
        "responses": {"200": {"description": "List of Purchase", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/List"}}}}, "401": {"$ref": "#/components/responses/Error"}}},
      "post": {"summary": "Buy", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["book_id", "quantity"], "properties": {"book_id": {"type": "integer"}, "quantity": {"type": "integer", "minimum": 1}}}}}},
        "responses": {"201": {"description": "Purchase (Pending Payment); a replay carries Idempotent-Replayed: true", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/purchases/{id}": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "get": {"summary": "One of the caller's purchases", "security": [{"bearer": []}], "responses": {"200": {"description": "Purchase", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "404": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/purchases/{id}/payment": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "post": {"summary": "Pay (simulated); a repeat answers 200 with the same payment", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["method"], "properties": {"method": {"type": "string", "enum": ["Credit Card", "Paypal", "Bank Transfer"]}}}}}},
        "responses": {"201": {"description": "Purchase (Paid)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "200": {"description": "Already paid", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/purchases/{id}/delivery": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "post": {"summary": "Choose the delivery provider (after payment, once)", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}], "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["provider_id"], "properties": {"provider_id": {"type": "integer"}}}}}},
        "responses": {"201": {"description": "Purchase", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/purchases/{id}/cancel": {
      "parameters": [{"$ref": "#/components/parameters/id"}],
      "post": {"summary": "Cancel a purchase pending payment; its copies go back to stock", "security": [{"bearer": []}], "parameters": [{"$ref": "#/components/parameters/IdempotencyKey"}],
        "responses": {"200": {"description": "Purchase (Cancelled)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Purchase"}}}}, "404": {"$ref": "#/components/responses/Error"}, "409": {"$ref": "#/components/responses/Error"}, "422": {"$ref": "#/components/responses/Error"}}}
    },
    "/api/v1/delivery-providers": {
      "get": {"summary": "Delivery providers", "responses": {"200": {"description": "Providers", "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Provider"}}}}}}}}}
    },
    "/api/v1/openapi.json": {
      "get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3 document"}}}
    }
  }
}
)json";

}  // namespace

void registerOpenApiRoute() {
  drogon::app().registerHandler("/api/v1/openapi.json",
                                [](const drogon::HttpRequestPtr&,
                                   std::function<void(const drogon::HttpResponsePtr&)>&& callback) {
                                  static const std::string body(kOpenApi);
                                  auto resp = drogon::HttpResponse::newHttpResponse();
                                  resp->setContentTypeString("application/json; charset=utf-8");
                                  resp->addHeader("Cache-Control", "public, max-age=300");
                                  resp->setBody(body);
                                  callback(resp);
                                },
                                {drogon::Get});
}

}  // namespace bookstore::web::api

// Checks what the service actually sends against the OpenAPI document it serves: a webhook message
// as a shop's endpoint received it (the body against the schema under
// `webhooks[type].post.requestBody`, the Standard Webhooks headers against that operation's header
// parameters), and an API answer against its route's documented response. The document is
// dereferenced by swagger-parser and its JSON Schemas read by zod's own JSON Schema reader
// (z.fromJSONSchema), so what is checked is the published document, not the zod schemas the
// service built it from.
import SwaggerParser from "@apidevtools/swagger-parser";
import { z } from "zod";

type Schema = Record<string, unknown>;
type WebhookOp = {
  parameters?: { name: string; in: string; required?: boolean; schema: Schema }[];
  requestBody: { content: { "application/json": { schema: Schema } } };
};
export type ReceivedMessage = { headers: Record<string, string | undefined>; body: string };

/** A checker for messages, from the document: throws (with zod's issues) when one does not match. */
export async function webhookChecker(doc: unknown): Promise<(message: ReceivedMessage) => string> {
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as {
    webhooks?: Record<string, { post: WebhookOp }>;
  };
  const webhooks = deref.webhooks ?? {};
  return (message) => {
    const body = JSON.parse(message.body) as { type?: unknown };
    const type = String(body.type);
    const op = webhooks[type]?.post;
    if (op === undefined) throw new Error(`event type ${type} is not in the document's webhooks`);
    z.fromJSONSchema(op.requestBody.content["application/json"].schema as never).parse(body);
    for (const p of op.parameters ?? []) {
      if (p.in !== "header") continue;
      const value = message.headers[p.name.toLowerCase()];
      if (value === undefined) {
        if (p.required) throw new Error(`${type}: header ${p.name} missing`);
        continue;
      }
      z.fromJSONSchema(p.schema as never).parse(value);
    }
    return type;
  };
}

/** A checker for JSON answers: `check("get", "/api/v1/payment-requests/{id}", 200, body)` throws unless it matches. */
export async function responseChecker(
  doc: unknown,
): Promise<(method: string, path: string, status: number, body: unknown) => void> {
  const deref = (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as {
    paths: Record<
      string,
      Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
    >;
  };
  return (method, path, status, body) => {
    const schema = deref.paths[path]?.[method]?.responses[String(status)]?.content?.["application/json"]?.schema;
    if (schema === undefined) throw new Error(`${method} ${path} documents no JSON answer ${status}`);
    z.fromJSONSchema(schema as never).parse(body);
  };
}
